//! Langdock's paths next to Nango's: `/integrations/v1/{id}` (two segments) is Langdock's,
//! `/integrations/{uniqueKey}` (one segment) and `/integrations` stay Nango's, and every unknown
//! path or method under Langdock's paths and prefixes gets Langdock's 404.

use super::*;
use crate::helpers::*;
use crate::nango;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn nangos_one_segment_paths_are_still_nangos() {
    let app = spawn_app().await;
    let reply = nango::patch(
        &app,
        "v1",
        nango::keys::DEV_FULL,
        &json!({"display_name": "x"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        nango::error("not_found", "Integration \"v1\" does not exist")
    );
    let reply = nango::patch(
        &app,
        "github",
        nango::keys::DEV_FULL,
        &json!({"display_name": "x"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = app.send(Method::GET, "/integrations", &[], None).await;
    assert_eq!(reply.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn unknown_paths_and_methods_under_langdock_get_langdocks_404() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::ACME_FULL);
    let cases = [
        (Method::DELETE, format!("/integrations/v1/{}", ids::CRM)),
        (Method::POST, format!("/integrations/v1/{}", ids::CRM)),
        (Method::PUT, format!("/integrations/v1/{}", ids::CRM)),
        (Method::PATCH, format!("/integrations/v1/{}/auth", ids::CRM)),
        (
            Method::POST,
            format!("/integrations/v1/{}/actions/create", ids::CRM),
        ),
        (Method::GET, "/integrations/v1/".to_string()),
        (Method::GET, "/integrations/v1/get".to_string()),
        (Method::POST, "/integrations/v1/create".to_string()),
        (Method::GET, "/langdock".to_string()),
        (Method::GET, "/langdock/anything/else".to_string()),
        (Method::GET, "/api/public".to_string()),
        (Method::PATCH, "/api/public/integrations/v2/x".to_string()),
        (
            Method::DELETE,
            format!("/api/public/integrations/v1/{}", ids::CRM),
        ),
    ];
    for (method, path) in cases {
        let reply = app
            .send(method.clone(), &path, &[("authorization", &bearer)], None)
            .await;
        assert_error(&reply, 404, &format!("No route {method} {path}"));
    }
}

#[tokio::test]
async fn other_vendors_api_paths_are_not_langdocks() {
    let app = spawn_app().await;
    for path in [
        "/api/v3/auth_configs/ac_123456789012",
        "/api/ruth-connect/integrations/x",
        "/api/publicity",
    ] {
        let reply = app.send(Method::GET, path, &[], None).await;
        // Another vendor's answer (or the server's 404), never Langdock's `{"message"}`.
        assert!(reply.status.is_client_error(), "{path}: {}", reply.status);
        assert!(
            reply.json().get("message").is_none(),
            "{path}: {}",
            reply.text
        );
    }
}

//! `Authorization: Bearer <key>` and the `INTEGRATION_API` scope, checked before the id and the body.
//! Facts: VENDORS.md §4 (401 body observed on other endpoints) and §8 "Langdock".

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const INVALID_KEY: &str = "The provided API key is invalid.";
const NO_SCOPE: &str = "The provided API key does not have the required scope: INTEGRATION_API";

#[tokio::test]
async fn a_missing_or_unusable_authorization_header_is_a_401() {
    let app = spawn_app().await;
    let path = format!("/integrations/v1/{}", ids::CRM);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("authorization", "")],
        vec![("authorization", "Bearer")],
        vec![("authorization", "Basic sk-acme0integration0api0full0001")],
        vec![("authorization", "sk-acme0integration0api0full0001")],
        vec![("x-api-key", "sk-acme0integration0api0full0001")],
        vec![("authorization", "Bearer sk-acme0integration0api0full0001x")],
    ];
    for headers in cases {
        for method in [Method::PATCH, Method::GET] {
            let reply = app
                .send(
                    method.clone(),
                    &path,
                    &headers,
                    Some(b"{\"name\":\"x\"}".to_vec()),
                )
                .await;
            assert_error(&reply, 401, INVALID_KEY);
        }
    }
    assert_eq!(stored(&app, "acme", ids::CRM).await["name"], "Internal CRM");
}

#[tokio::test]
async fn an_unknown_well_formed_key_is_a_401() {
    let app = spawn_app().await;
    let reply = patch(&app, ids::CRM, keys::UNKNOWN, &json!({"name": "x"})).await;
    assert_error(&reply, 401, INVALID_KEY);
}

#[tokio::test]
async fn the_scheme_is_read_in_any_case() {
    let app = spawn_app().await;
    let reply = app
        .send(
            Method::GET,
            &format!("/integrations/v1/{}", ids::CRM),
            &[("authorization", "bearer sk-acme0integration0api0full0001")],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn a_key_without_integration_api_is_a_403_for_update_and_read() {
    let app = spawn_app().await;
    let reply = patch(&app, ids::CRM, keys::ACME_ASSISTANT, &json!({"name": "x"})).await;
    assert_error(&reply, 403, NO_SCOPE);
    assert_error(
        &get(&app, ids::CRM, keys::ACME_ASSISTANT).await,
        403,
        NO_SCOPE,
    );
    let reply = patch(&app, ids::GLOBEX_ERP, keys::GLOBEX_NO_SCOPES, &json!({})).await;
    assert_error(&reply, 403, NO_SCOPE);
    assert_eq!(
        stored(&app, "acme", ids::CRM).await["updatedAt"],
        "2025-02-18T10:30:00.000Z"
    );
}

#[tokio::test]
async fn auth_comes_before_the_id_and_the_body() {
    let app = spawn_app().await;
    let reply = patch_raw(&app, "/integrations/v1/not-a-uuid", keys::UNKNOWN, b"{").await;
    assert_error(&reply, 401, INVALID_KEY);
    let reply = patch_raw(
        &app,
        "/integrations/v1/not-a-uuid",
        keys::ACME_ASSISTANT,
        b"{",
    )
    .await;
    assert_error(&reply, 403, NO_SCOPE);
}

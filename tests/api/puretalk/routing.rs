//! Puretalk's paths: `/api/ruth-connect/...` and `/puretalk/...` are Puretalk's (unknown paths and
//! methods get its 404), while the rest of `/api` belongs to other vendors.

use super::*;
use crate::helpers::*;
use reqwest::Method;

#[tokio::test]
async fn unknown_paths_and_methods_under_puretalk_get_puretalks_404() {
    let app = spawn_app().await;
    let cases = [
        (Method::DELETE, path(ids::HUBSPOT)),
        (Method::POST, path(ids::HUBSPOT)),
        (Method::PUT, path(ids::HUBSPOT)),
        (Method::GET, format!("{}/", path(ids::HUBSPOT))),
        (Method::GET, "/api/ruth-connect/integrations".to_string()),
        (Method::GET, "/api/ruth-connect".to_string()),
        (Method::GET, "/api/ruth-connect/apps".to_string()),
        (Method::GET, "/puretalk".to_string()),
        (Method::GET, "/puretalk/api/anything".to_string()),
        (
            Method::PATCH,
            format!("/puretalk/api/ruth-connect/integrations/{}/x", ids::HUBSPOT),
        ),
    ];
    for (method, path) in cases {
        let reply = app
            .send(method, &path, &[("x-api-key", keys::ACME)], None)
            .await;
        assert_error(&reply, 404, "Not found.");
    }
}

#[tokio::test]
async fn the_rest_of_api_is_not_puretalks() {
    let app = spawn_app().await;
    for path in ["/api/ruth-connectx", "/api"] {
        let reply = app.send(Method::GET, path, &[], None).await;
        assert_eq!(reply.status.as_u16(), 404, "{path}");
        assert!(reply.json().get("err").is_none(), "{path}: {}", reply.text);
    }
    // Composio's API versions are Composio's: its 401 envelope, not Puretalk's.
    let reply = app
        .send(
            Method::GET,
            "/api/v3/auth_configs/ac_123456789012",
            &[],
            None,
        )
        .await;
    assert_eq!(reply.status.as_u16(), 401);
    assert_eq!(reply.json()["error"]["slug"], "APIKey_InvalidAPIKey");
    // Langdock's dedicated-deployment prefix is Langdock's.
    let reply = app.send(Method::GET, "/api/public/x", &[], None).await;
    assert!(reply.json().get("message").is_some(), "{}", reply.text);
}

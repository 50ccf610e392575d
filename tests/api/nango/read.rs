//! `GET /integrations/{uniqueKey}`: the same public shape, `include=webhook|credentials`, and
//! credentials left out silently without `read_credentials`. Facts: VENDORS.md §1 "GET and POST".

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn get_answers_the_public_shape_without_secrets() {
    let app = spawn_app().await;
    let reply = get_path(&app, "/integrations/slack-prod", keys::DEV_FULL).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.json(),
        json!({"data": {
            "unique_key": "slack-prod", "provider": "slack", "display_name": "Slack (production)",
            "logo": app.url("/images/template-logos/slack.svg"), "forward_webhooks": false,
            "created_at": "2025-01-07T10:15:30.120Z", "updated_at": "2025-02-01T08:00:00.000Z",
        }})
    );
    assert!(!reply.text.contains("secret"));
}

#[tokio::test]
async fn include_credentials_and_webhook_are_spread_before_forward_webhooks() {
    let app = spawn_app().await;
    let reply = get_path(
        &app,
        "/integrations/slack-prod?include=webhook&include=credentials",
        keys::DEV_FULL,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    let keys = data_keys(&body);
    assert_eq!(
        keys,
        [
            "unique_key",
            "provider",
            "display_name",
            "logo",
            "webhook_url",
            "credentials",
            "forward_webhooks",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(body["data"]["webhook_url"], app.url("/webhook/dev/slack"));
    assert_eq!(
        body["data"]["credentials"],
        json!({"type": "OAUTH2", "client_id": "1234567890.slack", "client_secret": "demo-slack-secret",
               "scopes": "chat:write,channels:read", "webhook_secret": "demo-slack-webhook-secret"})
    );
    let reply = get_path(
        &app,
        "/integrations/aws?include=webhook&include=credentials",
        keys::DEV_FULL,
    )
    .await
    .json();
    assert_eq!(
        reply["data"]["webhook_url"],
        serde_json::Value::Null,
        "providers without webhooks give null"
    );
    assert_eq!(reply["data"]["credentials"], serde_json::Value::Null);
}

#[tokio::test]
async fn credentials_are_silently_left_out_without_read_credentials() {
    let app = spawn_app().await;
    for (key, path) in [
        (
            keys::DEV_READ_ONLY,
            "/integrations/github?include=credentials",
        ),
        (
            keys::PROD_UPDATE,
            "/integrations/hubspot?include=credentials",
        ),
    ] {
        let reply = get_path(&app, path, key).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply.json()["data"].get("credentials").is_none(),
            "{}",
            reply.text
        );
        assert_data_keys(&reply.json(), &PUBLIC_KEYS);
        assert!(!reply.text.contains("secret"));
    }
}

#[tokio::test]
async fn get_has_a_strict_query() {
    let app = spawn_app().await;
    let reply = get_path(&app, "/integrations/github?include=secrets", keys::DEV_FULL).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_query_params", "errors": [{"code": "invalid_union", "message": "Invalid input", "path": ["include"]}]}})
    );
    let reply = get_path(&app, "/integrations/github?page=2", keys::DEV_FULL).await;
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_query_params", "errors": [{"code": "unrecognized_keys", "message": "Unrecognized key: \"page\"", "path": []}]}})
    );
}

#[tokio::test]
async fn get_of_an_unknown_integration_is_the_same_404_as_patch() {
    let app = spawn_app().await;
    let reply = get_path(&app, "/integrations/nope", keys::DEV_FULL).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        error("not_found", "Integration \"nope\" does not exist")
    );
}

//! GET: the real shape of an auth config, in Composio's key order, secrets redacted.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn get_returns_the_auth_config_in_composios_shape() {
    let app = spawn_app().await;
    let reply = get(&app, ids::LINEAR, keys::DEMO).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    request_id(&reply);
    let body = reply.json();
    assert_eq!(
        body,
        json!({
            "id": "ac_lNr0Zt5yKd7U",
            "uuid": "5b0c7e0a-1f3d-4c2b-9a8e-0d1c2b3a4f03",
            "type": "custom",
            "toolkit": {"slug": "linear", "logo": "https://logos.composio.dev/api/linear"},
            "name": "Linear (shared API key, via proxy)",
            "status": "ENABLED",
            "no_of_connections": 0,
            "tool_access_config": {"tools_for_connected_account_creation": [], "tools_available_for_execution": ["LINEAR_CREATE_LINEAR_ISSUE"]},
            "auth_scheme": "API_KEY",
            "is_composio_managed": false,
            "credentials": {},
            "proxy_config": {"proxy_url": "https://proxy.patchbay.local/linear", "proxy_auth_key": "****0001"},
            "created_by": "demo@patchbay.local",
            "created_at": "2025-03-05T11:00:00.000Z",
            "last_updated_at": "2025-03-05T11:00:00.000Z",
            "expected_input_fields": [],
            "restrict_to_following_tools": ["LINEAR_CREATE_LINEAR_ISSUE"],
            "shared_credentials": {"generic_api_key": "****0001", "workspace": "patchbay-demo"},
            "is_enabled_for_tool_router": false
        })
    );
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "uuid",
            "type",
            "toolkit",
            "name",
            "status",
            "no_of_connections",
            "tool_access_config",
            "auth_scheme",
            "is_composio_managed",
            "credentials",
            "proxy_config",
            "created_by",
            "created_at",
            "last_updated_at",
            "expected_input_fields",
            "restrict_to_following_tools",
            "shared_credentials",
            "is_enabled_for_tool_router"
        ]
    );
}

#[tokio::test]
async fn get_of_a_default_config_shows_its_scopes_and_no_proxy() {
    let app = spawn_app().await;
    let body = read(&app, ids::SLACK).await;
    assert_eq!(body["type"], "default");
    assert_eq!(body["is_composio_managed"], true);
    assert_eq!(
        body["credentials"],
        json!({"scopes": ["chat:write", "channels:read"], "user_scopes": ["search:read"]})
    );
    assert!(body.get("proxy_config").is_none());
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "uuid",
            "type",
            "toolkit",
            "name",
            "status",
            "no_of_connections",
            "tool_access_config",
            "auth_scheme",
            "is_composio_managed",
            "credentials",
            "created_by",
            "created_at",
            "last_updated_at",
            "restrict_to_following_tools",
            "shared_credentials",
            "is_enabled_for_tool_router"
        ],
        "the whole key set: nothing else leaks"
    );
}

#[tokio::test]
async fn get_never_shows_a_client_secret() {
    let app = spawn_app().await;
    let reply = get(&app, ids::GITHUB, keys::DEMO).await;
    assert!(
        !reply.text.contains("demo-github-client-secret"),
        "{}",
        reply.text
    );
    assert_eq!(reply.json()["credentials"]["client_secret"], "****0001");
    let credential_keys: Vec<String> = reply.json()["credentials"]
        .as_object()
        .expect("credentials")
        .keys()
        .cloned()
        .collect();
    assert_eq!(credential_keys, ["client_id", "client_secret", "scopes"]);
    assert_eq!(
        reply.json()["credentials"]["client_id"],
        "Iv1.demo0github0client"
    );
}

#[tokio::test]
async fn get_ignores_a_body_and_query() {
    let app = spawn_app().await;
    let reply = app
        .send(
            Method::GET,
            &format!("{}?x=1", config_path(ids::GITHUB)),
            &[("x-api-key", keys::DEMO), ("content-type", "text/plain")],
            Some(b"not json".to_vec()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

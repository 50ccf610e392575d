//! Concurrent PATCHes of one auth config never lose an update: each is one atomic read-modify-write,
//! and credentials merge key by key.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_credential_keys_all_survive() {
    let app = spawn_app().await;
    let calls = (0..50).map(|index| {
        let app = &app;
        async move {
            let body = json!({"type": "custom", "credentials": {format!("extra_{index:02}"): format!("value{index}")}});
            patch(app, ids::GITHUB, keys::DEMO, &body).await.status
        }
    });
    let statuses = futures_util::future::join_all(calls).await;
    assert!(
        statuses.iter().all(|status| *status == StatusCode::OK),
        "{statuses:?}"
    );
    let credentials = stored(&app, "proj_demo", ids::GITHUB).await["credentials"].clone();
    let credentials = credentials.as_object().expect("credentials");
    assert_eq!(credentials.len(), 53, "{credentials:?}");
    for index in 0..50 {
        assert_eq!(
            credentials[&format!("extra_{index:02}")],
            format!("value{index}")
        );
    }
    assert_eq!(credentials["client_id"], "Iv1.demo0github0client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_of_different_fields_each_keep_their_change() {
    let app = spawn_app().await;
    let bodies = [
        json!({"type": "custom", "name": "concurrent"}),
        json!({"type": "custom", "credentials": {"client_secret": "concurrent-secret"}}),
        json!({"type": "custom", "tool_access_config": {"tools_for_connected_account_creation": ["X"]}}),
        json!({"type": "custom", "is_enabled_for_tool_router": true}),
        json!({"type": "custom", "shared_credentials": {"region": "eu"}}),
    ];
    let calls = bodies.iter().map(|body| {
        let app = &app;
        async move { patch(app, ids::GITHUB, keys::DEMO, body).await.status }
    });
    let statuses = futures_util::future::join_all(calls).await;
    assert!(
        statuses.iter().all(|status| *status == StatusCode::OK),
        "{statuses:?}"
    );
    let record = stored(&app, "proj_demo", ids::GITHUB).await;
    assert_eq!(record["name"], "concurrent");
    assert_eq!(record["credentials"]["client_secret"], "concurrent-secret");
    assert_eq!(
        record["tool_access_config"]["tools_for_connected_account_creation"],
        json!(["X"])
    );
    assert_eq!(record["is_enabled_for_tool_router"], true);
    assert_eq!(record["shared_credentials"], json!({"region": "eu"}));
}

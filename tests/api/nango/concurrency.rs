//! Concurrent PATCHes of one record never lose an update: each is one atomic read-modify-write.

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_patches_of_fifty_different_keys_all_survive() {
    let app = spawn_app().await;
    let calls = (0..50).map(|index| {
        let app = &app;
        async move {
            // custom is the map integration_config merges into; github's provider takes custom directly.
            let body = json!({"custom": {format!("key{index:02}"): format!("value{index}")}});
            patch(app, "github", keys::DEV_FULL, &body).await.status
        }
    });
    let statuses = futures_util::future::join_all(calls).await;
    assert!(
        statuses.iter().all(|status| *status == StatusCode::OK),
        "{statuses:?}"
    );
    let custom = stored(&app, "dev", "github").await["custom"].clone();
    let custom = custom.as_object().expect("custom");
    assert_eq!(custom.len(), 50, "{custom:?}");
    for index in 0..50 {
        assert_eq!(custom[&format!("key{index:02}")], format!("value{index}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_integration_config_patches_each_keep_their_field() {
    let app = spawn_app().await;
    let fields = [
        ("service", "ec2"),
        ("region", "eu-central-1"),
        ("stsMode", "custom"),
        ("stsEndpoint", "https://sts.example.com"),
    ];
    for _round in 0..5 {
        let calls = fields.iter().map(|(field, value)| {
            let app = &app;
            async move {
                patch(
                    app,
                    "aws",
                    keys::DEV_FULL,
                    &json!({"integration_config": {*field: *value}}),
                )
                .await
                .status
            }
        });
        let statuses = futures_util::future::join_all(calls).await;
        assert!(
            statuses.iter().all(|status| *status == StatusCode::OK),
            "{statuses:?}"
        );
    }
    assert_eq!(
        stored(&app, "dev", "aws").await["custom"].clone(),
        json!({"service": "ec2", "region": "eu-central-1", "stsMode": "custom", "stsEndpoint": "https://sts.example.com"})
    );
}

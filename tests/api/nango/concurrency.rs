//! Concurrent writes: PATCHes of one record never lose an update (each is one atomic
//! read-modify-write), creates of one key have one winner, and lists never see a torn state.

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

/// Fifty creates of one key at once: the store's duplicate check and insert are one transaction,
/// so exactly one wins and the others get Nango's duplicate 400 (LIFECYCLE.md §1.2).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_creates_of_one_key_have_exactly_one_winner() {
    let app = spawn_app().await;
    let calls = (0..50).map(|index| {
        let app = &app;
        async move {
            let body = json!({"provider": "algolia", "unique_key": "contended", "display_name": format!("creator {index}")});
            let reply = create(app, keys::DEV_FULL, &body).await;
            (reply.status, reply.json())
        }
    });
    let replies = futures_util::future::join_all(calls).await;
    let winners: Vec<&Value> = replies
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(winners.len(), 1, "{replies:?}");
    let duplicate = json!({"error": {"code": "invalid_body", "errors": [{"code": "invalid_string", "message": "Unique key already exists", "path": ["uniqueKey"]}]}});
    let losers = replies
        .iter()
        .filter(|(status, body)| *status == StatusCode::BAD_REQUEST && *body == duplicate)
        .count();
    assert_eq!(losers, 49, "{replies:?}");
    // The winner's record is the one stored, and there is one of it.
    let read = get_path(&app, "/integrations/contended", keys::DEV_FULL).await;
    assert_eq!(read.json()["data"], winners[0]["data"]);
    let listed = listed_keys(&list(&app, keys::DEV_FULL).await);
    assert_eq!(listed.iter().filter(|key| *key == "contended").count(), 1);
}

/// Creates and deletes racing lists: every list is one committed state (in order, no key twice,
/// the untouched integrations always there), and the last list shows exactly what was left.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn creates_and_deletes_racing_a_list_never_show_a_torn_list() {
    let app = spawn_app().await;
    let untouched = listed_keys(&list(&app, keys::DEV_FULL).await);
    let writes = (0..40).map(|index| {
        let app = &app;
        async move {
            let unique_key = format!("race-{index:02}");
            let body = json!({"provider": "stripe", "unique_key": unique_key});
            let created = create(app, keys::DEV_FULL, &body).await.status;
            // Every other one is deleted again.
            let deleted = if index % 2 == 0 {
                Some(delete(app, &unique_key, keys::DEV_FULL).await.status)
            } else {
                None
            };
            (created, deleted)
        }
    });
    let lists = (0..40).map(|_| {
        let app = &app;
        async move {
            let reply = list(app, keys::DEV_FULL).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            reply.json()
        }
    });
    let (written, listed) = futures_util::future::join(
        futures_util::future::join_all(writes),
        futures_util::future::join_all(lists),
    )
    .await;
    for (created, deleted) in &written {
        assert_eq!(*created, StatusCode::OK);
        assert!(deleted.is_none_or(|status| status == StatusCode::OK));
    }
    for body in &listed {
        let items = body["data"].as_array().expect("data");
        let keys: Vec<&str> = items
            .iter()
            .map(|item| item["unique_key"].as_str().expect("key"))
            .collect();
        let mut distinct = keys.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len(), "no key twice: {keys:?}");
        for key in &untouched {
            assert!(keys.contains(&key.as_str()), "{key} missing from {keys:?}");
        }
        let order: Vec<(&str, &str)> = items
            .iter()
            .map(|item| {
                (
                    item["provider"].as_str().expect("provider"),
                    item["created_at"].as_str().expect("created_at"),
                )
            })
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted, "by provider, then creation");
    }
    let mut left: Vec<String> = listed_keys(&list(&app, keys::DEV_FULL).await)
        .into_iter()
        .filter(|key| key.starts_with("race-"))
        .collect();
    left.sort();
    let expected: Vec<String> = (0..40)
        .filter(|index| index % 2 == 1)
        .map(|index| format!("race-{index:02}"))
        .collect();
    assert_eq!(left, expected);
}

//! Concurrent PATCHes of one auth config never lose an update: each is one atomic read-modify-write,
//! and credentials merge key by key. Creates racing a paged list never make it show a config twice
//! or skip one that existed throughout; racing deletes of one config have one winner.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn creates_racing_a_paged_list_never_repeat_or_skip_a_config_that_existed_throughout() {
    let app = spawn_app().await;
    // Some configs that exist throughout, besides the fixtures.
    let mut throughout: Vec<String> = super::list::ENABLED_NEWEST_FIRST
        .iter()
        .map(|id| id.to_string())
        .collect();
    for index in 0..8 {
        throughout.push(
            created(
                &app,
                keys::DEMO,
                &managed("github", &format!("before {index}")),
            )
            .await,
        );
    }
    let creators = (0..4).map(|creator| {
        let app = &app;
        async move {
            let mut ids = Vec::new();
            for index in 0..10 {
                let body = managed("slack", &format!("racing {creator}-{index}"));
                ids.push(created(app, keys::DEMO, &body).await);
            }
            ids
        }
    });
    let pager = async {
        let mut rounds = Vec::new();
        for _ in 0..3 {
            rounds.push(every_page(&app, keys::DEMO, "limit=3").await.0);
        }
        rounds
    };
    let (created_ids, rounds) =
        futures_util::future::join(futures_util::future::join_all(creators), pager).await;
    let created_ids: Vec<String> = created_ids.into_iter().flatten().collect();
    assert_eq!(created_ids.len(), 40);
    for seen in rounds {
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "a config seen twice: {seen:?}");
        for id in &throughout {
            assert!(seen.contains(id), "{id} skipped: {seen:?}");
        }
        for id in &seen {
            assert!(
                throughout.contains(id) || created_ids.contains(id),
                "{id} is nobody's"
            );
        }
    }
    let (all, _) = every_page(&app, keys::DEMO, "limit=50").await;
    assert_eq!(all.len(), throughout.len() + created_ids.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_deletes_of_one_config_have_exactly_one_winner() {
    let app = spawn_app().await;
    let calls = (0..10).map(|_| {
        let app = &app;
        async move { delete(app, ids::GITHUB, keys::DEMO).await.status }
    });
    let statuses = futures_util::future::join_all(calls).await;
    let won = statuses
        .iter()
        .filter(|status| **status == StatusCode::OK)
        .count();
    let lost = statuses
        .iter()
        .filter(|status| **status == StatusCode::NOT_FOUND)
        .count();
    assert_eq!((won, lost), (1, 9), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_each_get_their_own_id() {
    let app = spawn_app().await;
    let calls = (0..30).map(|index| {
        let app = &app;
        async move {
            created(
                app,
                keys::DEMO,
                &managed("notion", &format!("concurrent {index}")),
            )
            .await
        }
    });
    let mut ids = futures_util::future::join_all(calls).await;
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30);
    assert_eq!(stored_all(&app, "proj_demo").await.len(), 35);
}

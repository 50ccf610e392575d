//! Concurrent writes never lose one: each PATCH (update or auth update) is one atomic
//! read-modify-write, and parallel creates each land, with ids of their own, in their workspace.

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_patches_of_different_fields_all_survive() {
    let app = spawn_app().await;
    for round in 0..10 {
        let bodies = [
            json!({"name": format!("Name {round}")}),
            json!({"description": format!("Description {round}")}),
            json!({"iconUrl": format!("https://cdn.example.com/{round}.png")}),
            json!({"color": format!("#{round}{round}{round}")}),
        ];
        let calls = bodies.iter().map(|body| {
            let app = &app;
            async move { patch(app, ids::CRM, keys::ACME_FULL, body).await.status }
        });
        let statuses = futures_util::future::join_all(calls).await;
        assert!(
            statuses.iter().all(|status| *status == StatusCode::OK),
            "{statuses:?}"
        );
        let record = stored(&app, "acme", ids::CRM).await;
        assert_eq!(record["name"], format!("Name {round}"));
        assert_eq!(record["description"], format!("Description {round}"));
        assert_eq!(
            record["iconUrl"],
            format!("https://cdn.example.com/{round}.png")
        );
        assert_eq!(record["color"], format!("#{round}{round}{round}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_patches_each_move_updated_at() {
    let app = spawn_app().await;
    let calls = (0..50).map(|index| {
        let app = &app;
        async move {
            let reply = patch(
                app,
                ids::STATUS_PAGE,
                keys::ACME_FULL,
                &json!({"name": format!("n{index}")}),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK);
            reply.json()["integration"]["name"]
                .as_str()
                .map(str::to_string)
        }
    });
    let names = futures_util::future::join_all(calls).await;
    // Each answer shows its own write.
    for (index, name) in names.iter().enumerate() {
        assert_eq!(name.as_deref(), Some(format!("n{index}").as_str()));
    }
    let updated_at = stored(&app, "acme", ids::STATUS_PAGE).await["updatedAt"].clone();
    // 50 writes, each at least a millisecond after the last.
    assert!(
        updated_at.as_str() >= Some("2025-03-10T12:00:00.050Z"),
        "{updated_at}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_creates_all_land_each_with_its_own_id() {
    let app = spawn_app().await;
    let calls = (0..30).map(|index| {
        let app = &app;
        let key = if index % 2 == 0 {
            keys::ACME_FULL
        } else {
            keys::GLOBEX
        };
        async move {
            let reply = create(app, key, &json!({"name": format!("Parallel {index}")})).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
            reply.json()["integration"]["id"]
                .as_str()
                .expect("id")
                .to_string()
        }
    });
    let ids: Vec<String> = futures_util::future::join_all(calls).await;
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 30);
    let acme = listed_ids(&list(&app, keys::ACME_FULL).await);
    let globex = listed_ids(&list(&app, keys::GLOBEX).await);
    assert_eq!(acme.len(), 3 + 15);
    assert_eq!(globex.len(), 2 + 15);
    for (index, id) in ids.iter().enumerate() {
        let (mine, theirs) = if index % 2 == 0 {
            (&acme, &globex)
        } else {
            (&globex, &acme)
        };
        assert!(mine.contains(id) && !theirs.contains(id), "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_and_auth_updates_of_one_integration_all_survive() {
    let app = spawn_app().await;
    for round in 0..10 {
        let update =
            json!({"name": format!("Name {round}"), "color": format!("#{round}{round}{round}")});
        let auth = json!({"authType": "API_KEY", "authTestCode": format!("return {round};")});
        let (updated, authed) = futures_util::future::join(
            patch(&app, ids::STATUS_PAGE, keys::ACME_FULL, &update),
            patch_auth(&app, ids::STATUS_PAGE, keys::ACME_FULL, &auth),
        )
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
        assert_eq!(authed.status, StatusCode::OK, "{}", authed.text);
        let record = stored(&app, "acme", ids::STATUS_PAGE).await;
        assert_eq!(record["name"], format!("Name {round}"));
        assert_eq!(record["color"], format!("#{round}{round}{round}"));
        assert_eq!(record["authType"], "API_KEY");
        assert_eq!(record["authTestCode"], format!("return {round};"));
    }
}

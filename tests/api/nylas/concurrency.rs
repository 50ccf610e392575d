//! Concurrent PATCHes of one credential never lose an update: each is one atomic
//! read-modify-write, and each shows its own, later `updated_at` second. Concurrent creates and
//! deletes keep the lifecycle's rules: one connector per provider, one credential per name, never
//! an active credential that is gone.

use super::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_name_and_credential_data_sent_at_once_both_survive() {
    let app = spawn_app().await;
    for round in 0..10 {
        let name = format!("Round {round}");
        let data =
            json!({"client_id": format!("id-{round}"), "client_secret": format!("secret-{round}")});
        let name_body = json!({"name": name});
        let data_body = json!({"credential_data": data});
        let (first, second) = tokio::join!(
            patch(
                &app,
                "microsoft",
                ids::DEV_MICROSOFT_CONNECTOR,
                keys::DEV,
                &name_body
            ),
            patch(
                &app,
                "microsoft",
                ids::DEV_MICROSOFT_CONNECTOR,
                keys::DEV,
                &data_body
            ),
        );
        assert_eq!(
            (first.status, second.status),
            (StatusCode::OK, StatusCode::OK)
        );
        let record = stored(&app, "app-dev", ids::DEV_MICROSOFT_CONNECTOR).await;
        assert_eq!(record["name"], name, "round {round}");
        assert_eq!(record["credential_data"], data, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_concurrent_patches_each_get_their_own_second() {
    let app = spawn_app().await;
    let calls = (0..30).map(|index| {
        let app = &app;
        async move {
            let reply = patch(
                app,
                "google",
                ids::DEV_GOOGLE_CONNECTOR,
                keys::DEV,
                &json!({"name": format!("Concurrent {index:02}")}),
            )
            .await;
            credential(&reply)["updated_at"].as_i64().expect("seconds")
        }
    });
    let mut seconds = futures_util::future::join_all(calls).await;
    seconds.sort_unstable();
    seconds.dedup();
    assert_eq!(seconds.len(), 30, "every write is seen once: {seconds:?}");
    let read = credential(&get(&app, "google", ids::DEV_GOOGLE_CONNECTOR, keys::DEV).await);
    assert_eq!(
        read["updated_at"], seconds[29],
        "the last write is what is stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_renames_to_one_free_name_exactly_one_wins() {
    let app = spawn_app().await;
    for round in 0..10 {
        let body = json!({"name": format!("Contested {round}")});
        let (first, second) = tokio::join!(
            patch(&app, "google", ids::DEV_GOOGLE_CONNECTOR, keys::DEV, &body),
            patch(&app, "google", ids::DEV_GOOGLE_SERVICE, keys::DEV, &body),
        );
        let mut statuses = [first.status, second.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::BAD_REQUEST],
            "round {round}: {} / {}",
            first.text,
            second.text
        );
        let loser = if first.status == StatusCode::OK {
            &second
        } else {
            &first
        };
        assert_eq!(loser.json()["error"]["type"], "api.invalid_request_error");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_creates_of_one_connector_exactly_one_wins() {
    let app = spawn_app().await;
    let calls = (0..8).map(|_| {
        let app = &app;
        async move { post(app, CONNECTORS, keys::DEV, &connector_body("yahoo")).await }
    });
    let replies = futures_util::future::join_all(calls).await;
    let winners: Vec<&Reply> = replies
        .iter()
        .filter(|reply| reply.status == StatusCode::CREATED)
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    for loser in replies
        .iter()
        .filter(|reply| reply.status != StatusCode::CREATED)
    {
        assert_error(
            loser,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            "A connector for provider yahoo already exists",
        );
    }
    // One primary credential, the winner's.
    let (items, _, _) = page(&get_path(&app, &creds_list_path("yahoo"), keys::DEV).await);
    assert_eq!(
        ids_of(&items),
        [
            connector(winners[0], StatusCode::CREATED)["active_credential_id"]
                .as_str()
                .expect("active")
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_creates_of_one_name_with_different_data_exactly_one_wins() {
    let app = spawn_app().await;
    let calls = (0..8).map(|index| {
        let app = &app;
        async move {
            let mut body = credential_body("Contested");
            body["credential_data"]["client_secret"] = json!(format!("secret-{index}"));
            post(app, &creds_list_path("google"), keys::DEV, &body).await
        }
    });
    let replies = futures_util::future::join_all(calls).await;
    let created = replies
        .iter()
        .filter(|reply| reply.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1);
    let (items, _, _) = page(&get_path(&app, &creds_list_path("google"), keys::DEV).await);
    assert_eq!(
        items
            .iter()
            .filter(|item| item["name"] == "Contested")
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_credential_made_active_while_it_is_deleted_is_never_left_dangling() {
    let app = spawn_app().await;
    for round in 0..10 {
        let reply = post(
            &app,
            &creds_list_path("google"),
            keys::DEV,
            &credential_body(&format!("Race {round}")),
        )
        .await;
        let id = created_credential(&reply)["id"]
            .as_str()
            .expect("id")
            .to_string();
        let make_active = json!({"active_credential_id": id});
        let (connector_at, credential_at) = (connector_path("google"), creds_path("google", &id));
        let (activated, removed) = tokio::join!(
            call(
                &app,
                reqwest::Method::PATCH,
                &connector_at,
                keys::DEV,
                Some(&make_active)
            ),
            delete(&app, &credential_at, keys::DEV),
        );
        let active =
            stored_connector(&app, "app-dev", "google").await["active_credential_id"].clone();
        let exists = stored(&app, "app-dev", &id).await != Value::Null;
        match (activated.status, removed.status) {
            // The PATCH went first: the delete was refused, the credential stays active.
            (StatusCode::OK, StatusCode::BAD_REQUEST) => assert!(exists && active == id),
            // The delete went first: the PATCH found no such credential.
            (StatusCode::BAD_REQUEST, StatusCode::OK) => assert!(!exists && active != id),
            other => panic!(
                "round {round}: {other:?}: {} / {}",
                activated.text, removed.text
            ),
        }
        // Put the fixture's active credential back for the next round.
        let restore = json!({"active_credential_id": ids::DEV_GOOGLE_CONNECTOR});
        connector(
            &call(
                &app,
                reqwest::Method::PATCH,
                &connector_path("google"),
                keys::DEV,
                Some(&restore),
            )
            .await,
            StatusCode::OK,
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_connector_deleted_while_credentials_are_created_leaves_none_behind() {
    let app = spawn_app().await;
    let creates = (0..6).map(|index| {
        let app = &app;
        async move {
            post(
                app,
                &creds_list_path("zoom"),
                keys::DEV,
                &credential_body(&format!("Late {index}")),
            )
            .await
        }
    });
    let zoom = connector_path("zoom");
    let (replies, removed) = tokio::join!(
        futures_util::future::join_all(creates),
        delete(&app, &zoom, keys::DEV),
    );
    deleted(&removed);
    for reply in &replies {
        assert!(
            reply.status == StatusCode::CREATED || reply.status == StatusCode::NOT_FOUND,
            "{}",
            reply.text
        );
    }
    let left: Vec<Value> = state(&app, "app-dev")
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|record| record["provider"] == "zoom")
        .collect();
    assert_eq!(
        left,
        Vec::<Value>::new(),
        "no zoom record outlives its connector"
    );
}

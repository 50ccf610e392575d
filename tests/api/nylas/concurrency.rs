//! Concurrent PATCHes of one credential never lose an update: each is one atomic
//! read-modify-write, and each shows its own, later `updated_at` second.

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

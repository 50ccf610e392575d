//! Walking a credential list page by page while credentials are created and deleted. Nylas pages
//! by offset (LIFECYCLE.md §3.2: `limit`, `offset`, no cursor), so each page is the slice of the
//! list as it is when the page is asked for: oldest first, a record created meanwhile lands after
//! every earlier one and a record deleted ahead of the walk is simply not met; a record deleted
//! behind it moves the rest back by one (README Known quirks).

use super::*;
use serde_json::json;

/// One page of `provider`'s credentials, oldest first, checking the echoed limit and offset.
async fn page_at(app: &TestApp, provider: &str, limit: usize, offset: usize) -> Vec<String> {
    let path = format!(
        "{}?order_by=asc&limit={limit}&offset={offset}",
        creds_list_path(provider)
    );
    let (items, echoed_limit, echoed_offset) = page(&get_path(app, &path, keys::DEV).await);
    assert_eq!((echoed_limit, echoed_offset), (limit as u64, offset as u64));
    ids_of(&items)
}

async fn create(app: &TestApp, provider: &str, name: &str) -> String {
    let reply = post(
        app,
        &creds_list_path(provider),
        keys::DEV,
        &credential_body(name),
    )
    .await;
    created_credential(&reply)["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[tokio::test]
async fn a_walk_oldest_first_meets_every_record_once_while_others_are_created_and_deleted_ahead() {
    let app = spawn_app().await;
    let mut existing = vec![ids::DEV_ZOOM_CONNECTOR.to_string()];
    for index in 0..12 {
        existing.push(create(&app, "zoom", &format!("Before {index:02}")).await);
    }
    // Deleted ahead of the walk, one per page: never met.
    let doomed: Vec<String> = existing[10..13].to_vec();
    let mut created_meanwhile = Vec::new();
    let mut seen = Vec::new();
    for number in 0.. {
        let items = page_at(&app, "zoom", 3, seen.len()).await;
        if items.is_empty() {
            break;
        }
        seen.extend(items);
        if let Some(id) = doomed.get(number) {
            deleted(&delete(&app, &creds_path("zoom", id), keys::DEV).await);
        }
        if number < 2 {
            created_meanwhile.push(create(&app, "zoom", &format!("During {number}")).await);
        }
    }
    let mut expected: Vec<String> = existing
        .iter()
        .filter(|id| !doomed.contains(id))
        .cloned()
        .collect();
    expected.extend(created_meanwhile.iter().cloned());
    assert_eq!(seen, expected, "each once, in creation order");
    // Other connectors' credentials never appear.
    assert!(!seen.contains(&ids::DEV_GOOGLE_CONNECTOR.to_string()));
}

#[tokio::test]
async fn deleting_a_record_behind_an_offset_walk_moves_the_rest_back_by_one() {
    let app = spawn_app().await;
    let mut ids = vec![ids::DEV_ZOOM_CONNECTOR.to_string()];
    for index in 0..5 {
        ids.push(create(&app, "zoom", &format!("Shift {index}")).await);
    }
    assert_eq!(page_at(&app, "zoom", 3, 0).await, ids[0..3].to_vec());
    // A record of the first page goes: the second page starts one record later than it would have.
    deleted(&delete(&app, &creds_path("zoom", &ids[1]), keys::DEV).await);
    assert_eq!(page_at(&app, "zoom", 3, 3).await, ids[4..6].to_vec());
}

#[tokio::test]
async fn a_walk_of_another_application_sees_only_its_own() {
    let app = spawn_app().await;
    let mine = create(&app, "google", "Mine").await;
    let reply = get_path(
        &app,
        &format!("{}?limit=200", creds_list_path("google")),
        keys::PROD,
    )
    .await;
    let (items, _, _) = page(&reply);
    assert_eq!(ids_of(&items), [ids::PROD_GOOGLE_CONNECTOR]);
    assert!(!reply.text.contains(&mine));
    let reply = post(
        &app,
        &creds_list_path("zoom"),
        keys::PROD,
        &json!({"name": "x", "credential_type": "connector", "credential_data": {"client_id": "i", "client_secret": "s"}}),
    )
    .await;
    // app-prod has no zoom connector, whatever app-dev has.
    assert_error(
        &reply,
        reqwest::StatusCode::NOT_FOUND,
        "api.not_found_error",
        "Connector \"zoom\" not found",
    );
}

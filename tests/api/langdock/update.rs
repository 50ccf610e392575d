//! PATCH semantics: the documented 200 shape, only the fields sent change, every prefix, and
//! persistence. Facts: specs/langdock.md "Response Format"; VENDORS.md §4 and §8.

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_docs_example_answers_exactly_id_name_and_description() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::CRM,
        keys::ACME_FULL,
        &json!({"name": "Updated Integration Name", "description": "New description for the integration"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(
        reply.text,
        r#"{"integration":{"id":"550e8400-e29b-41d4-a716-446655440000","name":"Updated Integration Name","description":"New description for the integration"}}"#
    );
}

#[tokio::test]
async fn only_the_fields_sent_change() {
    let app = spawn_app().await;
    let before = stored(&app, "acme", ids::CRM).await;
    let reply = patch(
        &app,
        ids::CRM,
        keys::ACME_FULL,
        &json!({"iconUrl": "https://cdn.example.com/new.svg", "color": "#fff"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    // iconUrl and color are stored but never part of the answer.
    assert_eq!(
        reply.json(),
        json!({"integration": {"id": ids::CRM, "name": "Internal CRM", "description": "Reads and updates customers in the internal CRM"}})
    );
    let mut after = stored(&app, "acme", ids::CRM).await;
    assert!(after["updatedAt"].as_str() > before["updatedAt"].as_str());
    let mut expected = before.clone();
    expected["iconUrl"] = json!("https://cdn.example.com/new.svg");
    expected["color"] = json!("#fff");
    for record in [&mut after, &mut expected] {
        record
            .as_object_mut()
            .expect("object")
            .shift_remove("updatedAt");
    }
    assert_eq!(after, expected);
}

#[tokio::test]
async fn an_empty_body_is_a_no_op_that_answers_200() {
    let app = spawn_app().await;
    let before = stored(&app, "acme", ids::STATUS_PAGE).await;
    let reply = patch(&app, ids::STATUS_PAGE, keys::ACME_FULL, &json!({})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.json(),
        json!({"integration": {"id": ids::STATUS_PAGE, "name": "Status Page", "description": ""}})
    );
    let after = stored(&app, "acme", ids::STATUS_PAGE).await;
    assert_eq!(after["name"], before["name"]);
    assert!(after["updatedAt"].as_str() > before["updatedAt"].as_str());
}

#[tokio::test]
async fn unknown_keys_are_ignored() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::TICKETING,
        keys::ACME_FULL,
        &json!({"authType": "NONE", "id": ids::MISSING, "actions": [], "name": "Tickets"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["integration"]["id"], ids::TICKETING);
    assert_patch_answer_keys(&reply.json());
    let read = get(&app, ids::TICKETING, keys::ACME_FULL).await.json();
    assert_eq!(read["integration"]["name"], "Tickets");
    assert_eq!(read["integration"]["authType"], "OAUTH");
    assert_eq!(
        read["integration"]["actions"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn an_upper_case_id_finds_the_integration() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        &ids::CRM.to_uppercase(),
        keys::ACME_FULL,
        &json!({"name": "Upper"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["integration"]["id"], ids::CRM);
    assert_patch_answer_keys(&reply.json());
}

#[tokio::test]
async fn the_dedicated_deployment_and_langdock_prefixes_serve_the_same_records() {
    let app = spawn_app().await;
    for (prefix, name) in [
        ("/api/public", "Via api/public"),
        ("/langdock", "Via langdock"),
    ] {
        let body = serde_json::to_vec(&json!({"name": name})).expect("JSON");
        let reply = patch_raw(
            &app,
            &format!("{prefix}/integrations/v1/{}", ids::CRM),
            keys::ACME_FULL,
            &body,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{prefix}");
        assert_eq!(
            get(&app, ids::CRM, keys::ACME_FULL).await.json()["integration"]["name"],
            name
        );
    }
}

#[tokio::test]
async fn the_upper_limits_are_inclusive() {
    let app = spawn_app().await;
    let name = "n".repeat(40);
    let description = "d".repeat(90);
    let reply = patch(
        &app,
        ids::CRM,
        keys::ACME_FULL,
        &json!({"name": name, "description": description}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["integration"]["name"], name);
}

#[tokio::test]
async fn an_update_survives_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let reply = patch(
        &app,
        ids::CRM,
        keys::ACME_FULL,
        &json!({"name": "Persisted", "color": "#123"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let before = stored(&app, "acme", ids::CRM).await;
    let dir = app.stop().await;

    let app = spawn_app_on(&db).await;
    assert_eq!(
        get(&app, ids::CRM, keys::ACME_FULL).await.json()["integration"]["name"],
        "Persisted"
    );
    assert_eq!(stored(&app, "acme", ids::CRM).await, before);
    app.stop().await;
    drop(dir);
}

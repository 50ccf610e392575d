//! PATCH semantics: the documented 200 envelope, `data` replaced whole, the api_key returned in
//! clear, both prefixes, persistence. Facts: VENDORS.md §5 and §8 "Puretalk".

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

/// `2025-01-06T09:00:00Z` or `2025-01-06T09:00:00.250000Z`: Django REST framework's datetimes
/// (UTC, microseconds only when there are any).
fn is_drf_datetime(text: &str) -> bool {
    use chrono::SecondsFormat::{Micros, Secs};
    chrono::DateTime::parse_from_rfc3339(text).is_ok_and(|stamp| {
        let utc = stamp.with_timezone(&chrono::Utc);
        [Secs, Micros]
            .into_iter()
            .any(|format| utc.to_rfc3339_opts(format, true) == text)
    })
}

#[tokio::test]
async fn a_patch_answers_the_documented_envelope_with_the_new_data() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::HUBSPOT,
        keys::ACME,
        &api_key_body("123e4567-e89b-12d3-a456-426614174000"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let mut body = reply.json();
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["msg", "err", "results"]);
    let result_keys: Vec<String> = body["results"]
        .as_object()
        .expect("results")
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        result_keys,
        [
            "integration_id",
            "app_name",
            "friendly_app_name",
            "logo",
            "data",
            "tools",
            "is_custom_tool",
            "created_at",
            "updated_at"
        ]
    );
    let updated_at = body["results"]["updated_at"]
        .as_str()
        .expect("updated_at")
        .to_string();
    assert!(is_drf_datetime(&updated_at), "{updated_at}");
    assert!(updated_at.as_str() > "2025-01-06T09:00:00Z");
    body["results"]
        .as_object_mut()
        .expect("results")
        .shift_remove("updated_at");
    assert_eq!(
        body,
        json!({"msg": "Integration updated successfully", "err": false, "results": {
            "integration_id": ids::HUBSPOT,
            "app_name": "hubspot",
            "friendly_app_name": "HubSpot",
            "logo": "https://cdn.puretalk.ai/ruth-connect/logos/hubspot.png",
            "data": {"api_key": "123e4567-e89b-12d3-a456-426614174000"},
            "tools": ["create_contact", "update_deal", "log_call"],
            "is_custom_tool": false,
            "created_at": "2025-01-06T09:00:00Z",
        }})
    );
}

#[tokio::test]
async fn data_is_replaced_whole_and_nothing_else_changes() {
    let app = spawn_app().await;
    let before = stored(&app, "acme", ids::ORDERS).await;
    let reply = patch(
        &app,
        ids::ORDERS,
        keys::ACME,
        &json!({"data": {"api_key": "  rotated  ", "region": "eu"}, "app_name": "renamed", "tools": []}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    // Whitespace is trimmed, as DRF's CharField does; keys beside api_key are not kept.
    assert_eq!(
        reply.json()["results"]["data"],
        json!({"api_key": "rotated"})
    );
    let mut after = stored(&app, "acme", ids::ORDERS).await;
    let mut expected = before.clone();
    expected["data"] = json!({"api_key": "rotated"});
    for record in [&mut after, &mut expected] {
        record
            .as_object_mut()
            .expect("object")
            .shift_remove("updated_at");
    }
    assert_eq!(after, expected);
}

#[tokio::test]
async fn every_patch_moves_updated_at_forward() {
    let app = spawn_app().await;
    let first = patch(&app, ids::CALENDLY, keys::ACME, &api_key_body("a"))
        .await
        .json();
    let second = patch(&app, ids::CALENDLY, keys::ACME, &api_key_body("a"))
        .await
        .json();
    assert!(second["results"]["updated_at"].as_str() > first["results"]["updated_at"].as_str());
    assert_eq!(
        first["results"]["created_at"],
        "2025-02-10T14:30:00.250000Z"
    );
}

#[tokio::test]
async fn the_puretalk_prefix_serves_the_same_records() {
    let app = spawn_app().await;
    let body = serde_json::to_vec(&api_key_body("via-prefix")).expect("JSON");
    let reply = patch_raw(
        &app,
        &format!("/puretalk{}", path(ids::HUBSPOT)),
        keys::ACME,
        &body,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        get(&app, ids::HUBSPOT, keys::ACME).await.json()["results"]["data"]["api_key"],
        "via-prefix"
    );
}

#[tokio::test]
async fn an_upper_case_id_finds_the_integration() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        &ids::HUBSPOT.to_uppercase(),
        keys::ACME,
        &api_key_body("upper"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["results"]["integration_id"], ids::HUBSPOT);
}

#[tokio::test]
async fn an_update_survives_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    assert_eq!(
        patch(&app, ids::HUBSPOT, keys::ACME, &api_key_body("persisted"))
            .await
            .status,
        StatusCode::OK
    );
    let before = get(&app, ids::HUBSPOT, keys::ACME).await.json();
    let dir = app.stop().await;

    let app = spawn_app_on(&db).await;
    assert_eq!(get(&app, ids::HUBSPOT, keys::ACME).await.json(), before);
    app.stop().await;
    drop(dir);
}

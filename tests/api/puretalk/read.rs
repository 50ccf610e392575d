//! GET in the `RuthConnectIntegration` shape, the fixture record read back as written.
//! Facts: specs/puretalk.md (`IntegrationsResponse`, whose example msg GET uses).

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn get_answers_the_fixture_record_in_the_documented_shape() {
    let app = spawn_app().await;
    for id in [ids::HUBSPOT, ids::CALENDLY, ids::ORDERS] {
        let reply = get(&app, id, keys::ACME).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let mut results = fixture(id);
        results
            .as_object_mut()
            .expect("object")
            .shift_remove("tenant");
        assert_eq!(
            reply.json(),
            json!({"msg": "Integrations retrieved successfully", "err": false, "results": results})
        );
    }
}

#[tokio::test]
async fn the_api_key_is_returned_in_clear_as_the_schema_shows() {
    let app = spawn_app().await;
    let reply = get(&app, ids::HUBSPOT, keys::ACME).await;
    assert_eq!(
        reply.json()["results"]["data"]["api_key"],
        "pat-na1-demo-hubspot-key-0001"
    );
}

#[tokio::test]
async fn a_patch_reads_back() {
    let app = spawn_app().await;
    let updated = patch(&app, ids::CALENDLY, keys::ACME, &api_key_body("new-token"))
        .await
        .json();
    let read = get(&app, ids::CALENDLY, keys::ACME).await.json();
    assert_eq!(read["results"], updated["results"]);
    assert_eq!(read["results"]["data"], json!({"api_key": "new-token"}));
}

#[tokio::test]
async fn unknown_and_non_uuid_ids_are_a_404() {
    let app = spawn_app().await;
    for id in [
        ids::MISSING,
        "not-a-uuid",
        "12345",
        "123e4567e89b12d3a456426614174000",
    ] {
        assert_error(
            &get(&app, id, keys::ACME).await,
            404,
            "Integration not found",
        );
        assert_error(
            &patch(&app, id, keys::ACME, &api_key_body("x")).await,
            404,
            "Integration not found",
        );
    }
}

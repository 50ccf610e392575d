//! GET in the documented shape: `{integration:{id, name, description, authType, authTestCode,
//! authFields, oauthClient, actions, triggers}}`, OAuth client secrets never shown.
//! Facts: VENDORS.md §4 ("Get returns ...") and the Langdock docs' note that OAuth credentials are write-only.

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn fixture(id: &str) -> Value {
    let text = std::fs::read_to_string(patchbay_tests::repo_root().join("fixtures/langdock.json"))
        .expect("fixture file");
    let document: Value = serde_json::from_str(&text).expect("fixture JSON");
    document["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|record| record["id"] == id)
        .cloned()
        .expect("fixture record")
}

#[tokio::test]
async fn get_answers_the_documented_shape_in_its_key_order() {
    let app = spawn_app().await;
    let reply = get(&app, ids::CRM, keys::ACME_FULL).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    let keys: Vec<&String> = body["integration"]
        .as_object()
        .expect("integration")
        .keys()
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "description",
            "authType",
            "authTestCode",
            "authFields",
            "oauthClient",
            "actions",
            "triggers"
        ]
    );
    let record = fixture(ids::CRM);
    let mut expected = json!({});
    for key in keys {
        expected[key] = record[key].clone();
    }
    assert_eq!(body, json!({"integration": expected}));
}

#[tokio::test]
async fn the_oauth_client_secret_is_never_returned() {
    let app = spawn_app().await;
    let reply = get(&app, ids::TICKETING, keys::ACME_FULL).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        !reply.text.contains("demo-ticketing-client-secret"),
        "{}",
        reply.text
    );
    assert_eq!(
        reply.json()["integration"]["oauthClient"],
        json!({"clientId": "acme-ticketing-client", "authUrl": "https://tickets.example.com/oauth/authorize",
               "tokenUrl": "https://tickets.example.com/oauth/token", "scopes": "tickets:read tickets:write", "label": "Connect Ticketing"})
    );
    // The admin view keeps it, and a PATCH leaves it in place.
    assert_eq!(
        patch(&app, ids::TICKETING, keys::ACME_FULL, &json!({"name": "T"}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        stored(&app, "acme", ids::TICKETING).await["oauthClient"]["clientSecret"],
        "demo-ticketing-client-secret"
    );
}

#[tokio::test]
async fn a_patch_reads_back() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::STATUS_PAGE,
        keys::ACME_FULL,
        &json!({"description": "Now described"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let read = get(&app, ids::STATUS_PAGE, keys::ACME_FULL).await.json();
    assert_eq!(read["integration"]["name"], "Status Page");
    assert_eq!(read["integration"]["description"], "Now described");
    assert_eq!(read["integration"]["authType"], "NONE");
}

#[tokio::test]
async fn an_unknown_integration_is_a_404() {
    let app = spawn_app().await;
    assert_error(
        &get(&app, ids::MISSING, keys::ACME_FULL).await,
        404,
        "Integration not found",
    );
    let reply = patch(&app, ids::MISSING, keys::ACME_FULL, &json!({"name": "x"})).await;
    assert_error(&reply, 404, "Integration not found");
}

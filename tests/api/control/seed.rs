use super::control;
use crate::helpers::spawn_app;
use crate::nango;
use reqwest::Method;
use serde_json::json;

const SEEDED_KEY: &str = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

fn seeded_record() -> serde_json::Value {
    json!({
        "tenant": "qa",
        "unique_key": "seeded-github",
        "provider": "github",
        "display_name": "Seeded",
        "created_at": "2025-03-01T10:00:00Z",
        "updated_at": "2025-03-01T10:00:00Z",
        "credentials": {"type": "OAUTH2", "client_id": "cid", "client_secret": "csecret", "scopes": "repo"}
    })
}

#[tokio::test]
async fn seeded_keys_and_records_are_served_by_the_vendor_api() {
    let app = spawn_app().await;
    let body = json!({"nango": {"keys": [{"key": SEEDED_KEY, "tenant": "qa"}], "records": [seeded_record()]}});
    let reply = control(&app, Method::POST, "/_patchbay/seed", Some(&body)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json(),
        json!({"seeded": {"nango": {"keys": 1, "records": 1}}})
    );
    let read = nango::get_path(&app, "/integrations/seeded-github", SEEDED_KEY).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.json()["data"]["display_name"], "Seeded");
    // Seeding again replaces the record of the same tenant and id.
    let mut again = seeded_record();
    again["display_name"] = json!("Seeded twice");
    let body = json!({"nango": {"records": [again]}});
    assert_eq!(
        control(&app, Method::POST, "/_patchbay/seed", Some(&body))
            .await
            .status,
        200
    );
    let read = nango::get_path(&app, "/integrations/seeded-github", SEEDED_KEY).await;
    assert_eq!(read.json()["data"]["display_name"], "Seeded twice");
}

#[tokio::test]
async fn a_malformed_seed_names_the_json_path_and_changes_nothing() {
    let app = spawn_app().await;
    let before = control(&app, Method::GET, "/_patchbay/state/nango", None)
        .await
        .json();
    let mut broken = seeded_record();
    broken["display_name"] = json!(42);
    for (body, needle) in [
        (
            json!({"nango": {"keys": [{"key": SEEDED_KEY, "tenant": "qa"}], "records": [seeded_record(), broken]}}),
            "$.nango.records[1].display_name",
        ),
        (
            json!({"nango": {"records": [seeded_record()]}, "acme": {}}),
            "$.acme: unknown vendor",
        ),
        (json!({"nango": {"recs": []}}), "$.nango.recs"),
        (json!({"nango": []}), "$.nango"),
        (json!({}), "names no vendor"),
    ] {
        let reply = control(&app, Method::POST, "/_patchbay/seed", Some(&body)).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        let message = reply.json()["error"]["message"]
            .as_str()
            .expect("message")
            .to_string();
        assert!(message.contains(needle), "{message} should name {needle}");
    }
    let after = control(&app, Method::GET, "/_patchbay/state/nango", None)
        .await
        .json();
    assert_eq!(before, after, "nothing was stored");
    let reply = nango::get_path(&app, "/integrations/seeded-github", SEEDED_KEY).await;
    assert_eq!(reply.status, 401);
}

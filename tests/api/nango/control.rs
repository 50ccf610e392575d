//! Created and deleted integrations under patchbay's control plane like any other record: open-key
//! tenants, reset, seed, the state view and the journal; and an acknowledged create or delete
//! survives a restart.

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn control(app: &TestApp, method: Method, path: &str, body: Option<&Value>) -> Reply {
    let body = body.map(|body| serde_json::to_vec(body).expect("JSON"));
    app.send(method, path, &[("content-type", "application/json")], body)
        .await
}

fn unique_keys(records: &Value) -> Vec<String> {
    let mut keys: Vec<String> = records
        .as_array()
        .expect("records")
        .iter()
        .map(|record| record["unique_key"].as_str().expect("a key").to_string())
        .collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn an_open_key_creates_lists_and_deletes_in_its_own_tenant_only() {
    let app = spawn_app_with(|settings| settings.control.open_keys = true).await;
    let open = uuid::Uuid::new_v4().to_string();
    let dev_before = tenant_state(&app, "dev").await;
    // Its tenant starts as a copy of dev's, so the list is dev's.
    assert_eq!(
        listed_keys(&list(&app, &open).await),
        listed_keys(&list(&app, keys::DEV_FULL).await)
    );
    // An open key gets `environment:*`: create and delete too.
    let reply = create(
        &app,
        &open,
        &json!({"provider": "algolia", "unique_key": "open-only"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(delete(&app, "github", &open).await.status, StatusCode::OK);
    let listed = listed_keys(&list(&app, &open).await);
    assert!(listed.contains(&"open-only".to_string()));
    assert!(!listed.contains(&"github".to_string()));
    assert_eq!(
        tenant_state(&app, "dev").await,
        dev_before,
        "dev is untouched"
    );
    assert_eq!(
        get_path(&app, "/integrations/open-only", keys::DEV_FULL)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Another open key gets a fresh copy, without either change.
    let other = uuid::Uuid::new_v4().to_string();
    assert_eq!(
        listed_keys(&list(&app, &other).await),
        listed_keys(&list(&app, keys::DEV_FULL).await)
    );
}

#[tokio::test]
async fn reset_removes_created_integrations_and_restores_deleted_ones() {
    let app = spawn_app().await;
    let dev_before = tenant_state(&app, "dev").await;
    let prod_before = tenant_state(&app, "prod").await;
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "algolia", "unique_key": "temporary"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        delete(&app, "github", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    assert_eq!(
        delete(&app, "hubspot", keys::PROD_UPDATE).await.status,
        StatusCode::OK
    );
    let reply = control(
        &app,
        Method::POST,
        "/_patchbay/reset",
        Some(&json!({"vendor": "nango", "tenant": "dev"})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(tenant_state(&app, "dev").await, dev_before);
    assert_eq!(
        get_path(&app, "/integrations/temporary", keys::DEV_FULL)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_path(&app, "/integrations/github", keys::DEV_FULL)
            .await
            .json()["data"]["created_at"],
        "2025-01-06T09:00:00.000Z",
        "the fixture's github, read back through the cache"
    );
    // prod was not reset: its deletion stands until a reset of everything.
    assert_eq!(stored(&app, "prod", "hubspot").await, Value::Null);
    let reply = control(&app, Method::POST, "/_patchbay/reset", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(tenant_state(&app, "prod").await, prod_before);
    // A key deleted and restored may not be created again: it exists.
    let reply = create(
        &app,
        keys::PROD_UPDATE,
        &json!({"provider": "hubspot", "unique_key": "hubspot", "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn seeded_integrations_are_listed_deleted_and_created_again_like_any_other() {
    let app = spawn_app().await;
    let key = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6e";
    let seed = json!({"nango": {
        "keys": [{"key": key, "tenant": "qa"}],
        "records": [
            {"tenant": "qa", "unique_key": "seeded-slack", "provider": "slack", "created_at": "2025-05-01T00:00:00Z",
             "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s"}},
            {"tenant": "qa", "unique_key": "seeded-algolia", "provider": "algolia", "created_at": "2025-05-02T00:00:00Z"},
        ],
    }});
    let reply = control(&app, Method::POST, "/_patchbay/seed", Some(&seed)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        listed_keys(&list(&app, key).await),
        ["seeded-algolia", "seeded-slack"]
    );
    assert_eq!(
        delete(&app, "seeded-slack", key).await.status,
        StatusCode::OK
    );
    let reply = create(
        &app,
        key,
        &json!({"provider": "slack", "unique_key": "seeded-slack", "credentials": {"type": "OAUTH2", "client_id": "c2", "client_secret": "s2"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        listed_keys(&list(&app, key).await),
        ["seeded-algolia", "seeded-slack"]
    );
    // Seeding again replaces what the tenant's create made.
    let reply = control(&app, Method::POST, "/_patchbay/seed", Some(&seed)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        stored(&app, "qa", "seeded-slack").await["credentials"]["client_id"],
        "c"
    );
}

#[tokio::test]
async fn the_state_view_shows_created_integrations_with_their_secrets_and_drops_deleted_ones() {
    let app = spawn_app().await;
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "github", "unique_key": "gh-state", "display_name": "State", "forward_webhooks": false,
                "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "state-secret", "webhook_secret": "w"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let created_at = reply.json()["data"]["created_at"].clone();
    assert_eq!(
        delete(&app, "stripe", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    // The admin view is the fixture format, secrets included, so it can be seeded back.
    assert_eq!(
        stored(&app, "dev", "gh-state").await,
        json!({
            "tenant": "dev", "unique_key": "gh-state", "provider": "github", "display_name": "State",
            "forward_webhooks": false, "custom": {"webhookSecret": "w"}, "connection_count": 0,
            "created_at": created_at, "updated_at": created_at,
            "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "state-secret", "scopes": null, "webhook_secret": "w"},
        })
    );
    assert_eq!(stored(&app, "dev", "stripe").await, Value::Null);
    let listed: Vec<String> = listed_keys(&list(&app, keys::DEV_FULL).await);
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, unique_keys(&tenant_state(&app, "dev").await));
}

#[tokio::test]
async fn the_journal_records_creates_lists_and_deletes_with_secrets_masked() {
    let app = spawn_app().await;
    let body = json!({"provider": "github", "unique_key": "journaled",
                      "credentials": {"type": "OAUTH2", "client_id": "visible-id", "client_secret": "hidden-secret-value-4321"}});
    assert_eq!(
        create(&app, keys::DEV_FULL, &body).await.status,
        StatusCode::OK
    );
    assert_eq!(
        create(&app, keys::DEV_FULL, &body).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(list(&app, keys::DEV_FULL).await.status, StatusCode::OK);
    assert_eq!(
        delete(&app, "journaled", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    assert_eq!(
        delete(&app, "journaled", keys::DEV_FULL).await.status,
        StatusCode::NOT_FOUND
    );
    let reply = control(&app, Method::GET, "/_patchbay/requests?vendor=nango", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        !reply.text.contains("hidden-secret-value"),
        "{}",
        reply.text
    );
    let entries = reply.json()["requests"]
        .as_array()
        .cloned()
        .expect("requests");
    let seen: Vec<(String, String, u64, Value)> = entries
        .iter()
        .map(|entry| {
            (
                entry["method"].as_str().expect("method").to_string(),
                entry["path"].as_str().expect("path").to_string(),
                entry["status"].as_u64().expect("status"),
                entry["error_code"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("POST".into(), "/integrations".into(), 200, Value::Null),
            (
                "POST".into(),
                "/integrations".into(),
                400,
                json!("invalid_body")
            ),
            ("GET".into(), "/integrations".into(), 200, Value::Null),
            (
                "DELETE".into(),
                "/integrations/journaled".into(),
                200,
                Value::Null
            ),
            (
                "DELETE".into(),
                "/integrations/journaled".into(),
                404,
                json!("not_found")
            ),
        ]
    );
    assert!(entries.iter().all(|entry| entry["tenant"] == "dev"));
    assert_eq!(
        entries[0]["body"]["credentials"]["client_secret"],
        "****4321"
    );
    assert_eq!(entries[0]["body"]["credentials"]["client_id"], "visible-id");
}

#[tokio::test]
async fn acknowledged_creates_and_deletes_survive_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "algolia", "unique_key": "durable", "display_name": "Durable"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let created = reply.json()["data"].clone();
    assert_eq!(
        delete(&app, "linear", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    let listed = list(&app, keys::DEV_FULL).await.text;
    // Logos are absolute: the restarted server listens on another port.
    let portless = |app: &TestApp, text: &str| -> Value {
        serde_json::from_str(&text.replace(&app.address, "http://[patchbay]")).expect("JSON")
    };
    let created = portless(&app, &created.to_string());
    let listed = portless(&app, &listed);
    let dir = app.stop().await;

    // The fixtures are not loaded over a database that holds Nango's data.
    let app = spawn_app_on(&db).await;
    let read = get_path(&app, "/integrations/durable", keys::DEV_FULL).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(portless(&app, &read.text)["data"], created);
    assert_eq!(
        get_path(&app, "/integrations/linear", keys::DEV_FULL)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        portless(&app, &list(&app, keys::DEV_FULL).await.text),
        listed
    );
    // A key deleted before the restart can be created after it, and the other way round.
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "linear", "unique_key": "linear", "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        delete(&app, "durable", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    app.stop().await;
    drop(dir);
}

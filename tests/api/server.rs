//! Server-wide behaviour: health, the version header, unknown routes, persistence, fixtures.

use crate::helpers::*;
use crate::nango;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn health_answers_with_the_version_header() {
    let app = spawn_app().await;
    let reply = app.send(Method::GET, "/_patchbay/health", &[], None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.json(),
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
    assert_eq!(
        reply.header("x-patchbay-version"),
        Some(env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
async fn a_path_of_no_vendor_is_a_json_404() {
    let app = spawn_app().await;
    let reply = app.send(Method::GET, "/nothing/here", &[], None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        json!({"error": {"message": "no route GET /nothing/here"}})
    );
    assert_eq!(
        reply.header("x-patchbay-version"),
        Some(env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
async fn the_state_view_lists_keys_and_records_of_one_tenant() {
    let app = spawn_app().await;
    let body = app
        .send(Method::GET, "/_patchbay/state/nango?tenant=prod", &[], None)
        .await
        .json();
    assert_eq!(body["vendor"], "nango");
    let records: Vec<&str> = body["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["unique_key"].as_str())
        .collect();
    // prod is the 50-integration environment, its first two records as before.
    assert_eq!(records.len(), 50);
    assert_eq!(records[..2], ["github", "hubspot"]);
    assert!(body["records"]
        .as_array()
        .expect("records")
        .iter()
        .all(|record| record["tenant"] == "prod"));
    assert_eq!(body["keys"].as_array().map(Vec::len), Some(2));
    let reply = app
        .send(Method::GET, "/_patchbay/state/unknown", &[], None)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn state_survives_a_restart_and_fixtures_do_not_overwrite_it() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let reply = nango::patch(
        &app,
        "github",
        nango::keys::DEV_FULL,
        &json!({"display_name": "persisted", "unique_key": "github-2"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let updated_at = reply.json()["data"]["updated_at"].clone();
    let dir = app.stop().await;

    let app = spawn_app_on(&db).await;
    let read = nango::get_path(&app, "/integrations/github-2", nango::keys::DEV_FULL).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["data"]["display_name"], "persisted");
    assert_eq!(read.json()["data"]["updated_at"], updated_at);
    assert_eq!(
        nango::get_path(&app, "/integrations/github", nango::keys::DEV_FULL)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
    drop(dir);
}

#[tokio::test]
async fn an_in_memory_database_serves_the_demo_data() {
    let app = spawn_app_with(|settings| settings.store.db = ":memory:".into()).await;
    let reply = nango::patch(
        &app,
        "github",
        nango::keys::DEV_FULL,
        &json!({"display_name": "in memory"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        nango::get_path(&app, "/integrations/github", nango::keys::DEV_FULL)
            .await
            .json()["data"]["display_name"],
        "in memory"
    );
}

//! Server-wide behaviour: health, the version header, unknown routes, persistence, fixtures.

use crate::helpers::TestApp;
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

/// The open keys in the admin view of Nango's state.
async fn nango_open_keys(app: &TestApp) -> Vec<serde_json::Value> {
    let state = app
        .send(Method::GET, "/_patchbay/state/nango", &[], None)
        .await
        .json();
    state["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter(|key| key["label"] == "open key")
        .cloned()
        .collect()
}

fn fresh_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::test]
async fn an_open_key_creates_a_tenant_only_on_a_served_route() {
    let app = spawn_app_with(|settings| settings.control.open_keys = true).await;
    let key = fresh_uuid();
    let reply = nango::get_path(&app, "/integrations/github/no/such/route", &key).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text);
    assert_eq!(nango_open_keys(&app).await, Vec::<serde_json::Value>::new());
    let reply = nango::get_path(&app, "/integrations/github", &key).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(nango_open_keys(&app).await.len(), 1);
}

#[tokio::test]
async fn an_upper_case_copy_of_a_fixture_key_is_refused_as_nango_does() {
    let app = spawn_app_with(|settings| settings.control.open_keys = true).await;
    let copy = nango::keys::DEV_FULL.to_uppercase();
    let reply = nango::get_path(&app, "/integrations/github", &copy).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    assert_eq!(reply.json()["error"]["code"], "unknown_account");
    assert_eq!(nango_open_keys(&app).await, Vec::<serde_json::Value>::new());
}

#[tokio::test]
async fn open_tenants_stop_at_their_count_cap() {
    let app = spawn_app_with(|settings| {
        settings.control.open_keys = true;
        settings.control.open_keys_max = 2;
    })
    .await;
    for _ in 0..2 {
        let reply = nango::get_path(&app, "/integrations/github", &fresh_uuid()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let reply = nango::get_path(&app, "/integrations/github", &fresh_uuid()).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    assert_eq!(nango_open_keys(&app).await.len(), 2);
}

#[tokio::test]
async fn an_idle_open_tenant_expires_and_a_used_one_stays() {
    let app = spawn_app_with(|settings| {
        settings.control.open_keys = true;
        settings.control.open_keys_idle_expiry = 2;
    })
    .await;
    let (idle, busy) = (fresh_uuid(), fresh_uuid());
    for key in [&idle, &busy] {
        let reply = nango::get_path(&app, "/integrations/github", key).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    for _ in 0..6 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let reply = nango::get_path(&app, "/integrations/github", &busy).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let left: Vec<String> = nango_open_keys(&app)
        .await
        .iter()
        .map(|key| key["key"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        left,
        vec![busy],
        "the idle tenant went, the busy one stayed"
    );
}

#[tokio::test]
async fn stalled_chunked_uploads_are_cut_off_and_hold_no_one_up() {
    use std::io::{Read, Write};
    let app = spawn_app_with(|settings| settings.server.body_timeout = 1).await;
    let port = app
        .address
        .rsplit(':')
        .next()
        .and_then(|port| port.parse::<u16>().ok())
        .expect("a port");
    let head = format!(
        "PATCH /integrations/github HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{{\"a\":\r\n",
        nango::keys::DEV_FULL
    );
    // Connected off the runtime, which also drives the server under test.
    let stalled: Vec<std::net::TcpStream> = tokio::task::spawn_blocking(move || {
        (0..200)
            .map(|_| {
                let mut stream =
                    std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
                stream.write_all(head.as_bytes()).expect("head");
                stream
            })
            .collect()
    })
    .await
    .expect("joined");
    // Let the server read every head, so that the uploads are in progress.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    let reply = nango::get_path(&app, "/integrations/github", nango::keys::DEV_FULL).await;
    let took = started.elapsed();
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        took < std::time::Duration::from_millis(100),
        "a normal request took {took:?} beside 200 stalled uploads"
    );
    let closed = tokio::task::spawn_blocking(move || {
        stalled
            .into_iter()
            .filter(|mut stream| {
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
                let mut answer = Vec::new();
                // The connection ends (with or without an answer) rather than timing out.
                stream.read_to_end(&mut answer).is_ok()
            })
            .count()
    })
    .await
    .expect("joined");
    assert_eq!(
        closed, 200,
        "every stalled upload is closed after the deadline"
    );
}

#[tokio::test]
async fn a_damaged_database_stops_the_start_with_its_own_exit_code() {
    let app = spawn_app().await;
    let path = app.db_path.clone();
    let dir = app.stop().await;
    let mut bytes = std::fs::read(&path).expect("read");
    let page = 4096;
    // Every page but the header's: a table page is hit whatever the layout.
    for start in (page..bytes.len()).step_by(page * 2) {
        let end = (start + page).min(bytes.len());
        bytes[start..end].fill(0x5a);
    }
    std::fs::write(&path, bytes).expect("write");
    let overrides = patchbay_server::Overrides {
        bind: Some("127.0.0.1:0".into()),
        db: Some(path.to_string_lossy().to_string()),
        ..patchbay_server::Overrides::default()
    };
    let settings = patchbay_server::Settings::load(None, &overrides).expect("settings");
    match patchbay_server::Application::build(settings).await {
        Ok(_) => panic!("started on a damaged database"),
        Err(error) => {
            assert_eq!(error.exit_code(), 3, "{error}");
            assert!(error.to_string().contains("is damaged"), "{error}");
        }
    }
    drop(dir);
}

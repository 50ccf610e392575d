//! The control plane's memory bounds as a client meets them: the journal's per-entry body cap and
//! its `truncated` mark, no body kept for requests that never authenticated, paged reads, and the
//! byte and count caps of control bodies and fault rules, each refused in the control envelope with
//! the setting named.

use super::{control, journal};
use crate::helpers::{spawn_app, spawn_app_with, Reply, TestApp};
use crate::nango;
use reqwest::Method;
use serde_json::{json, Value};

fn message(reply: &Reply) -> String {
    reply.json()["error"]["message"]
        .as_str()
        .expect("the control API's error envelope")
        .to_string()
}

async fn page(app: &TestApp, query: &str) -> Value {
    let reply = control(
        app,
        Method::GET,
        &format!("/_patchbay/requests?{query}"),
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()
}

fn ids(page: &Value) -> Vec<u64> {
    page["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|entry| entry["id"].as_u64().expect("id"))
        .collect()
}

#[tokio::test]
async fn a_body_over_the_entry_cap_is_left_out_and_marked_truncated() {
    let app = spawn_app_with(|settings| settings.control.journal_entry_bytes = 64).await;
    let small = json!({"display_name": "small"});
    let large = json!({"display_name": "x".repeat(100)});
    for body in [&small, &large] {
        let reply = nango::patch(&app, "github", nango::keys::DEV_FULL, body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let answer = page(&app, "").await;
    assert_eq!(answer["entry_body_bytes"], 64);
    let entries = answer["requests"].as_array().expect("requests");
    assert_eq!(entries[0]["body"], small);
    assert_eq!(entries[0]["truncated"], false);
    assert_eq!(entries[1]["body"], Value::Null);
    assert_eq!(entries[1]["truncated"], true);
    assert_eq!(
        entries[1]["body_bytes"],
        serde_json::to_vec(&large).expect("JSON").len()
    );
}

#[tokio::test]
async fn a_request_that_never_authenticated_keeps_method_path_and_status_but_no_body() {
    let app = spawn_app().await;
    let body = serde_json::to_vec(&json!({"display_name": "never kept"})).expect("JSON");
    let json_type = ("content-type", "application/json");
    let unknown = format!("Bearer {}", nango::keys::UNKNOWN);
    for headers in [
        vec![json_type],
        vec![json_type, ("authorization", &unknown)],
    ] {
        let reply = app
            .send(
                Method::PATCH,
                "/integrations/github",
                &headers,
                Some(body.clone()),
            )
            .await;
        assert_eq!(reply.status, 401, "{}", reply.text);
    }
    let entries = journal(&app, "").await;
    assert_eq!(entries.len(), 2, "{entries:#?}");
    for entry in &entries {
        assert_eq!(entry["method"], "PATCH");
        assert_eq!(entry["path"], "/integrations/github");
        assert_eq!(entry["status"], 401);
        assert_eq!(entry["tenant"], Value::Null);
        assert_eq!(entry["body"], Value::Null);
        assert_eq!(entry["body_bytes"], body.len());
        assert_eq!(entry["truncated"], false);
    }
}

#[tokio::test]
async fn the_journal_is_read_a_page_at_a_time_and_after_walks_every_entry_once() {
    let app = spawn_app().await;
    for _ in 0..105 {
        nango::get_path(&app, "/integrations/github", nango::keys::DEV_FULL).await;
    }
    // No `limit`: the newest 100, and nothing newer to follow.
    let newest = page(&app, "").await;
    assert_eq!(ids(&newest), (6..=105).collect::<Vec<_>>());
    assert_eq!(newest["next_after"], Value::Null);
    assert_eq!(newest["stored"], 105);
    // From the oldest, 40 at a time, each page pointing at the next.
    let mut seen = Vec::new();
    let mut after = 0;
    let mut pages = 0;
    loop {
        let answer = page(&app, &format!("after={after}&limit=40")).await;
        seen.extend(ids(&answer));
        pages += 1;
        match answer["next_after"].as_u64() {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, (1..=105).collect::<Vec<_>>());
    let reply = control(&app, Method::GET, "/_patchbay/requests?limit=1001", None).await;
    assert_eq!(reply.status, 400);
    assert!(message(&reply).contains("at most 1000"), "{}", reply.text);
    assert_eq!(ids(&page(&app, "limit=1000").await).len(), 105);
}

#[tokio::test]
async fn control_bodies_over_their_caps_get_413_naming_the_setting() {
    let app = spawn_app_with(|settings| {
        settings.control.control_body_bytes = 1_000;
        settings.control.seed_bytes = 2_000;
    })
    .await;
    let padded = |size: usize| {
        let mut body = b"{}".to_vec();
        body.resize(size, b' ');
        body
    };
    for (path, size, setting) in [
        ("/_patchbay/faults", 1_001, "control.control_body_bytes"),
        ("/_patchbay/reset", 1_001, "control.control_body_bytes"),
        ("/_patchbay/seed", 2_001, "control.seed_bytes"),
    ] {
        let reply = app
            .send(
                Method::POST,
                path,
                &[("content-type", "application/json")],
                Some(padded(size)),
            )
            .await;
        assert_eq!(reply.status, 413, "{path}: {}", reply.text);
        assert!(message(&reply).contains(setting), "{path}: {}", reply.text);
    }
    // A body without a length is stopped as its bytes pass the cap.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(padded(600)), Ok(padded(600))];
    let reply = app
        .client
        .post(app.url("/_patchbay/faults"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("a response");
    assert_eq!(reply.status(), 413);
    // Under the caps, the same routes answer as before.
    let reply = app
        .send(
            Method::POST,
            "/_patchbay/reset",
            &[("content-type", "application/json")],
            Some(padded(1_000)),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn fault_rules_stop_at_their_count_with_413_naming_the_setting() {
    let app = spawn_app_with(|settings| settings.control.fault_rules = 2).await;
    let rule = json!({"kind": "drop", "path": "/never"});
    let reply = control(
        &app,
        Method::POST,
        "/_patchbay/faults",
        Some(&json!([rule, rule])),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let reply = control(&app, Method::POST, "/_patchbay/faults", Some(&rule)).await;
    assert_eq!(reply.status, 413, "{}", reply.text);
    let text = message(&reply);
    assert!(text.contains("at most 2 rules"), "{text}");
    assert!(text.contains("control.fault_rules"), "{text}");
    let listed = control(&app, Method::GET, "/_patchbay/faults", None).await;
    assert_eq!(listed.json()["faults"].as_array().map(Vec::len), Some(2));
}

use super::{control, journal};
use crate::helpers::{spawn_app, spawn_app_with};
use crate::nango;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn every_vendor_request_is_recorded_with_status_tenant_and_vendor_code() {
    let app = spawn_app().await;
    let body = json!({"display_name": "Journal"});
    assert_eq!(
        nango::patch(&app, "github", nango::keys::DEV_FULL, &body)
            .await
            .status,
        200
    );
    assert_eq!(
        nango::get_path(&app, "/integrations/missing", nango::keys::DEV_FULL)
            .await
            .status,
        404
    );
    assert_eq!(
        nango::get_path(&app, "/integrations/github?include=webhook", "not-a-key")
            .await
            .status,
        401
    );
    // Control and unknown routes are not vendor traffic.
    control(&app, Method::GET, "/_patchbay/health", None).await;
    app.send(Method::GET, "/nowhere", &[], None).await;

    let entries = journal(&app, "").await;
    assert_eq!(entries.len(), 3, "{entries:#?}");
    let first = &entries[0];
    assert_eq!(first["vendor"], "nango");
    assert_eq!(first["tenant"], "dev");
    assert_eq!(first["method"], "PATCH");
    assert_eq!(first["path"], "/integrations/github");
    assert_eq!(first["status"], 200);
    assert_eq!(first["error_code"], serde_json::Value::Null);
    assert_eq!(first["body"], body);
    assert!(first["duration_ms"].as_f64().is_some());
    assert_eq!(entries[1]["status"], 404);
    assert_eq!(entries[1]["error_code"], "not_found");
    assert_eq!(entries[2]["status"], 401);
    assert_eq!(entries[2]["tenant"], serde_json::Value::Null);
    assert_eq!(entries[2]["error_code"], "invalid_secret_key_format");
    assert_eq!(entries[2]["query"], "include=webhook");
    assert!(entries
        .windows(2)
        .all(|pair| pair[0]["id"].as_u64() < pair[1]["id"].as_u64()));
}

#[tokio::test]
async fn the_journal_filters_by_vendor_tenant_method_path_status_and_time() {
    let app = spawn_app().await;
    let start = chrono::Utc::now().to_rfc3339();
    nango::patch(&app, "github", nango::keys::DEV_FULL, &json!({})).await;
    nango::patch(&app, "github", nango::keys::PROD_UPDATE, &json!({})).await;
    nango::get_path(&app, "/integrations/slack-prod", nango::keys::DEV_FULL).await;
    nango::get_path(&app, "/integrations/missing", nango::keys::DEV_FULL).await;
    let count = |query: &'static str| {
        let app = &app;
        async move { journal(app, query).await.len() }
    };
    assert_eq!(count("vendor=nango").await, 4);
    assert_eq!(count("tenant=prod").await, 1);
    assert_eq!(count("method=GET").await, 2);
    assert_eq!(count("path=/integrations/git*").await, 2);
    assert_eq!(count("status=4xx").await, 1);
    assert_eq!(count("status=200&tenant=dev").await, 2);
    assert_eq!(count("limit=1").await, 1);
    assert_eq!(
        journal(&app, &format!("key={}", nango::keys::PROD_UPDATE))
            .await
            .len(),
        1
    );
    assert_eq!(
        journal(&app, &format!("since={}", urlencode(&start)))
            .await
            .len(),
        4
    );
    let last = journal(&app, "limit=1").await[0]["id"]
        .as_u64()
        .expect("id");
    assert_eq!(journal(&app, &format!("after={last}")).await.len(), 0);
    for (query, needle) in [
        ("status=abc", "`status`"),
        ("since=yesterday", "`since`"),
        ("vendor=acme", "`vendor`"),
        ("colour=red", "unknown query parameter `colour`"),
    ] {
        let reply = control(
            &app,
            Method::GET,
            &format!("/_patchbay/requests?{query}"),
            None,
        )
        .await;
        assert_eq!(reply.status, 400, "{query}");
        assert!(
            reply.json()["error"]["message"]
                .as_str()
                .expect("message")
                .contains(needle),
            "{query}"
        );
    }
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn secrets_in_journaled_bodies_are_masked() {
    let app = spawn_app().await;
    let body = json!({"credentials": {"type": "OAUTH2", "client_id": "visible-id", "client_secret": "hidden-secret-value-9876"}});
    let reply = nango::patch(&app, "github", nango::keys::DEV_FULL, &body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = control(&app, Method::GET, "/_patchbay/requests", None).await;
    assert!(
        !reply.text.contains("hidden-secret-value"),
        "{}",
        reply.text
    );
    let entry = &reply.json()["requests"][0];
    assert_eq!(entry["body"]["credentials"]["client_id"], "visible-id");
    assert_eq!(entry["body"]["credentials"]["client_secret"], "****9876");
    // A body that is not JSON cannot be masked reliably: it is never shown.
    app.send(
        Method::PATCH,
        "/integrations/github",
        &[
            (
                "authorization",
                &format!("Bearer {}", nango::keys::DEV_FULL),
            ),
            ("content-type", "application/json"),
        ],
        Some(b"{\"client_secret\": \"hidden-secret-value".to_vec()),
    )
    .await;
    let reply = control(&app, Method::GET, "/_patchbay/requests", None).await;
    assert!(
        !reply.text.contains("hidden-secret-value"),
        "{}",
        reply.text
    );
    let entry = &reply.json()["requests"][1];
    assert_eq!(entry["status"], 400);
    assert_eq!(entry["body"], serde_json::Value::Null);
    assert_eq!(entry["body_bytes"], 38);
}

#[tokio::test]
async fn the_journal_keeps_within_its_cap_and_can_be_cleared() {
    let app = spawn_app_with(|settings| settings.control.journal_capacity = 3).await;
    for _ in 0..5 {
        nango::get_path(&app, "/integrations/github", nango::keys::DEV_FULL).await;
    }
    let reply = control(&app, Method::GET, "/_patchbay/requests", None)
        .await
        .json();
    assert_eq!(reply["capacity"], 3);
    assert_eq!(reply["stored"], 3);
    assert_eq!(reply["dropped"], 2);
    let ids: Vec<u64> = reply["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|entry| entry["id"].as_u64().expect("id"))
        .collect();
    assert_eq!(ids, [3, 4, 5], "the oldest made room");
    let cleared = control(&app, Method::DELETE, "/_patchbay/requests", None).await;
    assert_eq!(cleared.json(), json!({"cleared": 3}));
    assert!(journal(&app, "").await.is_empty());
}

#[tokio::test]
async fn a_journal_of_capacity_zero_records_nothing_and_changes_no_answer() {
    let app = spawn_app_with(|settings| settings.control.journal_capacity = 0).await;
    let reply = nango::patch(
        &app,
        "github",
        nango::keys::DEV_FULL,
        &json!({"display_name": "x"}),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["display_name"], "x");
    assert!(journal(&app, "").await.is_empty());
}

#[tokio::test]
async fn an_oversized_body_is_journaled_without_its_bytes() {
    let app = spawn_app().await;
    let huge = format!("{{\"display_name\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let reply = app
        .send(
            Method::PATCH,
            "/integrations/github",
            &[
                (
                    "authorization",
                    &format!("Bearer {}", nango::keys::DEV_FULL),
                ),
                ("content-type", "application/json"),
            ],
            Some(huge.into_bytes()),
        )
        .await;
    assert_eq!(reply.status, 413);
    let entry = &journal(&app, "").await[0];
    assert_eq!(entry["status"], 413);
    assert_eq!(entry["error_code"], "payload_too_large");
    assert_eq!(entry["body"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_chunked_body_is_journaled_whole() {
    let app = spawn_app().await;
    let chunks: Vec<Result<&'static str, std::io::Error>> =
        vec![Ok("{\"display_name\":"), Ok("\"in two chunks\"}")];
    let reply = app
        .client
        .patch(app.url("/integrations/github"))
        .bearer_auth(nango::keys::DEV_FULL)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("a response");
    assert_eq!(reply.status(), 200);
    let entry = &journal(&app, "").await[0];
    assert_eq!(entry["body"], json!({"display_name": "in two chunks"}));
    assert_eq!(entry["body_bytes"], 32);
}

//! The control plane for every vendor: open keys, faults in each vendor's own envelope and headers,
//! and the journal's record of them. One table row per vendor.

use super::{add_fault, control, journal};
use crate::helpers::{
    assert_one_row_per_vendor, spawn_app, spawn_app_with, KeyHeader, Reply, TestApp,
};
use reqwest::Method;
use serde_json::{json, Value};

/// One vendor: a request that succeeds with a fixture key, and how its errors look.
struct Case {
    vendor: &'static str,
    method: Method,
    path: &'static str,
    /// How the key is presented.
    key_header: KeyHeader,
    key: &'static str,
    body: Option<Value>,
    /// A fresh key that is well-formed for the vendor and in no fixture.
    fresh_key: fn() -> String,
    /// Checks an injected 500 (envelope, headers); returns the vendor's error code.
    server_error: fn(&Reply) -> String,
    /// Checks an injected 429 with `Retry-After: 2` (envelope, rate-limit headers).
    rate_limited: fn(&Reply),
}

/// The code Puretalk's adapter tags a server error with (Django REST framework's default code).
const PURETALK_SERVER_ERROR: &str = "error";

fn random_alphanumeric(length: usize) -> String {
    uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .chars()
        .chain(uuid::Uuid::new_v4().simple().to_string().chars())
        .take(length)
        .collect()
}

fn request_id_matches(reply: &Reply, body_id: &Value) {
    let header = reply.header("x-request-id").expect("x-request-id");
    assert_eq!(
        Some(header),
        body_id.as_str(),
        "x-request-id is the body's request id"
    );
    uuid::Uuid::parse_str(header).expect("a UUID request id");
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            vendor: "nango",
            method: Method::PATCH,
            path: "/integrations/github",
            key_header: KeyHeader::Bearer,
            key: "6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
            body: Some(json!({"display_name": "via the table"})),
            fresh_key: || uuid::Uuid::new_v4().to_string(),
            server_error: |reply| {
                assert_eq!(
                    reply.header("content-type"),
                    Some("application/json; charset=utf-8")
                );
                let body = reply.json();
                assert_eq!(body["error"]["code"], "server_error");
                assert!(body["error"]["message"].is_string());
                "server_error".into()
            },
            rate_limited: |reply| {
                assert_eq!(reply.header("retry-after"), Some("2"));
                for header in [
                    "x-ratelimit-limit",
                    "x-ratelimit-remaining",
                    "x-ratelimit-reset",
                ] {
                    assert!(reply.header(header).is_some(), "{header}");
                }
                assert_eq!(reply.json()["error"]["code"], "too_many_request");
            },
        },
        Case {
            vendor: "nylas",
            method: Method::PATCH,
            path: "/v3/connectors/google/creds/a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601",
            key_header: KeyHeader::Bearer,
            key: "nyk_v0_Zq8Tn3RkWv5Yb2Hc7Jm4Lp9Xd6Fs1Ga0Ue3Oi8Kt2Nw5Qy7",
            body: Some(json!({"name": "via the table"})),
            fresh_key: || format!("nyk_v0_{}", random_alphanumeric(40)),
            server_error: |reply| {
                let body = reply.json();
                request_id_matches(reply, &body["request_id"]);
                let kind = body["error"]["type"]
                    .as_str()
                    .expect("error.type")
                    .to_string();
                assert!(body["error"]["message"].is_string());
                kind
            },
            rate_limited: |reply| {
                assert_eq!(reply.header("retry-after"), Some("2"));
                assert!(reply
                    .headers
                    .keys()
                    .all(|name| !name.as_str().starts_with("x-ratelimit")));
                let body = reply.json();
                request_id_matches(reply, &body["request_id"]);
                assert_eq!(body["error"]["type"], "nylas_rate_limit_exceeded");
            },
        },
        Case {
            vendor: "composio",
            method: Method::PATCH,
            path: "/api/v3.1/auth_configs/ac_gHc7Qm2xLp9T",
            key_header: KeyHeader::Plain("x-api-key"),
            key: "ak_demo0Project0FullKey01",
            body: Some(json!({"type": "custom", "name": "via the table"})),
            fresh_key: || format!("ak_{}", random_alphanumeric(24)),
            server_error: |reply| {
                let body = reply.json();
                let error = &body["error"];
                request_id_matches(reply, &error["request_id"]);
                assert_eq!(error["status"], 500);
                assert!(
                    error["code"].is_number()
                        && error["slug"].is_string()
                        && error["message"].is_string()
                );
                error["code"].to_string()
            },
            rate_limited: |reply| {
                assert_eq!(reply.header("retry-after"), Some("2"));
                for header in [
                    "x-ratelimit",
                    "x-ratelimit-remaining",
                    "x-ratelimit-window-size",
                ] {
                    assert!(reply.header(header).is_some(), "{header}");
                }
                assert!(reply.header("x-request-id").is_some());
                let body = reply.json();
                let message = body["message"]
                    .as_str()
                    .expect("a bare message")
                    .to_string();
                assert!(message.starts_with("Rate limit exceeded"), "{message}");
                assert_eq!(
                    body.as_object().map(|body| body.len()),
                    Some(1),
                    "not the error envelope"
                );
            },
        },
        Case {
            vendor: "langdock",
            method: Method::PATCH,
            path: "/integrations/v1/550e8400-e29b-41d4-a716-446655440000",
            key_header: KeyHeader::Bearer,
            key: "sk-acme0integration0api0full0001",
            body: Some(json!({"name": "via the table"})),
            fresh_key: || format!("sk-{}", random_alphanumeric(32)),
            server_error: |reply| {
                let body = reply.json();
                assert!(body["message"].is_string());
                assert_eq!(
                    body.as_object().map(|body| body.len()),
                    Some(1),
                    "{{\"message\"}} only"
                );
                "internal_error".into()
            },
            rate_limited: |reply| {
                assert_eq!(reply.header("retry-after"), Some("2"));
                assert!(reply
                    .headers
                    .keys()
                    .all(|name| !name.as_str().starts_with("x-ratelimit")));
                assert!(reply.json()["message"].is_string());
            },
        },
        Case {
            vendor: "puretalk",
            method: Method::PATCH,
            path: "/api/ruth-connect/integrations/123e4567-e89b-12d3-a456-426614174000",
            key_header: KeyHeader::Plain("x-api-key"),
            key: "pt-acme-demo-key-000000000000000000001",
            body: Some(json!({"data": {"api_key": "via-the-table"}})),
            fresh_key: || format!("pt-{}", random_alphanumeric(40)),
            server_error: |reply| {
                let body = reply.json();
                assert_eq!(body["err"], true);
                assert!(body["msg"].is_string());
                PURETALK_SERVER_ERROR.into()
            },
            rate_limited: |reply| {
                assert_eq!(reply.header("retry-after"), Some("2"));
                let body = reply.json();
                assert_eq!(body["err"], true);
                assert!(body["msg"].is_string());
            },
        },
    ]
}

#[test]
fn every_vendor_of_the_server_has_a_control_plane_case() {
    assert_one_row_per_vendor(
        "control plane cases()",
        cases().iter().map(|case| case.vendor),
    );
}

async fn send(app: &TestApp, case: &Case, key: &str) -> Reply {
    let (name, value) = case.key_header.carrying(key);
    let body = case
        .body
        .as_ref()
        .map(|body| serde_json::to_vec(body).expect("JSON"));
    app.send(
        case.method.clone(),
        case.path,
        &[(name, value.as_str()), ("content-type", "application/json")],
        body,
    )
    .await
}

#[tokio::test]
async fn every_vendor_is_served_and_journaled_with_its_tenant() {
    let app = spawn_app().await;
    for case in cases() {
        let reply = send(&app, &case, case.key).await;
        assert!(
            reply.status.is_success(),
            "{}: {} {}",
            case.vendor,
            reply.status,
            reply.text
        );
        let entries = journal(&app, &format!("vendor={}", case.vendor)).await;
        let entry = entries.last().expect("journaled");
        assert_eq!(entry["path"], case.path, "{}", case.vendor);
        assert!(entry["tenant"].is_string(), "{}: {entry}", case.vendor);
        assert_eq!(
            entry["request_id"].as_str(),
            reply.header("x-request-id"),
            "{}",
            case.vendor
        );
    }
}

#[tokio::test]
async fn an_injected_500_is_each_vendors_own_error_and_changes_nothing() {
    let app = spawn_app().await;
    for case in cases() {
        let before = control(
            &app,
            Method::GET,
            &format!("/_patchbay/state/{}", case.vendor),
            None,
        )
        .await
        .json();
        add_fault(
            &app,
            json!({"kind": "status", "status": 500, "vendor": case.vendor, "times": 1}),
        )
        .await;
        let reply = send(&app, &case, case.key).await;
        assert_eq!(reply.status, 500, "{}: {}", case.vendor, reply.text);
        let code = (case.server_error)(&reply);
        let after = control(
            &app,
            Method::GET,
            &format!("/_patchbay/state/{}", case.vendor),
            None,
        )
        .await
        .json();
        assert_eq!(
            before, after,
            "{}: a faulted request writes nothing",
            case.vendor
        );
        let entry = journal(&app, &format!("vendor={}&status=500", case.vendor))
            .await
            .pop()
            .expect("journaled");
        assert_eq!(entry["error_code"], code.as_str(), "{}", case.vendor);
        assert!(entry["fault"].is_string());
        assert!(
            send(&app, &case, case.key).await.status.is_success(),
            "{}: the rule is spent",
            case.vendor
        );
    }
}

#[tokio::test]
async fn an_injected_rate_limit_is_each_vendors_own_429() {
    let app = spawn_app().await;
    for case in cases() {
        add_fault(
            &app,
            json!({"kind": "rate_limit", "retry_after": 2, "vendor": case.vendor, "times": 1}),
        )
        .await;
        let reply = send(&app, &case, case.key).await;
        assert_eq!(reply.status, 429, "{}: {}", case.vendor, reply.text);
        (case.rate_limited)(&reply);
        assert!(reply.header("x-patchbay-version").is_some());
    }
}

#[tokio::test]
async fn a_drop_fault_cuts_off_every_vendor() {
    let app = spawn_app().await;
    for case in cases() {
        add_fault(
            &app,
            json!({"kind": "drop", "vendor": case.vendor, "times": 1}),
        )
        .await;
        let (name, value) = case.key_header.carrying(case.key);
        let mut request = app
            .client
            .request(case.method.clone(), app.url(case.path))
            .header(name, value);
        if let Some(body) = &case.body {
            request = request.json(body);
        }
        let failure = request.send().await.expect_err("no response");
        assert!(!failure.is_status(), "{}: {failure:?}", case.vendor);
    }
}

#[tokio::test]
async fn open_keys_work_for_every_vendor_and_stay_apart() {
    let app = spawn_app_with(|settings| settings.control.open_keys = true).await;
    for case in cases() {
        let (first, second) = ((case.fresh_key)(), (case.fresh_key)());
        for key in [&first, &second] {
            let reply = send(&app, &case, key).await;
            assert!(
                reply.status.is_success(),
                "{}: {} {}",
                case.vendor,
                reply.status,
                reply.text
            );
        }
        let tenant_of = |state: &Value| state["keys"][0]["tenant"].as_str().map(str::to_owned);
        let one = control(
            &app,
            Method::GET,
            &format!("/_patchbay/state/{}?key={first}", case.vendor),
            None,
        )
        .await
        .json();
        let two = control(
            &app,
            Method::GET,
            &format!("/_patchbay/state/{}?key={second}", case.vendor),
            None,
        )
        .await
        .json();
        assert_ne!(tenant_of(&one), tenant_of(&two), "{}", case.vendor);
        assert!(
            !one["records"].as_array().expect("records").is_empty(),
            "{}: a copy of the template",
            case.vendor
        );
    }
}

#[tokio::test]
async fn a_latency_fault_delays_every_vendor_which_then_answers() {
    let app = spawn_app().await;
    for case in cases() {
        add_fault(
            &app,
            json!({"kind": "latency", "latency_ms": 150, "vendor": case.vendor, "times": 1}),
        )
        .await;
        let started = std::time::Instant::now();
        let reply = send(&app, &case, case.key).await;
        assert!(
            started.elapsed() >= std::time::Duration::from_millis(150),
            "{}",
            case.vendor
        );
        assert!(reply.status.is_success(), "{}: {}", case.vendor, reply.text);
        let entry = journal(&app, &format!("vendor={}", case.vendor))
            .await
            .pop()
            .expect("journaled");
        assert!(entry["fault"].is_string(), "{}: {entry}", case.vendor);
        assert!(entry["duration_ms"].as_f64() >= Some(150.0), "{entry}");
    }
}

/// The body fields each vendor's own GET hides (masks, or never renders), which the journal must
/// hide too, on top of the names every vendor's journal masks.
fn hidden_by_the_vendors_get(vendor: &str) -> &'static [&'static str] {
    match vendor {
        "nango" => &[
            "client_secret",
            "private_key",
            "webhook_secret",
            "app_secret",
        ],
        "nylas" => &[
            "credential_data",
            "client_secret",
            "private_key",
            "private_key_id",
            "client_id",
        ],
        "composio" => &[
            "app_key",
            "passphrase",
            "consumer_key",
            "generic_api_key",
            "client_secret",
            "api_key",
            "proxy_auth_key",
            "access_token",
            "refresh_token",
            "bearer_token",
            "password",
        ],
        "langdock" => &["clientSecret"],
        "puretalk" => &["api_key"],
        other => panic!("no hidden fields listed for {other}"),
    }
}

#[tokio::test]
async fn the_journal_never_shows_a_field_or_query_value_the_vendors_get_hides() {
    let app = spawn_app().await;
    for case in cases() {
        let hidden = hidden_by_the_vendors_get(case.vendor);
        let mut fields = serde_json::Map::new();
        for (index, name) in hidden.iter().enumerate() {
            fields.insert(
                (*name).to_string(),
                json!(format!("hidden-value-{index}-abcd")),
            );
        }
        let body = json!({
            "name": "kept",
            "credentials": Value::Object(fields.clone()),
            "data": [Value::Object(fields.clone())],
        });
        let mut top = fields;
        top.insert("name".into(), json!("kept"));
        let (name, value) = case.key_header.carrying(case.key);
        let headers = [(name, value.as_str()), ("content-type", "application/json")];
        for body in [body, Value::Object(top)] {
            app.send(
                Method::PATCH,
                &format!("{}?cursor=kept&api_key=hidden-value-q-abcd", case.path),
                &headers,
                Some(serde_json::to_vec(&body).expect("JSON")),
            )
            .await;
        }
        let reply = control(
            &app,
            Method::GET,
            &format!("/_patchbay/requests?vendor={}", case.vendor),
            None,
        )
        .await;
        assert_eq!(reply.status, 200);
        assert!(
            !reply.text.contains("hidden-value"),
            "{}: {}",
            case.vendor,
            reply.text
        );
        let entries = reply.json()["requests"].clone();
        for entry in entries.as_array().expect("requests") {
            assert_eq!(entry["body"]["name"], "kept", "{}: {entry}", case.vendor);
            assert_eq!(
                entry["query"], "cursor=kept&api_key=****abcd",
                "{}",
                case.vendor
            );
        }
        assert_eq!(entries.as_array().map(Vec::len), Some(2), "{}", case.vendor);
    }
}

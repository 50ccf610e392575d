use super::{add_fault, control, journal};
use crate::helpers::spawn_app;
use crate::nango::{get_path as nango_get, keys as nango_keys, patch as nango_patch};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_status_fault_answers_in_nangos_envelope_for_the_next_n_requests() {
    let app = spawn_app().await;
    let rule = add_fault(
        &app,
        json!({"kind": "status", "status": 500, "vendor": "nango", "method": "PATCH", "times": 2}),
    )
    .await;
    assert_eq!(rule["id"], "fault_1");
    assert_eq!(rule["remaining"], 2);
    for _ in 0..2 {
        let reply = nango_patch(
            &app,
            "github",
            nango_keys::DEV_FULL,
            &json!({"display_name": "never"}),
        )
        .await;
        assert_eq!(reply.status, 500);
        assert_eq!(
            reply.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(
            reply.json(),
            json!({"error": {"code": "server_error", "message": "An unexpected error occurred, please try again later"}})
        );
    }
    // GETs were not matched; the third PATCH goes through; nothing was written by the faulted ones.
    assert_eq!(
        nango_get(&app, "/integrations/github", nango_keys::DEV_FULL)
            .await
            .status,
        200
    );
    let reply = nango_patch(&app, "github", nango_keys::DEV_FULL, &json!({})).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["display_name"], "GitHub (User OAuth)");
    let faulted = journal(&app, "status=500").await;
    assert_eq!(faulted.len(), 2);
    assert_eq!(faulted[0]["fault"], "fault_1");
    assert_eq!(faulted[0]["error_code"], "server_error");
    let rules = control(&app, Method::GET, "/_patchbay/faults", None)
        .await
        .json();
    assert_eq!(rules, json!({"faults": []}), "a spent rule is gone");
}

#[tokio::test]
async fn a_rate_limit_fault_sends_nangos_429_with_its_headers() {
    let app = spawn_app().await;
    add_fault(
        &app,
        json!({"kind": "rate_limit", "retry_after": 7, "tenant": "dev", "times": 1}),
    )
    .await;
    let other_tenant = nango_get(&app, "/integrations/github", nango_keys::PROD_UPDATE).await;
    assert_eq!(other_tenant.status, 200, "the rule is for tenant dev only");
    let reply = nango_patch(&app, "github", nango_keys::DEV_FULL, &json!({})).await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.header("retry-after"), Some("7"));
    assert_eq!(reply.header("x-ratelimit-remaining"), Some("0"));
    assert!(reply.header("x-ratelimit-limit").is_some());
    let reset: i64 = reply
        .header("x-ratelimit-reset")
        .expect("reset")
        .parse()
        .expect("epoch seconds");
    assert!(reset > chrono::Utc::now().timestamp());
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "too_many_request", "method": "PATCH", "path": "/integrations/github"}})
    );
}

#[tokio::test]
async fn a_rate_limit_with_a_limit_lets_that_many_through_per_window() {
    let app = spawn_app().await;
    add_fault(
        &app,
        json!({"kind": "rate_limit", "limit": 3, "window_secs": 60, "path": "/integrations/*"}),
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            nango_get(&app, "/integrations/github", nango_keys::DEV_FULL)
                .await
                .status
                .as_u16(),
        );
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let limited = nango_get(&app, "/integrations/github", nango_keys::DEV_FULL).await;
    assert_eq!(limited.header("x-ratelimit-limit"), Some("3"));
    let retry: u64 = limited
        .header("retry-after")
        .expect("retry-after")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry));
}

#[tokio::test]
async fn a_latency_fault_delays_the_request_which_then_succeeds() {
    let app = spawn_app().await;
    add_fault(
        &app,
        json!({"kind": "latency", "latency_ms": 300, "times": 1}),
    )
    .await;
    let started = Instant::now();
    let reply = nango_patch(
        &app,
        "github",
        nango_keys::DEV_FULL,
        &json!({"display_name": "late"}),
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["display_name"], "late");
    let entry = &journal(&app, "").await[0];
    assert_eq!(entry["fault"], "fault_1");
    assert!(entry["duration_ms"].as_f64() >= Some(300.0));
}

#[tokio::test]
async fn a_drop_fault_cuts_the_connection_without_an_answer() {
    let app = spawn_app().await;
    add_fault(&app, json!({"kind": "drop", "times": 1})).await;
    let sent = app
        .client
        .patch(app.url("/integrations/github"))
        .bearer_auth(nango_keys::DEV_FULL)
        .json(&json!({"display_name": "lost"}))
        .send()
        .await;
    let failure = sent.expect_err("no response");
    assert!(!failure.is_status() && !failure.is_timeout(), "{failure:?}");
    // The next request is served, and the dropped one wrote nothing.
    let reply = nango_get(&app, "/integrations/github", nango_keys::DEV_FULL).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["display_name"], "GitHub (User OAuth)");
    let entry = &journal(&app, "").await[0];
    assert_eq!(entry["status"], serde_json::Value::Null);
    assert_eq!(entry["fault"], "fault_1");
}

#[tokio::test]
async fn a_seeded_probability_faults_the_same_requests_on_every_run() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let app = spawn_app().await;
        add_fault(
            &app,
            json!({"kind": "status", "status": 503, "probability": 0.5, "seed": 42}),
        )
        .await;
        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(
                nango_get(&app, "/integrations/github", nango_keys::DEV_FULL)
                    .await
                    .status
                    .as_u16(),
            );
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    let faulted = runs[0].iter().filter(|status| **status == 503).count();
    assert!((5..=25).contains(&faulted), "about half of 30: {faulted}");
}

#[tokio::test]
async fn rules_are_listed_removed_and_cleared() {
    let app = spawn_app().await;
    let reply = control(
        &app,
        Method::POST,
        "/_patchbay/faults",
        Some(&json!([{"kind": "latency", "latency_ms": 1}, {"kind": "status", "status": 502, "key": "k"}])),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let listed = control(&app, Method::GET, "/_patchbay/faults", None)
        .await
        .json();
    assert_eq!(listed["faults"].as_array().expect("faults").len(), 2);
    assert_eq!(
        listed["faults"][1],
        json!({"id": "fault_2", "kind": "status", "key": "k", "status": 502, "fired": 0})
    );
    let removed = control(&app, Method::DELETE, "/_patchbay/faults/fault_1", None).await;
    assert_eq!(removed.status, 200);
    let missing = control(&app, Method::DELETE, "/_patchbay/faults/fault_1", None).await;
    assert_eq!(missing.status, 404);
    let cleared = control(&app, Method::DELETE, "/_patchbay/faults", None).await;
    assert_eq!(cleared.json(), json!({"cleared": 1}));
}

#[tokio::test]
async fn malformed_rules_are_refused_with_a_message_and_none_is_added() {
    let app = spawn_app().await;
    for (rule, needle) in [
        (json!({"kind": "status"}), "needs `status`"),
        (
            json!({"kind": "status", "status": 302}),
            "between 400 and 599",
        ),
        (
            json!({"kind": "rate_limit", "retry_after": 3600}),
            "`retry_after`",
        ),
        (
            json!({"kind": "latency", "latency_ms": "slow"}),
            "invalid type",
        ),
        (json!({"kind": "teleport"}), "unknown variant"),
        (json!({"kind": "drop", "vendor": "acme"}), "`vendor`"),
        (json!({"kind": "drop", "times": 0}), "`times`"),
        (json!([{"kind": "drop"}, {"kind": "status"}]), "rule 1: "),
        // A mistake in the JSON itself names its path.
        (
            json!({"kind": "latency", "latency_ms": "slow"}),
            "latency_ms: invalid type",
        ),
        (
            json!([{"kind": "drop"}, {"kind": "drop"}, {"kind": "teleport"}]),
            "rule 2: kind: unknown variant `teleport`",
        ),
        (
            json!({"kind": "drop", "colour": 1}),
            "colour: unknown field",
        ),
    ] {
        let reply = control(&app, Method::POST, "/_patchbay/faults", Some(&rule)).await;
        assert_eq!(reply.status, 400, "{rule}: {}", reply.text);
        let message = reply.json()["error"]["message"]
            .as_str()
            .expect("message")
            .to_string();
        assert!(message.contains(needle), "{rule}: {message}");
    }
    assert_eq!(
        control(&app, Method::GET, "/_patchbay/faults", None)
            .await
            .json(),
        json!({"faults": []})
    );
}

#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_that_number() {
    let app = spawn_app().await;
    let rule = add_fault(
        &app,
        json!({"kind": "status", "status": 503.0, "times": 2.0}),
    )
    .await;
    assert_eq!(rule["status"], 503);
    assert_eq!(rule["remaining"], 2);
    let reply = control(
        &app,
        Method::POST,
        "/_patchbay/faults",
        Some(&json!({"kind": "status", "status": 503.5})),
    )
    .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
}

#[tokio::test]
async fn the_rule_set_is_bounded_in_rules_and_in_bytes() {
    let app = spawn_app().await;
    let post = |rules: serde_json::Value| {
        let app = &app;
        async move { control(app, Method::POST, "/_patchbay/faults", Some(&rules)).await }
    };
    let message = |reply: &crate::helpers::Reply| {
        reply.json()["error"]["message"]
            .as_str()
            .expect("message")
            .to_string()
    };
    let drop = json!({"kind": "drop", "path": "/never"});
    let too_many = post(json!(vec![drop.clone(); 1001])).await;
    assert_eq!(too_many.status, 400);
    assert!(
        message(&too_many).contains("at most 1000 rules"),
        "{}",
        too_many.text
    );
    assert_eq!(post(json!(vec![drop.clone(); 1000])).await.status, 201);
    let full = post(drop.clone()).await;
    assert_eq!(full.status, 413);
    assert!(
        message(&full).contains("at most 1000 rules"),
        "{}",
        full.text
    );

    control(&app, Method::DELETE, "/_patchbay/faults", None).await;
    let long = json!({"kind": "drop", "tenant": "t".repeat(600 * 1024)});
    assert_eq!(post(long.clone()).await.status, 201);
    let over = post(long).await;
    assert_eq!(over.status, 413);
    assert!(
        message(&over).contains("at most 1048576 bytes"),
        "{}",
        over.text
    );
    let listed = control(&app, Method::GET, "/_patchbay/faults", None)
        .await
        .json();
    assert_eq!(listed["faults"].as_array().map(Vec::len), Some(1));
}

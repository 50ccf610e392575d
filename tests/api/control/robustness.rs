//! Bad input to the control API: a JSON error with a message and a 4xx, never a 5xx, never a panic,
//! and nothing changed by a refused request.

use super::control;
use crate::helpers::{spawn_app, Mutator, Reply};
use reqwest::Method;

fn assert_refused_or_done(reply: &Reply, context: &str) {
    assert!(
        !reply.status.is_server_error(),
        "{context}: {} {}",
        reply.status,
        reply.text
    );
    let body = reply.json();
    if !reply.status.is_success() {
        assert!(
            body["error"]["message"].is_string(),
            "{context}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn seeded_mutations_of_control_bodies_never_get_a_5xx() {
    let app = spawn_app().await;
    let routes: [(&str, &[&[u8]]); 3] = [
        (
            "/_patchbay/faults",
            &[
                br#"{"kind":"status","status":503,"vendor":"nango","times":1}"#,
                br#"[{"kind":"latency","latency_ms":1,"path":"/x/*"},{"kind":"drop","probability":0.5,"seed":3,"key":"k"}]"#,
                br#"{"kind":"rate_limit","limit":5,"window_secs":10,"tenant":"dev"}"#,
            ],
        ),
        (
            "/_patchbay/reset",
            &[
                br#"{"vendor":"nango","tenant":"dev"}"#,
                br#"{"key":"6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f"}"#,
            ],
        ),
        (
            "/_patchbay/seed",
            &[
                br#"{"nango":{"keys":[{"key":"9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d","tenant":"qa"}],"records":[{"tenant":"qa","unique_key":"x","provider":"github"}]}}"#,
                br#"{"nylas":{"records":[]},"composio":{"keys":[]}}"#,
            ],
        ),
    ];
    let alphabet = b"{}[]\",:01truefalsnul\\ \xff\x00ae-*";
    for (index, (path, seeds)) in routes.iter().enumerate() {
        let mut mutator = Mutator::new(0xc0_47_01 + index as u64, seeds, alphabet);
        for round in 0..150 {
            let body = mutator.next_body();
            let reply = app
                .send(
                    Method::POST,
                    path,
                    &[("content-type", "application/json")],
                    Some(body.clone()),
                )
                .await;
            assert_refused_or_done(
                &reply,
                &format!("{path} round {round}: {:?}", String::from_utf8_lossy(&body)),
            );
        }
        // Clear what the valid mutations added, so the next route starts from a known state.
        control(&app, Method::DELETE, "/_patchbay/faults", None).await;
    }
    // The vendor routes still answer after all of it.
    let health = control(&app, Method::GET, "/_patchbay/health", None).await;
    assert_eq!(health.status, 200);
}

#[tokio::test]
async fn odd_query_strings_and_paths_on_the_control_api_get_json_errors() {
    let app = spawn_app().await;
    for path in [
        "/_patchbay/requests?limit=-1",
        "/_patchbay/requests?after=99999999999999999999999",
        "/_patchbay/requests?status=4xxx",
        "/_patchbay/requests?since=%ff",
        "/_patchbay/requests?vendor=",
        "/_patchbay/state/nango?tenant=a&tenant=b",
        "/_patchbay/state/%00",
        "/_patchbay/faults/%ff%fe",
        "/_patchbay/nothing-here",
        "/_patchbay/",
    ] {
        for method in [Method::GET, Method::DELETE] {
            let reply = control(&app, method.clone(), path, None).await;
            assert_refused_or_done(&reply, &format!("{method} {path}"));
        }
    }
    let huge = vec![b' '; 65 * 1024 * 1024];
    let reply = app
        .send(
            Method::POST,
            "/_patchbay/seed",
            &[("content-type", "application/json")],
            Some(huge),
        )
        .await;
    assert_eq!(reply.status, 413);
    assert!(reply.json()["error"]["message"].is_string());
}

//! Composio's API key checks: `x-api-key` (project keys) or `x-user-api-key` (user keys), the 401s
//! and the 403, each in Composio's envelope with the request id.

use super::*;
use crate::helpers::*;
use serde_json::json;

const INVALID_FIX: &str = "Please check you are using a valid key.";

#[tokio::test]
async fn a_missing_key_is_a_401_801_no_api_key_provided() {
    let app = spawn_app().await;
    for headers in [
        vec![("content-type", "application/json")],
        vec![("content-type", "application/json"), ("x-api-key", "")],
        vec![("content-type", "application/json"), ("x-api-key", "   ")],
    ] {
        let reply = patch_raw(
            &app,
            &config_path(ids::GITHUB),
            &headers,
            b"{\"type\":\"custom\"}",
        )
        .await;
        // [obs] VENDORS.md §8: a missing key header answers 801 `No API key provided`.
        assert_error(&reply, StatusCode::UNAUTHORIZED, |reply| {
            envelope(
                reply,
                "No API key provided",
                801,
                "APIKey_InvalidAPIKey",
                Some("Pass your API key in the x-api-key header."),
                None,
            )
        });
    }
}

#[tokio::test]
async fn a_wrong_key_is_a_401_with_the_masked_key() {
    let app = spawn_app().await;
    let cases = [
        ("ak_not0a0real0keyUbOz", "Invalid API key: ak_**UbOz"),
        ("uak_demo0User0Key000001", "Invalid API key: uak_**0001"),
        ("xyz", "Invalid API key: **"),
        ("ak_short", "Invalid API key: ak_**"),
    ];
    for (key, message) in cases {
        let reply = patch(&app, ids::GITHUB, key, &json!({"type": "custom"})).await;
        // [obs] the live 401: `Invalid API key: ak_**UbOz` with this suggested fix.
        assert_error(&reply, StatusCode::UNAUTHORIZED, |reply| {
            envelope(
                reply,
                message,
                801,
                "APIKey_InvalidAPIKey",
                Some(INVALID_FIX),
                None,
            )
        });
    }
}

#[tokio::test]
async fn a_project_key_in_the_user_key_header_is_refused() {
    let app = spawn_app().await;
    let reply = app
        .send(
            Method::GET,
            &config_path(ids::GITHUB),
            &[("x-user-api-key", keys::DEMO)],
            None,
        )
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, |reply| {
        envelope(
            reply,
            "Invalid API key: ak_**ey01",
            801,
            "APIKey_InvalidAPIKey",
            Some(INVALID_FIX),
            None,
        )
    });
}

#[tokio::test]
async fn a_user_key_in_x_user_api_key_updates_and_reads() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        &config_path(ids::GITHUB),
        &[
            ("x-user-api-key", keys::DEMO_USER),
            ("content-type", "application/json"),
        ],
        br#"{"type":"custom","name":"by the user key"}"#,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = app
        .send(
            Method::GET,
            &config_path(ids::GITHUB),
            &[("x-user-api-key", keys::DEMO_USER)],
            None,
        )
        .await;
    assert_eq!(reply.json()["name"], "by the user key");
}

#[tokio::test]
async fn x_api_key_wins_over_x_user_api_key() {
    let app = spawn_app().await;
    let reply = app
        .send(
            Method::GET,
            &config_path(ids::GITHUB),
            &[
                ("x-api-key", "ak_wrong0wrong0wrong"),
                ("x-user-api-key", keys::DEMO_USER),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.json()["error"]["message"],
        "Invalid API key: ak_**rong"
    );
}

#[tokio::test]
async fn a_read_only_key_may_read_but_not_update() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::GITHUB,
        keys::DEMO_READ_ONLY,
        &json!({"type": "custom", "name": "x"}),
    )
    .await;
    assert_error(&reply, StatusCode::FORBIDDEN, |reply| {
        envelope(
            reply,
            "API key does not have required permissions",
            802,
            "APIKey_InsufficientPermissions",
            Some("Check your API key permissions in the dashboard."),
            None,
        )
    });
    assert_eq!(
        get(&app, ids::GITHUB, keys::DEMO_READ_ONLY).await.status,
        StatusCode::OK
    );
    assert_eq!(
        read(&app, ids::GITHUB).await["name"],
        "GitHub (own OAuth app)"
    );
}

#[tokio::test]
async fn auth_is_checked_before_the_body() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        &config_path(ids::GITHUB),
        &[("content-type", "application/json")],
        b"{not json",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = patch_raw(
        &app,
        &config_path("ac_000000000000"),
        &[
            ("x-api-key", keys::DEMO_READ_ONLY),
            ("content-type", "application/json"),
        ],
        b"{not json",
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_error_body_carries_the_request_id_of_its_header() {
    let app = spawn_app().await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..5 {
        let reply = patch(&app, ids::GITHUB, "ak_bad0bad0bad0bad", &json!({})).await;
        let id = request_id(&reply);
        assert_eq!(reply.json()["error"]["request_id"], id);
        assert!(seen.insert(id), "request ids are fresh per request");
    }
}

//! The middleware chain: body parsing and content type before auth, the four 401s, scopes.
//! Facts: VENDORS.md §1 "Routing and middleware order" and "Scopes".

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn auth_error(code: &str, message: &str) -> serde_json::Value {
    json!({"error": {"message": message, "code": code, "payload": {}}})
}

#[tokio::test]
async fn a_request_without_authorization_gets_missing_auth_header() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        "/integrations/github",
        &[("content-type", "application/json")],
        b"{}",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.json(),
        auth_error(
            "missing_auth_header",
            "Authentication failed. The request is missing the Authorization header."
        )
    );
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=utf-8")
    );
}

#[tokio::test]
async fn an_empty_authorization_header_counts_as_missing() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        "/integrations/github",
        &[("authorization", ""), ("content-type", "application/json")],
        b"{}",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["error"]["code"], "missing_auth_header");
}

#[tokio::test]
async fn bearer_with_nothing_after_it_arrives_trimmed_and_fails_the_uuid_check() {
    let app = spawn_app().await;
    // HTTP parsers (Node's and ours) drop the trailing space of a header value, so "Bearer " reaches
    // the check as "Bearer"; the malformed_auth_header branch is covered by the unit tests of auth.rs.
    let reply = patch_raw(
        &app,
        "/integrations/github",
        &[
            ("authorization", "Bearer "),
            ("content-type", "application/json"),
        ],
        b"{}",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.json(),
        auth_error(
            "invalid_secret_key_format",
            "Authentication failed. The provided secret key is not a UUID v4."
        )
    );
}

#[tokio::test]
async fn a_secret_that_is_not_a_uuid_v4_is_refused_whatever_the_scheme() {
    let app = spawn_app().await;
    // `split('Bearer ').pop()` leaves a non-Bearer header whole, so it fails the UUID check.
    for header in [
        "Bearer not-a-uuid",
        "Basic 6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
        "6f1c9d2e",
        "Bearer 6f1c9d2e-3b4a-1c5d-8e6f-7a8b9c0d1e2f",
    ] {
        let reply = patch_raw(
            &app,
            "/integrations/github",
            &[
                ("authorization", header),
                ("content-type", "application/json"),
            ],
            b"{}",
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{header}");
        assert_eq!(
            reply.json(),
            auth_error(
                "invalid_secret_key_format",
                "Authentication failed. The provided secret key is not a UUID v4."
            ),
            "{header}"
        );
    }
}

#[tokio::test]
async fn a_well_formed_unknown_key_is_an_unknown_account() {
    let app = spawn_app().await;
    let reply = patch(&app, "github", keys::UNKNOWN, &json!({})).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.json(),
        auth_error(
            "unknown_account",
            "Authentication failed. The provided authorization header does not match any account."
        )
    );
}

#[tokio::test]
async fn keys_are_matched_case_insensitively_for_format_but_exactly_for_lookup() {
    let app = spawn_app().await;
    let reply = patch(&app, "github", &keys::DEV_FULL.to_uppercase(), &json!({})).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["error"]["code"], "unknown_account");
}

#[tokio::test]
async fn bad_json_is_reported_before_auth() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        "/integrations/github",
        &[("content-type", "application/json")],
        b"{a:1}",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        error("invalid_json", "key must be a string in JSON at position 1")
    );
}

#[tokio::test]
async fn a_non_json_content_type_is_a_415_before_auth() {
    let app = spawn_app().await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "Application/JSON",
    ] {
        let reply = patch_raw(
            &app,
            "/integrations/github",
            &[("content-type", content_type)],
            b"{}",
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        assert_eq!(
            reply.json(),
            error(
                "invalid_content_type",
                "Content-Type header must be application/json"
            )
        );
    }
}

#[tokio::test]
async fn a_key_without_the_update_scope_is_forbidden() {
    let app = spawn_app().await;
    for key in [keys::DEV_READ_ONLY, keys::PROD_NO_SCOPES] {
        let reply = patch(&app, "github", key, &json!({"display_name": "nope"})).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(
            reply.json(),
            error(
                "forbidden",
                "Insufficient scope. Required: environment:integrations:update"
            )
        );
    }
}

#[tokio::test]
async fn the_scope_check_comes_before_body_validation() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "github",
        keys::DEV_READ_ONLY,
        &json!({"display_name": ""}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn get_needs_one_of_the_read_scopes() {
    let app = spawn_app().await;
    let reply = get_path(&app, "/integrations/github", keys::PROD_NO_SCOPES).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.json(),
        error("forbidden", "Insufficient scope. Required one of: environment:integrations:read or environment:integrations:read_credentials")
    );
    let reply = get_path(&app, "/integrations/github", keys::DEV_READ_ONLY).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn a_non_ascii_authorization_header_is_an_invalid_format_not_a_crash() {
    let app = spawn_app().await;
    let request = app
        .client
        .request(Method::PATCH, app.url("/integrations/github"))
        .header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").expect("opaque bytes"),
        )
        .header("content-type", "application/json")
        .body("{}");
    let response = request.send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "invalid_secret_key_format");
}

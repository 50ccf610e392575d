//! Bad input of each kind gets Nylas's envelope and a 4xx: the provider enum, bad JSON, wrong
//! types, unknown fields, oversized bodies, unknown paths and methods; and the order of the checks.
//! Facts: VENDORS.md §3 "Spec" and §8 "All vendors", "Nylas".

use super::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const PROVIDER_ENUM: &str =
    "must be one of google, microsoft, imap, icloud, yahoo, ews, virtual-calendar, zoom, nylas";

fn bearer() -> String {
    format!("Bearer {}", keys::DEV)
}

async fn send_body(app: &TestApp, body: &[u8]) -> Reply {
    patch_raw(
        app,
        &creds_path("google", ids::DEV_GOOGLE_CONNECTOR),
        &[
            ("authorization", &bearer()),
            ("content-type", "application/json"),
        ],
        body,
    )
    .await
}

#[tokio::test]
async fn a_provider_outside_the_enum_is_a_400() {
    let app = spawn_app().await;
    for provider in ["inbox", "Google", "outlook", "virtual_calendar"] {
        let reply = patch(
            &app,
            provider,
            ids::DEV_GOOGLE_CONNECTOR,
            keys::DEV,
            &json!({}),
        )
        .await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            &format!("Invalid provider \"{provider}\": {PROVIDER_ENUM}"),
        );
    }
}

#[tokio::test]
async fn bad_json_is_an_invalid_request_payload_naming_the_position() {
    let app = spawn_app().await;
    let cases: [(&[u8], &str); 4] = [
        (
            b"{a:1}",
            "Invalid JSON payload format: key must be a string in JSON at position 1",
        ),
        (
            b"{\"name\":",
            "Invalid JSON payload format: EOF while parsing a value in JSON at position 8",
        ),
        (
            b"",
            "Invalid JSON payload format: the request body is empty",
        ),
        (
            b"{\"name\":\"x\"} trailing",
            "Invalid JSON payload format: trailing characters in JSON at position 13",
        ),
    ];
    for (body, message) in cases {
        let reply = send_body(&app, body).await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_payload",
            message,
        );
    }
}

#[tokio::test]
async fn wrong_types_and_unknown_fields_are_invalid_requests_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        (json!([]), "Invalid request body: expected a JSON object, got array"),
        (json!(null), "Invalid request body: expected a JSON object, got null"),
        (json!(12), "Invalid request body: expected a JSON object, got number"),
        (json!({"name": 1}), "Invalid request body: field \"name\" must be a string, got number"),
        (json!({"name": null}), "Invalid request body: field \"name\" must be a string, got null"),
        (json!({"name": ""}), "Invalid request body: field \"name\" must not be empty"),
        (json!({"credential_data": "x"}), "Invalid request body: field \"credential_data\" must be an object, got string"),
        (json!({"credential_data": null}), "Invalid request body: field \"credential_data\" must be an object, got null"),
        (json!({"credentialData": {}}), "Invalid request body: unknown field \"credentialData\""),
        (json!({"hashed_data": "x"}), "Invalid request body: unknown field \"hashed_data\""),
        (
            json!({"credential_type": "oauth"}),
            "Invalid request body: field \"credential_type\" must be one of connector, serviceaccount, adminconsent, got \"oauth\"",
        ),
    ];
    for (body, message) in cases {
        let reply = send_body(&app, &serde_json::to_vec(&body).expect("JSON")).await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            message,
        );
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_in_nylass_envelope() {
    let app = spawn_app_with(|settings| settings.server.body_limit = 1024).await;
    let body = format!("{{\"name\":\"{}\"}}", "x".repeat(2048));
    let reply = send_body(&app, body.as_bytes()).await;
    assert_error(
        &reply,
        StatusCode::PAYLOAD_TOO_LARGE,
        "api.invalid_request_error",
        "The request body is larger than the limit of 1024 bytes",
    );
    // Just under the limit is fine.
    let body = format!("{{\"name\":\"{}\"}}", "y".repeat(1000));
    assert_eq!(
        send_body(&app, body.as_bytes()).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_content_type_is_not_checked() {
    let app = spawn_app().await;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut headers = vec![("authorization", bearer())];
        if let Some(content_type) = content_type {
            headers.push(("content-type", content_type.to_string()));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let reply = patch_raw(
            &app,
            &creds_path("google", ids::DEV_GOOGLE_CONNECTOR),
            &headers,
            br#"{"name":"Any content type"}"#,
        )
        .await;
        assert_eq!(
            credential(&reply)["name"],
            "Any content type",
            "{content_type:?}"
        );
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_get_nylass_404() {
    let app = spawn_app().await;
    let creds = creds_path("google", ids::DEV_GOOGLE_CONNECTOR);
    // The methods each served path does not serve, then paths Nylas has that patchbay does not.
    let cases = [
        (Method::PUT, creds.clone()),
        (Method::POST, creds.clone()),
        (Method::PUT, "/v3/connectors/google/creds".to_string()),
        (Method::PATCH, "/v3/connectors/google/creds".to_string()),
        (Method::DELETE, "/v3/connectors/google/creds".to_string()),
        (Method::POST, "/v3/connectors/google".to_string()),
        (Method::PUT, "/v3/connectors".to_string()),
        (Method::PATCH, "/v3/connectors".to_string()),
        (Method::DELETE, "/v3/connectors".to_string()),
        (Method::GET, "/v3/connectors/google/creds/".to_string()),
        (Method::GET, "/v3/connectors/".to_string()),
        (Method::GET, format!("{creds}/extra")),
        (Method::GET, "/v3/grants".to_string()),
        (Method::GET, "/v3".to_string()),
        (Method::GET, "/nylas".to_string()),
        (Method::GET, "/nylas/v2/anything".to_string()),
        (Method::PATCH, format!("/nylas{creds}/x")),
    ];
    for (method, path) in cases {
        let reply = app
            .send(
                method.clone(),
                &path,
                &[("authorization", &bearer())],
                Some(b"{}".to_vec()),
            )
            .await;
        assert_error(
            &reply,
            StatusCode::NOT_FOUND,
            "api.not_found_error",
            &format!("Resource not found: no route {method} {path}"),
        );
    }
}

#[tokio::test]
async fn the_provider_is_checked_before_the_body() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        &creds_path("inbox", ids::DEV_GOOGLE_CONNECTOR),
        &[("authorization", &bearer())],
        b"{not json",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        envelope(&reply)["error"]["message"],
        format!("Invalid provider \"inbox\": {PROVIDER_ENUM}")
    );
}

#[tokio::test]
async fn the_body_is_checked_before_the_credential_is_looked_up() {
    let app = spawn_app().await;
    let reply = patch(&app, "google", ids::UNKNOWN, keys::DEV, &json!({"foo": 1})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        envelope(&reply)["error"]["message"],
        "Invalid request body: unknown field \"foo\""
    );
    // The credential's own rules come after the lookup: an unknown id with bad credential_data is a 404.
    let reply = patch(
        &app,
        "google",
        ids::UNKNOWN,
        keys::DEV,
        &json!({"credential_data": {}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_route_with_a_body_answers_a_body_over_the_limit_with_a_413() {
    let app = spawn_app().await;
    let before = state(&app, "app-dev").await;
    let body = serde_json::json!({"name": "x".repeat(2 * 1024 * 1024)});
    for (method, path) in [
        (Method::POST, CONNECTORS.to_string()),
        (Method::PATCH, connector_path("google")),
        (Method::PUT, connector_path("google")),
        (Method::POST, creds_list_path("google")),
    ] {
        let reply = call(&app, method, &path, keys::DEV, Some(&body)).await;
        assert_error(
            &reply,
            StatusCode::PAYLOAD_TOO_LARGE,
            "api.invalid_request_error",
            "The request body is larger than the limit of 1048576 bytes",
        );
    }
    assert_eq!(state(&app, "app-dev").await, before);
}

//! Bad input: the 400 validation envelope (code 10400, `errors` naming the payload path), bad JSON,
//! content types, and the 413 for oversized bodies. Nothing is written on a failed request.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn schema_failures_name_each_payload_path() {
    let app = spawn_app().await;
    let cases: Vec<(Value, &'static [&'static str])> = vec![
        (json!({}), &["Error in payload.type: Invalid discriminator value. Expected 'custom' | 'default'"]),
        (json!({"name": "no type"}), &["Error in payload.type: Invalid discriminator value. Expected 'custom' | 'default'"]),
        (json!({"type": 1}), &["Error in payload.type: Invalid discriminator value. Expected 'custom' | 'default'"]),
        (json!([]), &["Error in payload: Expected object, received array"]),
        (json!("custom"), &["Error in payload: Expected object, received string"]),
        (json!(null), &["Error in payload: Expected object, received null"]),
        (
            json!({"type": "custom", "name": false, "credentials": [], "proxy_config": {"proxy_url": 1}}),
            &[
                "Error in payload.name: Expected string, received boolean",
                "Error in payload.credentials: Expected object, received array",
                "Error in payload.proxy_config.proxy_url: Expected string, received number",
            ],
        ),
        (
            json!({"type": "custom", "proxy_config": {"proxy_url": "ftp//nope"}}),
            &["Error in payload.proxy_config.proxy_url: Invalid url"],
        ),
        (
            json!({"type": "custom", "tool_access_config": {"tools_for_connected_account_creation": [1, "ok", null]}}),
            &[
                "Error in payload.tool_access_config.tools_for_connected_account_creation.0: Expected string, received number",
                "Error in payload.tool_access_config.tools_for_connected_account_creation.2: Expected string, received null",
            ],
        ),
        (
            json!({"type": "default", "scopes": 5, "user_scopes": [true], "is_enabled_for_tool_router": "true", "shared_credentials": "x"}),
            &[
                "Error in payload.scopes: Invalid input",
                "Error in payload.user_scopes: Invalid input",
                "Error in payload.shared_credentials: Expected object, received string",
                "Error in payload.is_enabled_for_tool_router: Expected boolean, received string",
            ],
        ),
    ];
    for (body, errors) in cases {
        let reply = patch(&app, ids::GITHUB, keys::DEMO, &body).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, validation(errors));
    }
    assert_eq!(
        read(&app, ids::GITHUB).await["name"],
        "GitHub (own OAuth app)"
    );
}

#[tokio::test]
async fn malformed_json_is_a_400_validation_error_naming_the_position() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        &config_path(ids::GITHUB),
        &[
            ("x-api-key", keys::DEMO),
            ("content-type", "application/json"),
        ],
        b"{type:1}",
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&[
            "Error in payload: Malformed JSON: key must be a string in JSON at position 1",
        ]),
    );
}

#[tokio::test]
async fn an_empty_body_is_required() {
    let app = spawn_app().await;
    for body in [&b""[..], b"  \n"] {
        let reply = patch_raw(
            &app,
            &config_path(ids::GITHUB),
            &[
                ("x-api-key", keys::DEMO),
                ("content-type", "application/json"),
            ],
            body,
        )
        .await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            validation(&["Error in payload: Required"]),
        );
    }
}

#[tokio::test]
async fn a_non_json_content_type_is_refused_and_a_missing_one_is_read_as_json() {
    let app = spawn_app().await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json-patch+json",
    ] {
        let reply = patch_raw(
            &app,
            &config_path(ids::GITHUB),
            &[("x-api-key", keys::DEMO), ("content-type", content_type)],
            br#"{"type":"custom","name":"x"}"#,
        )
        .await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            validation(&["Error in payload: Content-Type must be application/json"]),
        );
    }
    let reply = patch_raw(
        &app,
        &config_path(ids::GITHUB),
        &[
            ("x-api-key", keys::DEMO),
            ("content-type", "application/json; charset=utf-8"),
        ],
        br#"{"type":"custom","name":"with charset"}"#,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = patch_raw(
        &app,
        &config_path(ids::GITHUB),
        &[("x-api-key", keys::DEMO)],
        br#"{"type":"custom","name":"no content type"}"#,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(read(&app, ids::GITHUB).await["name"], "no content type");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_in_composios_envelope() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"type\":\"custom\",\"name\":\"{}\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    for key in [keys::DEMO, "ak_unknown0key0000"] {
        let reply = patch_raw(
            &app,
            &config_path(ids::GITHUB),
            &[("x-api-key", key), ("content-type", "application/json")],
            huge.as_bytes(),
        )
        .await;
        assert_error(&reply, StatusCode::PAYLOAD_TOO_LARGE, |reply| {
            envelope(
                reply,
                "Request body is larger than the limit of 1048576 bytes",
                10413,
                "Http_PayloadTooLarge",
                None,
                None,
            )
        });
    }
    assert_eq!(
        read(&app, ids::GITHUB).await["name"],
        "GitHub (own OAuth app)"
    );
}

#[tokio::test]
async fn a_large_body_under_the_limit_is_accepted() {
    let app = spawn_app().await;
    let name = "n".repeat(512 * 1024);
    let reply = patch(
        &app,
        ids::GITHUB,
        keys::DEMO,
        &json!({"type": "custom", "name": name}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(read(&app, ids::GITHUB).await["name"], name.as_str());
}

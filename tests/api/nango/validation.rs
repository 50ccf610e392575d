//! Every row of the validation table in VENDORS.md §1 (`errors[]` item shape), over HTTP: status,
//! envelope, codes, messages and paths exactly as zod 4.0.5 under Nango gives them.

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PATTERN: &str = "Invalid string: must match pattern /^[a-zA-Z0-9~:.@ _-]+$/";

fn invalid_body(errors: Value) -> Value {
    json!({"error": {"code": "invalid_body", "errors": errors}})
}

fn issue(code: &str, message: &str, path: &[&str]) -> Value {
    json!({"code": code, "message": message, "path": path})
}

#[tokio::test]
async fn each_row_of_the_body_table_gets_zods_issue() {
    let app = spawn_app().await;
    let key_pem = "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----";
    let undefined_string = "Invalid input: expected string, received undefined";
    let rows: Vec<(Value, Vec<Value>)> = vec![
        (
            json!([]),
            vec![issue(
                "invalid_type",
                "Invalid input: expected object, received array",
                &[],
            )],
        ),
        (
            json!({"foo": 1}),
            vec![issue("unrecognized_keys", "Unrecognized key: \"foo\"", &[])],
        ),
        (
            json!({"foo": 1, "bar": 2}),
            vec![issue(
                "unrecognized_keys",
                "Unrecognized keys: \"foo\", \"bar\"",
                &[],
            )],
        ),
        (
            json!({"unique_key": "a/b"}),
            vec![issue("invalid_format", PATTERN, &["unique_key"])],
        ),
        (
            json!({"unique_key": ""}),
            vec![issue("invalid_format", PATTERN, &["unique_key"])],
        ),
        (
            json!({"unique_key": "k".repeat(256)}),
            vec![issue(
                "too_big",
                "Too big: expected string to have <=255 characters",
                &["unique_key"],
            )],
        ),
        (
            json!({"display_name": ""}),
            vec![issue(
                "too_small",
                "Too small: expected string to have >=1 characters",
                &["display_name"],
            )],
        ),
        (
            json!({"display_name": false}),
            vec![issue(
                "invalid_type",
                "Invalid input: expected string, received boolean",
                &["display_name"],
            )],
        ),
        (
            json!({"display_name": null}),
            vec![issue(
                "invalid_type",
                "Invalid input: expected string, received null",
                &["display_name"],
            )],
        ),
        (
            json!({"forward_webhooks": "true"}),
            vec![issue(
                "invalid_type",
                "Invalid input: expected boolean, received string",
                &["forward_webhooks"],
            )],
        ),
        (
            json!({"credentials": {"type": "INVALID"}}),
            vec![issue(
                "invalid_union",
                "invalid credentials object",
                &["credentials", "type"],
            )],
        ),
        (
            json!({"credentials": {"client_id": "x"}}),
            vec![issue(
                "invalid_union",
                "invalid credentials object",
                &["credentials", "type"],
            )],
        ),
        (
            json!({"credentials": "x"}),
            vec![issue(
                "invalid_type",
                "invalid credentials object",
                &["credentials"],
            )],
        ),
        (
            json!({"credentials": null}),
            vec![issue(
                "invalid_type",
                "invalid credentials object",
                &["credentials"],
            )],
        ),
        (
            json!({"credentials": {"type": "OAUTH2"}}),
            vec![
                issue(
                    "invalid_type",
                    undefined_string,
                    &["credentials", "client_id"],
                ),
                issue(
                    "invalid_type",
                    undefined_string,
                    &["credentials", "client_secret"],
                ),
            ],
        ),
        (
            json!({"credentials": {"type": "OAUTH2", "client_id": "", "client_secret": "s"}}),
            vec![issue(
                "too_small",
                "Too small: expected string to have >=1 characters",
                &["credentials", "client_id"],
            )],
        ),
        (
            json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "extra": true}}),
            vec![issue(
                "unrecognized_keys",
                "Unrecognized key: \"extra\"",
                &["credentials"],
            )],
        ),
        (
            json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": "a b"}}),
            vec![issue(
                "invalid_union",
                "Invalid input",
                &["credentials", "scopes"],
            )],
        ),
        (
            json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": null}}),
            vec![issue(
                "invalid_union",
                "Invalid input",
                &["credentials", "scopes"],
            )],
        ),
        (
            json!({"credentials": {"type": "APP", "app_id": "1", "app_link": "l", "private_key": "bad"}}),
            vec![
                issue(
                    "invalid_format",
                    "Invalid string: must start with \"-----BEGIN RSA PRIVATE KEY----\"",
                    &["credentials", "private_key"],
                ),
                issue(
                    "invalid_format",
                    "Invalid string: must end with \"-----END RSA PRIVATE KEY-----\"",
                    &["credentials", "private_key"],
                ),
            ],
        ),
        (
            json!({"credentials": {"type": "CUSTOM", "client_id": "i", "client_secret": "s", "app_id": "1", "app_link": "l", "private_key": key_pem, "x": 1, "y": 2}}),
            vec![issue(
                "unrecognized_keys",
                "Unrecognized keys: \"x\", \"y\"",
                &["credentials"],
            )],
        ),
        (
            json!({"integration_config": {"a": 1}}),
            vec![issue(
                "invalid_type",
                "Invalid input: expected string, received number",
                &["integration_config", "a"],
            )],
        ),
        (
            json!({"integration_config": "x"}),
            vec![issue(
                "invalid_type",
                "Invalid input: expected record, received string",
                &["integration_config"],
            )],
        ),
        (
            json!({"custom": []}),
            vec![issue(
                "invalid_type",
                "Invalid input: expected record, received array",
                &["custom"],
            )],
        ),
        (
            json!({"display_name": 1, "zzz": 1, "unique_key": 2}),
            vec![
                issue(
                    "invalid_type",
                    "Invalid input: expected string, received number",
                    &["unique_key"],
                ),
                issue(
                    "invalid_type",
                    "Invalid input: expected string, received number",
                    &["display_name"],
                ),
                issue("unrecognized_keys", "Unrecognized key: \"zzz\"", &[]),
            ],
        ),
    ];
    for (body, errors) in rows {
        let reply = patch(&app, "github", keys::DEV_FULL, &body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.json(), invalid_body(Value::Array(errors)), "{body}");
    }
    // Nothing above changed the record.
    let reply = get_path(&app, "/integrations/github", keys::DEV_FULL).await;
    assert_eq!(
        reply.json()["data"]["updated_at"],
        "2025-01-06T09:00:00.000Z"
    );
}

#[tokio::test]
async fn a_request_with_no_body_and_no_content_type_fails_the_schema() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let reply = patch_raw(
        &app,
        "/integrations/github",
        &[("authorization", &bearer)],
        b"",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        invalid_body(json!([issue(
            "invalid_type",
            "Invalid input: expected object, received undefined",
            &[]
        )]))
    );
}

#[tokio::test]
async fn an_empty_json_body_is_an_empty_object() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let reply = patch_raw(
        &app,
        "/integrations/github",
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        b"",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn strict_json_parsing_refuses_scalars_blank_bodies_and_broken_text() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let cases: [(&[u8], &str); 6] = [
        (b"\"string\"", "Unexpected token '\"': only an object or an array may stand at the top level in JSON at position 0"),
        (b"  42", "Unexpected token '4': only an object or an array may stand at the top level in JSON at position 2"),
        (b"null", "Unexpected token 'n': only an object or an array may stand at the top level in JSON at position 0"),
        (b"   ", "Unexpected end of JSON input"),
        (b"{\"a\":", "EOF while parsing a value in JSON at position 5"),
        (b"{\"a\":1}}", "trailing characters in JSON at position 7"),
    ];
    for (body, message) in cases {
        let reply = patch_raw(
            &app,
            "/integrations/github",
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            body,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body:?}");
        assert_eq!(
            reply.json(),
            json!({"error": {"code": "invalid_json", "message": message}}),
            "{body:?}"
        );
    }
}

#[tokio::test]
async fn any_query_parameter_on_patch_is_refused() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let headers = [
        ("authorization", bearer.as_str()),
        ("content-type", "application/json"),
    ];
    let reply = patch_raw(&app, "/integrations/github?foo=1", &headers, b"{}").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_query_params", "errors": [issue("unrecognized_keys", "Unrecognized key: \"foo\"", &[])]}})
    );
    let reply = patch_raw(
        &app,
        "/integrations/github?foo=1&bar=2&foo=3",
        &headers,
        b"{\"bad\":1}",
    )
    .await;
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_query_params", "errors": [issue("unrecognized_keys", "Unrecognized keys: \"foo\", \"bar\"", &[])]}}),
        "the query is checked before the body"
    );
}

#[tokio::test]
async fn the_path_param_is_checked_after_the_body() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let headers = [
        ("authorization", bearer.as_str()),
        ("content-type", "application/json"),
    ];
    let reply = patch_raw(&app, "/integrations/a%2Fb", &headers, b"{}").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_uri_params", "errors": [issue("invalid_format", PATTERN, &["uniqueKey"])]}})
    );
    let long = "k".repeat(256);
    let reply = patch_raw(&app, &format!("/integrations/{long}"), &headers, b"{}").await;
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_uri_params", "errors": [issue("too_big", "Too big: expected string to have <=255 characters", &["uniqueKey"])]}})
    );
    // A bad body and a bad key together report the body.
    let reply = patch_raw(
        &app,
        "/integrations/a%2Fb",
        &headers,
        b"{\"display_name\":\"\"}",
    )
    .await;
    assert_eq!(reply.json()["error"]["code"], "invalid_body");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_in_nangos_envelope() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let headers = [
        ("authorization", bearer.as_str()),
        ("content-type", "application/json"),
    ];
    let huge = format!("{{\"display_name\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let reply = patch_raw(&app, "/integrations/github", &headers, huge.as_bytes()).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        reply.json(),
        error(
            "payload_too_large",
            "The request body is larger than the limit of 1048576 bytes"
        )
    );
    // A body just under the limit is parsed (and here refused by the schema, not by size).
    let big = format!("{{\"display_name\":\"{}\"}}", "x".repeat(1000 * 1024));
    let reply = patch_raw(&app, "/integrations/github", &headers, big.as_bytes()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"]["errors"][0]["code"], "too_big");
}

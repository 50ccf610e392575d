//! Every row of the body-validation table: each input gives exactly these payload errors.

use super::*;
use serde_json::json;

fn errors(body: Value) -> Vec<String> {
    match update_body(Some(&body)) {
        Ok(_) => vec![],
        Err(ComposioError::Validation(errors)) => errors,
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn the_validation_table() {
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"type": "custom"}), vec![]),
        (json!({"type": "default", "extra": 1, "credentials": 5}), vec![]),
        (json!([]), vec!["Error in payload: Expected object, received array"]),
        (json!("x"), vec!["Error in payload: Expected object, received string"]),
        (json!(null), vec!["Error in payload: Expected object, received null"]),
        (
            json!({}),
            vec!["Error in payload.type: Invalid discriminator value. Expected 'custom' | 'default'"],
        ),
        (
            json!({"type": "CUSTOM", "name": 1}),
            vec!["Error in payload.type: Invalid discriminator value. Expected 'custom' | 'default'"],
        ),
        (
            json!({"type": "custom", "name": 1, "credentials": "x", "is_enabled_for_tool_router": "yes"}),
            vec![
                "Error in payload.name: Expected string, received number",
                "Error in payload.credentials: Expected object, received string",
                "Error in payload.is_enabled_for_tool_router: Expected boolean, received string",
            ],
        ),
        (
            json!({"type": "custom", "credentials": {"scopes": 5, "user_scopes": [1]}}),
            vec![
                "Error in payload.credentials.scopes: Invalid input",
                "Error in payload.credentials.user_scopes: Invalid input",
            ],
        ),
        (
            json!({"type": "custom", "proxy_config": {}}),
            vec!["Error in payload.proxy_config.proxy_url: Required"],
        ),
        (
            json!({"type": "custom", "proxy_config": {"proxy_url": "not a url", "proxy_auth_key": 3}}),
            vec![
                "Error in payload.proxy_config.proxy_url: Invalid url",
                "Error in payload.proxy_config.proxy_auth_key: Expected string, received number",
            ],
        ),
        (
            json!({"type": "custom", "proxy_config": "x"}),
            vec!["Error in payload.proxy_config: Expected object, received string"],
        ),
        (
            json!({"type": "default", "restrict_to_following_tools": ["A", 2], "tool_access_config": {"tools_available_for_execution": "A"}}),
            vec![
                "Error in payload.restrict_to_following_tools.1: Expected string, received number",
                "Error in payload.tool_access_config.tools_available_for_execution: Expected array, received string",
            ],
        ),
        (
            json!({"type": "default", "scopes": {}, "shared_credentials": []}),
            vec![
                "Error in payload.scopes: Invalid input",
                "Error in payload.shared_credentials: Expected object, received array",
            ],
        ),
        (
            json!({"type": "default", "tool_access_config": null}),
            vec!["Error in payload.tool_access_config: Expected object, received null"],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(errors(body.clone()), expected, "body {body}");
    }
}

#[test]
fn a_missing_body_is_required() {
    assert!(matches!(
        update_body(None),
        Err(ComposioError::Validation(errors)) if errors == ["Error in payload: Required"]
    ));
}

#[test]
fn each_variant_keeps_only_its_own_fields() {
    let custom = update_body(Some(&json!({
        "type": "custom", "scopes": "ignored", "credentials": {"client_id": "x"},
        "proxy_config": null
    })))
    .expect("valid");
    assert_eq!(custom.scopes, None);
    assert_eq!(custom.proxy_config, Patch::Clear);
    assert!(custom.credentials.is_some());
    let default = update_body(Some(&json!({
        "type": "default", "scopes": ["a"], "credentials": {"client_id": "x"},
        "proxy_config": {"proxy_url": "https://p.example.com"}
    })))
    .expect("valid");
    assert_eq!(default.credentials, None);
    assert_eq!(default.proxy_config, Patch::Keep);
    assert_eq!(default.scopes, Some(json!(["a"])));
}

#[test]
fn urls_are_checked_as_zod_does() {
    assert!(is_url("https://proxy.example.com/x"));
    assert!(is_url("http://localhost:8080"));
    assert!(!is_url("proxy.example.com"));
    assert!(!is_url("https://"));
    assert!(!is_url("https://a b"));
}

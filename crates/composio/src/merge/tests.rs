//! The merge rule as a table: a stored auth config, a request, and the record after, or the
//! exact rejection.

use super::*;
use crate::validate::update_body;
use patchbay_http::testing::integration;
use serde_json::json;

fn record(config_type: &str) -> Integration {
    integration("proj", "ac_AAAAAAAAAAAA", "github")
        .attributes(json!({
            "type": config_type,
            "name": "Old",
            "tool_access_config": {"tools_for_connected_account_creation": ["A"], "tools_available_for_execution": ["A", "B"]},
            "restrict_to_following_tools": ["A", "B"],
            "proxy_config": {"proxy_url": "https://proxy.example.com", "proxy_auth_key": "pk"},
            "shared_credentials": {"api_key": "shared"},
            "is_enabled_for_tool_router": false
        }))
        .credential(
            "OAUTH2",
            json!({"client_id": "old-id", "client_secret": "old-secret", "scopes": ["repo"]}),
        )
        .build()
}

/// The attributes and credential fields after the merge, or the rejection message.
fn run(mut current: Integration, body: Value) -> Result<Value, String> {
    let request = update_body(Some(&body)).map_err(|error| format!("invalid body: {error:?}"))?;
    let patch = merge(&request, &current).map_err(|error| error.to_string())?;
    current.apply(patch);
    Ok(json!({
        "attributes": current.attributes,
        "credentials": current.credential.map(|credential| Value::Object(credential.fields)),
    }))
}

/// Applies `changes` (attribute or `credentials` -> new value, null removes) to the untouched record.
fn expect(config_type: &str, changes: Value) -> Value {
    let mut expected = run(record(config_type), json!({"type": config_type})).expect("no-op");
    for (key, value) in changes.as_object().expect("object") {
        let target = if key == "credentials" {
            &mut expected
        } else {
            &mut expected["attributes"]
        };
        let target = target.as_object_mut().expect("object");
        if value.is_null() {
            target.shift_remove(key);
        } else {
            target.insert(key.clone(), value.clone());
        }
    }
    expected
}

#[test]
fn the_merge_table() {
    let cases: Vec<(&str, &str, Value, Result<Value, &str>)> = vec![
        (
            "a body with only the type changes nothing",
            "custom",
            json!({"type": "custom"}),
            Ok(expect("custom", json!({}))),
        ),
        (
            "name is replaced when present, other fields kept",
            "custom",
            json!({"type": "custom", "name": "New"}),
            Ok(expect("custom", json!({"name": "New"}))),
        ),
        (
            "credentials merge key by key: rotating the secret keeps the client id",
            "custom",
            json!({"type": "custom", "credentials": {"client_secret": "new-secret"}}),
            Ok(expect("custom", json!({"credentials": {"client_id": "old-id", "client_secret": "new-secret", "scopes": ["repo"]}}))),
        ),
        (
            "a credential key sent as \"\" or [] or null is removed; new keys are added",
            "custom",
            json!({"type": "custom", "credentials": {"client_id": "", "scopes": [], "client_secret": null, "api_key": "k"}}),
            Ok(expect("custom", json!({"credentials": {"api_key": "k"}}))),
        ),
        (
            "the execution list moves restrict_to_following_tools with it; the creation list is kept",
            "custom",
            json!({"type": "custom", "tool_access_config": {"tools_available_for_execution": ["C"]}}),
            Ok(expect("custom", json!({
                "tool_access_config": {"tools_for_connected_account_creation": ["A"], "tools_available_for_execution": ["C"]},
                "restrict_to_following_tools": ["C"]
            }))),
        ),
        (
            "restrict_to_following_tools moves the execution list with it",
            "default",
            json!({"type": "default", "restrict_to_following_tools": []}),
            Ok(expect("default", json!({
                "tool_access_config": {"tools_for_connected_account_creation": ["A"], "tools_available_for_execution": []},
                "restrict_to_following_tools": []
            }))),
        ),
        (
            "tool_access_config wins over restrict_to_following_tools sent together",
            "custom",
            json!({"type": "custom", "restrict_to_following_tools": ["X"], "tool_access_config": {"tools_available_for_execution": ["Y"], "tools_for_connected_account_creation": []}}),
            Ok(expect("custom", json!({
                "tool_access_config": {"tools_for_connected_account_creation": [], "tools_available_for_execution": ["Y"]},
                "restrict_to_following_tools": ["Y"]
            }))),
        ),
        (
            "an empty tool_access_config changes nothing",
            "custom",
            json!({"type": "custom", "tool_access_config": {}}),
            Ok(expect("custom", json!({}))),
        ),
        (
            "proxy_config null clears it",
            "custom",
            json!({"type": "custom", "proxy_config": null}),
            Ok(expect("custom", json!({"proxy_config": null}))),
        ),
        (
            "proxy_config is replaced whole",
            "custom",
            json!({"type": "custom", "proxy_config": {"proxy_url": "https://other.example.com"}}),
            Ok(expect("custom", json!({"proxy_config": {"proxy_url": "https://other.example.com"}}))),
        ),
        (
            "shared_credentials is replaced whole; {} empties it",
            "custom",
            json!({"type": "custom", "shared_credentials": {}}),
            Ok(expect("custom", json!({"shared_credentials": {}}))),
        ),
        (
            "is_enabled_for_tool_router is set",
            "custom",
            json!({"type": "custom", "is_enabled_for_tool_router": true}),
            Ok(expect("custom", json!({"is_enabled_for_tool_router": true}))),
        ),
        (
            "default scopes merge into the credentials; \"\" clears them",
            "default",
            json!({"type": "default", "scopes": "", "user_scopes": ["chat:write"]}),
            Ok(expect("default", json!({"credentials": {"client_id": "old-id", "client_secret": "old-secret", "user_scopes": ["chat:write"]}}))),
        ),
        (
            "a default body ignores credentials and proxy_config",
            "default",
            json!({"type": "default", "credentials": {"client_id": "x"}, "proxy_config": null}),
            Ok(expect("default", json!({}))),
        ),
        (
            "a type that differs from the stored one is refused",
            "custom",
            json!({"type": "default", "name": "x"}),
            Err("Auth config type mismatch: ac_AAAAAAAAAAAA is a custom auth config and cannot be updated with type \"default\""),
        ),
        (
            "and the other way round",
            "default",
            json!({"type": "custom"}),
            Err("Auth config type mismatch: ac_AAAAAAAAAAAA is a default auth config and cannot be updated with type \"custom\""),
        ),
    ];
    for (name, config_type, body, expected) in cases {
        let outcome = run(record(config_type), body);
        assert_eq!(outcome, expected.map_err(str::to_string), "{name}");
    }
}

#[test]
fn credentials_are_created_with_the_auth_scheme_when_none_are_stored() {
    let mut current = record("custom");
    current.credential = None;
    current
        .attributes
        .insert(record::AUTH_SCHEME.into(), json!("API_KEY"));
    let request = update_body(Some(
        &json!({"type": "custom", "credentials": {"api_key": "k"}}),
    ))
    .expect("valid");
    let patch = merge(&request, &current).expect("merges");
    current.apply(patch);
    let credential = current.credential.expect("created");
    assert_eq!(credential.kind, "API_KEY");
    assert_eq!(Value::Object(credential.fields), json!({"api_key": "k"}));
}

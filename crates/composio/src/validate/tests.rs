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

fn create_errors(body: Value) -> Vec<String> {
    match create_body(Some(&body)) {
        Ok(_) => vec![],
        Err(ComposioError::Validation(errors)) => errors,
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn the_create_validation_table() {
    let schemes = "'OAUTH2' | 'OAUTH1' | 'API_KEY' | 'BASIC' | 'BILLCOM_AUTH' | 'BEARER_TOKEN' | 'GOOGLE_SERVICE_ACCOUNT' | 'NO_AUTH' | 'BASIC_WITH_JWT' | 'CALCOM_AUTH' | 'SERVICE_ACCOUNT' | 'SAML' | 'DCR_OAUTH' | 'S2S_OAUTH2'";
    let bad_scheme = format!(
        "Error in payload.auth_config.authScheme: Invalid enum value. Expected {schemes}, received 'oauth2'"
    );
    let number_scheme =
        format!("Error in payload.auth_config.authScheme: Expected {schemes}, received number");
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"toolkit": {"slug": "github"}}), vec![]),
        (json!({"toolkit": {"slug": "github"}, "extra": 1}), vec![]),
        (
            json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_composio_managed_auth", "credentials": {"scopes": "repo"}, "proxy_config": 5}}),
            vec![],
        ),
        (
            json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_custom_auth", "authScheme": "OAUTH2", "proxy_config": null}}),
            vec![],
        ),
        (json!({}), vec!["Error in payload.toolkit: Required"]),
        (json!([]), vec!["Error in payload: Expected object, received array"]),
        (json!({"toolkit": "github"}), vec!["Error in payload.toolkit: Expected object, received string"]),
        (json!({"toolkit": {}}), vec!["Error in payload.toolkit.slug: Required"]),
        (json!({"toolkit": {"slug": 1}}), vec!["Error in payload.toolkit.slug: Expected string, received number"]),
        (
            json!({"auth_config": {"type": "custom"}}),
            vec![
                "Error in payload.toolkit: Required",
                "Error in payload.auth_config.type: Invalid discriminator value. Expected 'use_composio_managed_auth' | 'use_custom_auth'",
            ],
        ),
        (
            json!({"toolkit": {"slug": "github"}, "auth_config": null}),
            vec!["Error in payload.auth_config: Expected object, received null"],
        ),
        (
            json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_custom_auth"}}),
            vec!["Error in payload.auth_config.authScheme: Required"],
        ),
        (
            json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_custom_auth", "auth_scheme": "OAUTH2"}}),
            vec!["Error in payload.auth_config.authScheme: Required"],
        ),
        (
            json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_custom_auth", "authScheme": "oauth2"}}),
            vec![bad_scheme.as_str()],
        ),
        (
            json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_custom_auth", "authScheme": 2}}),
            vec![number_scheme.as_str()],
        ),
        (
            json!({"toolkit": {"slug": "github"}, "auth_config": {
                "type": "use_custom_auth", "authScheme": "API_KEY", "name": 1,
                "credentials": {"scopes": 1}, "proxy_config": {"proxy_url": "nope"},
                "restrict_to_following_tools": [1], "tool_access_config": {"tools_available_for_execution": "x"},
                "shared_credentials": [], "is_enabled_for_tool_router": "yes"
            }}),
            vec![
                "Error in payload.auth_config.name: Expected string, received number",
                "Error in payload.auth_config.credentials.scopes: Invalid input",
                "Error in payload.auth_config.proxy_config.proxy_url: Invalid url",
                "Error in payload.auth_config.restrict_to_following_tools.0: Expected string, received number",
                "Error in payload.auth_config.tool_access_config.tools_available_for_execution: Expected array, received string",
                "Error in payload.auth_config.shared_credentials: Expected object, received array",
                "Error in payload.auth_config.is_enabled_for_tool_router: Expected boolean, received string",
            ],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(create_errors(body.clone()), expected, "{body}");
    }
    assert!(matches!(
        create_body(None),
        Err(ComposioError::Validation(errors)) if errors == ["Error in payload: Required"]
    ));
}

#[test]
fn a_valid_create_body_reads_into_its_variant() {
    let body = json!({"toolkit": {"slug": "github"}, "auth_config": {
        "type": "use_custom_auth", "authScheme": "OAUTH2", "name": "Mine",
        "credentials": {"client_id": "a", "client_secret": "b"},
        "proxy_config": {"proxy_url": "https://p.example.com"}
    }});
    let create = create_body(Some(&body)).expect("valid");
    assert_eq!(create.toolkit, "github");
    assert_eq!(
        create.variant,
        crate::wire::CreateVariant::Custom {
            auth_scheme: "OAUTH2".into()
        }
    );
    assert_eq!(create.name.as_deref(), Some("Mine"));
    assert_eq!(create.credentials.len(), 2);
    assert_eq!(
        create.proxy_config.map(|proxy| proxy.proxy_url),
        Some("https://p.example.com".into())
    );
    let managed = create_body(Some(&json!({"toolkit": {"slug": "slack"}}))).expect("valid");
    assert_eq!(managed.variant, crate::wire::CreateVariant::ComposioManaged);
}

fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
    query
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

fn query_errors(query: &[(&str, &str)], version: crate::wire::ApiVersion) -> Vec<String> {
    match list_query(&pairs(query), version) {
        Ok(_) => vec![],
        Err(ComposioError::Validation(errors)) => errors,
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

/// A list query, the version it is sent on, and the errors it gets.
type QueryCase = (
    &'static [(&'static str, &'static str)],
    crate::wire::ApiVersion,
    Vec<&'static str>,
);

#[test]
fn the_list_query_table() {
    use crate::wire::ApiVersion::{V3, V3_1};
    let cases: Vec<QueryCase> = vec![
        (&[], V3_1, vec![]),
        (&[("limit", "50")], V3_1, vec![]),
        (&[("limit", "10.0")], V3_1, vec![]),
        (&[("limit", "1000")], V3, vec![]),
        (
            &[
                ("unknown", "x"),
                ("deprecated_app_id", "a"),
                ("deprecated_status", "b"),
            ],
            V3_1,
            vec![],
        ),
        (
            &[("limit", "51")],
            V3_1,
            vec!["Error in query.limit: Number must be less than or equal to 50"],
        ),
        (
            &[("limit", "1001")],
            V3,
            vec!["Error in query.limit: Number must be less than or equal to 1000"],
        ),
        (
            &[("limit", "0")],
            V3_1,
            vec!["Error in query.limit: Number must be greater than or equal to 1"],
        ),
        (
            &[("limit", "")],
            V3_1,
            vec!["Error in query.limit: Number must be greater than or equal to 1"],
        ),
        (
            &[("limit", "-3")],
            V3_1,
            vec!["Error in query.limit: Number must be greater than or equal to 1"],
        ),
        (
            &[("limit", "2.5")],
            V3_1,
            vec!["Error in query.limit: Expected integer, received float"],
        ),
        (
            &[("limit", "ten")],
            V3_1,
            vec!["Error in query.limit: Expected number, received nan"],
        ),
        (
            &[("limit", "1e999")],
            V3_1,
            vec!["Error in query.limit: Expected number, received nan"],
        ),
        (
            &[("cursor", "bm90IGEgY3Vyc29y")],
            V3_1,
            vec!["Error in query.cursor: Invalid cursor"],
        ),
        (&[("cursor", "")], V3_1, vec![]),
        (
            &[("show_disabled", "yes"), ("is_composio_managed", "1")],
            V3_1,
            vec![
                "Error in query.is_composio_managed: Expected boolean, received string",
                "Error in query.show_disabled: Expected boolean, received string",
            ],
        ),
    ];
    for (query, version, expected) in cases {
        assert_eq!(
            query_errors(query, version),
            expected,
            "{query:?} on {version:?}"
        );
    }
}

#[test]
fn the_list_query_reads_its_defaults_and_its_last_values() {
    use crate::wire::ApiVersion::V3_1;
    let query = list_query(&[], V3_1).expect("valid");
    assert_eq!(query.limit, crate::wire::DEFAULT_LIMIT);
    assert!(!query.show_disabled);
    assert!(query.cursor.is_none() && query.search.is_none() && query.toolkit_slugs.is_empty());
    let query = list_query(
        &pairs(&[
            ("limit", "3"),
            ("limit", "4"),
            ("toolkit_slug", "GitHub,,slack "),
            ("search", "  Mail "),
            ("show_disabled", "TRUE"),
            ("is_composio_managed", "false"),
        ]),
        V3_1,
    )
    .expect("valid");
    assert_eq!(query.limit, 4);
    assert_eq!(query.toolkit_slugs, ["github", "slack"]);
    assert_eq!(query.search.as_deref(), Some("mail"));
    assert!(query.show_disabled);
    assert_eq!(query.is_composio_managed, Some(false));
}

#[test]
fn revoke_on_delete_and_the_status_segment() {
    assert!(!revoke_on_delete(&[]).expect("default"));
    assert!(revoke_on_delete(&pairs(&[("revoke_on_delete", "true")])).expect("true"));
    assert!(matches!(
        revoke_on_delete(&pairs(&[("revoke_on_delete", "maybe")])),
        Err(ComposioError::Validation(errors))
            if errors == ["Error in query.revoke_on_delete: Expected boolean, received string"]
    ));
    assert_eq!(auth_config_status("ENABLED").expect("valid"), "ENABLED");
    assert_eq!(auth_config_status("DISABLED").expect("valid"), "DISABLED");
    assert!(matches!(
        auth_config_status("enabled"),
        Err(ComposioError::Validation(errors))
            if errors == ["Error in path.status: Invalid enum value. Expected 'ENABLED' | 'DISABLED', received 'enabled'"]
    ));
}

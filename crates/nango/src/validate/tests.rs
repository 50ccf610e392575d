//! Every row of the body-validation table: each input gives exactly Nango's issues (zod 4.0.5).

use super::*;
use serde_json::json;

/// `(code, message, path)` of each issue.
type Issues = Vec<(String, String, Vec<String>)>;

fn issues(body: Value) -> Issues {
    match update_body(Some(&body)) {
        Ok(_) => vec![],
        Err(NangoError::InvalidBody(issues)) => issues
            .into_iter()
            .map(|issue| (issue.code.to_string(), issue.message, issue.path))
            .collect(),
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

fn one(code: &str, message: &str, path: &[&str]) -> Issues {
    vec![(
        code.into(),
        message.into(),
        path.iter().map(|segment| segment.to_string()).collect(),
    )]
}

const PATTERN_MESSAGE: &str = "Invalid string: must match pattern /^[a-zA-Z0-9~:.@ _-]+$/";
const UNDEFINED_STRING: &str = "Invalid input: expected string, received undefined";

#[test]
fn the_body_must_be_an_object() {
    for (body, kind) in [
        (None, "undefined"),
        (Some(json!([])), "array"),
        (Some(json!("s")), "string"),
    ] {
        let Err(NangoError::InvalidBody(issues)) = update_body(body.as_ref()) else {
            panic!("accepted {body:?}")
        };
        assert_eq!(
            issues,
            vec![Issue::new(
                "invalid_type",
                format!("Invalid input: expected object, received {kind}"),
                &[]
            )]
        );
    }
    assert_eq!(
        update_body(Some(&json!({}))).expect("empty is valid"),
        UpdateIntegration::default()
    );
}

#[test]
fn each_field_reports_zods_issue() {
    let cases: Vec<(Value, Issues)> = vec![
        (
            json!({"foo": 1}),
            one("unrecognized_keys", "Unrecognized key: \"foo\"", &[]),
        ),
        (
            json!({"foo": 1, "bar": 2}),
            one(
                "unrecognized_keys",
                "Unrecognized keys: \"foo\", \"bar\"",
                &[],
            ),
        ),
        (
            json!({"unique_key": "a/b"}),
            one("invalid_format", PATTERN_MESSAGE, &["unique_key"]),
        ),
        (
            json!({"unique_key": ""}),
            one("invalid_format", PATTERN_MESSAGE, &["unique_key"]),
        ),
        (
            json!({"unique_key": "a".repeat(256)}),
            one(
                "too_big",
                "Too big: expected string to have <=255 characters",
                &["unique_key"],
            ),
        ),
        (
            json!({"display_name": ""}),
            one(
                "too_small",
                "Too small: expected string to have >=1 characters",
                &["display_name"],
            ),
        ),
        (
            json!({"display_name": false}),
            one(
                "invalid_type",
                "Invalid input: expected string, received boolean",
                &["display_name"],
            ),
        ),
        (
            json!({"display_name": null}),
            one(
                "invalid_type",
                "Invalid input: expected string, received null",
                &["display_name"],
            ),
        ),
        (
            json!({"forward_webhooks": "true"}),
            one(
                "invalid_type",
                "Invalid input: expected boolean, received string",
                &["forward_webhooks"],
            ),
        ),
        (
            json!({"credentials": {"type": "INVALID"}}),
            one(
                "invalid_union",
                "invalid credentials object",
                &["credentials", "type"],
            ),
        ),
        (
            json!({"credentials": {}}),
            one(
                "invalid_union",
                "invalid credentials object",
                &["credentials", "type"],
            ),
        ),
        (
            json!({"credentials": "x"}),
            one(
                "invalid_type",
                "invalid credentials object",
                &["credentials"],
            ),
        ),
        (
            json!({"credentials": null}),
            one(
                "invalid_type",
                "invalid credentials object",
                &["credentials"],
            ),
        ),
        (
            json!({"credentials": {"type": "OAUTH2"}}),
            vec![
                (
                    "invalid_type".into(),
                    UNDEFINED_STRING.into(),
                    vec!["credentials".into(), "client_id".into()],
                ),
                (
                    "invalid_type".into(),
                    UNDEFINED_STRING.into(),
                    vec!["credentials".into(), "client_secret".into()],
                ),
            ],
        ),
        (
            json!({"credentials": {"type": "OAUTH2", "client_id": "", "client_secret": "s"}}),
            one(
                "too_small",
                "Too small: expected string to have >=1 characters",
                &["credentials", "client_id"],
            ),
        ),
        (
            json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "extra": 1}}),
            one(
                "unrecognized_keys",
                "Unrecognized key: \"extra\"",
                &["credentials"],
            ),
        ),
        (
            json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": "a b"}}),
            one("invalid_union", "Invalid input", &["credentials", "scopes"]),
        ),
        (
            json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": null}}),
            one("invalid_union", "Invalid input", &["credentials", "scopes"]),
        ),
        (
            json!({"credentials": {"type": "APP", "app_id": "1", "app_link": "l", "private_key": "nope"}}),
            vec![
                (
                    "invalid_format".into(),
                    "Invalid string: must start with \"-----BEGIN RSA PRIVATE KEY----\"".into(),
                    vec!["credentials".into(), "private_key".into()],
                ),
                (
                    "invalid_format".into(),
                    "Invalid string: must end with \"-----END RSA PRIVATE KEY-----\"".into(),
                    vec!["credentials".into(), "private_key".into()],
                ),
            ],
        ),
        (
            json!({"integration_config": {"a": 1}}),
            one(
                "invalid_type",
                "Invalid input: expected string, received number",
                &["integration_config", "a"],
            ),
        ),
        (
            json!({"integration_config": "x"}),
            one(
                "invalid_type",
                "Invalid input: expected record, received string",
                &["integration_config"],
            ),
        ),
        (
            json!({"integration_config": {"a": "x".repeat(8193)}}),
            one(
                "too_big",
                "Too big: expected string to have <=8192 characters",
                &["integration_config", "a"],
            ),
        ),
        (
            json!({"custom": {"a": true}}),
            one(
                "invalid_type",
                "Invalid input: expected string, received boolean",
                &["custom", "a"],
            ),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(issues(body.clone()), expected, "body {body}");
    }
}

#[test]
fn issues_come_in_schema_order_with_unrecognized_keys_last() {
    let body =
        json!({"zzz": 1, "custom": 1, "forward_webhooks": 1, "display_name": 1, "unique_key": 1});
    let paths: Vec<Vec<String>> = issues(body).into_iter().map(|(_, _, path)| path).collect();
    let expected: Vec<Vec<String>> = [
        vec!["unique_key"],
        vec!["display_name"],
        vec!["forward_webhooks"],
        vec!["custom"],
        vec![],
    ]
    .into_iter()
    .map(|path| path.into_iter().map(str::to_string).collect())
    .collect();
    assert_eq!(paths, expected);
}

#[test]
fn valid_credentials_of_each_variant_are_accepted() {
    let key = "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----";
    let bodies = [
        json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": "a,b:c/*", "webhook_secret": ""}}),
        json!({"credentials": {"type": "OAUTH1", "client_id": "i", "client_secret": "s", "scopes": ""}}),
        json!({"credentials": {"type": "TBA", "client_id": "i", "client_secret": "s"}}),
        json!({"credentials": {"type": "APP", "app_id": "1", "app_link": "l", "private_key": key}}),
        json!({"credentials": {"type": "CUSTOM", "client_id": "i", "client_secret": "s", "app_id": "1", "app_link": "l", "private_key": key}}),
    ];
    for body in bodies {
        let update = update_body(Some(&body)).unwrap_or_else(|error| panic!("{body}: {error:?}"));
        assert!(update.credentials.is_some(), "{body}");
    }
}

#[test]
fn query_strings_and_path_params_are_checked() {
    let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let Err(NangoError::InvalidQueryParams(issues)) = empty_query(&pairs(&[("foo", "1")])) else {
        panic!("accepted a query")
    };
    assert_eq!(
        issues,
        vec![Issue::new(
            "unrecognized_keys",
            "Unrecognized key: \"foo\"",
            &[]
        )]
    );
    assert!(empty_query(&[]).is_ok());
    assert_eq!(
        get_query(&pairs(&[
            ("include", "credentials"),
            ("include", "webhook")
        ]))
        .expect("valid"),
        Include {
            webhook: true,
            credentials: true
        }
    );
    let Err(NangoError::InvalidQueryParams(issues)) = get_query(&pairs(&[("include", "secrets")]))
    else {
        panic!("accepted")
    };
    assert_eq!(
        issues,
        vec![Issue::new("invalid_union", "Invalid input", &["include"])]
    );
    let Err(NangoError::InvalidUriParams(issues)) = unique_key_param("a/b") else {
        panic!("accepted a/b")
    };
    assert_eq!(
        issues,
        vec![Issue::new(
            "invalid_format",
            PATTERN_MESSAGE,
            &["uniqueKey"]
        )]
    );
    assert!(unique_key_param("my integration:1.0@x~y_z-").is_ok());
}

fn create_issues(body: Option<Value>, schema: CreateSchema) -> Issues {
    match create_body(body.as_ref(), schema) {
        Ok(_) => vec![],
        Err(NangoError::InvalidBody(issues)) => issues
            .into_iter()
            .map(|issue| (issue.code.to_string(), issue.message, issue.path))
            .collect(),
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

fn issue(code: &str, message: &str, path: &[&str]) -> (String, String, Vec<String>) {
    one(code, message, path).remove(0)
}

/// The zod message table of the create body (LIFECYCLE.md §1.2).
#[test]
fn each_create_field_reports_zods_issue() {
    const PROVIDER_PATTERN: &str = "Invalid string: must match pattern /^[a-zA-Z0-9_-]+$/";
    let full = |body: Value| create_issues(Some(body), CreateSchema::Full);
    let cases: Vec<(Value, Issues)> = vec![
        (
            json!({}),
            vec![
                issue("invalid_type", UNDEFINED_STRING, &["provider"]),
                issue("invalid_type", UNDEFINED_STRING, &["unique_key"]),
            ],
        ),
        (
            json!({"provider": "git hub", "unique_key": "k"}),
            one("invalid_format", PROVIDER_PATTERN, &["provider"]),
        ),
        (
            json!({"provider": 1, "unique_key": "k"}),
            one(
                "invalid_type",
                "Invalid input: expected string, received number",
                &["provider"],
            ),
        ),
        (
            json!({"provider": "p".repeat(256), "unique_key": "k"}),
            one(
                "too_big",
                "Too big: expected string to have <=255 characters",
                &["provider"],
            ),
        ),
        (
            json!({"provider": "github", "unique_key": ""}),
            one("invalid_format", PATTERN_MESSAGE, &["unique_key"]),
        ),
        (
            json!({"provider": "github", "unique_key": null}),
            one(
                "invalid_type",
                "Invalid input: expected string, received null",
                &["unique_key"],
            ),
        ),
        (
            json!({"provider": "github", "unique_key": "k", "foo": 1, "bar": 2}),
            one(
                "unrecognized_keys",
                "Unrecognized keys: \"foo\", \"bar\"",
                &[],
            ),
        ),
        (
            json!({"provider": "github", "unique_key": "k", "integration_config": {"a": "x".repeat(8193)}}),
            one(
                "too_big",
                "Too big: expected string to have <=8192 characters",
                &["integration_config", "a"],
            ),
        ),
        (
            json!({"provider": "github", "unique_key": "k", "custom": {"a": 1}}),
            one(
                "invalid_type",
                "Invalid input: expected string, received number",
                &["custom", "a"],
            ),
        ),
        (
            json!({"provider": "github", "unique_key": "k", "display_name": ""}),
            one(
                "too_small",
                "Too small: expected string to have >=1 characters",
                &["display_name"],
            ),
        ),
        (
            json!({"provider": "github", "unique_key": "k", "forward_webhooks": "true"}),
            one(
                "invalid_type",
                "Invalid input: expected boolean, received string",
                &["forward_webhooks"],
            ),
        ),
        // Nango's own test (postIntegration.integration.test.ts): the catalogue check comes later.
        (
            json!({"provider": "invalid", "unique_key": "1832_@$ùé&", "display_name": false, "credentials": {"authType": "INVALID"}}),
            vec![
                issue("invalid_format", PATTERN_MESSAGE, &["unique_key"]),
                issue(
                    "invalid_type",
                    "Invalid input: expected string, received boolean",
                    &["display_name"],
                ),
                issue(
                    "invalid_union",
                    "invalid credentials object",
                    &["credentials", "type"],
                ),
            ],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(full(body.clone()), expected, "{body}");
    }
    assert_eq!(
        create_issues(None, CreateSchema::Full),
        one(
            "invalid_type",
            "Invalid input: expected object, received undefined",
            &[]
        )
    );
}

#[test]
fn create_issues_come_in_schema_order_with_unrecognized_keys_last() {
    let body = json!({
        "zzz": 1, "custom": 1, "integration_config": 1, "credentials": 1, "forward_webhooks": 1,
        "display_name": 1, "unique_key": 1, "provider": 1,
    });
    let paths: Vec<Vec<String>> = create_issues(Some(body), CreateSchema::Full)
        .into_iter()
        .map(|(_, _, path)| path)
        .collect();
    let expected: Vec<Vec<String>> = [
        vec!["provider"],
        vec!["unique_key"],
        vec!["display_name"],
        vec!["forward_webhooks"],
        vec!["credentials"],
        vec!["integration_config"],
        vec!["custom"],
        vec![],
    ]
    .into_iter()
    .map(|path| path.into_iter().map(str::to_string).collect())
    .collect();
    assert_eq!(paths, expected);
}

#[test]
fn a_quickstart_body_takes_only_the_base_keys() {
    let body = json!({"provider": "github", "unique_key": "q", "credentials": {}, "integration_config": {}, "custom": {}});
    assert_eq!(
        create_issues(Some(body), CreateSchema::Quickstart),
        one(
            "unrecognized_keys",
            "Unrecognized keys: \"credentials\", \"integration_config\", \"custom\"",
            &[]
        )
    );
    let request = create_body(
        Some(&json!({"provider": "github", "unique_key": "q", "display_name": "Q", "forward_webhooks": false})),
        CreateSchema::Quickstart,
    )
    .expect("valid");
    assert_eq!(request.display_name.as_deref(), Some("Q"));
    assert_eq!(request.forward_webhooks, Some(false));
}

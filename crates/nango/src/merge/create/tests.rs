//! The create rule as a table: a validated body, and the stored record or the exact rejection.

use super::*;
use crate::validate::{create_body, CreateSchema};
use serde_json::json;

/// The record the rule builds for a body, as JSON, or the rejection (body, provider check, build).
fn run(body: Value) -> Result<Value, String> {
    let catalogue = Catalogue::shipped().expect("catalogue");
    let request = create_body(Some(&body), CreateSchema::Full)
        .map_err(|error| format!("invalid body: {:?}", error.body()))?;
    let provider = check_create(&request, &catalogue).map_err(|error| error.to_string())?;
    let record = new_integration(&request, provider).map_err(|error| error.to_string())?;
    Ok(json!({
        "id": record.id,
        "kind": record.kind,
        "attributes": record.attributes,
        "credential": record.credential.map(|c| json!({"kind": c.kind, "fields": c.fields})),
    }))
}

fn stored(
    id: &str,
    kind: &str,
    attributes: Value,
    credential: Value,
) -> Result<Value, &'static str> {
    Ok(json!({"id": id, "kind": kind, "attributes": attributes, "credential": credential}))
}

#[test]
fn the_create_table() {
    let defaults = |custom: Value| json!({"display_name": null, "forward_webhooks": true, "custom": custom, "connection_count": 0});
    let cases: Vec<(&str, Value, Result<Value, &str>)> = vec![
        (
            "an API_KEY provider needs no credentials; display_name null, forward_webhooks true",
            json!({"provider": "algolia", "unique_key": "foobar"}),
            stored("foobar", "algolia", defaults(json!({})), Value::Null),
        ),
        (
            "display_name and forward_webhooks as sent",
            json!({"provider": "stripe", "unique_key": "s", "display_name": "Pay", "forward_webhooks": false}),
            stored(
                "s",
                "stripe",
                json!({"display_name": "Pay", "forward_webhooks": false, "custom": {}, "connection_count": 0}),
                Value::Null,
            ),
        ),
        (
            "OAuth credentials with their scopes and webhook secret",
            json!({"provider": "github", "unique_key": "gh", "credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": "repo", "webhook_secret": "w"}}),
            stored(
                "gh",
                "github",
                defaults(json!({"webhookSecret": "w"})),
                json!({"kind": "OAUTH2", "fields": {"client_id": "i", "client_secret": "s", "scopes": "repo"}}),
            ),
        ),
        (
            "OAuth credentials without scopes: null where the provider has no default scopes",
            json!({"provider": "github", "unique_key": "gh", "credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s"}}),
            stored(
                "gh",
                "github",
                defaults(json!({})),
                json!({"kind": "OAUTH2", "fields": {"client_id": "i", "client_secret": "s", "scopes": null}}),
            ),
        ),
        (
            "OAuth credentials without scopes take the provider's default scopes",
            json!({"provider": "salesforce", "unique_key": "sf", "credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s"}}),
            stored(
                "sf",
                "salesforce",
                defaults(json!({})),
                json!({"kind": "OAUTH2", "fields": {"client_id": "i", "client_secret": "s", "scopes": "offline_access"}}),
            ),
        ),
        (
            "empty scopes take the default scopes too",
            json!({"provider": "jira", "unique_key": "j", "credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": ""}}),
            stored(
                "j",
                "jira",
                defaults(json!({})),
                json!({"kind": "OAUTH2", "fields": {"client_id": "i", "client_secret": "s", "scopes": "offline_access"}}),
            ),
        ),
        (
            "sent scopes win over the default scopes",
            json!({"provider": "jira", "unique_key": "j", "credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": "read:jira-work"}}),
            stored(
                "j",
                "jira",
                defaults(json!({})),
                json!({"kind": "OAUTH2", "fields": {"client_id": "i", "client_secret": "s", "scopes": "read:jira-work"}}),
            ),
        ),
        (
            "integration_config resolved in create mode: defaults filled in, in schema order",
            json!({"provider": "aws-sigv4", "unique_key": "aws", "integration_config": {"region": "eu-west-1", "service": "s3"}}),
            stored(
                "aws",
                "aws-sigv4",
                defaults(json!({"service": "s3", "region": "eu-west-1", "stsMode": "builtin"})),
                Value::Null,
            ),
        ),
        (
            "an empty integration_config is not validated at all",
            json!({"provider": "aws-sigv4", "unique_key": "aws", "integration_config": {}}),
            stored("aws", "aws-sigv4", defaults(json!({})), Value::Null),
        ),
        (
            "custom is merged for a provider without an integration_config schema",
            json!({"provider": "stripe", "unique_key": "s", "custom": {"a": "b"}}),
            stored("s", "stripe", defaults(json!({"a": "b"})), Value::Null),
        ),
        (
            "an unknown provider",
            json!({"provider": "invalid", "unique_key": "x"}),
            Err("invalid body"),
        ),
        (
            "credentials of another auth mode",
            json!({"provider": "stripe", "unique_key": "x", "credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s"}}),
            Err("incompatible credentials auth type and provider auth"),
        ),
        (
            "OAUTH2 without credentials",
            json!({"provider": "github", "unique_key": "x"}),
            Err("Missing credentials"),
        ),
        (
            "APP without credentials",
            json!({"provider": "github-app", "unique_key": "x"}),
            Err("Missing credentials"),
        ),
        (
            "CUSTOM without credentials",
            json!({"provider": "github-app-oauth", "unique_key": "x"}),
            Err("Missing credentials"),
        ),
        (
            "OAUTH1 without credentials",
            json!({"provider": "twitter", "unique_key": "x"}),
            Err("Missing credentials"),
        ),
        (
            "unknown fields first, then every schema field in order",
            json!({"provider": "aws-sigv4", "unique_key": "x", "integration_config": {"stsEndpoint": "ftp://sts.example.com", "zzz": "1", "region": "nowhere", "stsMode": "other"}}),
            Err("Unknown field zzz, Service is required, Region has an invalid format, STS mode must be one of: builtin, custom, STS endpoint must be an http(s) URL"),
        ),
        (
            "a value that is no URL at all",
            json!({"provider": "private-api-generic", "unique_key": "x", "integration_config": {"baseUrl": "not a url"}}),
            Err("Base URL must be a valid URL"),
        ),
        (
            "a provider without a schema takes no integration_config",
            json!({"provider": "stripe", "unique_key": "x", "integration_config": {"a": "b"}}),
            Err("This provider does not accept integration configuration"),
        ),
        (
            "custom on a provider with an integration_config schema",
            json!({"provider": "private-api-generic", "unique_key": "x", "integration_config": {"baseUrl": "https://api.example.com"}, "custom": {"a": "b"}}),
            Err("This provider uses integration_config; set its values there instead of custom"),
        ),
    ];
    for (name, body, expected) in cases {
        let outcome = run(body);
        match expected {
            Ok(expected) => assert_eq!(outcome, Ok(expected), "{name}"),
            Err(message) => {
                let error = outcome.expect_err(name);
                assert!(error.starts_with(message), "{name}: {error}");
            }
        }
    }
}

#[test]
fn a_quickstart_is_offered_for_oauth_and_app_providers_only_and_then_finds_no_developer_app() {
    let catalogue = Catalogue::shipped().expect("catalogue");
    let body = |provider: &str| {
        create_body(
            Some(&json!({"provider": provider, "unique_key": "q"})),
            CreateSchema::Quickstart,
        )
        .expect("a valid quickstart body")
    };
    for provider in ["github", "twitter", "github-app"] {
        let request = body(provider);
        let found = check_quickstart(&request, &catalogue).expect(provider);
        let refusal = quickstart_integration(&request, found).expect_err(provider);
        assert_eq!(
            refusal.to_string(),
            "No Nango-provided developer app is configured for this provider"
        );
    }
    for provider in ["algolia", "github-app-oauth", "netsuite-tba", "aws-sigv4"] {
        let refusal = check_quickstart(&body(provider), &catalogue).expect_err(provider);
        assert_eq!(
            refusal.to_string(),
            "Quickstart is only available for providers that require a developer app"
        );
    }
    assert!(matches!(
        check_quickstart(&body("nope"), &catalogue),
        Err(NangoError::InvalidBody(_))
    ));
}

//! The merge rule as a table: a stored record, a request, and what the record looks like after, or
//! the exact rejection.

use super::*;
use crate::validate::update_body;
use patchbay_http::testing::integration;
use serde_json::json;

fn record(provider: &str, custom: Value, connections: u64) -> Integration {
    integration("dev", "current", provider)
        .attributes(json!({
            record::DISPLAY_NAME: "Old",
            record::CUSTOM: custom,
            record::CONNECTION_COUNT: connections,
        }))
        .credential(
            "OAUTH2",
            json!({"client_id": "old-id", "client_secret": "old-secret", "scopes": "repo"}),
        )
        .build()
}

/// The record after the merge, as JSON, or the rejection message.
fn run(mut current: Integration, body: Value, taken: bool) -> Result<Value, String> {
    let catalogue = Catalogue::shipped().expect("catalogue");
    let request = update_body(Some(&body)).map_err(|error| format!("invalid body: {error:?}"))?;
    let patch = merge(&request, &current, &catalogue, taken).map_err(|error| error.to_string())?;
    current.apply(patch);
    Ok(json!({
        "id": current.id,
        "attributes": current.attributes,
        "credential": current.credential.map(|c| json!({"kind": c.kind, "fields": c.fields})),
    }))
}

/// A row: name, stored record, request body, whether the new key is taken, and the outcome.
type Case = (
    &'static str,
    Integration,
    Value,
    bool,
    Result<Value, &'static str>,
);

#[test]
fn the_merge_table() {
    let github = || record("github", json!({}), 0);
    let aws = || {
        record(
            "aws-sigv4",
            json!({"service": "s3", "region": "us-east-1"}),
            0,
        )
    };
    let cases: Vec<Case> = vec![
        (
            "an empty body changes nothing",
            github(),
            json!({}),
            false,
            Ok(json!({"id": "current", "attributes": {"display_name": "Old", "custom": {}, "connection_count": 0},
                "credential": {"kind": "OAUTH2", "fields": {"client_id": "old-id", "client_secret": "old-secret", "scopes": "repo"}}})),
        ),
        (
            "top-level fields are replaced when present",
            github(),
            json!({"display_name": "New", "forward_webhooks": false, "unique_key": "renamed"}),
            false,
            Ok(json!({"id": "renamed", "attributes": {"display_name": "New", "custom": {}, "connection_count": 0, "forward_webhooks": false},
                "credential": {"kind": "OAUTH2", "fields": {"client_id": "old-id", "client_secret": "old-secret", "scopes": "repo"}}})),
        ),
        (
            "credentials are replaced whole; scopes left out are kept; a webhook secret goes to custom",
            github(),
            json!({"credentials": {"type": "OAUTH2", "client_id": "new-id", "client_secret": "new-secret", "webhook_secret": "whs"}}),
            false,
            Ok(json!({"id": "current", "attributes": {"display_name": "Old", "custom": {"webhookSecret": "whs"}, "connection_count": 0},
                "credential": {"kind": "OAUTH2", "fields": {"client_id": "new-id", "client_secret": "new-secret", "scopes": "repo"}}})),
        ),
        (
            "an empty webhook secret deletes it",
            record("github", json!({"webhookSecret": "old"}), 0),
            json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s", "scopes": "", "webhook_secret": ""}}),
            false,
            Ok(json!({"id": "current", "attributes": {"display_name": "Old", "custom": {}, "connection_count": 0},
                "credential": {"kind": "OAUTH2", "fields": {"client_id": "i", "client_secret": "s", "scopes": ""}}})),
        ),
        (
            "integration_config merges into custom and an empty optional value clears it",
            record("aws-sigv4", json!({"service": "s3", "region": "us-east-1", "stsMode": "builtin"}), 0),
            json!({"integration_config": {"region": "eu-west-1", "stsMode": ""}}),
            false,
            Ok(json!({"id": "current", "attributes": {"display_name": "Old", "custom": {"service": "s3", "region": "eu-west-1"}, "connection_count": 0},
                "credential": {"kind": "OAUTH2", "fields": {"client_id": "old-id", "client_secret": "old-secret", "scopes": "repo"}}})),
        ),
        (
            "custom merges shallowly for providers without a schema",
            record("github", json!({"a": "1", "b": "2"}), 0),
            json!({"custom": {"b": "3", "c": "4"}}),
            false,
            Ok(json!({"id": "current", "attributes": {"display_name": "Old", "custom": {"a": "1", "b": "3", "c": "4"}, "connection_count": 0},
                "credential": {"kind": "OAUTH2", "fields": {"client_id": "old-id", "client_secret": "old-secret", "scopes": "repo"}}})),
        ),
        ("an unknown provider is a 404", record("nope", json!({}), 0), json!({}), false, Err("Unknown provider nope")),
        (
            "credentials of the wrong auth mode",
            record("stripe", json!({}), 0),
            json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s"}}),
            false,
            Err("incompatible credentials auth type and provider auth"),
        ),
        ("renaming onto a used key", github(), json!({"unique_key": "other"}), true, Err("uniqueKey is already used by another integration")),
        (
            "renaming with connections",
            record("github", json!({}), 2),
            json!({"unique_key": "other"}),
            false,
            Err("Can't rename an integration with active connections"),
        ),
        (
            "renaming to the same key is a no-op even with connections",
            record("github", json!({}), 2),
            json!({"unique_key": "current"}),
            true,
            Ok(json!({"id": "current", "attributes": {"display_name": "Old", "custom": {}, "connection_count": 2},
                "credential": {"kind": "OAUTH2", "fields": {"client_id": "old-id", "client_secret": "old-secret", "scopes": "repo"}}})),
        ),
        (
            "integration_config errors are all reported, joined",
            aws(),
            json!({"integration_config": {"bogus": "x", "region": "Mars", "service": "", "stsMode": "other", "stsEndpoint": "ftp://x"}}),
            false,
            Err("Unknown field bogus, Region has an invalid format, Service is required, STS mode must be one of: builtin, custom, STS endpoint must be a valid http or https URL"),
        ),
        (
            "integration_config on a provider without a schema",
            github(),
            json!({"integration_config": {"a": "b"}}),
            false,
            Err("This provider does not accept integration configuration"),
        ),
        (
            "custom on a provider with a schema",
            aws(),
            json!({"custom": {"a": "b"}}),
            false,
            Err("This provider uses integration_config; set its values there instead of custom"),
        ),
        (
            "the rename check comes before integration_config validation",
            aws(),
            json!({"unique_key": "taken", "integration_config": {"bogus": "x"}}),
            true,
            Err("uniqueKey is already used by another integration"),
        ),
    ];
    for (name, current, body, taken, expected) in cases {
        let got = run(current, body, taken);
        assert_eq!(got, expected.map_err(str::to_string), "{name}");
    }
}

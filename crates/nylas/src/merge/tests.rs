//! The merge rule as a table: a stored credential, a request, and what the record looks like
//! after, or the exact refusal.

use super::*;
use crate::validate::update_body;
use patchbay_http::testing::integration;
use serde_json::json;

fn record(provider: &str, credential_type: &str, data: Value) -> Integration {
    integration("dev", "e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47", provider)
        .attributes(json!({"name": "Old name"}))
        .credential(credential_type, data)
        .build()
}

/// The record after the merge, as JSON, or the refusal as `type: message`.
fn run(
    mut current: Integration,
    provider: &str,
    body: Value,
    holders: &[&str],
) -> Result<Value, String> {
    let bytes = serde_json::to_vec(&body).expect("json");
    let request = update_body(&bytes).map_err(|error| format!("invalid body: {error}"))?;
    let holders: Vec<String> = holders.iter().map(|id| id.to_string()).collect();
    let patch = merge(&request, provider, &current, &holders)
        .map_err(|error| format!("{}: {error}", error.error_type()))?;
    current.apply(patch);
    Ok(json!({
        "name": current.attributes[record::NAME],
        "credential": current.credential.map(|c| json!({"kind": c.kind, "fields": c.fields})),
    }))
}

type Case = (
    &'static str,
    Integration,
    &'static str,
    Value,
    Vec<&'static str>,
    Result<Value, &'static str>,
);

#[test]
fn the_merge_table() {
    let id = "e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47";
    let connector = || {
        record(
            "google",
            "connector",
            json!({"client_id": "old-id", "client_secret": "old-secret"}),
        )
    };
    let service = || {
        record(
            "google",
            "serviceaccount",
            json!({"private_key_id": "k1", "private_key": "pem", "client_email": "a@b.iam.gserviceaccount.com"}),
        )
    };
    let consent = || {
        record(
            "microsoft",
            "adminconsent",
            json!({"client_id": "m", "client_secret": "s", "tenant": "t"}),
        )
    };
    let cases: Vec<Case> = vec![
        (
            "an empty body changes nothing",
            connector(),
            "google",
            json!({}),
            vec![],
            Ok(json!({"name": "Old name", "credential": {"kind": "connector", "fields": {"client_id": "old-id", "client_secret": "old-secret"}}})),
        ),
        (
            "a name alone keeps credential_data",
            connector(),
            "google",
            json!({"name": "New name"}),
            vec![],
            Ok(json!({"name": "New name", "credential": {"kind": "connector", "fields": {"client_id": "old-id", "client_secret": "old-secret"}}})),
        ),
        (
            "credential_data replaces the stored object whole, extra keys included",
            connector(),
            "google",
            json!({"credential_data": {"client_id": "new-id", "client_secret": "new-secret", "note": 1}}),
            vec![],
            Ok(json!({"name": "Old name", "credential": {"kind": "connector", "fields": {"client_id": "new-id", "client_secret": "new-secret", "note": 1}}})),
        ),
        (
            "only client_secret sent to a connector credential is refused, not merged",
            connector(),
            "google",
            json!({"credential_data": {"client_secret": "rotated"}}),
            vec![],
            Err("api.invalid_request_error: credential_data.client_id is required for connector credentials"),
        ),
        (
            "a service account needs its key id, key and email",
            service(),
            "google",
            json!({"credential_data": {"private_key_id": "k2", "private_key": "pem2"}}),
            vec![],
            Err("api.invalid_request_error: credential_data.client_email is required for serviceaccount credentials"),
        ),
        (
            "a service account's new key replaces the old one",
            service(),
            "google",
            json!({"credential_data": {"private_key_id": "k2", "private_key": "pem2", "client_email": "c@d.iam.gserviceaccount.com"}}),
            vec![],
            Ok(json!({"name": "Old name", "credential": {"kind": "serviceaccount", "fields": {"private_key_id": "k2", "private_key": "pem2", "client_email": "c@d.iam.gserviceaccount.com"}}})),
        ),
        (
            "admin consent drops a tenant left out",
            consent(),
            "microsoft",
            json!({"credential_data": {"client_id": "m2", "client_secret": "s2"}}),
            vec![],
            Ok(json!({"name": "Old name", "credential": {"kind": "adminconsent", "fields": {"client_id": "m2", "client_secret": "s2"}}})),
        ),
        (
            "required fields must be non-empty strings",
            consent(),
            "microsoft",
            json!({"credential_data": {"client_id": "", "client_secret": "s2"}}),
            vec![],
            Err("api.invalid_request_error: credential_data.client_id must be a non-empty string"),
        ),
        (
            "required fields must be strings",
            consent(),
            "microsoft",
            json!({"credential_data": {"client_id": 7, "client_secret": "s2"}}),
            vec![],
            Err("api.invalid_request_error: credential_data.client_id must be a non-empty string"),
        ),
        (
            "the wrong connector is a 404 before anything else",
            consent(),
            "google",
            json!({"credential_data": {}}),
            vec![],
            Err("api.not_found_error: Credential \"e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47\" not found"),
        ),
        (
            "credential_type may be repeated but not changed",
            connector(),
            "google",
            json!({"credential_type": "connector", "name": "Same type"}),
            vec![],
            Ok(json!({"name": "Same type", "credential": {"kind": "connector", "fields": {"client_id": "old-id", "client_secret": "old-secret"}}})),
        ),
        (
            "changing credential_type is refused",
            connector(),
            "google",
            json!({"credential_type": "serviceaccount"}),
            vec![],
            Err("api.invalid_request_error: credential_type cannot be changed: this credential is of type connector"),
        ),
        (
            "a name another credential of the connector holds is refused",
            connector(),
            "google",
            json!({"name": "Taken"}),
            vec!["0c4f3a2b-1d2e-4f5a-8b6c-7d8e9f0a1b2c"],
            Err("api.invalid_request_error: A credential named \"Taken\" already exists for connector google"),
        ),
        (
            "keeping one's own name is no conflict",
            connector(),
            "google",
            json!({"name": "Old name"}),
            vec![id],
            Ok(json!({"name": "Old name", "credential": {"kind": "connector", "fields": {"client_id": "old-id", "client_secret": "old-secret"}}})),
        ),
        (
            "bad credential_data is reported before a name conflict",
            connector(),
            "google",
            json!({"name": "Taken", "credential_data": {}}),
            vec!["0c4f3a2b-1d2e-4f5a-8b6c-7d8e9f0a1b2c"],
            Err("api.invalid_request_error: credential_data.client_id is required for connector credentials"),
        ),
    ];
    for (name, current, provider, body, holders, expected) in cases {
        assert_eq!(
            run(current, provider, body, &holders),
            expected.map_err(str::to_string),
            "{name}"
        );
    }
}

#[test]
fn updated_at_moves_to_a_later_second_on_every_write() {
    let start = DateTime::from_timestamp_millis(1_700_000_000_250).expect("valid");
    let mut record = record("google", "connector", json!({}));
    record.updated_at = start;
    let mut seconds = vec![record.updated_at.timestamp()];
    // The store's touch: max(now, stored + 1 ms), here with a clock that does not move.
    for _ in 0..3 {
        record.updated_at = last_millisecond_of_its_second(record.updated_at);
        record.touch(start);
        seconds.push(record.updated_at.timestamp());
    }
    assert_eq!(
        seconds,
        [1_700_000_000, 1_700_000_001, 1_700_000_002, 1_700_000_003]
    );
    // A clock that has moved on wins.
    let later = DateTime::from_timestamp_millis(1_700_000_100_500).expect("valid");
    record.updated_at = last_millisecond_of_its_second(record.updated_at);
    record.touch(later);
    assert_eq!(record.updated_at, later);
}

/// The connector after its update, as its wire object, or the refusal as `type: message`.
fn run_connector(body: Value, credential_ids: &[&str]) -> Result<Value, String> {
    let mut connector = record::new_connector(
        "google",
        record::ConnectorFields {
            name: "Google Connector".into(),
            settings: json!({"client_id": "i", "client_secret": "s", "topic_name": "old"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            scope: vec!["openid".into(), "email".into()],
            active_credential_id: Some("primary".into()),
        },
    );
    let bytes = serde_json::to_vec(&body).expect("json");
    let request = crate::validate::update_connector_body(&bytes, "google")
        .map_err(|error| format!("invalid body: {error}"))?;
    let ids: Vec<String> = credential_ids.iter().map(|id| id.to_string()).collect();
    let patch = merge_connector(&request, "google", &ids)
        .map_err(|error| format!("{}: {error}", error.error_type()))?;
    connector.apply(patch);
    Ok(json!({
        "object": crate::wire::connector_object(&connector),
        "settings": record::settings(&connector),
    }))
}

#[test]
fn the_connector_update_table() {
    let unchanged = json!({
        "object": {"name": "Google Connector", "provider": "google", "settings": {"topic_name": "old"}, "scope": ["openid", "email"], "active_credential_id": "primary"},
        "settings": {"client_id": "i", "client_secret": "s", "topic_name": "old"},
    });
    assert_eq!(run_connector(json!({}), &[]), Ok(unchanged));
    // VENDORS.md §3 "Updating objects": a sent nested object replaces the stored one whole.
    assert_eq!(
        run_connector(
            json!({"settings": {"client_id": "j", "client_secret": "t"}, "scope": [], "name": "Mail"}),
            &[]
        ),
        Ok(json!({
            "object": {"name": "Mail", "provider": "google", "settings": {}, "scope": [], "active_credential_id": "primary"},
            "settings": {"client_id": "j", "client_secret": "t"},
        }))
    );
    assert_eq!(
        run_connector(
            json!({"active_credential_id": "other"}),
            &["primary", "other"]
        )
        .map(|after| after["object"]["active_credential_id"].clone()),
        Ok(json!("other"))
    );
    // LIFECYCLE.md §3.5: the error for a foreign active_credential_id is unknown; patchbay's 400.
    assert_eq!(
        run_connector(json!({"active_credential_id": "foreign", "name": "x"}), &["primary"]),
        Err("api.invalid_request_error: Credential \"foreign\" is not a credential of connector google".into())
    );
}

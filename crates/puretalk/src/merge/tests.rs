//! The merge rule as a table: a stored `data`, a request, and the `data` after.

use super::*;
use crate::validate::update_body;
use patchbay_core::Integration;
use patchbay_http::testing::integration;
use serde_json::json;

fn record(data: Option<Value>) -> Integration {
    let stored = integration(
        "northwind",
        "123e4567-e89b-12d3-a456-426614174000",
        "hubspot",
    )
    .attributes(json!({
        record::FRIENDLY_APP_NAME: "HubSpot",
        record::TOOLS: ["create_contact"],
    }));
    match data {
        Some(data) => stored.credential(record::DATA_CREDENTIAL, data),
        None => stored,
    }
    .build()
}

#[test]
fn the_merge_table() {
    let cases = [
        (
            "the api_key is replaced",
            Some(json!({"api_key": "old"})),
            json!({"data": {"api_key": "new"}}),
            json!({"api_key": "new"}),
        ),
        (
            "data is replaced whole: other stored keys go",
            Some(json!({"api_key": "old", "region": "eu"})),
            json!({"data": {"api_key": "new"}}),
            json!({"api_key": "new"}),
        ),
        (
            "keys sent beside api_key are not stored",
            Some(json!({"api_key": "old"})),
            json!({"data": {"api_key": "new", "region": "us"}}),
            json!({"api_key": "new"}),
        ),
        (
            "a record without data gets one",
            None,
            json!({"data": {"api_key": "first"}}),
            json!({"api_key": "first"}),
        ),
    ];
    for (name, stored, body, expected) in cases {
        let mut current = record(stored);
        let before = current.attributes.clone();
        current.apply(merge(&update_body(Some(&body)).expect("valid body")));
        let credential = current.credential.expect("data");
        assert_eq!(credential.kind, record::DATA_CREDENTIAL, "{name}");
        assert_eq!(Value::Object(credential.fields), expected, "{name}");
        assert_eq!(current.attributes, before, "{name}: nothing else changes");
        assert_eq!(current.kind, "hubspot", "{name}");
    }
}

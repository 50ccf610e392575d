//! The merge rule as a table: a stored record, a request, and the record's attributes after.

use super::*;
use crate::validate::update_body;
use patchbay_core::Integration;
use patchbay_http::testing::integration;
use serde_json::{json, Map};

fn record() -> Integration {
    integration("acme", "550e8400-e29b-41d4-a716-446655440000", "NONE")
        .attributes(json!({
            "name": "Old name", "description": "Old description",
            "iconUrl": "https://old.example.com/i.png", "color": "#000000",
            "authTestCode": null, "authFields": [], "oauthClient": null, "actions": [], "triggers": []
        }))
        .build()
}

fn after(body: Value) -> Map<String, Value> {
    let mut current = record();
    current.apply(merge(&update_body(&body).expect("valid body")));
    current.attributes
}

#[test]
fn the_merge_table() {
    let old = record().attributes;
    let with = |changes: Value| {
        let mut expected = old.clone();
        for (key, value) in changes.as_object().expect("object") {
            expected.insert(key.clone(), value.clone());
        }
        expected
    };
    let cases: Vec<(&str, Value, Map<String, Value>)> = vec![
        ("an empty body changes nothing", json!({}), old.clone()),
        (
            "unknown keys change nothing",
            json!({"authType": "OAUTH", "id": "x"}),
            old.clone(),
        ),
        (
            "only the name",
            json!({"name": "New"}),
            with(json!({"name": "New"})),
        ),
        (
            "only the description, emptied",
            json!({"description": ""}),
            with(json!({"description": ""})),
        ),
        (
            "all four fields",
            json!({"name": "N", "description": "D", "iconUrl": "https://new.example.com/i.svg", "color": "#fff"}),
            with(
                json!({"name": "N", "description": "D", "iconUrl": "https://new.example.com/i.svg", "color": "#fff"}),
            ),
        ),
    ];
    for (name, body, expected) in cases {
        assert_eq!(after(body), expected, "{name}");
    }
}

#[test]
fn the_merge_never_touches_id_kind_or_credentials() {
    let patch = merge(&update_body(&json!({"name": "N"})).expect("valid"));
    assert!(patch.id.is_keep());
    assert!(patch.credential.is_keep());
}

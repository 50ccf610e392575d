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

/// A stored OAuth record with a client secret, after an auth update with `body`.
fn after_auth(body: Value) -> Integration {
    let mut current = integration("acme", "7c9e6679-7425-40de-944b-e07fc1f90ae7", "OAUTH")
        .attributes(json!({
            "name": "Ticketing", "description": "",
            "authTestCode": "return true;", "authFields": [{"id": "f", "slug": "s"}],
            "oauthClient": {"clientId": "old-client"}, "actions": [], "triggers": []
        }))
        .build();
    current.credential = Some(crate::record::client_secret_credential("old-secret".into()));
    let mut ids = 0;
    let request = crate::validate::auth_body(&body, &mut || {
        ids += 1;
        format!("new-{ids}")
    })
    .expect("valid body");
    let (kind, patch) = auth(&request);
    current.kind = kind;
    current.apply(patch);
    current
}

fn secret(record: &Integration) -> Option<&str> {
    crate::record::client_secret(record)
}

#[test]
fn the_auth_merge_table() {
    let kept = after_auth(json!({"authType": "OAUTH_DCR"}));
    assert_eq!(kept.kind, "OAUTH_DCR");
    assert_eq!(kept.attributes["authTestCode"], "return true;");
    assert_eq!(
        kept.attributes["authFields"],
        json!([{"id": "f", "slug": "s"}])
    );
    assert_eq!(
        kept.attributes["oauthClient"],
        json!({"clientId": "old-client"})
    );
    assert_eq!(secret(&kept), Some("old-secret"));

    let replaced = after_auth(json!({
        "authType": "OAUTH", "authTestCode": null,
        "authFields": [{"slug": "k", "label": "K", "type": "TEXT"}],
        "oauthClient": {"clientId": "new-client", "clientSecret": "new-secret"}
    }));
    assert_eq!(replaced.attributes["authTestCode"], Value::Null);
    assert_eq!(
        replaced.attributes["authFields"],
        json!([{"id": "new-1", "slug": "k", "label": "K", "type": "TEXT", "description": "", "placeholder": null, "required": false}])
    );
    assert_eq!(
        replaced.attributes["oauthClient"],
        json!({"clientId": "new-client"})
    );
    assert_eq!(secret(&replaced), Some("new-secret"));

    let client_kept_secret =
        after_auth(json!({"authType": "OAUTH", "oauthClient": {"clientId": "c2"}}));
    assert_eq!(
        client_kept_secret.attributes["oauthClient"],
        json!({"clientId": "c2"})
    );
    assert_eq!(secret(&client_kept_secret), Some("old-secret"));

    let cleared = after_auth(json!({"authType": "OAUTH", "oauthClient": null}));
    assert_eq!(cleared.attributes["oauthClient"], Value::Null);
    assert_eq!(cleared.credential, None);

    // A type without an OAuth client drops the stored one.
    let api_key = after_auth(json!({"authType": "API_KEY", "authFields": []}));
    assert_eq!(api_key.kind, "API_KEY");
    assert_eq!(api_key.attributes["oauthClient"], Value::Null);
    assert_eq!(api_key.credential, None);
    assert_eq!(api_key.attributes["authFields"], json!([]));
    assert_eq!(api_key.attributes["name"], "Ticketing");
}

#[test]
fn an_action_delete_removes_that_action_only() {
    let record = integration("acme", "550e8400-e29b-41d4-a716-446655440000", "NONE")
        .attributes(json!({"actions": [
            {"id": "a1", "name": "One", "order": 0},
            {"id": "a2", "name": "Two", "order": 1},
            {"id": "a3", "name": "Three", "order": 2}
        ]}))
        .build();
    let mut after = record.clone();
    after.apply(without_action(&record, "a2").expect("a2 is there"));
    assert_eq!(
        after.attributes["actions"],
        json!([{"id": "a1", "name": "One", "order": 0}, {"id": "a3", "name": "Three", "order": 2}])
    );
    assert!(without_action(&record, "a4").is_none());
    assert!(without_action(&after, "a2").is_none());
    let bare = integration("acme", "550e8400-e29b-41d4-a716-446655440000", "NONE").build();
    assert!(without_action(&bare, "a1").is_none());
}

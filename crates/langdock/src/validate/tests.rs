//! Every rule of the body and the path id: each input gives exactly the message Langdock's 400 carries.

use super::*;
use serde_json::json;

/// The 400 message for a body, or "ok".
fn outcome(body: Value) -> String {
    match update_body(&body) {
        Ok(_) => "ok".into(),
        Err(LangdockError::InvalidBody(problems)) => problems,
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn the_body_must_be_an_object() {
    for body in [json!([]), json!("s"), json!(1), json!(null), json!(true)] {
        assert_eq!(outcome(body), "expected a JSON object");
    }
    assert_eq!(
        update_body(&json!({})).expect("valid"),
        UpdateIntegration::default()
    );
}

#[test]
fn each_field_reports_its_rule() {
    let forty = "a".repeat(40);
    let ninety = "d".repeat(90);
    let cases: Vec<(Value, &str)> = vec![
        (json!({"name": forty}), "ok"),
        (
            json!({"name": "a".repeat(41)}),
            "name must be at most 40 characters",
        ),
        // JavaScript counts UTF-16 units: an emoji is two.
        (json!({"name": "😀".repeat(20)}), "ok"),
        (
            json!({"name": format!("{}a", "😀".repeat(20))}),
            "name must be at most 40 characters",
        ),
        (json!({"name": ""}), "name must not be empty"),
        (json!({"name": 1}), "name must be a string"),
        (json!({"name": null}), "name must be a string"),
        (json!({"description": ninety}), "ok"),
        (json!({"description": ""}), "ok"),
        (
            json!({"description": "d".repeat(91)}),
            "description must be at most 90 characters",
        ),
        (
            json!({"description": ["x"]}),
            "description must be a string",
        ),
        (json!({"iconUrl": "https://cdn.example.com/icon.png"}), "ok"),
        (json!({"iconUrl": "HTTP://example.com"}), "ok"),
        (json!({"iconUrl": "http://[::1]:8080/i.svg"}), "ok"),
        (
            json!({"iconUrl": "ftp://example.com/icon.png"}),
            "iconUrl must be an absolute http or https URL",
        ),
        (
            json!({"iconUrl": "/relative/icon.png"}),
            "iconUrl must be an absolute http or https URL",
        ),
        (
            json!({"iconUrl": "https://"}),
            "iconUrl must be an absolute http or https URL",
        ),
        (
            json!({"iconUrl": "https://exa mple.com"}),
            "iconUrl must be an absolute http or https URL",
        ),
        (
            json!({"iconUrl": ""}),
            "iconUrl must be an absolute http or https URL",
        ),
        (json!({"iconUrl": {}}), "iconUrl must be a string"),
        (json!({"color": "#fff"}), "ok"),
        (json!({"color": "#1A2b3C"}), "ok"),
        (
            json!({"color": "fff"}),
            "color must be a hex color code (#RGB or #RRGGBB)",
        ),
        (
            json!({"color": "#ffff"}),
            "color must be a hex color code (#RGB or #RRGGBB)",
        ),
        (
            json!({"color": "#ggg"}),
            "color must be a hex color code (#RGB or #RRGGBB)",
        ),
        (
            json!({"color": "red"}),
            "color must be a hex color code (#RGB or #RRGGBB)",
        ),
        (json!({"color": 0xffffff}), "color must be a string"),
        (json!({"unknown": 1, "authType": "OAUTH"}), "ok"),
    ];
    for (body, expected) in cases {
        assert_eq!(outcome(body.clone()), expected, "{body}");
    }
}

#[test]
fn every_violation_is_reported_in_field_order() {
    assert_eq!(
        outcome(json!({"color": "x", "iconUrl": "x", "description": 1, "name": ""})),
        "name must not be empty; description must be a string; \
         iconUrl must be an absolute http or https URL; color must be a hex color code (#RGB or #RRGGBB)"
    );
}

#[test]
fn a_valid_body_keeps_exactly_the_fields_sent() {
    assert_eq!(
        update_body(&json!({"name": "N", "color": "#abc"})).expect("valid"),
        UpdateIntegration {
            name: Some("N".into()),
            color: Some("#abc".into()),
            ..UpdateIntegration::default()
        }
    );
}

#[test]
fn integration_ids_are_uuids_of_any_version_and_case() {
    assert_eq!(
        integration_id("550E8400-E29B-41D4-A716-446655440000").expect("valid"),
        "550e8400-e29b-41d4-a716-446655440000"
    );
    assert!(integration_id("00000000-0000-0000-0000-000000000000").is_ok());
    for bad in [
        "",
        "get",
        "550e8400e29b41d4a716446655440000",
        "550e8400-e29b-41d4-a716-44665544000",
        "550e8400-e29b-41d4-a716-4466554400000",
        "{550e8400-e29b-41d4-a716-446655440000}",
        "550e8400-e29b-41d4-a716-44665544000g",
    ] {
        assert!(
            matches!(
                integration_id(bad),
                Err(LangdockError::InvalidIntegrationId)
            ),
            "{bad}"
        );
    }
}

/// The 400 message for a create body, or the created name and description.
fn create_outcome(body: Value) -> String {
    match create_body(&body) {
        Ok(new) => format!("ok {:?} {:?}", new.name, new.description),
        Err(LangdockError::InvalidBody(problems)) => problems,
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn a_create_needs_a_name_and_takes_the_updates_limits() {
    let cases: Vec<(Value, &str)> = vec![
        (json!({"name": "CRM"}), r#"ok "CRM" """#),
        (
            json!({"name": "CRM", "description": "d", "iconUrl": "not checked", "color": 1}),
            r#"ok "CRM" "d""#,
        ),
        (json!({}), "name is required"),
        (json!({"description": "d"}), "name is required"),
        (json!({"name": null}), "name must be a string"),
        (json!({"name": ""}), "name must not be empty"),
        (
            json!({"name": "a".repeat(41), "description": "😀".repeat(46)}),
            "name must be at most 40 characters; description must be at most 90 characters",
        ),
        (
            json!({"description": 5}),
            "name is required; description must be a string",
        ),
        (json!([]), "expected a JSON object"),
    ];
    for (body, expected) in cases {
        assert_eq!(create_outcome(body.clone()), expected, "{body}");
    }
    // JavaScript counts UTF-16 units: 20 emoji are 40, 90 accented letters are 90.
    let (name, description) = ("😀".repeat(20), "é".repeat(90));
    assert_eq!(
        create_outcome(json!({"name": name, "description": description})),
        format!("ok {name:?} {description:?}")
    );
}

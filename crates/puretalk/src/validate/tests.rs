//! Every rule of the body and the path id, with the exact message of Puretalk's 400.

use super::*;
use serde_json::json;

fn outcome(body: Option<Value>) -> String {
    match update_body(body.as_ref()) {
        Ok(update) => format!("ok {}", update.api_key),
        Err(PuretalkError::InvalidBody(message)) => message,
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn the_body_table() {
    let cases: Vec<(Option<Value>, String)> = vec![
        (Some(json!({"data": {"api_key": "k-1"}})), "ok k-1".into()),
        (
            Some(json!({"data": {"api_key": "  k-2\n"}})),
            "ok k-2".into(),
        ),
        (
            Some(json!({"data": {"api_key": "k", "other": 1}, "extra": true})),
            "ok k".into(),
        ),
        (
            Some(json!({"data": {"api_key": "é".repeat(255)}})),
            format!("ok {}", "é".repeat(255)),
        ),
        (None, "data: This field is required.".into()),
        (Some(json!({})), "data: This field is required.".into()),
        (
            Some(json!([])),
            "Invalid data. Expected a dictionary, but got list.".into(),
        ),
        (
            Some(json!("x")),
            "Invalid data. Expected a dictionary, but got str.".into(),
        ),
        (
            Some(json!(1)),
            "Invalid data. Expected a dictionary, but got int.".into(),
        ),
        (
            Some(json!(1.5)),
            "Invalid data. Expected a dictionary, but got float.".into(),
        ),
        (
            Some(json!(null)),
            "Invalid data. Expected a dictionary, but got NoneType.".into(),
        ),
        (
            Some(json!({"data": null})),
            "data: This field may not be null.".into(),
        ),
        (
            Some(json!({"data": "k"})),
            "data: Invalid data. Expected a dictionary, but got str.".into(),
        ),
        (
            Some(json!({"data": [1]})),
            "data: Invalid data. Expected a dictionary, but got list.".into(),
        ),
        (
            Some(json!({"data": {}})),
            "data.api_key: This field is required.".into(),
        ),
        (
            Some(json!({"data": {"api_key": null}})),
            "data.api_key: This field may not be null.".into(),
        ),
        (
            Some(json!({"data": {"api_key": 123}})),
            "data.api_key: Not a valid string.".into(),
        ),
        (
            Some(json!({"data": {"api_key": true}})),
            "data.api_key: Not a valid string.".into(),
        ),
        (
            Some(json!({"data": {"api_key": {}}})),
            "data.api_key: Not a valid string.".into(),
        ),
        (
            Some(json!({"data": {"api_key": ""}})),
            "data.api_key: This field may not be blank.".into(),
        ),
        (
            Some(json!({"data": {"api_key": "   "}})),
            "data.api_key: This field may not be blank.".into(),
        ),
        (
            Some(json!({"data": {"api_key": "k".repeat(256)}})),
            "data.api_key: Ensure this field has no more than 255 characters.".into(),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(outcome(body.clone()), expected, "{body:?}");
    }
}

#[test]
fn ids_that_are_not_uuids_do_not_exist() {
    assert_eq!(
        integration_id("123E4567-E89B-12D3-A456-426614174000").expect("valid"),
        "123e4567-e89b-12d3-a456-426614174000"
    );
    for bad in [
        "",
        "1",
        "not-a-uuid",
        "123e4567e89b12d3a456426614174000",
        "123e4567-e89b-12d3-a456-42661417400z",
    ] {
        assert!(
            matches!(integration_id(bad), Err(PuretalkError::NotFound)),
            "{bad}"
        );
    }
}

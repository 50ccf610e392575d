//! Bad input: the body rules (DRF's messages), JSON, media types, the size limit. A refused request
//! changes nothing. Facts: VENDORS.md §8 "Puretalk" (400 for data/api_key; {err,msg} everywhere).

use super::*;
use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

async fn assert_unchanged(app: &TestApp) {
    let record = stored(app, "acme", ids::HUBSPOT).await;
    assert_eq!(
        record["data"],
        json!({"api_key": "pat-na1-demo-hubspot-key-0001"})
    );
    assert_eq!(record["updated_at"], "2025-01-06T09:00:00Z");
}

#[tokio::test]
async fn each_body_rule_is_a_400_naming_the_field() {
    let app = spawn_app().await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "data: This field is required."),
        (
            json!({"api_key": "top-level"}),
            "data: This field is required.",
        ),
        (json!({"data": null}), "data: This field may not be null."),
        (
            json!({"data": "k"}),
            "data: Invalid data. Expected a dictionary, but got str.",
        ),
        (
            json!({"data": ["k"]}),
            "data: Invalid data. Expected a dictionary, but got list.",
        ),
        (json!({"data": {}}), "data.api_key: This field is required."),
        (
            json!({"data": {"api_key": null}}),
            "data.api_key: This field may not be null.",
        ),
        (
            json!({"data": {"api_key": 42}}),
            "data.api_key: Not a valid string.",
        ),
        (
            json!({"data": {"api_key": ["k"]}}),
            "data.api_key: Not a valid string.",
        ),
        (
            json!({"data": {"api_key": ""}}),
            "data.api_key: This field may not be blank.",
        ),
        (
            json!({"data": {"api_key": " \t "}}),
            "data.api_key: This field may not be blank.",
        ),
        (
            json!({"data": {"api_key": "k".repeat(256)}}),
            "data.api_key: Ensure this field has no more than 255 characters.",
        ),
        (
            json!([]),
            "Invalid data. Expected a dictionary, but got list.",
        ),
        (
            json!("s"),
            "Invalid data. Expected a dictionary, but got str.",
        ),
        (
            json!(null),
            "Invalid data. Expected a dictionary, but got NoneType.",
        ),
    ];
    for (body, msg) in cases {
        let reply = patch(&app, ids::HUBSPOT, keys::ACME, &body).await;
        assert_error(&reply, 400, msg);
    }
    assert_unchanged(&app).await;
}

#[tokio::test]
async fn an_api_key_of_255_characters_is_accepted() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::HUBSPOT,
        keys::ACME,
        &api_key_body(&"k".repeat(255)),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200);
}

#[tokio::test]
async fn malformed_json_is_a_400_parse_error() {
    let app = spawn_app().await;
    let reply = patch_raw(&app, &path(ids::HUBSPOT), keys::ACME, br#"{"data": }"#).await;
    assert_eq!(reply.status.as_u16(), 400);
    let msg = reply.json()["msg"].as_str().expect("msg").to_string();
    assert!(
        msg.starts_with("JSON parse error - ") && msg.ends_with("in JSON at position 9"),
        "{msg}"
    );
    assert_eq!(reply.json()["err"], true);
    assert_unchanged(&app).await;
}

#[tokio::test]
async fn no_body_or_no_content_type_reads_as_no_data() {
    let app = spawn_app().await;
    let reply = patch_raw(&app, &path(ids::HUBSPOT), keys::ACME, b"").await;
    assert_error(&reply, 400, "data: This field is required.");
    let reply = app
        .send(
            Method::PATCH,
            &path(ids::HUBSPOT),
            &[("x-api-key", keys::ACME)],
            Some(br#"{"data":{"api_key":"x"}}"#.to_vec()),
        )
        .await;
    assert_error(&reply, 400, "data: This field is required.");
    let reply = app
        .send(
            Method::PATCH,
            &path(ids::HUBSPOT),
            &[
                ("x-api-key", keys::ACME),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Some(b"api_key=x".to_vec()),
        )
        .await;
    assert_error(&reply, 400, "data: This field is required.");
    assert_unchanged(&app).await;
}

#[tokio::test]
async fn another_media_type_is_a_415() {
    let app = spawn_app().await;
    for media_type in [
        "text/plain;charset=UTF-8",
        "application/xml",
        "application/json-patch+json",
    ] {
        let reply = app
            .send(
                Method::PATCH,
                &path(ids::HUBSPOT),
                &[("x-api-key", keys::ACME), ("content-type", media_type)],
                Some(br#"{"data":{"api_key":"x"}}"#.to_vec()),
            )
            .await;
        assert_error(
            &reply,
            415,
            &format!("Unsupported media type \"{media_type}\" in request."),
        );
    }
    assert_unchanged(&app).await;
}

#[tokio::test]
async fn the_integration_is_looked_up_before_the_body_is_read() {
    let app = spawn_app().await;
    let reply = patch_raw(&app, &path(ids::MISSING), keys::ACME, b"{").await;
    assert_error(&reply, 404, "Integration not found");
    let reply = patch(&app, "not-a-uuid", keys::ACME, &json!({})).await;
    assert_error(&reply, 404, "Integration not found");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_in_puretalks_envelope() {
    let app = spawn_app_with(|settings| settings.server.body_limit = 1024).await;
    let body = api_key_body(&"x".repeat(4096));
    let reply = patch(&app, ids::HUBSPOT, keys::ACME, &body).await;
    assert_error(
        &reply,
        413,
        "Request body is larger than the limit of 1024 bytes.",
    );
    let reply = patch(&app, ids::HUBSPOT, keys::UNKNOWN, &body).await;
    assert_eq!(reply.status.as_u16(), 413);
    assert_unchanged(&app).await;
}

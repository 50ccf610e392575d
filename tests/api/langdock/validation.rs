//! Bad input: the path id, the JSON, each field rule, and the size limit. A refused request changes
//! nothing. Facts: VENDORS.md §4 (limits, 400 for an invalid id) and §8 "Langdock" (the rules).

use super::*;
use crate::helpers::*;
use serde_json::{json, Value};

async fn assert_unchanged(app: &TestApp) {
    let record = stored(app, "acme", ids::CRM).await;
    assert_eq!(record["name"], "Internal CRM");
    assert_eq!(record["updatedAt"], "2025-02-18T10:30:00.000Z");
}

#[tokio::test]
async fn each_field_rule_is_a_400_naming_the_field() {
    let app = spawn_app().await;
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"name": "a".repeat(41)}),
            "name must be at most 40 characters",
        ),
        (json!({"name": ""}), "name must not be empty"),
        (json!({"name": 42}), "name must be a string"),
        (json!({"name": null}), "name must be a string"),
        (
            json!({"description": "d".repeat(91)}),
            "description must be at most 90 characters",
        ),
        (
            json!({"description": false}),
            "description must be a string",
        ),
        (
            json!({"iconUrl": "not a url"}),
            "iconUrl must be an absolute http or https URL",
        ),
        (
            json!({"iconUrl": "javascript:alert(1)"}),
            "iconUrl must be an absolute http or https URL",
        ),
        (
            json!({"iconUrl": "/icon.png"}),
            "iconUrl must be an absolute http or https URL",
        ),
        (
            json!({"color": "blue"}),
            "color must be a hex color code (#RGB or #RRGGBB)",
        ),
        (
            json!({"color": "#12345"}),
            "color must be a hex color code (#RGB or #RRGGBB)",
        ),
        (
            json!({"color": "123456"}),
            "color must be a hex color code (#RGB or #RRGGBB)",
        ),
        (json!({"color": ["#fff"]}), "color must be a string"),
        (
            json!({"name": "", "color": "x"}),
            "name must not be empty; color must be a hex color code (#RGB or #RRGGBB)",
        ),
    ];
    for (body, problem) in cases {
        let reply = patch(&app, ids::CRM, keys::ACME_FULL, &body).await;
        assert_error(&reply, 400, &format!("Invalid request body: {problem}"));
    }
    assert_unchanged(&app).await;
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_a_400() {
    let app = spawn_app().await;
    for body in [&b"[]"[..], b"\"name\"", b"null", b"42", b"true"] {
        let reply = patch_raw(
            &app,
            &format!("/integrations/v1/{}", ids::CRM),
            keys::ACME_FULL,
            body,
        )
        .await;
        assert_error(&reply, 400, "Invalid request body: expected a JSON object");
    }
    assert_unchanged(&app).await;
}

#[tokio::test]
async fn malformed_json_is_a_400_naming_the_position() {
    let app = spawn_app().await;
    let path = format!("/integrations/v1/{}", ids::CRM);
    let reply = patch_raw(&app, &path, keys::ACME_FULL, b"{\"name\": }").await;
    assert_eq!(reply.status.as_u16(), 400);
    let text = reply.json()["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(
        text.starts_with("Invalid JSON in request body: ")
            && text.ends_with("in JSON at position 9"),
        "{text}"
    );
    for body in [&b""[..], b"   "] {
        let reply = patch_raw(&app, &path, keys::ACME_FULL, body).await;
        assert_error(
            &reply,
            400,
            "Invalid JSON in request body: Unexpected end of JSON input",
        );
    }
    assert_unchanged(&app).await;
}

#[tokio::test]
async fn an_id_that_is_not_a_uuid_is_a_400_for_update_and_read() {
    let app = spawn_app().await;
    for id in [
        "not-a-uuid",
        "12345",
        "550e8400-e29b-41d4-a716-44665544000g",
        "550e8400e29b41d4a716446655440000",
        "a%2Fb",
    ] {
        let reply = patch(&app, id, keys::ACME_FULL, &json!({"name": "x"})).await;
        assert_error(&reply, 400, "Invalid integration ID");
        assert_error(
            &get(&app, id, keys::ACME_FULL).await,
            400,
            "Invalid integration ID",
        );
    }
}

#[tokio::test]
async fn the_id_is_checked_before_the_body_and_the_body_before_the_lookup() {
    let app = spawn_app().await;
    let reply = patch_raw(&app, "/integrations/v1/nope", keys::ACME_FULL, b"{").await;
    assert_error(&reply, 400, "Invalid integration ID");
    let reply = patch(
        &app,
        ids::MISSING,
        keys::ACME_FULL,
        &json!({"color": "red"}),
    )
    .await;
    assert_error(
        &reply,
        400,
        "Invalid request body: color must be a hex color code (#RGB or #RRGGBB)",
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_in_langdocks_envelope() {
    let app = spawn_app_with(|settings| settings.server.body_limit = 1024).await;
    let body = json!({"description": "x".repeat(4096)});
    let reply = patch(&app, ids::CRM, keys::ACME_FULL, &body).await;
    assert_error(
        &reply,
        413,
        "Request body is larger than the limit of 1024 bytes",
    );
    // Checked before the key: the body is refused as it arrives.
    let reply = patch(&app, ids::CRM, keys::UNKNOWN, &body).await;
    assert_eq!(reply.status.as_u16(), 413);
    assert_unchanged(&app).await;
}

#[tokio::test]
async fn a_json_body_is_read_whatever_the_content_type() {
    let app = spawn_app().await;
    let reply = app
        .send(
            reqwest::Method::PATCH,
            &format!("/integrations/v1/{}", ids::CRM),
            &[
                ("authorization", &format!("Bearer {}", keys::ACME_FULL)),
                ("content-type", "text/plain"),
            ],
            Some(br#"{"name":"Plain"}"#.to_vec()),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.json()["integration"]["name"], "Plain");
}

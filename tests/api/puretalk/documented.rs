//! What the update's OpenAPI document (specs/puretalk.md) defines, served as it defines it: every
//! property of `IntegrationsResponse` and `RuthConnectIntegration` with its type and format, the
//! 404 `Error` schema exactly, every request body the schema allows (it marks nothing required),
//! the documented examples; and every other path under `/api/ruth-connect` answering Puretalk's
//! own 404 envelope.

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// The OpenAPI document's example values.
mod example {
    pub const INTEGRATION_ID: &str = "123e4567-e89b-12d3-a456-426614174000";
    pub const API_KEY: &str = "123e4567-e89b-12d3-a456-426614174000";
    pub const MSG: &str = "Integrations retrieved successfully";
}

/// Asserts a 200 body is an `IntegrationsResponse`: each property of the schema, with its type and
/// format, and no other.
fn assert_integrations_response(body: &Value, what: &str) {
    let top: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(top, ["msg", "err", "results"], "{what}");
    assert!(body["msg"].is_string(), "{what}: msg");
    assert_eq!(body["err"], false, "{what}: err");
    let results = body["results"].as_object().expect("results");
    let keys: Vec<&String> = results.keys().collect();
    assert_eq!(
        keys,
        [
            "integration_id",
            "app_name",
            "friendly_app_name",
            "logo",
            "data",
            "tools",
            "is_custom_tool",
            "created_at",
            "updated_at"
        ],
        "{what}"
    );
    let id = results["integration_id"].as_str().expect("integration_id");
    assert!(
        uuid::Uuid::try_parse(id).is_ok(),
        "{what}: format uuid: {id}"
    );
    assert!(results["app_name"].is_string(), "{what}: app_name");
    assert!(
        results["friendly_app_name"].is_string(),
        "{what}: friendly_app_name"
    );
    let logo = results["logo"].as_str().expect("logo");
    assert!(
        (logo.starts_with("https://") || logo.starts_with("http://")) && !logo.contains(' '),
        "{what}: format uri: {logo}"
    );
    let data = results["data"].as_object().expect("data");
    assert!(data["api_key"].is_string(), "{what}: data.api_key");
    let tools = results["tools"].as_array().expect("tools");
    assert!(tools.iter().all(Value::is_string), "{what}: tools");
    assert!(results["is_custom_tool"].is_boolean(), "{what}");
    for stamp in ["created_at", "updated_at"] {
        let text = results[stamp].as_str().expect("a date-time");
        assert!(
            chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            "{what}: format date-time: {text}"
        );
    }
}

/// Asserts a 404 body is the `Error` schema: `err` and `msg`, both required, nothing else.
fn assert_error_schema(reply: &Reply, what: &str) {
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "{what}: {}",
        reply.text
    );
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "{what}"
    );
    let body = reply.json();
    let keys: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["err", "msg"], "{what}");
    assert_eq!(body["err"], true, "{what}");
    assert!(body["msg"].is_string(), "{what}");
}

#[tokio::test]
async fn every_record_answers_every_schema_property_in_its_type_and_format() {
    let app = spawn_app().await;
    for (id, key) in [
        (ids::HUBSPOT, keys::ACME),
        (ids::CALENDLY, keys::ACME),
        (ids::ORDERS, keys::ACME_SECOND),
        (ids::GLOBEX_HUBSPOT, keys::GLOBEX),
    ] {
        let read = get(&app, id, key).await;
        assert_eq!(read.status, StatusCode::OK, "{id}: {}", read.text);
        assert_integrations_response(&read.json(), &format!("GET {id}"));
        let updated = patch(&app, id, key, &api_key_body("rotated")).await;
        assert_eq!(updated.status, StatusCode::OK, "{id}: {}", updated.text);
        assert_integrations_response(&updated.json(), &format!("PATCH {id}"));
    }
}

#[tokio::test]
async fn the_documented_examples_are_served() {
    let app = spawn_app().await;
    // The example id is a fixture record; GET's msg is the schema's example text.
    let read = get(&app, example::INTEGRATION_ID, keys::ACME).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["msg"], example::MSG);
    assert_eq!(read.json()["err"], false);
    assert_eq!(
        read.json()["results"]["integration_id"],
        example::INTEGRATION_ID
    );
    assert_eq!(read.json()["results"]["is_custom_tool"], false);
    // The example api_key, sent and returned in clear.
    let reply = patch(
        &app,
        example::INTEGRATION_ID,
        keys::ACME,
        &json!({"data": {"api_key": example::API_KEY}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.json()["results"]["data"],
        json!({"api_key": example::API_KEY})
    );
    assert_eq!(
        get(&app, example::INTEGRATION_ID, keys::ACME).await.json()["results"]["data"]["api_key"],
        example::API_KEY
    );
}

#[tokio::test]
async fn a_body_without_an_api_key_is_refused_and_changes_nothing() {
    // The schema marks no property required, but patchbay follows VENDORS.md §8: `data` must be an
    // object and `api_key` a non-empty string, else 400 (the adapter README's Known quirks).
    let app = spawn_app().await;
    let before = stored(&app, "acme", ids::CALENDLY).await;
    for (body, message) in [
        (json!({}), "data: This field is required."),
        (json!({"other": 1}), "data: This field is required."),
        (json!({"data": {}}), "data.api_key: This field is required."),
        (
            json!({"data": {"other": "x"}}),
            "data.api_key: This field is required.",
        ),
    ] {
        let reply = patch(&app, ids::CALENDLY, keys::ACME, &body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.text
        );
        assert_eq!(reply.json(), json!({"err": true, "msg": message}), "{body}");
    }
    assert_eq!(stored(&app, "acme", ids::CALENDLY).await, before);
}

#[tokio::test]
async fn properties_beside_the_documented_ones_are_ignored() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::CALENDLY,
        keys::ACME,
        &json!({"data": {"api_key": "new", "other": "x"}, "other": 1}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_integrations_response(&reply.json(), "extra properties");
    assert_eq!(reply.json()["msg"], "Integration updated successfully");
    assert_eq!(reply.json()["results"]["data"], json!({"api_key": "new"}));
}

#[tokio::test]
async fn each_documented_404_is_the_error_schema() {
    let app = spawn_app().await;
    for (id, key) in [
        (ids::MISSING, keys::ACME),
        ("not-a-uuid", keys::ACME),
        (ids::GLOBEX_HUBSPOT, keys::ACME),
        (ids::HUBSPOT, keys::GLOBEX),
    ] {
        assert_error_schema(&get(&app, id, key).await, &format!("GET {id}"));
        let reply = patch(&app, id, key, &api_key_body("x")).await;
        assert_error_schema(&reply, &format!("PATCH {id}"));
        assert_eq!(reply.json()["msg"], "Integration not found");
    }
}

#[tokio::test]
async fn every_other_path_under_ruth_connect_answers_puretalks_404() {
    let app = spawn_app().await;
    let record = path(ids::HUBSPOT);
    let mut requests: Vec<(Method, String)> = Vec::new();
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS] {
        requests.push((method, record.clone()));
    }
    for prefix in ["", "/puretalk"] {
        for rest in [
            "",
            "/",
            "/integrations",
            "/integrations/",
            &format!("/integrations/{}/", ids::HUBSPOT),
            &format!("/integrations/{}/tools", ids::HUBSPOT),
            &format!("/integrations/{}/data/api_key", ids::HUBSPOT),
            "/apps",
            "/apps/hubspot",
            "/tools",
        ] {
            for method in [
                Method::GET,
                Method::POST,
                Method::PATCH,
                Method::PUT,
                Method::DELETE,
            ] {
                requests.push((method, format!("{prefix}/api/ruth-connect{rest}")));
            }
        }
    }
    for (method, request_path) in requests {
        for headers in [vec![("x-api-key", keys::ACME)], vec![]] {
            let reply = app
                .send(
                    method.clone(),
                    &request_path,
                    &headers,
                    Some(br#"{"data":{"api_key":"x"}}"#.to_vec()),
                )
                .await;
            let what = format!("{method} {request_path} (key: {})", !headers.is_empty());
            assert_error_schema(&reply, &what);
            assert_eq!(reply.text, r#"{"err":true,"msg":"Not found."}"#, "{what}");
        }
    }
    // Nothing of those changed the record.
    assert_eq!(
        stored(&app, "acme", ids::HUBSPOT).await["updated_at"],
        "2025-01-06T09:00:00Z"
    );
}

//! Puretalk: `PATCH` and `GET /api/ruth-connect/integrations/{integration_id}` as Puretalk's API
//! answers them. Facts: VENDORS.md §5 and §8 "Puretalk"; the OpenAPI document in specs/puretalk.md.

mod auth;
mod concurrency;
mod documented;
mod read;
mod tenancy;
mod update;
mod validation;

use crate::helpers::{Client, KeyHeader, Reply, TestApp};
use reqwest::Method;
use serde_json::Value;

/// Demo keys from `fixtures/puretalk.json`.
pub mod keys {
    /// Account `acme`.
    pub const ACME: &str = "pt-acme-demo-key-000000000000000000001";
    /// Account `acme`, a second key.
    pub const ACME_SECOND: &str = "pt-acme-second-key-0000000000000000002";
    /// Account `globex`.
    pub const GLOBEX: &str = "pt-globex-demo-key-0000000000000000003";
    /// Well-formed but in no fixture.
    pub const UNKNOWN: &str = "pt-unknown-key-0000000000000000000000";
}

/// Fixture integrations.
pub mod ids {
    /// acme, hubspot: the OpenAPI document's example id.
    pub const HUBSPOT: &str = "123e4567-e89b-12d3-a456-426614174000";
    /// acme, calendly, created with a fraction of a second.
    pub const CALENDLY: &str = "6f9619ff-8b86-4011-b42d-00c04fc964ff";
    /// acme, a custom tool.
    pub const ORDERS: &str = "9c5b94b1-35ad-49bb-b118-8e8fc24abf80";
    /// globex, hubspot.
    pub const GLOBEX_HUBSPOT: &str = "2c1d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    /// A UUID no account holds.
    pub const MISSING: &str = "00000000-0000-4000-8000-000000000000";
}

pub fn path(id: &str) -> String {
    format!("/api/ruth-connect/integrations/{id}")
}

/// Plain HTTP clients: the key in `X-API-KEY`, and a JSON content type with a body.
pub const CLIENT: Client = Client {
    key_header: KeyHeader::Plain("x-api-key"),
    every_request: &[],
    with_body: &[("content-type", "application/json")],
};

pub async fn patch(app: &TestApp, id: &str, key: &str, body: &Value) -> Reply {
    app.patch_json(&CLIENT, &path(id), key, body).await
}

pub async fn patch_raw(app: &TestApp, path: &str, key: &str, body: &[u8]) -> Reply {
    app.call(&CLIENT, Method::PATCH, path, key, Some(body))
        .await
}

pub async fn get(app: &TestApp, id: &str, key: &str) -> Reply {
    app.get_as(&CLIENT, &path(id), key).await
}

/// `{"data": {"api_key": ...}}`
pub fn api_key_body(api_key: &str) -> Value {
    serde_json::json!({"data": {"api_key": api_key}})
}

/// A stored Puretalk record as the admin view shows it (fixture format, `data` included), or null.
pub async fn stored(app: &TestApp, tenant: &str, id: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/puretalk?tenant={tenant}"),
            &[],
            None,
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::OK);
    reply.json()["records"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|record| record["integration_id"] == id)
        .unwrap_or(Value::Null)
}

/// Asserts an error reply: status, Puretalk's content type, and `{"err":true,"msg":...}` byte for byte.
pub fn assert_error(reply: &Reply, status: u16, msg: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let expected =
        serde_json::to_string(&serde_json::json!({"err": true, "msg": msg})).expect("JSON");
    assert_eq!(reply.text, expected);
}

/// The fixture record of an id, as written in `fixtures/puretalk.json`.
pub fn fixture(id: &str) -> Value {
    let text = std::fs::read_to_string(patchbay_tests::repo_root().join("fixtures/puretalk.json"))
        .expect("fixture file");
    let document: Value = serde_json::from_str(&text).expect("fixture JSON");
    document["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|record| record["integration_id"] == id)
        .cloned()
        .expect("fixture record")
}

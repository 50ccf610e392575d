//! Langdock: create, list, get, update and auth update of `/integrations/v1/...` as Langdock's
//! public API answers them. Facts: LIFECYCLE.md §4, VENDORS.md §4 and §8 "Langdock"; the docs in
//! specs/langdock.md.

mod actions;
mod auth;
mod auth_update;
mod concurrency;
mod create;
mod list;
mod read;
mod robustness;
mod tenancy;
mod update;
mod validation;

use crate::helpers::{Client, KeyHeader, Reply, TestApp};
use reqwest::Method;
use serde_json::Value;

/// Demo keys from `fixtures/langdock.json`.
pub mod keys {
    /// Workspace `acme`, created without scopes: every scope.
    pub const ACME_FULL: &str = "sk-acme0integration0api0full0001";
    /// Workspace `acme`, `ASSISTANT_API` only.
    pub const ACME_ASSISTANT: &str = "sk-acme0assistant0api0only00002";
    /// Workspace `globex`, `INTEGRATION_API`.
    pub const GLOBEX: &str = "sk-globex0integration0api0000003";
    /// Workspace `globex`, an explicit empty scope list.
    pub const GLOBEX_NO_SCOPES: &str = "sk-globex0no0scopes0at0all000004";
    /// Well-formed but in no fixture.
    pub const UNKNOWN: &str = "sk-unknown0key0000000000000000";
}

/// Fixture integrations.
pub mod ids {
    /// acme, API_KEY, the docs' own example id.
    pub const CRM: &str = "550e8400-e29b-41d4-a716-446655440000";
    /// acme, OAUTH with a client secret.
    pub const TICKETING: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    /// acme, NONE, empty description.
    pub const STATUS_PAGE: &str = "9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4";
    /// globex, API_KEY.
    pub const GLOBEX_ERP: &str = "1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
    /// A UUID no workspace holds.
    pub const MISSING: &str = "00000000-0000-4000-8000-000000000000";
}

/// The docs' axios example: a Bearer key, and a JSON content type with a body.
pub const CLIENT: Client = Client {
    key_header: KeyHeader::Bearer,
    every_request: &[],
    with_body: &[("content-type", "application/json")],
};

pub async fn patch(app: &TestApp, id: &str, key: &str, body: &Value) -> Reply {
    app.patch_json(&CLIENT, &format!("/integrations/v1/{id}"), key, body)
        .await
}

pub async fn patch_raw(app: &TestApp, path: &str, key: &str, body: &[u8]) -> Reply {
    app.call(&CLIENT, Method::PATCH, path, key, Some(body))
        .await
}

pub async fn post_raw(app: &TestApp, path: &str, key: &str, body: &[u8]) -> Reply {
    app.call(&CLIENT, Method::POST, path, key, Some(body)).await
}

/// The docs' Create Integration call.
pub async fn create(app: &TestApp, key: &str, body: &Value) -> Reply {
    let body = serde_json::to_vec(body).expect("JSON");
    post_raw(app, "/integrations/v1/create", key, &body).await
}

/// The docs' List Integrations call.
pub async fn list(app: &TestApp, key: &str) -> Reply {
    app.get_as(&CLIENT, "/integrations/v1/get", key).await
}

/// The docs' Update Auth call.
pub async fn patch_auth(app: &TestApp, id: &str, key: &str, body: &Value) -> Reply {
    app.patch_json(&CLIENT, &format!("/integrations/v1/{id}/auth"), key, body)
        .await
}

/// The ids a list reply names, in its order.
pub fn listed_ids(reply: &Reply) -> Vec<String> {
    reply.json()["integrations"]
        .as_array()
        .expect("an integrations array")
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_string())
        .collect()
}

/// Every record of a workspace as the admin view shows it.
pub async fn workspace(app: &TestApp, tenant: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/langdock?tenant={tenant}"),
            &[],
            None,
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::OK);
    reply.json()["records"].clone()
}

pub async fn get(app: &TestApp, id: &str, key: &str) -> Reply {
    app.get_as(&CLIENT, &format!("/integrations/v1/{id}"), key)
        .await
}

/// Asserts a PATCH's 200 body is `{"integration":{"id","name","description"}}` and nothing else
/// (VENDORS.md §4: "not even iconUrl or color").
pub fn assert_patch_answer_keys(body: &Value) {
    let top: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(top, ["integration"], "{body}");
    let integration: Vec<&String> = body["integration"]
        .as_object()
        .expect("an integration object")
        .keys()
        .collect();
    assert_eq!(integration, ["id", "name", "description"], "{body}");
}

/// Langdock's error body.
pub fn message(text: &str) -> Value {
    serde_json::json!({"message": text})
}

/// A stored Langdock record as the admin view shows it (fixture format, secrets included), or null.
pub async fn stored(app: &TestApp, tenant: &str, id: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/langdock?tenant={tenant}"),
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
        .find(|record| record["id"] == id)
        .unwrap_or(Value::Null)
}

/// Asserts an error reply: status, Langdock's content type, and `{"message": ...}` exactly.
pub fn assert_error(reply: &Reply, status: u16, text: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.json(), message(text));
}

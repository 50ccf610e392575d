//! Nango: create, list, read, update and delete of `/integrations` as Nango's server answers them.
//! Shared helpers: the demo keys, short ways to call, and the error body.

mod auth;
mod concurrency;
mod control;
mod create;
mod delete;
mod list;
mod read;
mod robustness;
mod tenancy;
mod update;
mod validation;

use crate::helpers::{Client, KeyHeader, Reply, TestApp};
use reqwest::Method;
use serde_json::Value;

/// Demo keys from `fixtures/nango.json`.
pub mod keys {
    /// Tenant `dev`, created without scopes: `environment:*`.
    pub const DEV_FULL: &str = "6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f";
    /// Tenant `dev`, `environment:integrations:read` only.
    pub const DEV_READ_ONLY: &str = "0b7e2a51-9c3d-4e8f-a1b2-c3d4e5f60718";
    /// Tenant `dev`, `environment:integrations:list` and `:read`: lists, but neither creates nor
    /// deletes.
    pub const DEV_LIST_ONLY: &str = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
    /// Tenant `prod` (50 integrations), read, list, create, update and delete, but not
    /// read_credentials.
    pub const PROD_UPDATE: &str = "c2d3e4f5-a6b7-4c8d-9e0f-112233445566";
    /// Tenant `prod`, an explicit empty scope list.
    pub const PROD_NO_SCOPES: &str = "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70";
    /// Well-formed (UUID v4) but in no fixture.
    pub const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";
}

/// `@nangohq/node`: a Bearer key, and a JSON content type on every call, a GET's included.
pub const CLIENT: Client = Client {
    key_header: KeyHeader::Bearer,
    every_request: &[("content-type", "application/json")],
    with_body: &[],
};

/// A PATCH shaped as the `@nangohq/node` SDK sends it.
pub async fn patch(app: &TestApp, unique_key: &str, key: &str, body: &Value) -> Reply {
    app.patch_json(&CLIENT, &format!("/integrations/{unique_key}"), key, body)
        .await
}

/// `@nangohq/node`'s create, list and delete: axios adds a JSON content type only to a request
/// with a body (LIFECYCLE.md §1.7).
pub const LIFECYCLE_CLIENT: Client = Client {
    key_header: KeyHeader::Bearer,
    every_request: &[],
    with_body: &[("content-type", "application/json")],
};

/// `createIntegration(body)`: `POST /integrations`.
pub async fn create(app: &TestApp, key: &str, body: &Value) -> Reply {
    let body = serde_json::to_vec(body).expect("JSON");
    app.call(
        &LIFECYCLE_CLIENT,
        Method::POST,
        "/integrations",
        key,
        Some(&body),
    )
    .await
}

/// `listIntegrations()`: `GET /integrations`.
pub async fn list(app: &TestApp, key: &str) -> Reply {
    app.call(&LIFECYCLE_CLIENT, Method::GET, "/integrations", key, None)
        .await
}

/// `deleteIntegration(uniqueKey)`: `DELETE /integrations/{uniqueKey}`.
pub async fn delete(app: &TestApp, unique_key: &str, key: &str) -> Reply {
    app.call(
        &LIFECYCLE_CLIENT,
        Method::DELETE,
        &format!("/integrations/{unique_key}"),
        key,
        None,
    )
    .await
}

/// The unique keys of a list's `data`, in order.
pub fn listed_keys(reply: &Reply) -> Vec<String> {
    reply.json()["data"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", reply.text))
        .iter()
        .map(|item| {
            item["unique_key"]
                .as_str()
                .expect("a unique_key")
                .to_string()
        })
        .collect()
}

/// Every stored Nango record of a tenant, as the admin view shows them.
pub async fn tenant_state(app: &TestApp, tenant: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/nango?tenant={tenant}"),
            &[],
            None,
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::OK, "{}", reply.text);
    reply.json()["records"].clone()
}

pub async fn patch_raw(app: &TestApp, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    app.patch_with_headers(path, headers, body).await
}

/// A GET of a path (a query or the `/nango` prefix included) as the SDK sends it.
pub async fn get_path(app: &TestApp, path: &str, key: &str) -> Reply {
    app.get_as(&CLIENT, path, key).await
}

/// `data` of a Nango 200 with the timestamps checked (`Date.toISOString()`) and removed.
pub fn without_timestamps(mut body: Value) -> Value {
    if let Some(data) = body.get_mut("data").and_then(Value::as_object_mut) {
        for field in ["created_at", "updated_at"] {
            let stamp = data.shift_remove(field).unwrap_or(Value::Null);
            let text = stamp
                .as_str()
                .unwrap_or_else(|| panic!("{field} missing in {data:?}"));
            assert!(
                is_iso_millis(text),
                "{field} = {text:?} is not Date.toISOString()"
            );
        }
    }
    body
}

/// Whether `text` is what `Date.toISOString()` writes: UTC, milliseconds, `Z` (`2023-10-16T08:45:26.241Z`).
fn is_iso_millis(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok_and(|stamp| {
        stamp
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            == text
    })
}

/// Nango's message-style error body: `{"error":{"code","message"}}`.
pub fn error(code: &str, message: &str) -> Value {
    serde_json::json!({"error": {"code": code, "message": message}})
}

/// The keys of a public integration (`integrationToPublicApi`) without `include`, in Nango's order.
pub const PUBLIC_KEYS: [&str; 7] = [
    "unique_key",
    "provider",
    "display_name",
    "logo",
    "forward_webhooks",
    "created_at",
    "updated_at",
];

/// Asserts a 200's body is `{"data": ...}` with exactly these keys in `data`, in this order.
pub fn assert_data_keys(body: &Value, expected: &[&str]) {
    let top: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(top, ["data"], "{body}");
    assert_eq!(data_keys(body), expected, "{body}");
}

/// The keys of a 200's `data`, in the order they were sent.
pub fn data_keys(body: &Value) -> Vec<String> {
    body["data"]
        .as_object()
        .expect("a data object")
        .keys()
        .cloned()
        .collect()
}

/// A stored Nango record as the admin view shows it (fixture format, secrets included), or null.
pub async fn stored(app: &TestApp, tenant: &str, unique_key: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/nango?tenant={tenant}"),
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
        .find(|record| record["unique_key"] == unique_key)
        .unwrap_or(Value::Null)
}

//! Nylas: connectors and their credentials, created, listed, read, updated and deleted as Nylas
//! v3 answers them. Shared helpers: the demo keys and credential ids, short ways to call, and
//! envelope checks.

mod auth;
mod concurrency;
mod connectors;
mod credentials;
mod paging;
mod read;
mod tenancy;
mod update;
mod validation;

pub use crate::helpers::{
    spawn_app, spawn_app_on, spawn_app_with, Client, KeyHeader, Reply, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Keys from `fixtures/nylas.json`.
pub mod keys {
    /// Application `app-dev`.
    pub const DEV: &str = "nyk_v0_Zq8Tn3RkWv5Yb2Hc7Jm4Lp9Xd6Fs1Ga0Ue3Oi8Kt2Nw5Qy7";
    /// A second key of `app-dev`.
    pub const DEV_SECOND: &str = "nyk_v0_sEc0Wd9Lq2Zx7Cv5Bn1Mk8Jt3Gf6Ry0Pe4Ua9Io2Ty5Rw8Eq1";
    /// Application `app-prod`.
    pub const PROD: &str = "nyk_v0_Pr0d9Lm2Kx7Vb4Nc8Zq1Wd5Ry3Tf6Gh0Js2Ua7Ie9Ok4Xc3";
    /// Well-formed but in no fixture.
    pub const UNKNOWN: &str = "nyk_v0_UnKn0wnKey000000000000000000000000000000000000";
}

/// Credential ids from `fixtures/nylas.json`.
pub mod ids {
    /// app-dev, google, connector.
    pub const DEV_GOOGLE_CONNECTOR: &str = "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601";
    /// app-dev, google, serviceaccount.
    pub const DEV_GOOGLE_SERVICE: &str = "b4e2d3c5-6c7f-4a81-9b02-c3d4e5f60712";
    /// app-dev, microsoft, connector.
    pub const DEV_MICROSOFT_CONNECTOR: &str = "c5f3e4d6-7d80-4b92-8c13-d4e5f6071823";
    /// app-dev, microsoft, adminconsent.
    pub const DEV_MICROSOFT_CONSENT: &str = "d6a4f5e7-8e91-4ca3-9d24-e5f607182934";
    /// app-dev, zoom, connector.
    pub const DEV_ZOOM_CONNECTOR: &str = "e7b5a6f8-9fa2-4db4-8e35-f60718293a45";
    /// app-prod, google, connector (same name as app-dev's).
    pub const PROD_GOOGLE_CONNECTOR: &str = "f8c6b7a9-a0b3-4ec5-9f46-0718293a4b56";
    /// A UUID no fixture uses.
    pub const UNKNOWN: &str = "0f0e0d0c-0b0a-4908-8706-050403020100";
}

/// `GET` and `POST` here.
pub const CONNECTORS: &str = "/v3/connectors";

pub fn connector_path(provider: &str) -> String {
    format!("{CONNECTORS}/{provider}")
}

/// `GET` and `POST` here.
pub fn creds_list_path(provider: &str) -> String {
    format!("{CONNECTORS}/{provider}/creds")
}

pub fn creds_path(provider: &str, id: &str) -> String {
    format!("/v3/connectors/{provider}/creds/{id}")
}

/// The Node SDK: a Bearer key, `Accept: application/json` on every call, and a JSON content type
/// with a body (none on a GET).
pub const CLIENT: Client = Client {
    key_header: KeyHeader::Bearer,
    every_request: &[("accept", "application/json")],
    with_body: &[("content-type", "application/json")],
};

pub async fn patch(app: &TestApp, provider: &str, id: &str, key: &str, body: &Value) -> Reply {
    app.patch_json(&CLIENT, &creds_path(provider, id), key, body)
        .await
}

pub async fn patch_raw(app: &TestApp, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    app.patch_with_headers(path, headers, body).await
}

/// A request as the Node SDK sends it, with `body` as JSON when there is one.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    body: Option<&Value>,
) -> Reply {
    let body = body.map(|body| serde_json::to_vec(body).expect("JSON"));
    app.call(&CLIENT, method, path, key, body.as_deref()).await
}

pub async fn post(app: &TestApp, path: &str, key: &str, body: &Value) -> Reply {
    call(app, Method::POST, path, key, Some(body)).await
}

pub async fn delete(app: &TestApp, path: &str, key: &str) -> Reply {
    call(app, Method::DELETE, path, key, None).await
}

/// A connector create body with the provider application's client credentials.
pub fn connector_body(provider: &str) -> Value {
    serde_json::json!({
        "provider": provider,
        "settings": {"client_id": format!("{provider}-client"), "client_secret": format!("{provider}-secret")},
    })
}

/// A `connector` credential create body named `name`.
pub fn credential_body(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "credential_type": "connector",
        "credential_data": {"client_id": format!("{name}-id"), "client_secret": format!("{name}-secret")},
    })
}

pub async fn get(app: &TestApp, provider: &str, id: &str, key: &str) -> Reply {
    get_path(app, &creds_path(provider, id), key).await
}

pub async fn get_path(app: &TestApp, path: &str, key: &str) -> Reply {
    app.get_as(&CLIENT, path, key).await
}

/// Checks what every Nylas response has (JSON content type, a UUID v4 `request_id` first in the
/// body and the same value in `x-request-id`) and returns the body.
pub fn envelope(reply: &Reply) -> Value {
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=utf-8"),
        "{}",
        reply.text
    );
    let body = reply.json();
    let object = body.as_object().expect("a JSON object");
    assert_eq!(
        object.keys().next().map(String::as_str),
        Some("request_id"),
        "request_id comes first: {body}"
    );
    let request_id = body["request_id"].as_str().expect("request_id");
    let uuid = uuid::Uuid::parse_str(request_id).expect("request_id is a UUID");
    assert_eq!(uuid.get_version_num(), 4, "UUID v4: {request_id}");
    assert_eq!(
        reply.header("x-request-id"),
        Some(request_id),
        "x-request-id equals the body's request_id"
    );
    body
}

/// `{request_id, error:{type, message}}` with the given status, exactly.
pub fn assert_error(reply: &Reply, status: StatusCode, error_type: &str, message: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    let body = envelope(reply);
    assert_eq!(
        body,
        serde_json::json!({"request_id": body["request_id"], "error": {"type": error_type, "message": message}}),
    );
}

/// The keys of a JSON object, in order.
pub fn keys_of(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// `{"request_id", "data"}` with `status`, returning `data`.
fn one(reply: &Reply, status: StatusCode) -> Value {
    assert_eq!(reply.status, status, "{}", reply.text);
    let body = envelope(reply);
    assert_eq!(keys_of(&body), ["request_id", "data"]);
    body["data"].clone()
}

/// A credential object's exact keys and integer timestamps.
fn check_credential_object(data: &Value) {
    assert_eq!(keys_of(data), ["id", "name", "created_at", "updated_at"]);
    assert!(
        data["created_at"].is_i64() && data["updated_at"].is_i64(),
        "{data}"
    );
}

/// The credential object of a 200, after checking the envelope and its exact keys.
pub fn credential(reply: &Reply) -> Value {
    let data = one(reply, StatusCode::OK);
    check_credential_object(&data);
    data
}

/// The credential object of a create's 201.
pub fn created_credential(reply: &Reply) -> Value {
    let data = one(reply, StatusCode::CREATED);
    check_credential_object(&data);
    data
}

/// A connector object's keys, in the spec's order (`active_credential_id` only when set).
fn check_connector_object(data: &Value) {
    let keys = keys_of(data);
    let expected: &[&str] = if data.get("active_credential_id").is_some() {
        &[
            "name",
            "provider",
            "settings",
            "scope",
            "active_credential_id",
        ]
    } else {
        &["name", "provider", "settings", "scope"]
    };
    assert_eq!(keys, expected, "{data}");
    assert!(
        data["settings"].is_object() && data["scope"].is_array(),
        "{data}"
    );
    for secret in ["client_id", "client_secret"] {
        assert!(
            data["settings"].get(secret).is_none(),
            "{secret} shown: {data}"
        );
    }
}

/// The connector object of a reply with `status` (200, or 201 for a create).
pub fn connector(reply: &Reply, status: StatusCode) -> Value {
    let data = one(reply, status);
    check_connector_object(&data);
    data
}

/// A list's 200: `{"request_id", "data", "limit", "offset"}` and never a `next_cursor`. Returns the
/// items and the echoed limit and offset.
pub fn page(reply: &Reply) -> (Vec<Value>, u64, u64) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let body = envelope(reply);
    assert_eq!(keys_of(&body), ["request_id", "data", "limit", "offset"]);
    let items = body["data"].as_array().cloned().expect("data is an array");
    for item in &items {
        if item.get("provider").is_some() {
            check_connector_object(item);
        } else {
            check_credential_object(item);
        }
    }
    let limit = body["limit"].as_u64().expect("limit");
    let offset = body["offset"].as_u64().expect("offset");
    (items, limit, offset)
}

/// The ids of a page of credentials, in order.
pub fn ids_of(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| item["id"].as_str().expect("id").to_string())
        .collect()
}

/// A delete's 200: `{"request_id"}` alone.
pub fn deleted(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let body = envelope(reply);
    assert_eq!(keys_of(&body), ["request_id"]);
}

/// Every stored record of an application, as the admin view shows them.
pub async fn state(app: &TestApp, tenant: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/nylas?tenant={tenant}"),
            &[],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()["records"].clone()
}

/// An application's stored connector of `provider` (settings whole), or null.
pub async fn stored_connector(app: &TestApp, tenant: &str, provider: &str) -> Value {
    state(app, tenant)
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|record| record["object"] == "connector" && record["provider"] == provider)
        .unwrap_or(Value::Null)
}

/// A stored Nylas record as the admin view shows it (fixture format, secrets included), or null.
pub async fn stored(app: &TestApp, tenant: &str, id: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/nylas?tenant={tenant}"),
            &[],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()["records"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|record| record["id"] == id)
        .unwrap_or(Value::Null)
}

/// The fixture record of `id`, as `fixtures/nylas.json` has it.
pub fn fixture(id: &str) -> Value {
    let path = patchbay_tests::repo_root().join("fixtures/nylas.json");
    let text = std::fs::read_to_string(path).expect("fixtures/nylas.json");
    let document: Value = serde_json::from_str(&text).expect("JSON");
    document["records"]
        .as_array()
        .and_then(|records| records.iter().find(|record| record["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("no fixture {id}"))
}

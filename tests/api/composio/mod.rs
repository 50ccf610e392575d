//! Composio: the auth-config lifecycle of `/api/v3{,.1}/auth_configs` as Composio's backend answers
//! it: create, list, get, update, enable or disable, delete.

mod auth;
mod concurrency;
mod create;
mod delete;
mod list;
mod read;
mod status;
mod tenancy;
mod update;
mod validation;

use crate::helpers::{Client, KeyHeader, Reply, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Demo keys from `fixtures/composio.json`.
pub mod keys {
    /// Project `proj_demo`, full access.
    pub const DEMO: &str = "ak_demo0Project0FullKey01";
    /// Project `proj_demo`, a user key (sent in `x-user-api-key`).
    pub const DEMO_USER: &str = "uak_demo0User0Key000001";
    /// Project `proj_demo`, `auth_configs:read` only.
    pub const DEMO_READ_ONLY: &str = "ak_demo0ReadOnly0Key0001";
    /// Project `proj_staging`, full access.
    pub const STAGING: &str = "ak_staging0Project0Key01";
}

/// Auth config ids from `fixtures/composio.json`.
pub mod ids {
    /// proj_demo, custom, github, OAuth credentials.
    pub const GITHUB: &str = "ac_gHc7Qm2xLp9T";
    /// proj_demo, default, slack, scopes and user scopes.
    pub const SLACK: &str = "ac_sLk4Vb8nRw2E";
    /// proj_demo, custom, linear, shared credentials and a proxy.
    pub const LINEAR: &str = "ac_lNr0Zt5yKd7U";
    /// proj_demo, custom, gmail, disabled.
    pub const GMAIL: &str = "ac_gMa1Xc6vBn3Q";
    /// proj_demo, default, notion, the newest fixture of the project.
    pub const NOTION: &str = "ac_nTn9Hs2jWq8F";
    /// proj_staging, custom, github.
    pub const STAGING_GITHUB: &str = "ac_gHs2Kp7rMz4Y";
}

/// The native path of an auth config under the API version the current SDKs call.
pub fn config_path(nanoid: &str) -> String {
    format!("/api/v3.1/auth_configs/{nanoid}")
}

/// `composio-client`: the project key in `x-api-key`, and a JSON content type with a body.
pub const CLIENT: Client = Client {
    key_header: KeyHeader::Plain("x-api-key"),
    every_request: &[],
    with_body: &[("content-type", "application/json")],
};

/// The collection path under the API version the current SDKs call.
pub const CONFIGS: &str = "/api/v3.1/auth_configs";

/// `POST` of a create body to a collection path (`CONFIGS` or another version's).
pub async fn create_at(app: &TestApp, path: &str, key: &str, body: &Value) -> Reply {
    let body = serde_json::to_vec(body).expect("JSON");
    app.call(&CLIENT, Method::POST, path, key, Some(&body))
        .await
}

pub async fn create(app: &TestApp, key: &str, body: &Value) -> Reply {
    create_at(app, CONFIGS, key, body).await
}

/// Creates a config and returns its new id; asserts the 201.
pub async fn created(app: &TestApp, key: &str, body: &Value) -> String {
    let reply = create(app, key, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.json()["auth_config"]["id"]
        .as_str()
        .expect("an id")
        .to_string()
}

/// A managed config of a toolkit, named.
pub fn managed(toolkit: &str, name: &str) -> Value {
    serde_json::json!({"toolkit": {"slug": toolkit}, "auth_config": {"type": "use_composio_managed_auth", "name": name}})
}

/// `GET` of a collection path with a query (`""` for none).
pub async fn list_at(app: &TestApp, path: &str, key: &str, query: &str) -> Reply {
    let path = if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    };
    app.get_as(&CLIENT, &path, key).await
}

pub async fn list(app: &TestApp, key: &str, query: &str) -> Reply {
    list_at(app, CONFIGS, key, query).await
}

/// The ids of a list page, in order; asserts the 200.
pub fn item_ids(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_string())
        .collect()
}

/// Every id a list query gives, page after page with `next_cursor`, and the number of pages.
pub async fn every_page(app: &TestApp, key: &str, query: &str) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            None => query.to_string(),
            Some(cursor) => format!("{query}&cursor={}", encode(cursor)),
        };
        let reply = list(app, key, &query).await;
        ids.extend(item_ids(&reply));
        pages += 1;
        match reply.json()["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return (ids, pages),
        }
        assert!(pages < 1000, "no end to the pages");
    }
}

/// A query value percent-encoded, as the SDKs send it.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub async fn delete_at(app: &TestApp, path: &str, key: &str) -> Reply {
    app.call(&CLIENT, Method::DELETE, path, key, None).await
}

pub async fn delete(app: &TestApp, nanoid: &str, key: &str) -> Reply {
    delete_at(app, &config_path(nanoid), key).await
}

/// `PATCH .../{nanoid}/{status}` with no body, as the SDKs send it.
pub async fn set_status(app: &TestApp, nanoid: &str, status: &str, key: &str) -> Reply {
    let path = format!("{}/{status}", config_path(nanoid));
    app.call(&CLIENT, Method::PATCH, &path, key, None).await
}

/// Every record of a project as the admin view shows them.
pub async fn stored_all(app: &TestApp, tenant: &str) -> Vec<Value> {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/composio?tenant={tenant}"),
            &[],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()["records"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub async fn patch(app: &TestApp, nanoid: &str, key: &str, body: &Value) -> Reply {
    app.patch_json(&CLIENT, &config_path(nanoid), key, body)
        .await
}

pub async fn patch_raw(app: &TestApp, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    app.patch_with_headers(path, headers, body).await
}

pub async fn get(app: &TestApp, nanoid: &str, key: &str) -> Reply {
    app.get_as(&CLIENT, &config_path(nanoid), key).await
}

/// The auth config as GET returns it; asserts the GET succeeded.
pub async fn read(app: &TestApp, nanoid: &str) -> Value {
    let reply = get(app, nanoid, keys::DEMO).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json()
}

/// The request id of a reply: a UUID v4 in `x-request-id`.
pub fn request_id(reply: &Reply) -> String {
    let id = reply
        .header("x-request-id")
        .unwrap_or_else(|| panic!("no x-request-id in {:?}", reply.headers));
    let parsed = uuid::Uuid::parse_str(id).unwrap_or_else(|_| panic!("{id} is not a UUID"));
    assert_eq!(parsed.get_version_num(), 4, "{id}");
    id.to_string()
}

/// Composio's envelope for this reply, with the reply's own request id:
/// `{"error":{"message","code","slug","status","request_id","suggested_fix"?,"errors"?}}`.
pub fn envelope(
    reply: &Reply,
    message: &str,
    code: u32,
    slug: &str,
    suggested_fix: Option<&str>,
    errors: Option<&[&str]>,
) -> Value {
    let mut error = serde_json::Map::new();
    error.insert("message".into(), message.into());
    error.insert("code".into(), code.into());
    error.insert("slug".into(), slug.into());
    error.insert("status".into(), reply.status.as_u16().into());
    error.insert("request_id".into(), request_id(reply).into());
    if let Some(fix) = suggested_fix {
        error.insert("suggested_fix".into(), fix.into());
    }
    if let Some(errors) = errors {
        error.insert("errors".into(), errors.to_vec().into());
    }
    serde_json::json!({ "error": error })
}

/// Asserts a reply is exactly this status and envelope, keys in Composio's order.
pub fn assert_error(reply: &Reply, status: StatusCode, expected: impl FnOnce(&Reply) -> Value) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let expected = expected(reply);
    assert_eq!(reply.json(), expected);
    let keys: Vec<String> = reply.json()["error"]
        .as_object()
        .expect("error object")
        .keys()
        .cloned()
        .collect();
    let expected_keys: Vec<String> = expected["error"]
        .as_object()
        .expect("error object")
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, expected_keys, "key order");
}

/// The 400 of a request-schema failure with these payload errors.
pub fn validation(errors: &'static [&'static str]) -> impl FnOnce(&Reply) -> Value {
    move |reply| {
        envelope(
            reply,
            "Validation error while processing request",
            10400,
            "Http_ValidationError",
            Some("Please check the payload."),
            Some(errors),
        )
    }
}

pub fn not_found(reply: &Reply) -> Value {
    envelope(
        reply,
        "Auth config not found",
        302,
        "Auth_Config_NotFound",
        Some("Verify the auth config ID, or create the auth config first."),
        None,
    )
}

/// A stored Composio record as the admin view shows it (secrets included), or null.
pub async fn stored(app: &TestApp, tenant: &str, nanoid: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/composio?tenant={tenant}"),
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
        .find(|record| record["id"] == nanoid)
        .unwrap_or(Value::Null)
}

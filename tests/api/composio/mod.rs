//! Composio: `PATCH` and `GET /api/v3{,.1}/auth_configs/{nanoid}` as Composio's backend answers them.

mod auth;
mod concurrency;
mod read;
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

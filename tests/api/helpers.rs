//! Shared test helpers: the demo keys and short ways to call each vendor.

pub use patchbay_tests::{spawn_app, spawn_app_on, spawn_app_with, Mutator, Reply, TestApp};
use reqwest::Method;
use serde_json::Value;

/// Nango demo keys from `fixtures/nango.json`.
pub mod nango_keys {
    /// Tenant `dev`, created without scopes: `environment:*`.
    pub const DEV_FULL: &str = "6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f";
    /// Tenant `dev`, `environment:integrations:read` only.
    pub const DEV_READ_ONLY: &str = "0b7e2a51-9c3d-4e8f-a1b2-c3d4e5f60718";
    /// Tenant `prod`, update and read but not read_credentials.
    pub const PROD_UPDATE: &str = "c2d3e4f5-a6b7-4c8d-9e0f-112233445566";
    /// Tenant `prod`, an explicit empty scope list.
    pub const PROD_NO_SCOPES: &str = "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70";
    /// Well-formed (UUID v4) but in no fixture.
    pub const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";
}

/// A PATCH shaped as the `@nangohq/node` SDK sends it (Bearer key, JSON content type).
pub async fn nango_patch(app: &TestApp, unique_key: &str, key: &str, body: &Value) -> Reply {
    let bearer = format!("Bearer {key}");
    let body = serde_json::to_vec(body).expect("JSON");
    app.send(
        Method::PATCH,
        &format!("/integrations/{unique_key}"),
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        Some(body),
    )
    .await
}

pub async fn nango_patch_raw(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    app.send(Method::PATCH, path, headers, Some(body.to_vec()))
        .await
}

pub async fn nango_get(app: &TestApp, path: &str, key: &str) -> Reply {
    let bearer = format!("Bearer {key}");
    app.send(
        Method::GET,
        path,
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        None,
    )
    .await
}

/// `data` of a Nango 200 with the timestamps checked (ISO with milliseconds and `Z`) and removed.
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

/// `2023-10-16T08:45:26.241Z`.
pub fn is_iso_millis(text: &str) -> bool {
    text.len() == 24 && text.ends_with('Z') && chrono_like(text)
}

fn chrono_like(text: &str) -> bool {
    let bytes = text.as_bytes();
    [4, 7].iter().all(|&i| bytes[i] == b'-')
        && bytes[10] == b'T'
        && [13, 16].iter().all(|&i| bytes[i] == b':')
        && bytes[19] == b'.'
        && text
            .chars()
            .enumerate()
            .all(|(i, c)| [4, 7, 10, 13, 16, 19, 23].contains(&i) || c.is_ascii_digit())
}

/// Nango's message-style error body: `{"error":{"code","message"}}`.
pub fn nango_error(code: &str, message: &str) -> Value {
    serde_json::json!({"error": {"code": code, "message": message}})
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
pub async fn stored_nango_record(app: &TestApp, tenant: &str, unique_key: &str) -> Value {
    let reply = app
        .send(
            Method::GET,
            &format!("/_patchbay/state/nango?tenant={tenant}"),
            &[],
            None,
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::OK);
    let records = reply.json()["records"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    records
        .into_iter()
        .find(|record| record["unique_key"] == unique_key)
        .unwrap_or(Value::Null)
}

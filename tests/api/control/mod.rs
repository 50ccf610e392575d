//! The control plane: open keys, reset and seed, the request journal, fault rules, admin access.

mod access;
mod bounds;
mod faults;
mod journal;
mod open_keys;
mod reset;
mod robustness;
mod seed;
mod vendors;

use crate::helpers::{Reply, TestApp};
use reqwest::Method;
use serde_json::Value;

pub async fn control(app: &TestApp, method: Method, path: &str, body: Option<&Value>) -> Reply {
    let body = body.map(|body| serde_json::to_vec(body).expect("JSON"));
    app.send(method, path, &[("content-type", "application/json")], body)
        .await
}

pub async fn add_fault(app: &TestApp, rule: Value) -> Value {
    let reply = control(app, Method::POST, "/_patchbay/faults", Some(&rule)).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["faults"][0].clone()
}

/// The journal's entries for a query string (`vendor=nango&status=4xx`).
pub async fn journal(app: &TestApp, query: &str) -> Vec<Value> {
    let reply = control(
        app,
        Method::GET,
        &format!("/_patchbay/requests?{query}"),
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["requests"]
        .as_array()
        .cloned()
        .expect("a requests array")
}

/// A fresh, well-formed Nango key (UUID v4) no fixture holds.
pub fn fresh_nango_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

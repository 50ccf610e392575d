//! The Composio adapter: the auth-config lifecycle of `/api/v3{,.1}/auth_configs` (create, list, get,
//! update, enable or disable, delete) as Composio's backend answers it, for the `composio-client`
//! SDKs. See README.md for coverage and known quirks.

mod auth;
mod control;
mod error;
mod fixtures;
mod handlers;
mod lifecycle;
mod merge;
mod record;
mod routes;
mod toolkits;
mod validate;
mod wire;

use actix_web::web;
use patchbay_core::Store;
use patchbay_http::{AdapterContext, BodyLimit, Mount, Vendor};
use std::sync::Arc;

/// Composio, as the server and its control plane see it.
pub static ADAPTER: Vendor = Vendor {
    name: VENDOR,
    fixture_file: "composio.json",
    paths: routes::PATHS,
    mount,
    not_found: handlers::not_found,
    sdk_base_url,
    parse_record: fixtures::parse_record,
    record_view: fixtures::record_view,
    hidden_fields: patchbay_http::HiddenFields::Rule(wire::is_secret_field),
    hooks: control::HOOKS,
};

/// The vendor name in the store, in logs and in fixture file names.
pub(crate) const VENDOR: &str = "composio";

/// The adapter's state, shared by its handlers.
pub struct Composio {
    store: Store,
    body_limit: BodyLimit,
}

/// Builds the adapter's state and returns its route registration.
fn mount(context: &AdapterContext) -> Result<Mount, String> {
    let state = web::Data::new(Composio {
        store: context.store.clone(),
        body_limit: context.body_limit,
    });
    Ok(Arc::new(move |config: &mut web::ServiceConfig| {
        routes::configure(config, &state)
    }))
}

/// The base URL to give the SDK (`Composio(base_url=...)`): the API paths start at the root.
fn sdk_base_url(public_url: &str) -> String {
    public_url.to_string()
}

//! The Langdock adapter: create, list, get, update and auth update of integrations
//! (`/integrations/v1/...`) as Langdock's public API answers them (also under `/api/public`, the
//! dedicated-deployment prefix, and `/langdock`), for plain HTTP clients such as the docs' axios
//! examples. See README.md for coverage and known quirks.

mod auth;
mod control;
mod error;
mod fixtures;
mod handlers;
mod merge;
mod record;
mod routes;
mod validate;
mod wire;

use actix_web::web;
use patchbay_core::Store;
use patchbay_http::{AdapterContext, BodyLimit, Mount, Vendor};
use std::sync::Arc;

/// Langdock, as the server and its control plane see it.
pub static ADAPTER: Vendor = Vendor {
    name: VENDOR,
    fixture_file: "langdock.json",
    paths: routes::PATHS,
    mount,
    not_found: handlers::not_found,
    sdk_base_url,
    parse_record: fixtures::parse_record,
    record_view: fixtures::record_view,
    hidden_fields: patchbay_http::HiddenFields::Named(&[control::SECRET_FIELDS]),
    hooks: control::HOOKS,
};

/// The vendor name in the store, in logs and in fixture file names.
pub(crate) const VENDOR: &str = "langdock";

/// The adapter's state, shared by its handlers.
pub struct Langdock {
    store: Store,
    body_limit: BodyLimit,
}

/// Builds the adapter's state and returns its route registration.
fn mount(context: &AdapterContext) -> Result<Mount, String> {
    let state = web::Data::new(Langdock {
        store: context.store.clone(),
        body_limit: context.body_limit,
    });
    Ok(Arc::new(move |config: &mut web::ServiceConfig| {
        routes::configure(config, &state)
    }))
}

/// The base URL to put in front of `/integrations/v1/...` (where the docs have
/// `https://api.langdock.com`).
fn sdk_base_url(public_url: &str) -> String {
    public_url.to_string()
}

//! The Puretalk adapter: `PATCH` and `GET /api/ruth-connect/integrations/{integration_id}` as
//! Puretalk's API answers them (also under `/puretalk/api`), for plain HTTP clients with an
//! `X-API-KEY` header. See README.md for coverage and known quirks.

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

/// Puretalk, as the server and its control plane see it.
pub static ADAPTER: Vendor = Vendor {
    name: VENDOR,
    fixture_file: "puretalk.json",
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
pub(crate) const VENDOR: &str = "puretalk";

/// The adapter's state, shared by its handlers.
pub struct Puretalk {
    store: Store,
    body_limit: BodyLimit,
}

/// Builds the adapter's state and returns its route registration.
fn mount(context: &AdapterContext) -> Result<Mount, String> {
    let state = web::Data::new(Puretalk {
        store: context.store.clone(),
        body_limit: context.body_limit,
    });
    Ok(Arc::new(move |config: &mut web::ServiceConfig| {
        routes::configure(config, &state)
    }))
}

/// The server URL of Puretalk's OpenAPI document (`https://api.puretalk.ai/api`).
fn sdk_base_url(public_url: &str) -> String {
    format!("{public_url}/api")
}

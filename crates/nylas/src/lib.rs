//! The Nylas adapter: connectors (`/v3/connectors`, `/v3/connectors/{provider}`) and their
//! credentials (`/v3/connectors/{provider}/creds`, `.../creds/{id}`), created, listed, read,
//! updated and deleted as Nylas v3 answers them, for the official Nylas SDKs. See README.md for
//! coverage and known quirks.

mod auth;
mod control;
mod error;
mod fixtures;
mod handlers;
mod lifecycle;
mod merge;
mod record;
mod routes;
mod validate;
mod wire;

use actix_web::web;
use patchbay_core::Store;
use patchbay_http::{AdapterContext, BodyLimit, Mount, Vendor};
use std::sync::Arc;

/// Nylas, as the server and its control plane see it.
pub static ADAPTER: Vendor = Vendor {
    name: VENDOR,
    fixture_file: "nylas.json",
    paths: routes::PATHS,
    mount,
    not_found: handlers::not_found,
    sdk_base_url,
    parse_record: fixtures::parse_record,
    record_view: fixtures::record_view,
    hidden_fields: patchbay_http::HiddenFields::Named(&[
        control::SECRET_FIELDS,
        &record::SECRET_SETTINGS,
    ]),
    hooks: control::HOOKS,
};

/// The vendor name in the store, in logs and in fixture file names.
pub(crate) const VENDOR: &str = "nylas";

/// The adapter's state, shared by its handlers.
pub struct Nylas {
    store: Store,
    body_limit: BodyLimit,
}

/// Builds the adapter's state and returns its route registration.
fn mount(context: &AdapterContext) -> Result<Mount, String> {
    let state = web::Data::new(Nylas {
        store: context.store.clone(),
        body_limit: context.body_limit,
    });
    Ok(Arc::new(move |config: &mut web::ServiceConfig| {
        routes::configure(config, &state)
    }))
}

/// The base URL to give the SDK (`new Nylas({ apiKey, apiUri })`, Python `Client(api_key, api_uri)`).
fn sdk_base_url(public_url: &str) -> String {
    public_url.to_string()
}

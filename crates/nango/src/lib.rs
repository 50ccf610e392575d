//! The Nango adapter: the lifecycle of an integration (`POST` and `GET /integrations`, `GET`,
//! `PATCH` and `DELETE /integrations/{uniqueKey}`, `POST /integrations/quickstart`) as Nango's own
//! server answers it, for the `@nangohq/node` SDK. See README.md for coverage and known quirks.

mod auth;
mod catalogue;
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
use catalogue::Catalogue;
use patchbay_core::Store;
use patchbay_http::{AdapterContext, BodyLimit, Mount, Vendor};
use std::sync::Arc;

/// Nango, as the server and its control plane see it.
pub static ADAPTER: Vendor = Vendor {
    name: VENDOR,
    fixture_file: "nango.json",
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
pub(crate) const VENDOR: &str = "nango";

/// The adapter's state, shared by its handlers.
pub struct Nango {
    store: Store,
    catalogue: Arc<Catalogue>,
    public_url: String,
    body_limit: BodyLimit,
}

/// Builds the adapter's state and returns its route registration. Fails only if the shipped
/// provider catalogue is broken.
fn mount(context: &AdapterContext) -> Result<Mount, String> {
    let state = web::Data::new(Nango {
        store: context.store.clone(),
        catalogue: Arc::new(Catalogue::shipped()?),
        public_url: context.public_url.clone(),
        body_limit: context.body_limit,
    });
    Ok(Arc::new(move |config: &mut web::ServiceConfig| {
        routes::configure(config, &state)
    }))
}

/// The base URL to give the SDK (`new Nango({ host })`).
fn sdk_base_url(public_url: &str) -> String {
    public_url.to_string()
}

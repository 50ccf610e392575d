//! The Nango adapter: `PATCH` and `GET /integrations/{uniqueKey}` as Nango's own server answers them,
//! for the `@nangohq/node` SDK. See README.md for coverage and known quirks.

mod auth;
mod catalogue;
mod control;
mod error;
mod fixtures;
mod handlers;
mod merge;
mod routes;
mod validate;
mod wire;

use actix_web::web;
use catalogue::Catalogue;
use patchbay_core::Store;
use patchbay_http::{AdapterContext, BodyLimit, Mount};
use std::sync::Arc;

pub use control::HOOKS;
pub use fixtures::{parse_record, record_view};

/// The vendor name in the store, in logs and in fixture file names.
pub const VENDOR: &str = "nango";
/// Nango's own fixture file name under the fixtures directory.
pub const FIXTURE_FILE: &str = "nango.json";

/// The adapter's state, shared by its handlers.
pub struct Nango {
    store: Store,
    catalogue: Arc<Catalogue>,
    public_url: String,
    body_limit: BodyLimit,
}

/// Builds the adapter's state and returns its route registration. Fails only if the shipped
/// provider catalogue is broken.
pub fn mount(context: &AdapterContext) -> Result<Mount, String> {
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
pub fn sdk_base_url(public_url: &str) -> String {
    public_url.to_string()
}

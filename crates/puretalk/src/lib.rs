//! The Puretalk adapter: `PATCH` and `GET /api/ruth-connect/integrations/{integration_id}` as
//! Puretalk's API answers them (also under `/puretalk/api`), for plain HTTP clients with an
//! `X-API-KEY` header. See README.md for coverage and known quirks.

mod auth;
mod control;
mod error;
mod fixtures;
mod handlers;
mod merge;
mod routes;
mod validate;
mod wire;

use actix_web::web;
use patchbay_core::Store;
use patchbay_http::{AdapterContext, BodyLimit, Mount};
use std::sync::Arc;

pub use control::HOOKS;
pub use fixtures::{parse_record, record_view};

/// The vendor name in the store, in logs and in fixture file names.
pub const VENDOR: &str = "puretalk";
/// Puretalk's own fixture file name under the fixtures directory.
pub const FIXTURE_FILE: &str = "puretalk.json";

/// The adapter's state, shared by its handlers.
pub struct Puretalk {
    store: Store,
    body_limit: BodyLimit,
}

/// Builds the adapter's state and returns its route registration.
pub fn mount(context: &AdapterContext) -> Result<Mount, String> {
    let state = web::Data::new(Puretalk {
        store: context.store.clone(),
        body_limit: context.body_limit,
    });
    Ok(Arc::new(move |config: &mut web::ServiceConfig| {
        routes::configure(config, &state)
    }))
}

/// The server URL of Puretalk's OpenAPI document (`https://api.puretalk.ai/api`).
pub fn sdk_base_url(public_url: &str) -> String {
    format!("{public_url}/api")
}

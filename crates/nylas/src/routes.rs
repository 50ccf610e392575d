//! Nylas's route table, mounted at the native paths (`/v3/...`) and again under `/nylas/v3/...`.

use crate::handlers;
use actix_web::web;
use patchbay_http::PathClaim;

/// The paths Nylas owns: the whole of its native API space, `/v3` (no other vendor uses it at
/// the root), and `/nylas`.
pub(crate) const PATHS: &[PathClaim] = &[PathClaim::Under("/v3"), PathClaim::Under("/nylas")];

/// The routes, relative to `/v3` wherever it is mounted.
fn table(config: &mut web::ServiceConfig, state: &web::Data<crate::Nylas>) {
    let payload = patchbay_http::payload_config(state.body_limit);
    config.service(
        web::resource("/connectors/{provider}/creds/{id}")
            .app_data(state.clone())
            .app_data(payload)
            .route(web::patch().to(handlers::update_credential))
            .route(web::get().to(handlers::get_credential))
            .default_service(web::to(handlers::unknown_route)),
    );
}

/// `/v3` with Nylas's 404 for every path and method it does not serve.
fn v3(state: &web::Data<crate::Nylas>) -> actix_web::Scope {
    let state = state.clone();
    web::scope("/v3")
        .configure(move |scope| table(scope, &state))
        .default_service(web::to(handlers::unknown_route))
}

/// Mounts Nylas: under `/nylas` (where every unknown path gets Nylas's 404) and at `/v3`, the
/// whole of Nylas's native API space.
pub fn configure(config: &mut web::ServiceConfig, state: &web::Data<crate::Nylas>) {
    config.service(
        web::scope("/nylas")
            .service(v3(state))
            .default_service(web::to(handlers::unknown_route)),
    );
    config.service(v3(state));
}

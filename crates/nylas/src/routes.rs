//! Nylas's route table, mounted at the native paths (`/v3/...`) and again under `/nylas/v3/...`.

use crate::handlers;
use actix_web::web;
use patchbay_http::PathClaim;

/// The paths Nylas owns: the whole of its native API space, `/v3` (no other vendor uses it at
/// the root), and `/nylas`.
pub(crate) const PATHS: &[PathClaim] = &[PathClaim::Under("/v3"), PathClaim::Under("/nylas")];

/// The routes, relative to `/v3` wherever it is mounted. Each path answers the methods it does not
/// serve with Nylas's 404.
fn table(config: &mut web::ServiceConfig, state: &web::Data<crate::Nylas>) {
    let payload = patchbay_http::payload_config(state.body_limit);
    let resource = |path: &str| {
        web::resource(path)
            .app_data(state.clone())
            .app_data(payload.clone())
            .default_service(web::to(handlers::unknown_route))
    };
    config
        .service(
            resource("/connectors")
                .route(web::get().to(handlers::list_connectors))
                .route(web::post().to(handlers::create_connector)),
        )
        .service(
            resource("/connectors/{provider}")
                .route(web::get().to(handlers::get_connector))
                .route(web::patch().to(handlers::update_connector))
                .route(web::put().to(handlers::update_connector))
                .route(web::delete().to(handlers::delete_connector)),
        )
        .service(
            resource("/connectors/{provider}/creds")
                .route(web::get().to(handlers::list_credentials))
                .route(web::post().to(handlers::create_credential)),
        )
        .service(
            resource("/connectors/{provider}/creds/{id}")
                .route(web::patch().to(handlers::update_credential))
                .route(web::get().to(handlers::get_credential))
                .route(web::delete().to(handlers::delete_credential)),
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

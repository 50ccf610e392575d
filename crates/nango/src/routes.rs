//! Nango's route table, mounted at the native paths and again under `/nango`.

use crate::handlers;
use actix_web::{guard, web};
use patchbay_http::PathClaim;

/// The paths Nango owns: `/integrations` and everything below it (another vendor's more
/// specific claims excepted), the logos its `logo` URLs point at, and `/nango`.
pub(crate) const PATHS: &[PathClaim] = &[
    PathClaim::Under("/integrations"),
    PathClaim::Below("/images/template-logos"),
    PathClaim::Under("/nango"),
];

/// The routes, relative to wherever they are mounted.
fn table(config: &mut web::ServiceConfig, state: &web::Data<crate::Nango>) {
    let payload = || patchbay_http::payload_config(state.body_limit);
    config.service(
        web::resource("/integrations")
            .app_data(state.clone())
            .app_data(payload())
            .route(web::get().to(handlers::list_integrations))
            .route(web::post().to(handlers::create_integration))
            .default_service(web::to(handlers::unknown_route)),
    );
    // Only POST: any other method on `/integrations/quickstart` is of the integration of that key.
    config.service(
        web::resource("/integrations/quickstart")
            .guard(guard::Post())
            .app_data(state.clone())
            .app_data(payload())
            .route(web::post().to(handlers::create_quickstart_integration)),
    );
    config.service(
        web::resource("/integrations/{uniqueKey}")
            .app_data(state.clone())
            .app_data(payload())
            .route(web::patch().to(handlers::update_integration))
            .route(web::get().to(handlers::get_integration))
            .route(web::delete().to(handlers::delete_integration))
            .default_service(web::to(handlers::unknown_route)),
    );
    config.service(
        web::resource("/images/template-logos/{provider}.svg")
            .route(web::get().to(handlers::logo))
            .default_service(web::to(handlers::unknown_route)),
    );
}

/// Mounts Nango: under `/nango` (where every unknown path gets Nango's 404) and at its native paths.
pub fn configure(config: &mut web::ServiceConfig, state: &web::Data<crate::Nango>) {
    config.service(
        web::scope("/nango")
            .configure(|scope| table(scope, state))
            .default_service(web::to(handlers::unknown_route)),
    );
    table(config, state);
}

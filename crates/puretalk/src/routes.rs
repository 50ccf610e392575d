//! Puretalk's route table, mounted at the native paths and again under `/puretalk`.
//!
//! `/api/ruth-connect` is Puretalk's alone, so it is a scope whose unknown paths get Puretalk's 404;
//! `/api` itself is shared with other vendors and is never a scope here.

use crate::handlers;
use actix_web::web;
use patchbay_http::PathClaim;

/// The paths Puretalk owns: `/api/ruth-connect` and `/puretalk`. Never `/api` as a whole: other
/// vendors live there.
pub(crate) const PATHS: &[PathClaim] = &[
    PathClaim::Under("/api/ruth-connect"),
    PathClaim::Under("/puretalk"),
];

/// The routes, relative to wherever they are mounted.
fn table(config: &mut web::ServiceConfig, state: &web::Data<crate::Puretalk>) {
    let payload = patchbay_http::payload_config(state.body_limit);
    config.service(
        web::scope("/api/ruth-connect")
            .service(
                web::resource("/integrations/{integration_id}")
                    .app_data(state.clone())
                    .app_data(payload)
                    .route(web::patch().to(handlers::update_integration))
                    .route(web::get().to(handlers::get_integration))
                    .default_service(web::to(handlers::unknown_route)),
            )
            .default_service(web::to(handlers::unknown_route)),
    );
}

/// Mounts Puretalk under `/puretalk` (where every unknown path gets Puretalk's 404) and at its
/// native paths.
pub fn configure(config: &mut web::ServiceConfig, state: &web::Data<crate::Puretalk>) {
    config.service(
        web::scope("/puretalk")
            .configure(|scope| table(scope, state))
            .default_service(web::to(handlers::unknown_route)),
    );
    table(config, state);
}

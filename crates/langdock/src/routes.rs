//! Langdock's route table (list, create, get, update, auth update, an action's delete), mounted at
//! the native paths, under `/api/public` (dedicated deployments) and under `/langdock`.
//!
//! The native paths are resources, never a scope: `/integrations/{uniqueKey}` (one segment) and
//! `/integrations` itself belong to another vendor, and must stay reachable.

use crate::handlers;
use actix_web::{guard, web};
use patchbay_http::PathClaim;

/// The paths Langdock owns: strictly below `/integrations/v1` (`/integrations/v1` itself is
/// another vendor's), `/api/public` (dedicated deployments) and `/langdock`.
pub(crate) const PATHS: &[PathClaim] = &[
    PathClaim::Below("/integrations/v1"),
    PathClaim::Under("/api/public"),
    PathClaim::Under("/langdock"),
];

/// The routes, relative to wherever they are mounted.
fn table(config: &mut web::ServiceConfig, state: &web::Data<crate::Langdock>) {
    let payload = || patchbay_http::payload_config(state.body_limit);
    // `get` and `create` are literal segments where an id goes, and win only for their own method:
    // any other method is of the integration whose id is `get` or `create` (not a UUID: 400).
    config.service(
        web::resource("/integrations/v1/get")
            .guard(guard::Get())
            .app_data(state.clone())
            .route(web::get().to(handlers::list_integrations)),
    );
    config.service(
        web::resource("/integrations/v1/create")
            .guard(guard::Post())
            .app_data(state.clone())
            .app_data(payload())
            .route(web::post().to(handlers::create_integration)),
    );
    // Langdock documents no delete of an integration: DELETE, like POST and PUT, is Langdock's 404.
    config.service(
        web::resource("/integrations/v1/{integrationId}")
            .app_data(state.clone())
            .app_data(payload())
            .route(web::patch().to(handlers::update_integration))
            .route(web::get().to(handlers::get_integration))
            .default_service(web::to(handlers::unknown_route)),
    );
    config.service(
        web::resource("/integrations/v1/{integrationId}/auth")
            .app_data(state.clone())
            .app_data(payload())
            .route(web::patch().to(handlers::update_auth))
            .default_service(web::to(handlers::unknown_route)),
    );
    // Of an action, only its delete: creating or replacing one is not emulated (Langdock's 404).
    config.service(
        web::resource("/integrations/v1/{integrationId}/actions/{actionId}")
            .app_data(state.clone())
            .route(web::delete().to(handlers::delete_action))
            .default_service(web::to(handlers::unknown_route)),
    );
    // `/integrations/v1/`, action create, triggers...: Langdock's 404.
    config.service(
        web::resource("/integrations/v1/{rest:.*}")
            .default_service(web::to(handlers::unknown_route)),
    );
}

/// Mounts Langdock under `/langdock` and `/api/public` (where every unknown path gets Langdock's 404)
/// and at its native paths.
pub fn configure(config: &mut web::ServiceConfig, state: &web::Data<crate::Langdock>) {
    for prefix in ["/langdock", "/api/public"] {
        config.service(
            web::scope(prefix)
                .configure(|scope| table(scope, state))
                .default_service(web::to(handlers::unknown_route)),
        );
    }
    table(config, state);
}

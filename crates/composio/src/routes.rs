//! Composio's route table, mounted at the native paths (`/api/v3` and `/api/v3.1`, which the current
//! SDKs call) and again under `/composio`: create and list, get, update and delete, and the status
//! change of auth configs. Each version's scope carries its [`ApiVersion`] for the handlers.

use crate::handlers;
use crate::wire::ApiVersion;
use actix_web::web;
use patchbay_http::PathClaim;

/// The paths Composio owns: its API versions and `/composio`.
pub(crate) const PATHS: &[PathClaim] = &[
    PathClaim::Under("/api/v3"),
    PathClaim::Under("/api/v3.1"),
    PathClaim::Under("/composio"),
];

/// The API versions Composio serves auth configs under.
const VERSIONS: [(&str, ApiVersion); 2] =
    [("/api/v3.1", ApiVersion::V3_1), ("/api/v3", ApiVersion::V3)];

/// The routes, relative to wherever they are mounted. Every other path under a version prefix is
/// Composio's: its 404 envelope.
fn table(config: &mut web::ServiceConfig, state: &web::Data<crate::Composio>) {
    for (prefix, version) in VERSIONS {
        config.service(
            web::scope(prefix)
                .app_data(state.clone())
                .app_data(version)
                .app_data(patchbay_http::payload_config(state.body_limit))
                .service(
                    web::resource("/auth_configs")
                        .route(web::post().to(handlers::create_auth_config))
                        .route(web::get().to(handlers::list_auth_configs))
                        .default_service(web::to(handlers::unknown_route)),
                )
                .service(
                    web::resource("/auth_configs/{nanoid}")
                        .route(web::patch().to(handlers::update_auth_config))
                        .route(web::get().to(handlers::get_auth_config))
                        .route(web::delete().to(handlers::delete_auth_config))
                        .default_service(web::to(handlers::unknown_route)),
                )
                .service(
                    web::resource("/auth_configs/{nanoid}/{status}")
                        .route(web::patch().to(handlers::update_auth_config_status))
                        .default_service(web::to(handlers::unknown_route)),
                )
                .default_service(web::to(handlers::unknown_route)),
        );
    }
}

/// Mounts Composio: under `/composio` (where every unknown path gets Composio's 404) and at its
/// native paths.
pub fn configure(config: &mut web::ServiceConfig, state: &web::Data<crate::Composio>) {
    config.service(
        web::scope("/composio")
            .configure(|scope| table(scope, state))
            .default_service(web::to(handlers::unknown_route)),
    );
    table(config, state);
}

//! The control API under `/_patchbay/`: health, the admin view of stored state, reset and seed, the
//! request journal, fault rules, and its own OpenAPI description. Answers loopback clients only,
//! unless an admin token is configured, in which case every client must present it.
//!
//! Every answer is JSON; errors are `{"error":{"message"}}`.

// Helpers here return the error response itself for the handler to send as it is; boxing it would
// only add an allocation on the error path of an admin API.
#![allow(clippy::result_large_err)]

mod access;
mod faults;
mod requests;
mod state;

use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde_json::json;

const CONTENT_TYPE: &str = "application/json";
/// Seed documents can be large: the control API reads bodies up to this size.
const BODY_LIMIT: usize = 64 * 1024 * 1024;
const OPENAPI: &str = include_str!("openapi.json");

pub fn configure(config: &mut web::ServiceConfig) {
    config.service(
        web::scope("/_patchbay")
            .wrap(from_fn(access::guard))
            .app_data(web::PayloadConfig::new(BODY_LIMIT))
            .service(resource("/health").route(web::get().to(health)))
            .service(resource("/openapi.json").route(web::get().to(openapi)))
            .service(resource("/state/{vendor}").route(web::get().to(state::state)))
            .service(resource("/reset").route(web::post().to(state::reset)))
            .service(resource("/seed").route(web::post().to(state::seed)))
            .service(
                resource("/requests")
                    .route(web::get().to(requests::list))
                    .route(web::delete().to(requests::clear)),
            )
            .service(
                resource("/faults")
                    .route(web::get().to(faults::list))
                    .route(web::post().to(faults::add))
                    .route(web::delete().to(faults::clear)),
            )
            .service(resource("/faults/{id}").route(web::delete().to(faults::remove)))
            .default_service(web::to(not_found)),
    );
}

/// A control resource: any other method gets a JSON 405.
fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> HttpResponse {
    patchbay_http::json(
        status,
        CONTENT_TYPE,
        &json!({"error": {"message": message.into()}}),
    )
}

pub(crate) fn ok(body: &serde_json::Value) -> HttpResponse {
    patchbay_http::json(StatusCode::OK, CONTENT_TYPE, body)
}

/// A JSON body as `T`, with a message naming the position or the field at fault. An empty body
/// reads as `{}`.
pub(crate) fn body<T: DeserializeOwned>(
    bytes: Result<web::Bytes, actix_web::Error>,
) -> Result<T, HttpResponse> {
    let bytes = patchbay_http::body_bytes(bytes).map_err(|failure| match failure {
        patchbay_http::BodyError::TooLarge => error_too_large(),
        patchbay_http::BodyError::Unreadable => error(
            StatusCode::BAD_REQUEST,
            "the request body could not be read",
        ),
    })?;
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match patchbay_http::json::parse_strict(&bytes) {
            Ok(Some(value)) => value,
            Ok(None) => json!({}),
            Err(failure) => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    format!("the body is not valid JSON: {failure}"),
                ))
            }
        }
    };
    serde_json::from_value(value)
        .map_err(|failure| error(StatusCode::BAD_REQUEST, format!("invalid body: {failure}")))
}

fn error_too_large() -> HttpResponse {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is larger than the control API's limit of {BODY_LIMIT} bytes"),
    )
}

async fn health() -> HttpResponse {
    ok(&json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

async fn openapi() -> HttpResponse {
    HttpResponse::Ok().content_type(CONTENT_TYPE).body(OPENAPI)
}

async fn not_found(request: HttpRequest) -> HttpResponse {
    error(
        StatusCode::NOT_FOUND,
        format!("no control route {} {}", request.method(), request.path()),
    )
}

async fn method_not_allowed(request: HttpRequest) -> HttpResponse {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} is not allowed on {}", request.method(), request.path()),
    )
}

/// Paths that belong to no vendor and no control route.
pub async fn unknown_route(request: HttpRequest) -> HttpResponse {
    error(
        StatusCode::NOT_FOUND,
        format!("no route {} {}", request.method(), request.path()),
    )
}

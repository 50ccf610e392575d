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
pub mod openapi;
mod requests;
mod state;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::from_fn;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

const CONTENT_TYPE: &str = "application/json";
/// Seed documents can be large: the control API reads bodies up to this size.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;
/// Where the control API lives.
pub const PREFIX: &str = "/_patchbay";

/// One control route: its path under [`PREFIX`] (actix and OpenAPI write parameters alike,
/// `{vendor}`), its method and its handler. The OpenAPI document must describe exactly these.
pub struct ControlRoute {
    pub path: &'static str,
    pub method: Method,
    handler: fn() -> actix_web::Route,
}

pub static ROUTES: &[ControlRoute] = &[
    route("/health", Method::GET, || web::to(health)),
    route("/openapi.json", Method::GET, || web::to(openapi::serve)),
    route("/state/{vendor}", Method::GET, || web::to(state::state)),
    route("/reset", Method::POST, || web::to(state::reset)),
    route("/seed", Method::POST, || web::to(state::seed)),
    route("/requests", Method::GET, || web::to(requests::list)),
    route("/requests", Method::DELETE, || web::to(requests::clear)),
    route("/faults", Method::GET, || web::to(faults::list)),
    route("/faults", Method::POST, || web::to(faults::add)),
    route("/faults", Method::DELETE, || web::to(faults::clear)),
    route("/faults/{id}", Method::DELETE, || web::to(faults::remove)),
];

const fn route(
    path: &'static str,
    method: Method,
    handler: fn() -> actix_web::Route,
) -> ControlRoute {
    ControlRoute {
        path,
        method,
        handler,
    }
}

pub fn configure(config: &mut web::ServiceConfig) {
    let mut scope = web::scope(PREFIX)
        .wrap(from_fn(access::guard))
        .app_data(web::PayloadConfig::new(BODY_LIMIT));
    let mut paths: Vec<&str> = Vec::new();
    for route in ROUTES {
        if !paths.contains(&route.path) {
            paths.push(route.path);
        }
    }
    for path in paths {
        let routes: Vec<&ControlRoute> = ROUTES.iter().filter(|route| route.path == path).collect();
        let allow = routes
            .iter()
            .map(|route| route.method.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut resource = web::resource(path);
        for route in routes {
            resource = resource.route((route.handler)().method(route.method.clone()));
        }
        // Any other method gets a JSON 405 that names the ones the resource serves.
        resource = resource.default_service(web::to(move |request: HttpRequest| {
            let allow = allow.clone();
            async move { method_not_allowed(&request, &allow) }
        }));
        scope = scope.service(resource);
    }
    config.service(scope.default_service(web::to(not_found)));
}

/// The body of every control API error.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorMessage,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorMessage {
    pub message: String,
}

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> HttpResponse {
    let body = ErrorBody {
        error: ErrorMessage {
            message: message.into(),
        },
    };
    patchbay_http::json(status, CONTENT_TYPE, &body)
}

pub(crate) fn ok(body: &impl Serialize) -> HttpResponse {
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

/// What a `DELETE` of a collection answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Cleared {
    /// How many items went.
    pub cleared: usize,
}

/// `GET /_patchbay/health`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: HealthStatus,
    /// patchbay's version.
    pub version: &'static str,
    /// Why the store is degraded (writes failing for want of disk space); absent when `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    /// Up and answering reads, but writes fail until disk space is freed; they recover by
    /// themselves.
    Degraded,
}

/// Liveness and version
#[utoipa::path(get, path = "/_patchbay/health", tag = "server",
    responses((status = 200, description = "Up", body = Health)))]
async fn health(plane: web::Data<crate::plane::ControlPlane>) -> HttpResponse {
    let store = plane.store.degraded();
    ok(&Health {
        status: if store.is_some() {
            HealthStatus::Degraded
        } else {
            HealthStatus::Ok
        },
        version: env!("CARGO_PKG_VERSION"),
        store,
    })
}

async fn not_found(request: HttpRequest) -> HttpResponse {
    error(
        StatusCode::NOT_FOUND,
        format!("no control route {} {}", request.method(), request.path()),
    )
}

fn method_not_allowed(request: &HttpRequest, allow: &str) -> HttpResponse {
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} is not allowed on {}", request.method(), request.path()),
    );
    if let Ok(allow) = HeaderValue::from_str(allow) {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// Paths that belong to no vendor and no control route.
pub async fn unknown_route(request: HttpRequest) -> HttpResponse {
    error(
        StatusCode::NOT_FOUND,
        format!("no route {} {}", request.method(), request.path()),
    )
}

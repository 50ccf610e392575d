//! The control API under `/_patchbay/`: health, the admin view of stored state, reset and seed, the
//! request journal, fault rules, and its own OpenAPI description. Who may use it: see `access`
//! (loopback clients, configured networks, admin token holders; health is open to all).
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
mod stream;
mod ui;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::from_fn;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

const CONTENT_TYPE: &str = "application/json";
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
    route("/requests/stream", Method::GET, || web::to(stream::stream)),
    route("/faults", Method::GET, || web::to(faults::list)),
    route("/faults", Method::POST, || web::to(faults::add)),
    route("/faults", Method::DELETE, || web::to(faults::clear)),
    route("/faults/{id}", Method::DELETE, || web::to(faults::remove)),
    route("/ui", Method::GET, || web::to(ui::page)),
    route("/ui/app.js", Method::GET, || web::to(ui::script)),
    route("/ui/app.css", Method::GET, || web::to(ui::style)),
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
    let mut scope = web::scope(PREFIX).wrap(from_fn(access::guard));
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
    // Browsers asking for `/` get the dashboard; any other client gets what it got before.
    config.service(
        web::resource("/")
            .guard(actix_web::guard::fn_guard(ui::wants_html))
            .route(web::get().to(ui::to_dashboard)),
    );
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

/// A control body read whole, up to `limit` bytes (the setting named `setting`): a larger one is
/// refused with 413 as soon as its `Content-Length` or its bytes pass the limit, before the rest
/// is read.
pub(crate) async fn read_body(
    request: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    setting: &str,
) -> Result<web::Bytes, HttpResponse> {
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {limit} bytes, the limit of this control route (setting control.{setting})"),
        )
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(error(
            StatusCode::BAD_REQUEST,
            "the request body could not be read",
        )),
        Err(_) => Err(too_large()),
    }
}

/// A JSON body as `T`, with a message naming the position or the field at fault. An empty body
/// reads as `{}`.
pub(crate) fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, HttpResponse> {
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match patchbay_http::json::parse_strict(bytes) {
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

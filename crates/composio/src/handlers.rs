//! One function per Composio operation, each checking in Composio's order: body size, API key,
//! permission, body (content type, JSON, schema), then the auth config itself. Every response
//! carries a fresh `x-request-id`, and error bodies carry the same id.

use crate::error::{new_request_id, set_request_id, ComposioError, CONTENT_TYPE};
use crate::{auth, merge, validate, wire, Composio, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::TenantRef;
use serde_json::{json, Value};

type PathParam = Result<web::Path<String>, actix_web::Error>;
type Body = Result<web::Bytes, actix_web::Error>;

/// Renders an outcome with the request id in the header (and in the body of an error).
fn respond(outcome: Result<HttpResponse, ComposioError>, request_id: &str) -> HttpResponse {
    match outcome {
        Ok(mut response) => {
            set_request_id(&mut response, request_id);
            response
        }
        Err(error) => error.render(request_id),
    }
}

/// A fresh request id, also recorded on the request's log span so that logs and responses agree.
fn request_id() -> String {
    let request_id = new_request_id();
    tracing::Span::current().record("request_id", request_id.as_str());
    request_id
}

/// The JSON body: a present non-JSON content type, an unreadable or empty body, or bad JSON are
/// all schema failures of the payload. `Ok(None)` is no body at all.
fn parse_body(
    request: &HttpRequest,
    bytes: Option<web::Bytes>,
) -> Result<Option<Value>, ComposioError> {
    let payload_error = |message: String| ComposioError::Validation(vec![message]);
    if let Some(content_type) = patchbay_http::content_type(request) {
        if !patchbay_http::is_json_media_type(content_type) {
            return Err(payload_error(
                "Error in payload: Content-Type must be application/json".into(),
            ));
        }
    }
    let Some(bytes) = bytes else {
        return Err(payload_error(
            "Error in payload: The request body could not be read".into(),
        ));
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    patchbay_http::json::parse(&bytes)
        .map(Some)
        .map_err(|error| payload_error(format!("Error in payload: Malformed JSON: {error}")))
}

/// `PATCH /api/v3{,.1}/auth_configs/{nanoid}`
pub async fn update_auth_config(
    request: HttpRequest,
    path: PathParam,
    body: Body,
    composio: web::Data<Composio>,
) -> HttpResponse {
    let request_id = request_id();
    let outcome = update(&request, path, body, &composio).await;
    respond(outcome, &request_id)
}

async fn update(
    request: &HttpRequest,
    path: PathParam,
    body: Body,
    composio: &Composio,
) -> Result<HttpResponse, ComposioError> {
    let bytes = patchbay_http::body_within_limit(body, composio.body_limit)?;
    let key = auth::authenticate(request, &composio.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    auth::require(&key, auth::WRITE)?;
    let body = parse_body(request, bytes)?;
    let update = validate::update_body(body.as_ref())?;
    let nanoid = patchbay_http::path_segment(path, request, "nanoid");
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    composio
        .store
        .update(&tenant, &nanoid, move |record, _lookup| {
            let patch = merge::merge(&update, record)?;
            record.apply(patch);
            Ok::<(), ComposioError>(())
        })
        .await?;
    // The contract declares an empty object; the SDKs read nothing from it.
    Ok(patchbay_http::json(
        StatusCode::OK,
        CONTENT_TYPE,
        &json!({}),
    ))
}

/// `GET /api/v3{,.1}/auth_configs/{nanoid}`
pub async fn get_auth_config(
    request: HttpRequest,
    path: PathParam,
    body: Body,
    composio: web::Data<Composio>,
) -> HttpResponse {
    let request_id = request_id();
    let outcome = get(&request, path, body, &composio).await;
    respond(outcome, &request_id)
}

async fn get(
    request: &HttpRequest,
    path: PathParam,
    body: Body,
    composio: &Composio,
) -> Result<HttpResponse, ComposioError> {
    patchbay_http::body_within_limit(body, composio.body_limit)?;
    let key = auth::authenticate(request, &composio.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    auth::require(&key, auth::READ)?;
    let nanoid = patchbay_http::path_segment(path, request, "nanoid");
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let record = composio
        .store
        .get(&tenant, &nanoid)
        .await?
        .ok_or(ComposioError::AuthConfigNotFound)?;
    Ok(patchbay_http::json(
        StatusCode::OK,
        CONTENT_TYPE,
        &wire::auth_config_view(&record, false),
    ))
}

/// Anything else under Composio's paths: Composio's 404 envelope, never a plain-text default.
pub fn not_found(request: &HttpRequest) -> HttpResponse {
    ComposioError::RouteNotFound {
        method: request.method().to_string(),
        path: request.path().to_string(),
    }
    .render(&request_id())
}

/// The route form of [`not_found`], for the route table's catch-alls.
pub async fn unknown_route(request: HttpRequest) -> HttpResponse {
    not_found(&request)
}

//! One function per Composio operation, each checking in Composio's order: body size, API key,
//! permission, body (content type, JSON, schema) or query, then the auth config itself. Every
//! response carries a fresh `x-request-id`, and error bodies carry the same id.

use crate::error::{new_request_id, set_request_id, ComposioError, CONTENT_TYPE};
use crate::wire::{ApiVersion, ListCursor, LIST_ORDER};
use crate::{auth, lifecycle, merge, validate, wire, Composio, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::{ApiKey, CoreError, ListQuery, ListStart, TenantRef};
use serde_json::Value;
use std::sync::Arc;

type PathParam = Result<web::Path<String>, actix_web::Error>;
type StatusPathParam = Result<web::Path<(String, String)>, actix_web::Error>;
type Body = Result<web::Bytes, actix_web::Error>;

/// How many fresh ids a create tries before it gives up on a (vanishingly unlikely) collision.
const CREATE_ATTEMPTS: usize = 3;

/// The API version of the route table the request came through (set on each version's scope).
fn api_version(request: &HttpRequest) -> ApiVersion {
    request
        .app_data::<ApiVersion>()
        .copied()
        .unwrap_or(ApiVersion::V3_1)
}

/// The key behind the request, with the permission checked and the tenant on the log span.
fn authorized(
    request: &HttpRequest,
    composio: &Composio,
    permission: &str,
) -> Result<(Arc<ApiKey>, TenantRef), ComposioError> {
    let key = auth::authenticate(request, &composio.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    auth::require(&key, permission)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    Ok((key, tenant))
}

fn ok(status: StatusCode, body: &Value) -> HttpResponse {
    patchbay_http::json(status, CONTENT_TYPE, body)
}

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
    let (_key, tenant) = authorized(request, composio, auth::WRITE)?;
    let body = parse_body(request, bytes)?;
    let update = validate::update_body(body.as_ref())?;
    let nanoid = patchbay_http::path_segment(path, request, "nanoid");
    composio
        .store
        .update(&tenant, &nanoid, move |record, _lookup| {
            let patch = merge::merge(&update, record)?;
            record.apply(patch);
            Ok::<(), ComposioError>(())
        })
        .await?;
    Ok(ok(
        StatusCode::OK,
        &wire::success("Auth config updated successfully"),
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
    let (_key, tenant) = authorized(request, composio, auth::READ)?;
    let nanoid = patchbay_http::path_segment(path, request, "nanoid");
    let record = composio
        .store
        .get(&tenant, &nanoid)
        .await?
        .ok_or(ComposioError::AuthConfigNotFound)?;
    Ok(ok(
        StatusCode::OK,
        &Value::Object(wire::versioned_view(&record, api_version(request))),
    ))
}

/// `POST /api/v3{,.1}/auth_configs`
pub async fn create_auth_config(
    request: HttpRequest,
    body: Body,
    composio: web::Data<Composio>,
) -> HttpResponse {
    let request_id = request_id();
    let outcome = create(&request, body, &composio).await;
    respond(outcome, &request_id)
}

async fn create(
    request: &HttpRequest,
    body: Body,
    composio: &Composio,
) -> Result<HttpResponse, ComposioError> {
    let bytes = patchbay_http::body_within_limit(body, composio.body_limit)?;
    let (_key, tenant) = authorized(request, composio, auth::WRITE)?;
    let body = parse_body(request, bytes)?;
    let create = validate::create_body(body.as_ref())?;
    let (toolkit, auth_scheme) = lifecycle::check_create(&create)?;
    let mut attempts = 0;
    let record = loop {
        attempts += 1;
        let id = lifecycle::new_auth_config_id();
        let create = create.clone();
        let record_id = id.clone();
        let stored = composio
            .store
            .create::<CoreError, _>(&tenant, &id, move |_lookup| {
                let uuid = patchbay_http::request_id();
                Ok(lifecycle::new_auth_config(
                    &create,
                    toolkit,
                    auth_scheme,
                    record_id,
                    uuid,
                ))
            })
            .await;
        match stored {
            Err(CoreError::IdConflict { .. }) if attempts < CREATE_ATTEMPTS => continue,
            other => break other?,
        }
    };
    Ok(ok(StatusCode::CREATED, &wire::created_view(&record)))
}

/// `GET /api/v3{,.1}/auth_configs`
pub async fn list_auth_configs(
    request: HttpRequest,
    body: Body,
    composio: web::Data<Composio>,
) -> HttpResponse {
    let request_id = request_id();
    let outcome = list(&request, body, &composio).await;
    respond(outcome, &request_id)
}

async fn list(
    request: &HttpRequest,
    body: Body,
    composio: &Composio,
) -> Result<HttpResponse, ComposioError> {
    patchbay_http::body_within_limit(body, composio.body_limit)?;
    let (_key, tenant) = authorized(request, composio, auth::READ)?;
    let version = api_version(request);
    let query = validate::list_query(&patchbay_http::query_pairs(request), version)?;
    let (start, current_page) = match &query.cursor {
        Some(cursor) => (ListStart::After(cursor.position.clone()), cursor.page),
        None => (ListStart::First, 1),
    };
    let limit = query.limit;
    let page = composio
        .store
        .list_page(
            &tenant,
            ListQuery {
                order: LIST_ORDER,
                start,
                limit,
                filter: Some(lifecycle::list_filter(query)),
                count_total: true,
            },
        )
        .await?;
    let items = page
        .records
        .iter()
        .map(|record| Value::Object(wire::versioned_view(record, version)))
        .collect();
    let next_cursor = page.next.map(|position| {
        ListCursor {
            page: current_page + 1,
            limit,
            position,
        }
        .encode()
    });
    Ok(ok(
        StatusCode::OK,
        &wire::list_view(
            items,
            next_cursor,
            current_page,
            limit,
            page.total.unwrap_or_default(),
        ),
    ))
}

/// `DELETE /api/v3{,.1}/auth_configs/{nanoid}[?revoke_on_delete=true]`
pub async fn delete_auth_config(
    request: HttpRequest,
    path: PathParam,
    body: Body,
    composio: web::Data<Composio>,
) -> HttpResponse {
    let request_id = request_id();
    let outcome = delete(&request, path, body, &composio).await;
    respond(outcome, &request_id)
}

async fn delete(
    request: &HttpRequest,
    path: PathParam,
    body: Body,
    composio: &Composio,
) -> Result<HttpResponse, ComposioError> {
    patchbay_http::body_within_limit(body, composio.body_limit)?;
    let (_key, tenant) = authorized(request, composio, auth::WRITE)?;
    let revoke = validate::revoke_on_delete(&patchbay_http::query_pairs(request))?;
    let nanoid = patchbay_http::path_segment(path, request, "nanoid");
    composio.store.delete(&tenant, &nanoid).await?;
    let mut body = wire::success("Auth config deleted successfully");
    if revoke {
        // No connected accounts are emulated: the job has nothing to revoke, but it has an id.
        body["revoke_job_id"] = Value::String(lifecycle::new_revoke_job_id());
    }
    Ok(ok(StatusCode::OK, &body))
}

/// `PATCH /api/v3{,.1}/auth_configs/{nanoid}/{ENABLED|DISABLED}`
pub async fn update_auth_config_status(
    request: HttpRequest,
    path: StatusPathParam,
    body: Body,
    composio: web::Data<Composio>,
) -> HttpResponse {
    let request_id = request_id();
    let outcome = update_status(&request, path, body, &composio).await;
    respond(outcome, &request_id)
}

async fn update_status(
    request: &HttpRequest,
    path: StatusPathParam,
    body: Body,
    composio: &Composio,
) -> Result<HttpResponse, ComposioError> {
    // The clients send no body; one that is sent is not read, only held to the size limit.
    patchbay_http::body_within_limit(body, composio.body_limit)?;
    let (_key, tenant) = authorized(request, composio, auth::WRITE)?;
    let (nanoid, status) = match path {
        Ok(path) => path.into_inner(),
        Err(_) => {
            let segment = |name| {
                request
                    .match_info()
                    .get(name)
                    .unwrap_or_default()
                    .to_string()
            };
            (segment("nanoid"), segment("status"))
        }
    };
    let status = validate::auth_config_status(&status)?;
    composio
        .store
        .update(&tenant, &nanoid, move |record, _lookup| {
            record.apply(lifecycle::status_patch(status));
            Ok::<(), ComposioError>(())
        })
        .await?;
    let message = if status == lifecycle::ENABLED {
        "Auth config enabled successfully"
    } else {
        "Auth config disabled successfully"
    };
    Ok(ok(StatusCode::OK, &wire::success(message)))
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

//! One function per Puretalk operation, in the order a Django REST framework view checks things:
//! body size (the server's limit), `X-API-KEY`, the integration (`get_object`: 404), then the body
//! (media type, JSON, serializer), then the update.

use crate::error::{PuretalkError, CONTENT_TYPE};
use crate::{auth, merge, validate, wire, Puretalk, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::{Integration, TenantRef};
use serde_json::Value;
use std::sync::Arc;

/// DRF's `request.data`: JSON for a JSON content type, nothing (`None`, an empty object) without a
/// content type, for an empty body or for a form, and 415 for any other media type. `bytes` is
/// `None` for a body that could not be read.
fn request_data(
    request: &HttpRequest,
    bytes: Option<web::Bytes>,
) -> Result<Option<Value>, PuretalkError> {
    let Some(content_type) = patchbay_http::content_type(request) else {
        return Ok(None);
    };
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        || media_type.eq_ignore_ascii_case("multipart/form-data")
    {
        return Ok(None);
    }
    if !patchbay_http::is_json_media_type(content_type) {
        return Err(PuretalkError::UnsupportedMediaType(
            content_type.to_string(),
        ));
    }
    let bytes =
        bytes.ok_or_else(|| PuretalkError::InvalidJson("the body could not be read".into()))?;
    if bytes.is_empty() {
        return Ok(None);
    }
    patchbay_http::json::parse(&bytes)
        .map(Some)
        .map_err(|error| PuretalkError::InvalidJson(error.to_string()))
}

/// `get_object()`: the integration of the key's account, or 404.
async fn find(
    puretalk: &Puretalk,
    tenant: &TenantRef,
    path: Result<web::Path<String>, actix_web::Error>,
    request: &HttpRequest,
) -> Result<Arc<Integration>, PuretalkError> {
    let raw = patchbay_http::path_segment(path, request, "integration_id");
    let id = validate::integration_id(&raw)?;
    puretalk
        .store
        .get(tenant, &id)
        .await?
        .ok_or(PuretalkError::NotFound)
}

/// `PATCH /api/ruth-connect/integrations/{integration_id}`
pub async fn update_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    body: Result<web::Bytes, actix_web::Error>,
    puretalk: web::Data<Puretalk>,
) -> Result<HttpResponse, PuretalkError> {
    let bytes = patchbay_http::body_within_limit(body, puretalk.body_limit)?;
    let key = auth::authenticate(&request, &puretalk.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let current = find(&puretalk, &tenant, path, &request).await?;
    let update = validate::update_body(request_data(&request, bytes)?.as_ref())?;
    let record = puretalk
        .store
        .update(&tenant, &current.id, move |record, _| {
            record.apply(merge::merge(&update));
            Ok::<(), PuretalkError>(())
        })
        .await?;
    let body = wire::Envelope {
        msg: wire::UPDATED,
        err: false,
        results: wire::ruth_connect_integration(&record),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// `GET /api/ruth-connect/integrations/{integration_id}`
pub async fn get_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    puretalk: web::Data<Puretalk>,
) -> Result<HttpResponse, PuretalkError> {
    let key = auth::authenticate(&request, &puretalk.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let record = find(&puretalk, &tenant, path, &request).await?;
    let body = wire::Envelope {
        msg: wire::RETRIEVED,
        err: false,
        results: wire::ruth_connect_integration(&record),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// Anything else under Puretalk's paths: Puretalk's 404 envelope, never a plain-text default.
pub fn not_found(request: &HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    PuretalkError::UnknownRoute {
        method: request.method().to_string(),
        path: request.path().to_string(),
    }
    .error_response()
}

/// The route form of [`not_found`], for the route table's catch-alls.
pub async fn unknown_route(request: HttpRequest) -> HttpResponse {
    not_found(&request)
}

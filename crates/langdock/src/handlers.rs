//! One function per Langdock operation, each checking in one order: body size, API key, scope, path
//! id, body (JSON, then the field rules), then the integration (404, or 403 when it belongs to
//! another workspace).

use crate::error::{LangdockError, CONTENT_TYPE};
use crate::{auth, merge, validate, wire, Langdock, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::TenantRef;
use serde_json::Value;

/// The body as JSON, whatever the content type (Langdock reads every body as JSON). `None` is a
/// body that could not be read.
fn parse_json(bytes: Option<web::Bytes>) -> Result<Value, LangdockError> {
    let bytes = bytes
        .ok_or_else(|| LangdockError::InvalidJson("the request body could not be read".into()))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LangdockError::InvalidJson(
            "Unexpected end of JSON input".into(),
        ));
    }
    patchbay_http::json::parse(&bytes)
        .map_err(|error| LangdockError::InvalidJson(error.to_string()))
}

/// The `integrationId` segment, percent-decoded, checked and lower-cased.
fn integration_id(
    path: Result<web::Path<String>, actix_web::Error>,
    request: &HttpRequest,
) -> Result<String, LangdockError> {
    validate::integration_id(&patchbay_http::path_segment(path, request, "integrationId"))
}

/// A miss in the key's workspace: 403 when another workspace holds the integration, else 404.
async fn missing(langdock: &Langdock, workspace: &str, id: &str) -> LangdockError {
    match langdock.store.tenants_holding(VENDOR, id).await {
        Ok(tenants) if tenants.iter().any(|tenant| tenant != workspace) => LangdockError::NoAccess,
        Ok(_) => LangdockError::NotFound,
        Err(error) => error.into(),
    }
}

/// `PATCH /integrations/v1/{integrationId}`
pub async fn update_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    body: Result<web::Bytes, actix_web::Error>,
    langdock: web::Data<Langdock>,
) -> Result<HttpResponse, LangdockError> {
    let bytes = patchbay_http::body_within_limit(body, langdock.body_limit)?;
    let key = auth::authenticate(&request, &langdock.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    auth::require(&key, auth::INTEGRATION_API)?;
    let id = integration_id(path, &request)?;
    let update = validate::update_body(&parse_json(bytes)?)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let result = langdock
        .store
        .update(&tenant, &id, move |record, _| {
            record.apply(merge::merge(&update));
            Ok::<(), LangdockError>(())
        })
        .await;
    let record = match result {
        Ok(record) => record,
        Err(LangdockError::NotFound) => return Err(missing(&langdock, &key.tenant, &id).await),
        Err(error) => return Err(error),
    };
    let body = wire::IntegrationEnvelope {
        integration: wire::updated_integration(&record),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// `GET /integrations/v1/{integrationId}`
pub async fn get_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    langdock: web::Data<Langdock>,
) -> Result<HttpResponse, LangdockError> {
    let key = auth::authenticate(&request, &langdock.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    auth::require(&key, auth::INTEGRATION_API)?;
    let id = integration_id(path, &request)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let Some(record) = langdock.store.get(&tenant, &id).await? else {
        return Err(missing(&langdock, &key.tenant, &id).await);
    };
    let body = wire::IntegrationEnvelope {
        integration: wire::integration_details(&record),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// Anything else under Langdock's paths: Langdock's 404 envelope, never a plain-text default.
pub fn not_found(request: &HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    LangdockError::UnknownRoute {
        method: request.method().to_string(),
        path: request.path().to_string(),
    }
    .error_response()
}

/// The route form of [`not_found`], for the route table's catch-alls.
pub async fn unknown_route(request: HttpRequest) -> HttpResponse {
    not_found(&request)
}

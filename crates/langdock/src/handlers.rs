//! One function per Langdock operation, each checking in one order: body size, API key, scope, path
//! id, body (JSON, then the field rules), then the integration (404, or 403 when it belongs to
//! another workspace).

use crate::error::{LangdockError, CONTENT_TYPE};
use crate::{auth, merge, record, validate, wire, Langdock, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::{ApiKey, Integration, ListOrder, ListQuery, TenantRef};
use serde_json::Value;
use std::sync::Arc;

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

/// The key behind the request, with its workspace named on the request's log span.
fn authenticated(request: &HttpRequest, langdock: &Langdock) -> Result<Arc<ApiKey>, LangdockError> {
    let key = auth::authenticate(request, &langdock.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    Ok(key)
}

/// One atomic read-modify-write of an integration of the key's workspace (404, or 403 when another
/// workspace holds it).
async fn update_in_workspace(
    langdock: &Langdock,
    key: &ApiKey,
    id: &str,
    apply: impl FnOnce(&mut Integration) -> Result<(), LangdockError> + Send + 'static,
) -> Result<Arc<Integration>, LangdockError> {
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let result = langdock
        .store
        .update(&tenant, id, move |record, _| apply(record))
        .await;
    match result {
        Err(LangdockError::NotFound) => Err(missing(langdock, &key.tenant, id).await),
        other => other,
    }
}

/// `POST /integrations/v1/create`: a new integration of the workspace's own, with an id of
/// patchbay's choosing (a UUID v4).
pub async fn create_integration(
    request: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
    langdock: web::Data<Langdock>,
) -> Result<HttpResponse, LangdockError> {
    let bytes = patchbay_http::body_within_limit(body, langdock.body_limit)?;
    let key = authenticated(&request, &langdock)?;
    auth::require(&key, auth::INTEGRATION_API)?;
    let new = validate::create_body(&parse_json(bytes)?)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let id = patchbay_http::request_id();
    let record = langdock
        .store
        .create::<LangdockError, _>(&tenant, &id.clone(), move |_| {
            Ok(record::new_integration(id, new.name, new.description))
        })
        .await?;
    let body = wire::IntegrationEnvelope {
        integration: wire::created_integration(&record),
    };
    Ok(patchbay_http::json(
        StatusCode::CREATED,
        CONTENT_TYPE,
        &body,
    ))
}

/// `GET /integrations/v1/get`: every integration of the workspace, oldest first, unpaged.
pub async fn list_integrations(
    request: HttpRequest,
    langdock: web::Data<Langdock>,
) -> Result<HttpResponse, LangdockError> {
    let key = authenticated(&request, &langdock)?;
    auth::require_any(&key, auth::LIST_SCOPES)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let page = langdock
        .store
        .list_page(
            &tenant,
            ListQuery::first(ListOrder::Created { descending: false }, usize::MAX),
        )
        .await?;
    let body = wire::IntegrationsEnvelope {
        integrations: page
            .records
            .iter()
            .map(|record| wire::listed_integration(record))
            .collect(),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// `PATCH /integrations/v1/{integrationId}`
pub async fn update_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    body: Result<web::Bytes, actix_web::Error>,
    langdock: web::Data<Langdock>,
) -> Result<HttpResponse, LangdockError> {
    let bytes = patchbay_http::body_within_limit(body, langdock.body_limit)?;
    let key = authenticated(&request, &langdock)?;
    auth::require(&key, auth::INTEGRATION_API)?;
    let id = integration_id(path, &request)?;
    let update = validate::update_body(&parse_json(bytes)?)?;
    let record = update_in_workspace(&langdock, &key, &id, move |record| {
        record.apply(merge::merge(&update));
        Ok(())
    })
    .await?;
    let body = wire::IntegrationEnvelope {
        integration: wire::updated_integration(&record),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// `PATCH /integrations/v1/{integrationId}/auth`: answers the integration as GET shows it.
pub async fn update_auth(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    body: Result<web::Bytes, actix_web::Error>,
    langdock: web::Data<Langdock>,
) -> Result<HttpResponse, LangdockError> {
    let bytes = patchbay_http::body_within_limit(body, langdock.body_limit)?;
    let key = authenticated(&request, &langdock)?;
    auth::require(&key, auth::INTEGRATION_API)?;
    let id = integration_id(path, &request)?;
    let update = validate::auth_body(&parse_json(bytes)?, &mut patchbay_http::request_id)?;
    let record = update_in_workspace(&langdock, &key, &id, move |record| {
        let (auth_type, patch) = merge::auth(&update);
        record.kind = auth_type;
        record.apply(patch);
        Ok(())
    })
    .await?;
    let body = wire::IntegrationEnvelope {
        integration: wire::integration_details(&record),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// The `integrationId` and `actionId` segments, percent-decoded (raw when the extractor refused
/// them), each checked and lower-cased.
fn action_path(
    path: Result<web::Path<(String, String)>, actix_web::Error>,
    request: &HttpRequest,
) -> Result<(String, String), LangdockError> {
    let (integration, action) = match path {
        Ok(path) => path.into_inner(),
        Err(_) => {
            let raw = |name| {
                request
                    .match_info()
                    .get(name)
                    .unwrap_or_default()
                    .to_string()
            };
            (raw("integrationId"), raw("actionId"))
        }
    };
    match (
        validate::integration_id(&integration),
        validate::integration_id(&action),
    ) {
        (Ok(integration), Ok(action)) => Ok((integration, action)),
        _ => Err(LangdockError::InvalidActionPath),
    }
}

/// `DELETE /integrations/v1/{integrationId}/actions/{actionId}`: the action leaves the integration.
pub async fn delete_action(
    request: HttpRequest,
    path: Result<web::Path<(String, String)>, actix_web::Error>,
    langdock: web::Data<Langdock>,
) -> Result<HttpResponse, LangdockError> {
    let key = authenticated(&request, &langdock)?;
    auth::require(&key, auth::INTEGRATION_API)?;
    let (integration_id, action_id) = action_path(path, &request)?;
    let deleted = action_id.clone();
    let result = update_in_workspace(&langdock, &key, &integration_id, move |record| {
        let patch =
            merge::without_action(record, &action_id).ok_or(LangdockError::ActionNotFound)?;
        record.apply(patch);
        Ok(())
    })
    .await;
    match result {
        Ok(_) => {}
        // This route's 404 names both: the docs give it one text.
        Err(LangdockError::NotFound) => return Err(LangdockError::ActionNotFound),
        Err(error) => return Err(error),
    }
    let body = wire::ActionDeleted {
        message: wire::ACTION_DELETED,
        id: deleted,
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// `GET /integrations/v1/{integrationId}`
pub async fn get_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    langdock: web::Data<Langdock>,
) -> Result<HttpResponse, LangdockError> {
    let key = authenticated(&request, &langdock)?;
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

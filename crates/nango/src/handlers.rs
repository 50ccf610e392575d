//! One function per Nango operation, each in the order Nango's middleware and controller check
//! things: body parsing and content type (before auth), auth, scope, query, body, path, service.

use crate::catalogue::{Catalogue, Provider};
use crate::error::{self, CreateFailure, NangoError, CONTENT_TYPE};
use crate::validate::CreateSchema;
use crate::wire::CreateIntegration;
use crate::{auth, merge, validate, wire, Nango, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::{ApiKey, CoreError, Integration, ListOrder, ListQuery, TenantRef};
use serde_json::Value;
use std::sync::Arc;

const LOGO: &str = include_str!("../data/logo.svg");

/// express.json then the `/integrations` content-type guard. `None` is an unparsed body
/// (`req.body` undefined).
fn read_body(
    request: &HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
    nango: &Nango,
) -> Result<Option<Value>, NangoError> {
    let content_type = patchbay_http::content_type(request);
    let bytes = patchbay_http::body_within_limit(body, nango.body_limit)?;
    let parsed = match content_type {
        Some(content_type) if patchbay_http::is_json_media_type(content_type) => {
            let bytes = bytes.ok_or_else(|| {
                NangoError::InvalidJson("The request body could not be read".into())
            })?;
            if bytes.is_empty() {
                Some(Value::Object(Default::default()))
            } else {
                match patchbay_http::json::parse_strict(&bytes) {
                    Ok(Some(value)) => Some(value),
                    Ok(None) => {
                        return Err(NangoError::InvalidJson(
                            "Unexpected end of JSON input".into(),
                        ))
                    }
                    Err(error) => return Err(NangoError::InvalidJson(error.to_string())),
                }
            }
        }
        _ => None,
    };
    if content_type.is_some_and(|content_type| !content_type.starts_with("application/json")) {
        return Err(NangoError::InvalidContentType);
    }
    Ok(parsed)
}

/// The `uniqueKey` segment, percent-decoded as Express does.
fn unique_key(
    path: Result<web::Path<String>, actix_web::Error>,
    request: &HttpRequest,
) -> Result<String, NangoError> {
    let unique_key = patchbay_http::path_segment(path, request, "uniqueKey");
    validate::unique_key_param(&unique_key)?;
    Ok(unique_key)
}

/// The key a check of `auth` found, with its tenant named on the request's log span.
fn authenticated(key: Result<Arc<ApiKey>, NangoError>) -> Result<Arc<ApiKey>, NangoError> {
    let key = key?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    Ok(key)
}

/// `PATCH /integrations/{uniqueKey}`
pub async fn update_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    body: Result<web::Bytes, actix_web::Error>,
    nango: web::Data<Nango>,
) -> Result<HttpResponse, NangoError> {
    let body = read_body(&request, body, &nango)?;
    let key = authenticated(auth::authenticate(&request, &nango.store))?;
    auth::require(&key, auth::UPDATE)?;
    validate::empty_query(&patchbay_http::query_pairs(&request))?;
    let update = validate::update_body(body.as_ref())?;
    let unique_key = unique_key(path, &request)?;
    let catalogue = nango.catalogue.clone();
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let record = nango
        .store
        .update(&tenant, &unique_key, move |record, lookup| {
            let new_key_taken = match &update.unique_key {
                Some(new_key) if *new_key != record.id => lookup.id_in_use(new_key)?,
                _ => false,
            };
            let patch = merge::merge(&update, record, &catalogue, new_key_taken)?;
            record.apply(patch);
            Ok::<(), NangoError>(())
        })
        .await?;
    let body = wire::DataEnvelope {
        data: wire::public_integration(&record, &nango.catalogue, &nango.public_url),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// `GET /integrations/{uniqueKey}?include=webhook|credentials`
pub async fn get_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    body: Result<web::Bytes, actix_web::Error>,
    nango: web::Data<Nango>,
) -> Result<HttpResponse, NangoError> {
    read_body(&request, body, &nango)?;
    let key = authenticated(auth::authenticate(&request, &nango.store))?;
    auth::require_any(&key, &[auth::READ, auth::READ_CREDENTIALS])?;
    let include = validate::get_query(&patchbay_http::query_pairs(&request))?;
    let unique_key = unique_key(path, &request)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let record = nango
        .store
        .get(&tenant, &unique_key)
        .await?
        .ok_or_else(|| {
            NangoError::NotFound(format!("Integration \"{unique_key}\" does not exist"))
        })?;
    if nango.catalogue.get(&record.kind).is_none() {
        return Err(NangoError::NotFound(format!(
            "Unknown provider {}",
            record.kind
        )));
    }
    let mut integration = wire::public_integration(&record, &nango.catalogue, &nango.public_url);
    if include.webhook {
        integration.webhook_url = Some(wire::webhook_url(
            &record,
            &nango.catalogue,
            &nango.public_url,
        ));
    }
    // Without read_credentials the credentials are left out silently, as Nango does.
    if include.credentials && auth::has_scope(&key, auth::READ_CREDENTIALS) {
        integration.credentials = Some(wire::credentials_view(&record));
    }
    Ok(patchbay_http::json(
        StatusCode::OK,
        CONTENT_TYPE,
        &wire::DataEnvelope { data: integration },
    ))
}

/// Nango's checks of a create that come before it looks the key up (pure, so they can run again
/// inside the store's transaction to hand the provider to the build).
type CreateCheck =
    for<'c> fn(&CreateIntegration, &'c Catalogue) -> Result<&'c Provider, NangoError>;
/// Nango's create rule once the key is known to be free.
type CreateBuild = fn(&CreateIntegration, &Provider) -> Result<Integration, NangoError>;

/// The service part of both creates: the checks, then the duplicate check and the build in one
/// transaction of the store, so that of two creates of one key exactly one succeeds.
async fn create(
    nango: &Nango,
    tenant: &str,
    request: CreateIntegration,
    check: CreateCheck,
    build: CreateBuild,
) -> Result<HttpResponse, NangoError> {
    check(&request, &nango.catalogue)?;
    let catalogue = Arc::clone(&nango.catalogue);
    let tenant = TenantRef::new(VENDOR, tenant);
    let unique_key = request.unique_key.clone();
    let record = nango
        .store
        .create::<CreateFailure, _>(&tenant, &unique_key, move |_| {
            let provider = check(&request, &catalogue)?;
            Ok(build(&request, provider)?)
        })
        .await?;
    let body = wire::DataEnvelope {
        data: wire::public_integration(&record, &nango.catalogue, &nango.public_url),
    };
    Ok(patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body))
}

/// `POST /integrations`
pub async fn create_integration(
    request: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
    nango: web::Data<Nango>,
) -> Result<HttpResponse, NangoError> {
    let body = read_body(&request, body, &nango)?;
    let key = authenticated(auth::authenticate(&request, &nango.store))?;
    auth::require(&key, auth::CREATE)?;
    validate::empty_query(&patchbay_http::query_pairs(&request))?;
    let body = validate::create_body(body.as_ref(), CreateSchema::Full)?;
    create(
        &nango,
        &key.tenant,
        body,
        merge::check_create,
        merge::new_integration,
    )
    .await
}

/// `POST /integrations/quickstart`: a create with Nango's own developer app.
pub async fn create_quickstart_integration(
    request: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
    nango: web::Data<Nango>,
) -> Result<HttpResponse, NangoError> {
    let body = read_body(&request, body, &nango)?;
    let key = authenticated(auth::authenticate(&request, &nango.store))?;
    auth::require(&key, auth::CREATE)?;
    validate::empty_query(&patchbay_http::query_pairs(&request))?;
    let body = validate::create_body(body.as_ref(), CreateSchema::Quickstart)?;
    create(
        &nango,
        &key.tenant,
        body,
        merge::check_quickstart,
        merge::quickstart_integration,
    )
    .await
}

/// `GET /integrations`: the environment's integrations by provider, then by creation.
pub async fn list_integrations(
    request: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
    nango: web::Data<Nango>,
) -> Result<HttpResponse, NangoError> {
    read_body(&request, body, &nango)?;
    let key = authenticated(auth::authenticate_session_or_key(&request, &nango.store))?;
    auth::require_any(&key, &[auth::LIST, auth::LIST_CREDENTIALS])?;
    validate::empty_query(&patchbay_http::query_pairs(&request))?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let page = nango
        .store
        .list_page(
            &tenant,
            ListQuery::first(ListOrder::KindThenCreated, usize::MAX),
        )
        .await
        .map_err(|failure| NangoError::from(failure).failing(error::LIST_FAILED))?;
    // Nango fails the whole list when one integration's provider is unknown.
    if page
        .records
        .iter()
        .any(|record| nango.catalogue.get(&record.kind).is_none())
    {
        return Err(NangoError::Server(error::LIST_FAILED));
    }
    let data: Vec<wire::PublicIntegration> = page
        .records
        .iter()
        .map(|record| wire::public_integration(record, &nango.catalogue, &nango.public_url))
        .collect();
    Ok(patchbay_http::json(
        StatusCode::OK,
        CONTENT_TYPE,
        &wire::DataEnvelope { data },
    ))
}

/// `DELETE /integrations/{uniqueKey}`: the body is parsed but ignored.
pub async fn delete_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    body: Result<web::Bytes, actix_web::Error>,
    nango: web::Data<Nango>,
) -> Result<HttpResponse, NangoError> {
    read_body(&request, body, &nango)?;
    let key = authenticated(auth::authenticate(&request, &nango.store))?;
    auth::require(&key, auth::DELETE)?;
    validate::empty_query(&patchbay_http::query_pairs(&request))?;
    let unique_key = unique_key(path, &request)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    nango
        .store
        .delete(&tenant, &unique_key)
        .await
        .map_err(|failure| match failure {
            // Unlike GET's and PATCH's, this 404 does not name the key.
            CoreError::NotFound { .. } => NangoError::NotFound("Integration does not exist".into()),
            other => NangoError::from(other).failing(error::DELETE_FAILED),
        })?;
    Ok(patchbay_http::json(
        StatusCode::OK,
        CONTENT_TYPE,
        &wire::Deleted { success: true },
    ))
}

/// `GET /images/template-logos/{provider}.svg`: the absolute `logo` URL must resolve.
pub async fn logo() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(LOGO)
}

/// Anything else under Nango's paths: Nango's 404 envelope, never a plain-text default.
pub fn not_found(request: &HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    NangoError::NotFound(format!("No route {} {}", request.method(), request.path()))
        .error_response()
}

/// The route form of [`not_found`], for the route table's catch-alls.
pub async fn unknown_route(request: HttpRequest) -> HttpResponse {
    not_found(&request)
}

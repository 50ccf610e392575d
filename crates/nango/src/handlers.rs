//! One function per Nango operation, each in the order Nango's middleware and controller check
//! things: body parsing and content type (before auth), auth, scope, query, body, path, service.

use crate::error::{NangoError, CONTENT_TYPE};
use crate::{auth, merge, validate, wire, Nango, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::TenantRef;
use serde_json::Value;

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

/// `PATCH /integrations/{uniqueKey}`
pub async fn update_integration(
    request: HttpRequest,
    path: Result<web::Path<String>, actix_web::Error>,
    body: Result<web::Bytes, actix_web::Error>,
    nango: web::Data<Nango>,
) -> Result<HttpResponse, NangoError> {
    let body = read_body(&request, body, &nango)?;
    let key = auth::authenticate(&request, &nango.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
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
    let key = auth::authenticate(&request, &nango.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
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

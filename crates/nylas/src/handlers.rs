//! One function per Nylas operation, each checking in this order: body size, auth, the `provider`
//! segment, the body, then the credential itself (404, connector, type rules). Every response,
//! success or error, carries one request id in its body and in `x-request-id`.

use crate::error::{credential_not_found, NylasError, RequestId, CONTENT_TYPE};
use crate::wire::{CredentialObject, DataEnvelope};
use crate::{auth, merge, record, validate, wire, Nylas, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::{Integration, Lookup, TenantRef};
use serde::Deserialize;

/// The path's segments, percent-decoded, named as in the route table.
#[derive(Debug, Deserialize)]
pub struct CredentialPath {
    pub provider: String,
    pub id: String,
}

type PathParams = Result<web::Path<CredentialPath>, actix_web::Error>;

/// `PATCH /v3/connectors/{provider}/creds/{id}`
pub async fn update_credential(
    request: HttpRequest,
    path: PathParams,
    body: Result<web::Bytes, actix_web::Error>,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = update(&request, path, body, &nylas).await;
    respond(&request_id, outcome)
}

async fn update(
    request: &HttpRequest,
    path: PathParams,
    body: Result<web::Bytes, actix_web::Error>,
    nylas: &Nylas,
) -> Result<CredentialObject, NylasError> {
    let body = patchbay_http::body_within_limit(body, nylas.body_limit)?;
    let key = auth::authenticate(request, &nylas.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    let CredentialPath { provider, id } = credential_path(path, request);
    let provider = validate::provider(&provider)?;
    let body = body
        .ok_or_else(|| NylasError::InvalidPayload("the request body could not be read".into()))?;
    let update = validate::update_body(&body)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    let updated = nylas
        .store
        .update(&tenant, &id, move |stored, lookup| {
            // Inside the transaction: two concurrent renames to one free name cannot both pass.
            let name_holders = match &update.name {
                Some(name) => name_holders(lookup, provider, stored, name)?,
                None => Vec::new(),
            };
            let patch = merge::merge(&update, provider, stored, &name_holders)?;
            stored.apply(patch);
            // The store then moves updated_at to a later second (see the function).
            stored.updated_at = merge::last_millisecond_of_its_second(stored.updated_at);
            Ok::<(), NylasError>(())
        })
        .await?;
    Ok(wire::credential_object(&updated))
}

/// The credentials of `provider` that hold `name`, as the update's transaction sees them: names are
/// unique per connector. Keeping one's own name needs no look-up.
fn name_holders(
    lookup: &Lookup<'_>,
    provider: &str,
    current: &Integration,
    name: &str,
) -> Result<Vec<String>, NylasError> {
    if current.kind == provider && record::name(current) == Some(name) {
        return Ok(Vec::new());
    }
    Ok(lookup
        .records()?
        .into_iter()
        .filter(|other| other.kind == provider && record::name(other) == Some(name))
        .map(|other| other.id)
        .collect())
}

/// `GET /v3/connectors/{provider}/creds/{id}`
pub async fn get_credential(
    request: HttpRequest,
    path: PathParams,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = get(&request, path, &nylas).await;
    respond(&request_id, outcome)
}

async fn get(
    request: &HttpRequest,
    path: PathParams,
    nylas: &Nylas,
) -> Result<CredentialObject, NylasError> {
    let key = auth::authenticate(request, &nylas.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    let CredentialPath { provider, id } = credential_path(path, request);
    let provider = validate::provider(&provider)?;
    let tenant = TenantRef::new(VENDOR, key.tenant.clone());
    match nylas.store.get(&tenant, &id).await? {
        Some(stored) if stored.kind == provider => Ok(wire::credential_object(&stored)),
        _ => Err(credential_not_found(&id)),
    }
}

/// Anything else under Nylas's paths: Nylas's 404 envelope, never a plain-text default.
pub fn not_found(request: &HttpRequest) -> HttpResponse {
    let request_id = start(request);
    NylasError::NotFound(format!(
        "Resource not found: no route {} {}",
        request.method(),
        request.path()
    ))
    .render(&request_id)
}

/// The route form of [`not_found`], for the route table's catch-alls.
pub async fn unknown_route(request: HttpRequest) -> HttpResponse {
    not_found(&request)
}

/// A new request id, logged with the request.
fn start(request: &HttpRequest) -> RequestId {
    let request_id = RequestId::new();
    tracing::debug!(
        vendor = VENDOR,
        request_id = request_id.as_str(),
        method = %request.method(),
        "nylas request"
    );
    request_id
}

/// The `provider` and `id` segments, percent-decoded; raw when the extractor refused them. A
/// two-segment path, so [`patchbay_http::path_segment`] (one segment) does not apply.
fn credential_path(path: PathParams, request: &HttpRequest) -> CredentialPath {
    match path {
        Ok(path) => path.into_inner(),
        Err(_) => {
            let raw = |name: &str| {
                request
                    .match_info()
                    .get(name)
                    .unwrap_or_default()
                    .to_string()
            };
            CredentialPath {
                provider: raw("provider"),
                id: raw("id"),
            }
        }
    }
}

/// `{"request_id", "data"}` or the error envelope, with `x-request-id` either way.
fn respond(request_id: &RequestId, outcome: Result<CredentialObject, NylasError>) -> HttpResponse {
    match outcome {
        Ok(data) => {
            let body = DataEnvelope {
                request_id: request_id.as_str(),
                data,
            };
            let mut response = patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body);
            request_id.stamp(&mut response);
            response
        }
        Err(error) => error.render(request_id),
    }
}

//! One function per Nylas operation, each checking in this order: body size, auth, the `provider`
//! segment, the query or the body, then the stored records (404s, the connector and credential
//! rules, inside the write's transaction). Every response, success or error, carries one request id
//! in its body and in `x-request-id`.

use crate::error::{
    connector_not_found, credential_not_found, NylasError, RequestId, CONTENT_TYPE,
};
use crate::lifecycle::{self, CredentialNotCreated};
use crate::validate::Paging;
use crate::wire::{
    ConnectorObject, CredentialObject, DataEnvelope, ListEnvelope, RequestIdEnvelope,
};
use crate::{auth, merge, record, validate, wire, Nylas, VENDOR};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::{
    Integration, ListOrder, ListQuery, ListStart, Lookup, RecordFilter, TenantRef,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The path's segments, percent-decoded, named as in the route table.
#[derive(Debug, Deserialize)]
pub struct CredentialPath {
    pub provider: String,
    pub id: String,
}

type PathParams = Result<web::Path<CredentialPath>, actix_web::Error>;
type ProviderParam = Result<web::Path<String>, actix_web::Error>;
type Body = Result<web::Bytes, actix_web::Error>;

/// What a successful operation answers, before the request id goes in.
enum Answer<T> {
    /// `{"request_id", "data"}` with this status.
    One(StatusCode, T),
    /// `{"request_id", "data": [...], "limit", "offset"}`.
    Page(Vec<T>, Paging),
}

/// `GET /v3/connectors`
pub async fn list_connectors(request: HttpRequest, nylas: web::Data<Nylas>) -> HttpResponse {
    let request_id = start(&request);
    let outcome = connectors_page(&request, &nylas).await;
    respond(&request_id, outcome)
}

async fn connectors_page(
    request: &HttpRequest,
    nylas: &Nylas,
) -> Result<Answer<ConnectorObject>, NylasError> {
    let tenant = authenticated(request, nylas)?;
    let paging = validate::connector_list_query(&patchbay_http::query_pairs(request))?;
    let filter: RecordFilter = Arc::new(record::is_connector);
    // The order connectors were set up in, oldest first.
    let order = ListOrder::Created { descending: false };
    let page = nylas
        .store
        .list_page(&tenant, page_query(order, paging, filter))
        .await?;
    let data = page
        .records
        .iter()
        .map(|connector| wire::connector_object(connector));
    Ok(Answer::Page(data.collect(), paging))
}

/// `POST /v3/connectors`
pub async fn create_connector(
    request: HttpRequest,
    body: Body,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = create_connector_in(&request, body, &nylas).await;
    respond(&request_id, outcome)
}

async fn create_connector_in(
    request: &HttpRequest,
    body: Body,
    nylas: &Nylas,
) -> Result<Answer<ConnectorObject>, NylasError> {
    let body = patchbay_http::body_within_limit(body, nylas.body_limit)?;
    let tenant = authenticated(request, nylas)?;
    let new = validate::create_connector_body(&readable(body)?)?;
    let primary_id = new_id();
    let mut ids = vec![record::connector_id(new.provider)];
    if lifecycle::creates_primary_credential(&new) {
        ids.push(primary_id.clone());
    }
    // The store refuses a second connector of the provider: its id is taken.
    let created = nylas
        .store
        .create_all(&tenant, ids, move |_| {
            lifecycle::new_connector_records(&new, &primary_id)
        })
        .await?;
    let connector = created
        .first()
        .ok_or_else(|| NylasError::Internal("a connector create stored nothing".into()))?;
    Ok(Answer::One(
        StatusCode::CREATED,
        wire::connector_object(connector),
    ))
}

/// `GET /v3/connectors/{provider}`
pub async fn get_connector(
    request: HttpRequest,
    path: ProviderParam,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = find_connector(&request, path, &nylas).await;
    respond(&request_id, outcome)
}

async fn find_connector(
    request: &HttpRequest,
    path: ProviderParam,
    nylas: &Nylas,
) -> Result<Answer<ConnectorObject>, NylasError> {
    let tenant = authenticated(request, nylas)?;
    let provider = provider_segment(path, request)?;
    let connector = stored_connector(nylas, &tenant, provider).await?;
    Ok(Answer::One(
        StatusCode::OK,
        wire::connector_object(&connector),
    ))
}

/// `PATCH /v3/connectors/{provider}`, and `PUT`, which the Node SDK sends for the same update.
pub async fn update_connector(
    request: HttpRequest,
    path: ProviderParam,
    body: Body,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = update_connector_in(&request, path, body, &nylas).await;
    respond(&request_id, outcome)
}

async fn update_connector_in(
    request: &HttpRequest,
    path: ProviderParam,
    body: Body,
    nylas: &Nylas,
) -> Result<Answer<ConnectorObject>, NylasError> {
    let body = patchbay_http::body_within_limit(body, nylas.body_limit)?;
    let tenant = authenticated(request, nylas)?;
    let provider = provider_segment(path, request)?;
    let update = validate::update_connector_body(&readable(body)?, provider)?;
    let updated = nylas
        .store
        .update(
            &tenant,
            &record::connector_id(provider),
            move |stored, lookup| {
                // Inside the transaction: a credential deleted meanwhile cannot become the active one.
                let credential_ids = match &update.active_credential_id {
                    Some(_) => {
                        lifecycle::credentials_of(provider, &lookup.records_of_kind(provider)?)
                    }
                    None => Vec::new(),
                };
                stored.apply(merge::merge_connector(&update, provider, &credential_ids)?);
                Ok::<(), NylasError>(())
            },
        )
        .await?;
    Ok(Answer::One(
        StatusCode::OK,
        wire::connector_object(&updated),
    ))
}

/// `DELETE /v3/connectors/{provider}`: its credentials go with it.
pub async fn delete_connector(
    request: HttpRequest,
    path: ProviderParam,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = delete_connector_in(&request, path, &nylas).await;
    respond_deleted(&request_id, outcome)
}

async fn delete_connector_in(
    request: &HttpRequest,
    path: ProviderParam,
    nylas: &Nylas,
) -> Result<(), NylasError> {
    let tenant = authenticated(request, nylas)?;
    let provider = provider_segment(path, request)?;
    nylas
        .store
        .delete_with(
            &tenant,
            &record::connector_id(provider),
            move |_, lookup| {
                Ok::<_, NylasError>(lifecycle::credentials_of(
                    provider,
                    &lookup.records_of_kind(provider)?,
                ))
            },
        )
        .await?;
    Ok(())
}

/// `GET /v3/connectors/{provider}/creds`
pub async fn list_credentials(
    request: HttpRequest,
    path: ProviderParam,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = credentials_page(&request, path, &nylas).await;
    respond(&request_id, outcome)
}

async fn credentials_page(
    request: &HttpRequest,
    path: ProviderParam,
    nylas: &Nylas,
) -> Result<Answer<CredentialObject>, NylasError> {
    let tenant = authenticated(request, nylas)?;
    let provider = provider_segment(path, request)?;
    let listing = validate::credential_list_query(&patchbay_http::query_pairs(request))?;
    stored_connector(nylas, &tenant, provider).await?;
    let filter: RecordFilter = Arc::new(move |stored| record::is_credential_of(stored, provider));
    let query = page_query(listing.order, listing.paging, filter);
    let page = nylas.store.list_page(&tenant, query).await?;
    let data = page
        .records
        .iter()
        .map(|credential| wire::credential_object(credential));
    Ok(Answer::Page(data.collect(), listing.paging))
}

/// `POST /v3/connectors/{provider}/creds`
pub async fn create_credential(
    request: HttpRequest,
    path: ProviderParam,
    body: Body,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = create_credential_in(&request, path, body, &nylas).await;
    respond(&request_id, outcome)
}

async fn create_credential_in(
    request: &HttpRequest,
    path: ProviderParam,
    body: Body,
    nylas: &Nylas,
) -> Result<Answer<CredentialObject>, NylasError> {
    let body = patchbay_http::body_within_limit(body, nylas.body_limit)?;
    let tenant = authenticated(request, nylas)?;
    let provider = provider_segment(path, request)?;
    let new = validate::create_credential_body(&readable(body)?, provider)?;
    let id = new_id();
    let connector_id = record::connector_id(provider);
    let created = nylas
        .store
        .create(&tenant, &id.clone(), move |lookup| {
            // Inside the transaction: of two creates of one free name, exactly one gets it.
            let connector_exists = lookup.id_in_use(&connector_id)?;
            let siblings = match connector_exists {
                true => credentials(lookup, provider)?,
                false => Vec::new(),
            };
            lifecycle::new_credential_record(&new, id, provider, connector_exists, &siblings)
        })
        .await;
    let credential = match created {
        Ok(created) => created,
        Err(CredentialNotCreated::Existing(existing)) => Arc::new(*existing),
        Err(CredentialNotCreated::Refused(error)) => return Err(error),
    };
    Ok(Answer::One(
        StatusCode::CREATED,
        wire::credential_object(&credential),
    ))
}

/// The credentials of `provider`'s connector, as the transaction sees them.
fn credentials(lookup: &Lookup<'_>, provider: &str) -> Result<Vec<Integration>, NylasError> {
    Ok(lookup
        .records_of_kind(provider)?
        .into_iter()
        .filter(|other| record::is_credential_of(other, provider))
        .collect())
}

/// `PATCH /v3/connectors/{provider}/creds/{id}`
pub async fn update_credential(
    request: HttpRequest,
    path: PathParams,
    body: Body,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = update_credential_in(&request, path, body, &nylas).await;
    respond(&request_id, outcome)
}

async fn update_credential_in(
    request: &HttpRequest,
    path: PathParams,
    body: Body,
    nylas: &Nylas,
) -> Result<Answer<CredentialObject>, NylasError> {
    let body = patchbay_http::body_within_limit(body, nylas.body_limit)?;
    let tenant = authenticated(request, nylas)?;
    let CredentialPath { provider, id } = credential_path(path, request);
    let provider = validate::provider(&provider)?;
    let update = validate::update_body(&readable(body)?)?;
    let id = credential_id(id)?;
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
    Ok(Answer::One(
        StatusCode::OK,
        wire::credential_object(&updated),
    ))
}

/// The credentials of `provider` that hold `name`, as the update's transaction sees them: names are
/// unique per connector. Keeping one's own name needs no look-up.
fn name_holders(
    lookup: &Lookup<'_>,
    provider: &str,
    current: &Integration,
    name: &str,
) -> Result<Vec<String>, NylasError> {
    if record::is_credential_of(current, provider) && record::name(current) == Some(name) {
        return Ok(Vec::new());
    }
    Ok(credentials(lookup, provider)?
        .into_iter()
        .filter(|other| record::name(other) == Some(name))
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
    let outcome = find_credential(&request, path, &nylas).await;
    respond(&request_id, outcome)
}

async fn find_credential(
    request: &HttpRequest,
    path: PathParams,
    nylas: &Nylas,
) -> Result<Answer<CredentialObject>, NylasError> {
    let tenant = authenticated(request, nylas)?;
    let CredentialPath { provider, id } = credential_path(path, request);
    let provider = validate::provider(&provider)?;
    match nylas.store.get(&tenant, &id).await? {
        Some(stored) if record::is_credential_of(&stored, provider) => Ok(Answer::One(
            StatusCode::OK,
            wire::credential_object(&stored),
        )),
        _ => Err(credential_not_found(&id)),
    }
}

/// `DELETE /v3/connectors/{provider}/creds/{id}`
pub async fn delete_credential(
    request: HttpRequest,
    path: PathParams,
    nylas: web::Data<Nylas>,
) -> HttpResponse {
    let request_id = start(&request);
    let outcome = delete_credential_in(&request, path, &nylas).await;
    respond_deleted(&request_id, outcome)
}

async fn delete_credential_in(
    request: &HttpRequest,
    path: PathParams,
    nylas: &Nylas,
) -> Result<(), NylasError> {
    let tenant = authenticated(request, nylas)?;
    let CredentialPath { provider, id } = credential_path(path, request);
    let provider = validate::provider(&provider)?;
    let id = credential_id(id)?;
    let connector_id = record::connector_id(provider);
    nylas
        .store
        .delete_with(&tenant, &id, move |stored, lookup| {
            // Inside the transaction: the connector cannot make this credential active meanwhile.
            let connector = lookup.get(&connector_id)?;
            lifecycle::check_credential_deletion(stored, provider, connector.as_ref())?;
            Ok::<_, NylasError>(Vec::new())
        })
        .await?;
    Ok(())
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

/// The application of the request's key, named on the request's log span.
fn authenticated(request: &HttpRequest, nylas: &Nylas) -> Result<TenantRef, NylasError> {
    let key = auth::authenticate(request, &nylas.store)?;
    patchbay_http::record_tenant(VENDOR, &key.tenant);
    Ok(TenantRef::new(VENDOR, key.tenant.clone()))
}

/// The `{provider}` segment of a connector path, one of the enum.
fn provider_segment(
    path: ProviderParam,
    request: &HttpRequest,
) -> Result<&'static str, NylasError> {
    validate::provider(&patchbay_http::path_segment(path, request, "provider"))
}

/// A body that was read (the size limit already checked).
fn readable(body: Option<web::Bytes>) -> Result<web::Bytes, NylasError> {
    body.ok_or_else(|| NylasError::InvalidPayload("the request body could not be read".into()))
}

/// A credential id from a path: a connector's store id is no credential's, whatever the store holds.
fn credential_id(id: String) -> Result<String, NylasError> {
    match record::connector_provider(&id) {
        Some(_) => Err(credential_not_found(&id)),
        None => Ok(id),
    }
}

/// The application's connector of `provider`, or its 404.
async fn stored_connector(
    nylas: &Nylas,
    tenant: &TenantRef,
    provider: &str,
) -> Result<Arc<Integration>, NylasError> {
    match nylas
        .store
        .get(tenant, &record::connector_id(provider))
        .await?
    {
        Some(connector) if record::is_connector(&connector) => Ok(connector),
        _ => Err(connector_not_found(provider)),
    }
}

/// One page by offset, in `order`, of the records `filter` accepts.
fn page_query(order: ListOrder, paging: Paging, filter: RecordFilter) -> ListQuery {
    ListQuery {
        order,
        start: ListStart::Offset(paging.offset),
        limit: paging.limit,
        filter: Some(filter),
        count_total: false,
    }
}

/// A new credential's id: a UUID v4, as Nylas's are. Unique is what it must be, not unpredictable.
fn new_id() -> String {
    patchbay_http::request_id()
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

/// The answer's envelope, or the error's, with `x-request-id` either way.
fn respond<T: Serialize>(
    request_id: &RequestId,
    outcome: Result<Answer<T>, NylasError>,
) -> HttpResponse {
    let request_id_text = request_id.as_str();
    let mut response = match outcome {
        Ok(Answer::One(status, data)) => patchbay_http::json(
            status,
            CONTENT_TYPE,
            &DataEnvelope {
                request_id: request_id_text,
                data,
            },
        ),
        Ok(Answer::Page(data, paging)) => patchbay_http::json(
            StatusCode::OK,
            CONTENT_TYPE,
            &ListEnvelope {
                request_id: request_id_text,
                data,
                limit: paging.limit,
                offset: paging.offset,
            },
        ),
        Err(error) => return error.render(request_id),
    };
    request_id.stamp(&mut response);
    response
}

/// A delete's 200 `{"request_id"}` (JSON, never a 204: the SDKs parse every answer), or the error.
fn respond_deleted(request_id: &RequestId, outcome: Result<(), NylasError>) -> HttpResponse {
    match outcome {
        Ok(()) => {
            let body = RequestIdEnvelope {
                request_id: request_id.as_str(),
            };
            let mut response = patchbay_http::json(StatusCode::OK, CONTENT_TYPE, &body);
            request_id.stamp(&mut response);
            response
        }
        Err(error) => error.render(request_id),
    }
}

//! Stored state: `GET /_patchbay/state/{vendor}`, `POST /_patchbay/reset`, `POST /_patchbay/seed`.

use super::{body, error, ok, read_body, ErrorBody};
use crate::plane::{ControlPlane, ResetScope};
use crate::vendors::{self, VENDORS};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::fixtures::read_document;
use patchbay_core::{CoreError, TenantChange};
use patchbay_http::Vendor;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::time::Instant;
use utoipa::ToSchema;

fn vendor_named(name: &str) -> Result<&'static Vendor, HttpResponse> {
    vendors::find(name).ok_or_else(|| {
        error(
            StatusCode::NOT_FOUND,
            format!(
                "unknown vendor {name:?} (known: {})",
                VENDORS
                    .iter()
                    .map(|vendor| vendor.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

fn storage_failed(failure: CoreError) -> HttpResponse {
    tracing::error!(error = %failure, "control API: storage failed");
    error(StatusCode::INTERNAL_SERVER_ERROR, failure.to_string())
}

/// Whose state: every tenant, one tenant, or the tenant of a key.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateQuery {
    /// Only this tenant (not with `key`).
    tenant: Option<String>,
    /// Only the tenant of this key (not with `tenant`).
    key: Option<String>,
}

/// A vendor's stored keys and records, in the fixture format, secrets included (the admin view).
#[derive(Debug, Serialize, ToSchema)]
pub struct StateView {
    #[schema(value_type = super::openapi::VendorName)]
    pub vendor: &'static str,
    pub keys: Vec<KeyView>,
    /// Each record in the vendor's own field names, plus `tenant` and the secret fields.
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<Value>,
}

/// A key as the fixtures write it.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub key: String,
    pub tenant: String,
    /// `null`: the vendor's default for a key without scopes.
    pub scopes: Option<Vec<String>>,
    pub label: Option<String>,
}

/// A vendor's stored keys and records (fixture format, secrets included)
#[utoipa::path(get, path = "/_patchbay/state/{vendor}", tag = "state",
    params(
        ("vendor" = super::openapi::VendorName, Path),
        ("query" = inline(Option<super::openapi::StateQuerySchema>), Query, style = Form, explode),
    ),
    responses(
        (status = 200, description = "The state", body = StateView),
        (status = 400, description = "A query parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such vendor, or no key like that", body = ErrorBody),
        (status = 500, description = "Storage failed", body = ErrorBody),
    ))]
pub async fn state(
    path: web::Path<String>,
    query: Result<web::Query<StateQuery>, actix_web::Error>,
    plane: web::Data<ControlPlane>,
) -> HttpResponse {
    let vendor = match vendor_named(&path) {
        Ok(vendor) => vendor,
        Err(response) => return response,
    };
    let Ok(query) = query else {
        return error(
            StatusCode::BAD_REQUEST,
            "the query parameters are `tenant` and `key`",
        );
    };
    let query = query.into_inner();
    let tenant = match (query.tenant, query.key) {
        (Some(_), Some(_)) => {
            return error(StatusCode::BAD_REQUEST, "give `tenant` or `key`, not both")
        }
        (tenant, None) => tenant,
        (None, Some(key)) => match plane.tenant_of_key(Some(vendor), &key) {
            Some((_, tenant)) => Some(tenant),
            None => {
                return error(
                    StatusCode::NOT_FOUND,
                    format!("no {} key like that", vendor.name),
                )
            }
        },
    };
    let records = match plane.store.list(vendor.name, tenant.clone()).await {
        Ok(records) => records,
        Err(failure) => return storage_failed(failure),
    };
    let keys = plane
        .store
        .keys(vendor.name)
        .iter()
        .filter(|key| tenant.as_ref().is_none_or(|tenant| *tenant == key.tenant))
        .map(|key| KeyView {
            key: key.key.clone(),
            tenant: key.tenant.clone(),
            scopes: key.scopes.clone(),
            label: key.label.clone(),
        })
        .collect();
    ok(&StateView {
        vendor: vendor.name,
        keys,
        records: records.iter().map(vendor.record_view).collect(),
    })
}

/// What to reset: `{}` everything; `{"vendor"}` one vendor, every tenant, keys included;
/// `{"vendor", "tenant"}` or `{"key"}` (the key's tenant, of whichever vendor holds it) one tenant.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    vendor: Option<String>,
    tenant: Option<String>,
    key: Option<String>,
}

/// `POST /_patchbay/reset`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetAnswer {
    pub reset: ResetScopeView,
    pub records_removed: usize,
    pub keys_removed: usize,
    pub records_written: usize,
    pub keys_written: usize,
    pub took_ms: f64,
}

/// What was reset: both `null` for everything, `tenant` `null` for a whole vendor.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetScopeView {
    #[schema(value_type = Option<super::openapi::VendorName>)]
    pub vendor: Option<&'static str>,
    pub tenant: Option<String>,
}

/// Back to the fixtures, in one transaction
#[utoipa::path(post, path = "/_patchbay/reset", tag = "state",
    request_body(content = super::openapi::ResetRequestSchema, description = "What to reset; no body is `{}`"),
    responses(
        (status = 200, description = "Reset", body = ResetAnswer),
        (status = 400, description = "The body is not valid", body = ErrorBody),
        (status = 404, description = "No such vendor, tenant or key", body = ErrorBody),
        (status = 413, description = "The body is over `control.control_body_bytes`", body = ErrorBody),
        (status = 500, description = "Storage failed", body = ErrorBody),
    ))]
pub async fn reset(
    http_request: HttpRequest,
    payload: web::Payload,
    plane: web::Data<ControlPlane>,
) -> HttpResponse {
    let bytes = match read_body(
        &http_request,
        payload,
        plane.control_body_bytes,
        "control_body_bytes",
    )
    .await
    {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let request: ResetRequest = match body(&bytes) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let vendor = match request.vendor.as_deref().map(vendor_named).transpose() {
        Ok(vendor) => vendor,
        Err(response) => return response,
    };
    let scope = match (vendor, request.tenant, request.key) {
        (_, Some(_), Some(_)) => {
            return error(StatusCode::BAD_REQUEST, "give `tenant` or `key`, not both")
        }
        (None, None, None) => ResetScope::Everything,
        (Some(vendor), None, None) => ResetScope::Vendor(vendor),
        (Some(vendor), Some(tenant), None) => ResetScope::Tenant(vendor, tenant),
        (None, Some(_), None) => return error(StatusCode::BAD_REQUEST, "`tenant` needs `vendor`"),
        (vendor, None, Some(key)) => match plane.tenant_of_key(vendor, &key) {
            Some((vendor, tenant)) => ResetScope::Tenant(vendor, tenant),
            None => return error(StatusCode::NOT_FOUND, "no key like that"),
        },
    };
    let started = Instant::now();
    let summary = match plane.reset(&scope).await {
        Ok(Some(summary)) => summary,
        Ok(None) => return error(StatusCode::NOT_FOUND, "no such tenant"),
        Err(failure) => return storage_failed(failure),
    };
    let (vendor, tenant) = match &scope {
        ResetScope::Everything => (None, None),
        ResetScope::Vendor(vendor) => (Some(vendor.name), None),
        ResetScope::Tenant(vendor, tenant) => (Some(vendor.name), Some(tenant.clone())),
    };
    ok(&ResetAnswer {
        reset: ResetScopeView { vendor, tenant },
        records_removed: summary.records_removed,
        keys_removed: summary.keys_removed,
        records_written: summary.records_written,
        keys_written: summary.keys_written,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// `POST /_patchbay/seed`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeedAnswer {
    /// For each vendor seeded, how many keys and records were upserted.
    pub seeded: BTreeMap<String, SeedCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeedCount {
    pub keys: usize,
    pub records: usize,
}

/// Upsert keys and records given in the fixture format; all or nothing
///
/// Every document is checked first, and nothing is stored unless all are valid. Records and keys
/// are upserted (a record with the same tenant and id is replaced).
#[utoipa::path(post, path = "/_patchbay/seed", tag = "state",
    request_body(content = super::openapi::SeedRequest, description = "One fixture document per vendor"),
    responses(
        (status = 200, description = "Seeded", body = SeedAnswer),
        (status = 400, description = "A document is not valid: the message names its JSON path", body = ErrorBody),
        (status = 413, description = "The body is over `control.seed_bytes`", body = ErrorBody),
        (status = 500, description = "Storage failed", body = ErrorBody),
    ))]
pub async fn seed(
    request: HttpRequest,
    payload: web::Payload,
    plane: web::Data<ControlPlane>,
) -> HttpResponse {
    let bytes = match read_body(&request, payload, plane.seed_bytes, "seed_bytes").await {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let documents: Map<String, Value> = match body(&bytes) {
        Ok(documents) => documents,
        Err(response) => return response,
    };
    if documents.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "the body names no vendor: send {\"<vendor>\": {\"keys\": [...], \"records\": [...]}}",
        );
    }
    let mut changes = Vec::new();
    let mut seeded = BTreeMap::new();
    for (name, document) in &documents {
        let Some(vendor) = vendors::find(name) else {
            return error(StatusCode::BAD_REQUEST, format!("$.{name}: unknown vendor"));
        };
        let data = match read_document(document, vendor.parse_record) {
            Ok(data) => data,
            Err(CoreError::InvalidFixture { path, message }) => {
                let path = path.replacen('$', &format!("$.{name}"), 1);
                return error(StatusCode::BAD_REQUEST, format!("{path}: {message}"));
            }
            Err(failure) => return error(StatusCode::BAD_REQUEST, failure.to_string()),
        };
        seeded.insert(
            name.clone(),
            SeedCount {
                keys: data.keys.len(),
                records: data.records.len(),
            },
        );
        changes.push(TenantChange {
            vendor: vendor.name,
            tenant: None,
            clear_records: false,
            clear_keys: false,
            keys: data.keys,
            records: data.records,
        });
    }
    match plane.store.replace(changes).await {
        Ok(_) => ok(&SeedAnswer { seeded }),
        Err(failure) => storage_failed(failure),
    }
}

//! Stored state: `GET /_patchbay/state/{vendor}`, `POST /_patchbay/reset`, `POST /_patchbay/seed`.

use super::{body, error, ok};
use crate::plane::{ControlPlane, ResetScope};
use crate::vendors::{self, VENDORS};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use patchbay_core::fixtures::read_document;
use patchbay_core::{CoreError, TenantChange};
use patchbay_http::Vendor;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::time::Instant;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateQuery {
    tenant: Option<String>,
    key: Option<String>,
}

/// `GET /_patchbay/state/{vendor}?tenant=|key=`: keys and records in the fixture format, secrets
/// included (the admin view).
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
    let keys: Vec<Value> = plane
        .store
        .keys(vendor.name)
        .iter()
        .filter(|key| tenant.as_ref().is_none_or(|tenant| *tenant == key.tenant))
        .map(|key| json!({"key": key.key, "tenant": key.tenant, "scopes": key.scopes, "label": key.label}))
        .collect();
    let records: Vec<Value> = records.iter().map(vendor.record_view).collect();
    ok(&json!({"vendor": vendor.name, "keys": keys, "records": records}))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    vendor: Option<String>,
    tenant: Option<String>,
    key: Option<String>,
}

/// `POST /_patchbay/reset` with `{}` (everything), `{"vendor"}`, `{"vendor", "tenant"}` or
/// `{"key"}` (the key's tenant, of whichever vendor holds it).
pub async fn reset(
    bytes: Result<web::Bytes, actix_web::Error>,
    plane: web::Data<ControlPlane>,
) -> HttpResponse {
    let request: ResetRequest = match body(bytes) {
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
    ok(&json!({
        "reset": {"vendor": vendor, "tenant": tenant},
        "records_removed": summary.records_removed,
        "keys_removed": summary.keys_removed,
        "records_written": summary.records_written,
        "keys_written": summary.keys_written,
        "took_ms": started.elapsed().as_secs_f64() * 1000.0,
    }))
}

/// `POST /_patchbay/seed` with `{"<vendor>": {"keys": [...], "records": [...]}, ...}` in the
/// fixture format: every document is checked first, and nothing is stored unless all are valid.
/// Records and keys are upserted (a record with the same tenant and id is replaced).
pub async fn seed(
    bytes: Result<web::Bytes, actix_web::Error>,
    plane: web::Data<ControlPlane>,
) -> HttpResponse {
    let documents: Map<String, Value> = match body(bytes) {
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
    let mut seeded = Map::new();
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
            json!({"keys": data.keys.len(), "records": data.records.len()}),
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
        Ok(_) => ok(&json!({"seeded": seeded})),
        Err(failure) => storage_failed(failure),
    }
}

//! The request journal over HTTP: `GET /_patchbay/requests` (filtered) and `DELETE` to clear it.
//! Bodies are masked here, when read: secret fields of every vendor and the vendor's own list.

use super::{error, ok};
use crate::plane::journal::{mask_secrets, Entry, Filter, StatusFilter};
use crate::plane::ControlPlane;
use crate::vendors;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

/// Reads the filter from the query: `vendor`, `tenant`, `key`, `method`, `path`, `status`
/// (`404` or `4xx`), `since` (RFC 3339), `after` (an entry id), `limit`.
fn filter(request: &HttpRequest, plane: &ControlPlane) -> Result<Filter, HttpResponse> {
    let bad = |message: String| error(StatusCode::BAD_REQUEST, message);
    let mut filter = Filter::default();
    let mut key = None;
    for (name, value) in patchbay_http::query_pairs(request) {
        match name.as_str() {
            "vendor" => {
                let vendor = vendors::find(&value)
                    .ok_or_else(|| bad(format!("`vendor`: unknown vendor {value:?}")))?;
                filter.vendor = Some(vendor.name.to_string());
            }
            "tenant" => filter.tenant = Some(value),
            "key" => key = Some(value),
            "method" => filter.method = Some(value),
            "path" => filter.path = Some(value),
            "status" => {
                filter.status = Some(StatusFilter::parse(&value).ok_or_else(|| {
                    bad(format!("`status`: {value:?} is neither a status nor a class like 4xx"))
                })?)
            }
            "since" => {
                let since = chrono::DateTime::parse_from_rfc3339(&value)
                    .map_err(|_| bad(format!("`since`: {value:?} is not an RFC 3339 time")))?;
                filter.since = Some(since.with_timezone(&chrono::Utc));
            }
            "after" => {
                filter.after = Some(
                    value
                        .parse()
                        .map_err(|_| bad(format!("`after`: {value:?} is not an entry id")))?,
                )
            }
            "limit" => {
                filter.limit = Some(
                    value
                        .parse()
                        .map_err(|_| bad(format!("`limit`: {value:?} is not a count")))?,
                )
            }
            other => {
                return Err(bad(format!(
                    "unknown query parameter `{other}` (filters: vendor, tenant, key, method, path, status, since, after, limit)"
                )))
            }
        }
    }
    if let Some(key) = key {
        if filter.tenant.is_some() {
            return Err(bad("give `tenant` or `key`, not both".into()));
        }
        let vendor = filter.vendor.as_deref().and_then(vendors::find);
        let (vendor, tenant) = plane
            .tenant_of_key(vendor, &key)
            .ok_or_else(|| error(StatusCode::NOT_FOUND, "no key like that"))?;
        filter.vendor = Some(vendor.name.to_string());
        filter.tenant = Some(tenant);
    }
    Ok(filter)
}

/// One entry as the API shows it: the body parsed and masked, or `null` (no body, not kept, or not
/// JSON; a body that is not JSON cannot be masked reliably, so it is never shown).
fn view(entry: &Entry) -> Value {
    let secret_fields = vendors::find(entry.vendor)
        .map(|vendor| vendor.secret_fields)
        .unwrap_or_default();
    let body = entry
        .body
        .as_deref()
        .and_then(|bytes| serde_json::from_slice::<Value>(bytes).ok())
        .map(|mut body| {
            mask_secrets(&mut body, secret_fields);
            body
        });
    json!({
        "id": entry.id,
        "time": patchbay_http::js_iso(entry.time),
        "vendor": entry.vendor,
        "tenant": entry.tenant,
        "method": entry.method.as_str(),
        "path": entry.path,
        "query": entry.query,
        "status": entry.status.map(|status| status.as_u16()),
        "error_code": entry.error_code,
        "duration_ms": entry.duration_micros as f64 / 1000.0,
        "request_id": entry.request_id,
        "body": body,
        "body_bytes": entry.body_len,
        "fault": entry.fault,
    })
}

pub async fn list(request: HttpRequest, plane: web::Data<ControlPlane>) -> HttpResponse {
    let filter = match filter(&request, &plane) {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    let stats = plane.journal.stats();
    let entries: Vec<Value> = plane.journal.query(&filter).iter().map(view).collect();
    ok(&json!({
        "capacity": stats.capacity,
        "stored": stats.len,
        "dropped": stats.dropped,
        "requests": entries,
    }))
}

pub async fn clear(plane: web::Data<ControlPlane>) -> HttpResponse {
    ok(&json!({"cleared": plane.journal.clear()}))
}

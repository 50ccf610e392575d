//! The request journal over HTTP: `GET /_patchbay/requests` (filtered) and `DELETE` to clear it.
//! Bodies are masked here, when read: secret fields of every vendor and the vendor's own list.

use super::{error, ok, Cleared, ErrorBody};
use crate::plane::journal::{mask_secrets, Entry, Filter, StatusFilter};
use crate::plane::ControlPlane;
use crate::vendors;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The journal's filters, every one optional.
// This describes the query for the document only: `filter` reads it pair by pair, so that a
// refusal names the parameter at fault in its own words.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct JournalQuery {
    /// Only this vendor's requests.
    #[schema(value_type = Option<super::openapi::VendorName>)]
    vendor: Option<String>,
    /// Only this tenant's requests (not with `key`).
    tenant: Option<String>,
    /// Only the requests of this key's tenant (not with `tenant`).
    key: Option<String>,
    /// Only this method.
    method: Option<String>,
    /// Only paths matching this pattern (`*` any run of characters, `?` one).
    path: Option<String>,
    /// A status (`404`) or a class (`4xx`).
    #[schema(pattern = "^([1-5][0-9][0-9]|[1-5]xx|[1-5]XX)$")]
    status: Option<String>,
    /// Entries at or after this RFC 3339 time.
    #[schema(format = DateTime)]
    since: Option<String>,
    /// Entries with a larger id.
    #[schema(maximum = 18446744073709551615_u64)]
    after: Option<u64>,
    /// At most this many, the newest.
    #[schema(maximum = 18446744073709551615_u64)]
    limit: Option<usize>,
}

/// Reads the filter from the query: `vendor`, `tenant`, `key`, `method`, `path`, `status`
/// (`404` or `4xx`), `since` (RFC 3339), `after` (an entry id), `limit`.
pub(super) fn filter(request: &HttpRequest, plane: &ControlPlane) -> Result<Filter, HttpResponse> {
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

/// One journal entry as the control API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = JournalEntry)]
pub struct JournalEntryView {
    /// Increasing, never reused while the process lives.
    pub id: u64,
    /// When the request arrived (`Date.toISOString`, milliseconds and `Z`).
    #[schema(format = DateTime)]
    pub time: String,
    #[schema(value_type = super::openapi::VendorName)]
    pub vendor: &'static str,
    /// The tenant of the key the request presented, when the key was known.
    pub tenant: Option<String>,
    pub method: String,
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
    /// `null` when a drop fault cut the connection.
    pub status: Option<u16>,
    /// The vendor's own error code.
    pub error_code: Option<String>,
    pub duration_ms: f64,
    /// The vendor's `x-request-id`, for vendors that send one.
    pub request_id: Option<String>,
    /// The request body as JSON with secret fields masked; `null` when absent, not JSON or too
    /// large (a body that is not JSON cannot be masked reliably, so it is never shown).
    pub body: Option<Value>,
    /// The body's length, shown or not.
    pub body_bytes: u64,
    /// The fault rule that answered or delayed the request.
    pub fault: Option<String>,
}

impl JournalEntryView {
    pub(super) fn of(entry: &Entry) -> JournalEntryView {
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
        JournalEntryView {
            id: entry.id,
            time: patchbay_http::js_iso(entry.time),
            vendor: entry.vendor,
            tenant: entry.tenant.clone(),
            method: entry.method.as_str().to_string(),
            path: entry.path.clone(),
            query: entry.query.clone(),
            status: entry.status.map(|status| status.as_u16()),
            error_code: entry.error_code.clone(),
            duration_ms: entry.duration_micros as f64 / 1000.0,
            request_id: entry.request_id.clone(),
            body,
            body_bytes: entry.body_len,
            fault: entry.fault.clone(),
        }
    }
}

/// `GET /_patchbay/requests`.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalPage {
    /// The most entries the journal keeps.
    pub capacity: usize,
    /// The entries it holds now.
    pub stored: usize,
    /// Entries pushed out to make room, since the start.
    pub dropped: u64,
    /// The entries that match, oldest first.
    pub requests: Vec<JournalEntryView>,
}

/// The request journal, oldest first
#[utoipa::path(get, path = "/_patchbay/requests", tag = "journal",
    params(("query" = inline(Option<super::openapi::JournalQuerySchema>), Query, style = Form, explode)),
    responses(
        (status = 200, description = "The entries that match", body = JournalPage),
        (status = 400, description = "A filter is not valid", body = ErrorBody),
        (status = 404, description = "No key like that", body = ErrorBody),
    ))]
pub async fn list(request: HttpRequest, plane: web::Data<ControlPlane>) -> HttpResponse {
    let filter = match filter(&request, &plane) {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    let stats = plane.journal.stats();
    ok(&JournalPage {
        capacity: stats.capacity,
        stored: stats.len,
        dropped: stats.dropped,
        requests: plane
            .journal
            .query(&filter)
            .iter()
            .map(JournalEntryView::of)
            .collect(),
    })
}

/// Clear the journal
#[utoipa::path(delete, path = "/_patchbay/requests", tag = "journal",
    responses((status = 200, description = "How many entries went", body = Cleared)))]
pub async fn clear(plane: web::Data<ControlPlane>) -> HttpResponse {
    ok(&Cleared {
        cleared: plane.journal.clear(),
    })
}

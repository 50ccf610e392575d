//! The request journal over HTTP: `GET /_patchbay/requests` (filtered, one page at a time) and
//! `DELETE` to clear it. Bodies and query strings are masked here, when read: secret fields of every
//! vendor and the fields the vendor's own GET hides. A page is streamed entry by entry, so reading
//! the journal never builds its whole answer in memory.

use super::{error, ok, Cleared, ErrorBody, CONTENT_TYPE};
use crate::plane::journal::{mask_query, mask_secrets, Entry, Filter, StatusFilter};
use crate::plane::ControlPlane;
use crate::vendors;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_http::HiddenFields;
use serde::Serialize;
use serde_json::Value;
use std::convert::Infallible;
use utoipa::ToSchema;

/// Entries in a page when the query sets no `limit`.
pub const DEFAULT_PAGE_LIMIT: usize = 100;
/// The largest `limit` a query may set.
pub const MAX_PAGE_LIMIT: usize = 1000;

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
    /// The cursor: the page holds the first matching entries with a larger id (`0`: from the
    /// oldest). Without it, the page holds the newest ones.
    #[schema(maximum = 18446744073709551615_u64)]
    after: Option<u64>,
    /// At most this many entries in the page (default 100).
    #[schema(minimum = 0, maximum = 1000)]
    limit: Option<usize>,
}

/// Reads the filter and the page's size from the query: `vendor`, `tenant`, `key`, `method`,
/// `path`, `status` (`404` or `4xx`), `since` (RFC 3339), `after` (an entry id), `limit`.
pub(super) fn filter(
    request: &HttpRequest,
    plane: &ControlPlane,
) -> Result<(Filter, usize), HttpResponse> {
    let bad = |message: String| error(StatusCode::BAD_REQUEST, message);
    let mut filter = Filter::default();
    let mut key = None;
    let mut limit = DEFAULT_PAGE_LIMIT;
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
                limit = value
                    .parse()
                    .map_err(|_| bad(format!("`limit`: {value:?} is not a count")))?;
                if limit > MAX_PAGE_LIMIT {
                    return Err(bad(format!(
                        "`limit`: at most {MAX_PAGE_LIMIT} entries a page (follow `next_after` for more)"
                    )));
                }
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
    Ok((filter, limit))
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
    /// The query string, without `?`, with the values of secret parameters masked.
    pub query: String,
    /// `null` when a drop fault cut the connection.
    pub status: Option<u16>,
    /// The vendor's own error code.
    pub error_code: Option<String>,
    pub duration_ms: f64,
    /// The vendor's `x-request-id`, for vendors that send one.
    pub request_id: Option<String>,
    /// The request body as JSON with secret fields (and every field the vendor's GET hides)
    /// masked; `null` when absent, not JSON (a body that is not JSON cannot be masked reliably, so
    /// it is never shown), over the journal's per-entry cap (see `truncated`), or sent by a request
    /// that never authenticated (no key, an unknown key, or a 401).
    pub body: Option<Value>,
    /// The body's length, shown or not.
    pub body_bytes: u64,
    /// Whether the body was left out for being over the journal's per-entry cap.
    pub truncated: bool,
    /// The fault rule that answered or delayed the request.
    pub fault: Option<String>,
}

impl JournalEntryView {
    pub(super) fn of(entry: &Entry) -> JournalEntryView {
        let hidden = vendors::find(entry.vendor)
            .map_or(HiddenFields::Named(&[]), |vendor| vendor.hidden_fields);
        let body = entry
            .body
            .as_deref()
            .and_then(|bytes| serde_json::from_slice::<Value>(bytes).ok())
            .map(|mut body| {
                mask_secrets(&mut body, &hidden);
                body
            });
        JournalEntryView {
            id: entry.id,
            time: patchbay_http::js_iso(entry.time),
            vendor: entry.vendor,
            tenant: entry.tenant.clone(),
            method: entry.method.as_str().to_string(),
            path: entry.path.clone(),
            query: mask_query(&entry.query, &hidden),
            status: entry.status.map(|status| status.as_u16()),
            error_code: entry.error_code.clone(),
            duration_ms: entry.duration_micros as f64 / 1000.0,
            request_id: entry.request_id.clone(),
            body,
            body_bytes: entry.body_len,
            truncated: entry.truncated,
            fault: entry.fault.clone(),
        }
    }
}

/// `GET /_patchbay/requests`: one page of the journal.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalPage {
    /// The most entries the journal keeps.
    pub capacity: usize,
    /// The entries it holds now.
    pub stored: usize,
    /// Entries pushed out to make room, since the start.
    pub dropped: u64,
    /// The largest body one entry keeps, in bytes.
    pub entry_body_bytes: usize,
    /// When more matching entries follow this page: the `after` that reads the next one. `null`
    /// when the page reaches the newest matching entry (always so without `after`).
    pub next_after: Option<u64>,
    /// The page's entries, oldest first. Must stay the last field: the answer is streamed, this
    /// array entry by entry after the fields above.
    pub requests: Vec<JournalEntryView>,
}

/// A page of the request journal, oldest first
///
/// Without `after`, the newest matching entries (at most `limit`, default 100); with `after`, the
/// first matching entries after that id, and `next_after` to read the page that follows. `after=0`
/// and then each `next_after` in turn walks every entry once.
#[utoipa::path(get, path = "/_patchbay/requests", tag = "journal",
    params(("query" = inline(Option<super::openapi::JournalQuerySchema>), Query, style = Form, explode)),
    responses(
        (status = 200, description = "A page of the entries that match", body = JournalPage),
        (status = 400, description = "A filter is not valid, or `limit` is over 1000", body = ErrorBody),
        (status = 404, description = "No key like that", body = ErrorBody),
    ))]
pub async fn list(request: HttpRequest, plane: web::Data<ControlPlane>) -> HttpResponse {
    let (filter, limit) = match filter(&request, &plane) {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    let (entries, more) = plane.journal.query(&filter, limit);
    let stats = plane.journal.stats();
    let head = JournalPage {
        capacity: stats.capacity,
        stored: stats.len,
        dropped: stats.dropped,
        entry_body_bytes: stats.entry_body_bytes,
        next_after: entries.last().filter(|_| more).map(|entry| entry.id),
        requests: Vec::new(),
    };
    // The page with no entries ends in `[]}`: its entries go in between, one chunk each, so only
    // one entry is ever parsed, masked and serialized at a time.
    let encoded = serde_json::to_vec(&head).unwrap_or_default();
    let Some(open) = encoded.strip_suffix(b"]}") else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the journal page could not be encoded",
        );
    };
    let open = Bytes::copy_from_slice(open);
    let entries = entries.into_iter().enumerate().map(|(index, entry)| {
        let mut chunk = Vec::with_capacity(256 + entry.body.as_ref().map_or(0, Bytes::len));
        if index > 0 {
            chunk.push(b',');
        }
        // Serializing strings, numbers and JSON values cannot fail; were it to, the entry would
        // read as `null` rather than break the array.
        if serde_json::to_writer(&mut chunk, &JournalEntryView::of(&entry)).is_err() {
            chunk.extend_from_slice(b"null");
        }
        Ok::<_, Infallible>(Bytes::from(chunk))
    });
    let chunks = std::iter::once(Ok(open))
        .chain(entries)
        .chain(std::iter::once(Ok(Bytes::from_static(b"]}"))));
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)))
        .streaming(futures_util::stream::iter(chunks))
}

/// Clear the journal
#[utoipa::path(delete, path = "/_patchbay/requests", tag = "journal",
    responses((status = 200, description = "How many entries went", body = Cleared)))]
pub async fn clear(plane: web::Data<ControlPlane>) -> HttpResponse {
    ok(&Cleared {
        cleared: plane.journal.clear(),
    })
}

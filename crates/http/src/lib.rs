//! The adapter kit: the contract every adapter fulfils ([`Vendor`], with the hooks the control plane
//! calls), and the HTTP plumbing they all share so that none of them writes it again: reading a
//! body under a size limit without actix's plain-text errors, strict JSON with byte positions,
//! content-type checks, raw query pairs, path segments, JSON responses with the exact bytes serde
//! gives, request ids, JavaScript-style timestamps, UUID checks and the one log line of a storage
//! failure.
//!
//! Architecture invariant: names no vendor and renders no vendor envelope; adapters decide what each
//! outcome looks like on the wire.

pub mod json;
#[cfg(feature = "testing")]
pub mod testing;
mod vendor;

pub use vendor::{
    fold_field_name, tag_error_code, AdapterContext, ErrorCode, HiddenFields, Mount, PathClaim,
    RateLimit, Vendor, VendorHooks,
};

use actix_web::error::PayloadError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Body settings an adapter gets from the server.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit(1024 * 1024)
    }
}

/// The app data that makes `web::Bytes` honour the limit. Register it on each vendor scope.
pub fn payload_config(limit: BodyLimit) -> web::PayloadConfig {
    web::PayloadConfig::new(limit.0)
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than the configured limit (by Content-Length or while streaming).
    TooLarge,
    /// The client sent a broken or truncated body.
    Unreadable,
}

/// The body bytes, from a `Result<web::Bytes, actix_web::Error>` extractor, with actix's errors
/// classified so the adapter can answer in its vendor's envelope.
pub fn body_bytes(body: Result<web::Bytes, actix_web::Error>) -> Result<web::Bytes, BodyError> {
    body.map_err(|error| match error.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => BodyError::TooLarge,
        _ if error.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE => {
            BodyError::TooLarge
        }
        _ => BodyError::Unreadable,
    })
}

/// A body over the limit: every adapter turns this into its vendor's 413 with `From`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// The limit, in bytes.
    pub limit: usize,
}

/// The body under the limit, the first check of every adapter: `Ok(None)` when the client sent a
/// broken or truncated body, which each vendor answers at its own point in its check order.
pub fn body_within_limit(
    body: Result<web::Bytes, actix_web::Error>,
    limit: BodyLimit,
) -> Result<Option<web::Bytes>, TooLarge> {
    match body_bytes(body) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(BodyError::TooLarge) => Err(TooLarge { limit: limit.0 }),
        Err(BodyError::Unreadable) => Ok(None),
    }
}

/// The `Content-Type` header as text, if present and readable.
pub fn content_type(request: &HttpRequest) -> Option<&str> {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap_or("\u{fffd}"))
}

/// Whether a content type's media type (before any `;` parameter) is `application/json`.
pub fn is_json_media_type(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .map(str::trim)
        .is_some_and(|media| media.eq_ignore_ascii_case("application/json"))
}

/// A header as text, if present and valid visible ASCII.
pub fn header_text<'r>(request: &'r HttpRequest, name: &str) -> Option<&'r str> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The query string's keys in order, percent-decoded, with their values. `a=1&a=2` gives two pairs.
pub fn query_pairs(request: &HttpRequest) -> Vec<(String, String)> {
    let query = request.query_string();
    if query.is_empty() {
        return Vec::new();
    }
    web::Query::<Vec<(String, String)>>::from_query(query)
        .map(|pairs| pairs.into_inner())
        .unwrap_or_else(|_| {
            query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (key.to_string(), value.to_string())
                })
                .collect()
        })
}

/// A path parameter as the handler's `web::Path<String>` extractor gave it (percent-decoded), or
/// the raw segment when it could not be decoded (invalid UTF-8 after decoding, say), for the
/// adapter's own validation to refuse in its vendor's words.
pub fn path_segment(
    extracted: Result<web::Path<String>, actix_web::Error>,
    request: &HttpRequest,
    name: &str,
) -> String {
    match extracted {
        Ok(path) => path.into_inner(),
        Err(_) => request
            .match_info()
            .get(name)
            .unwrap_or_default()
            .to_string(),
    }
}

/// A JSON response. `content_type` is the vendor's exact header value.
pub fn json<T: Serialize>(
    status: StatusCode,
    content_type: &'static str,
    body: &T,
) -> HttpResponse {
    match serde_json::to_vec(body) {
        Ok(bytes) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(content_type)))
            .body(bytes),
        // Serializing our own wire types cannot fail; if it ever did, say so in JSON.
        Err(_) => HttpResponse::InternalServerError()
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(content_type)))
            .body(r#"{"message":"response could not be encoded"}"#),
    }
}

/// A fresh request id, a UUID v4 as the vendors that send one use. Drawn from a fast per-thread
/// generator rather than the operating system's: a request id must be unique, not unpredictable,
/// and this costs no system call per request.
pub fn request_id() -> String {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes())
        .into_uuid()
        .to_string()
}

/// Sets a response header from any displayable value (a number, a duration in the vendor's format).
/// A value that cannot be a header is left out.
pub fn set_header(response: &mut HttpResponse, name: &'static str, value: impl std::fmt::Display) {
    if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static(name), value);
    }
}

/// Names the vendor and tenant on the request's log span, once the key is known.
pub fn record_tenant(vendor: &'static str, tenant: &str) {
    tracing::Span::current()
        .record("vendor", vendor)
        .record("tenant", tenant);
}

/// A time as JavaScript's `Date.prototype.toISOString` writes it: milliseconds and `Z`
/// (`2024-05-01T12:00:00.000Z`).
pub fn js_iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A UUID in its hyphenated form only (`8-4-4-4-12` hexadecimal digits, either case), as the vendors
/// that take UUIDs in paths and keys accept them; the simple, braced and URN forms are refused.
pub fn hyphenated_uuid(text: &str) -> Option<uuid::Uuid> {
    if text.len() != 36 {
        return None;
    }
    uuid::Uuid::try_parse(text).ok()
}

/// The one log line of a storage failure (the client gets only the vendor's generic text). Every
/// adapter calls it from its `From<CoreError>`, so no vendor's 500 goes unlogged.
pub fn log_storage_failure(vendor: &'static str, error: &patchbay_core::CoreError) {
    tracing::error!(vendor, %error, "storage failure");
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn request_ids_are_distinct_uuid_v4s() {
        let first = uuid::Uuid::parse_str(&request_id()).expect("a UUID");
        let second = uuid::Uuid::parse_str(&request_id()).expect("a UUID");
        assert_eq!(first.get_version_num(), 4);
        assert_eq!(first.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(first, second);
    }

    #[test]
    fn json_media_types_are_recognised_with_parameters() {
        assert!(is_json_media_type("application/json"));
        assert!(is_json_media_type("Application/JSON; charset=utf-8"));
        assert!(!is_json_media_type("application/json-patch+json"));
        assert!(!is_json_media_type("text/plain"));
    }

    #[test]
    fn query_pairs_are_decoded_in_order() {
        let request = TestRequest::get()
            .uri("/x?b=1&a=%20x&b=2")
            .to_http_request();
        assert_eq!(
            query_pairs(&request),
            vec![
                ("b".into(), "1".into()),
                ("a".into(), " x".into()),
                ("b".into(), "2".into())
            ]
        );
        assert!(query_pairs(&TestRequest::get().uri("/x").to_http_request()).is_empty());
    }

    #[test]
    fn times_are_written_as_javascript_writes_them() {
        let time = DateTime::parse_from_rfc3339("2024-05-01T12:00:00.5+02:00")
            .expect("a time")
            .with_timezone(&Utc);
        assert_eq!(js_iso(time), "2024-05-01T10:00:00.500Z");
    }

    #[test]
    fn only_hyphenated_uuids_are_uuids() {
        let id = "550e8400-e29b-41d4-a716-446655440000";
        assert!(hyphenated_uuid(id).is_some());
        assert!(hyphenated_uuid(&id.to_uppercase()).is_some());
        for not_one in [
            "550e8400e29b41d4a716446655440000",
            "{550e8400-e29b-41d4-a716-446655440000}",
            "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
            "550e8400-e29b-41d4-a716-44665544000g",
            "550e8400-e29b-41d4-a71-6446655440000",
            "",
        ] {
            assert!(hyphenated_uuid(not_one).is_none(), "{not_one}");
        }
    }

    #[test]
    fn a_body_over_the_limit_is_too_large_and_a_broken_one_is_none() {
        let overflow: Result<web::Bytes, actix_web::Error> = Err(PayloadError::Overflow.into());
        assert_eq!(
            body_within_limit(overflow, BodyLimit(10)),
            Err(TooLarge { limit: 10 })
        );
        let broken: Result<web::Bytes, actix_web::Error> =
            Err(PayloadError::Incomplete(None).into());
        assert_eq!(body_within_limit(broken, BodyLimit(10)), Ok(None));
        let fine = Ok(web::Bytes::from_static(b"{}"));
        assert_eq!(
            body_within_limit(fine, BodyLimit(10)),
            Ok(Some(web::Bytes::from_static(b"{}")))
        );
    }
}

//! The HTTP plumbing every adapter shares, so that none of them writes it again: reading a body under
//! a size limit without actix's plain-text errors, content-type checks, raw query pairs, and JSON
//! responses with the exact bytes serde gives.
//!
//! Architecture invariant: names no vendor and renders no vendor envelope; adapters decide what each
//! outcome looks like on the wire.

use actix_web::error::PayloadError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
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
}

/// What the server hands every adapter when it mounts it.
#[derive(Clone)]
pub struct AdapterContext {
    pub store: patchbay_core::Store,
    /// The URL clients reach patchbay at, without a trailing `/` (for absolute links such as logos).
    pub public_url: String,
    pub body_limit: BodyLimit,
}

/// An adapter ready to mount: its state is built once and shared by every worker, which calls
/// this to register the adapter's routes.
pub type Mount = std::sync::Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

/// The vendor's own error code of a response (Nango `unknown_account`, Composio `801`, Nylas
/// `api.not_found_error`...), kept in the response's extensions so that the request journal can
/// record it without parsing the body. Adapters set it with [`tag_error_code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode(pub String);

/// Tags an error response with the vendor's own error code (see [`ErrorCode`]).
pub fn tag_error_code(response: &mut HttpResponse, code: impl Into<String>) {
    response.extensions_mut().insert(ErrorCode(code.into()));
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

/// The figures of an injected rate limit, for the adapter to render in its vendor's own headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window (`X-RateLimit-Limit` where the vendor sends it).
    pub limit: u64,
    /// The window's length in seconds (Composio's `X-RateLimit-Window-Size`).
    pub window_secs: u64,
    /// Seconds until the client may retry (`Retry-After`). Never more than 60.
    pub retry_after_secs: u64,
    /// When the window resets, in Unix seconds (Nango's `X-RateLimit-Reset`).
    pub reset_at: i64,
}

/// What the control plane (open keys, the request journal, fault injection) needs from an adapter.
/// Each adapter exports one of these as `HOOKS`; the server knows nothing else of the vendor's wire.
pub struct VendorHooks {
    /// Whether a request path (percent-encoded, without the query) belongs to this vendor: its
    /// native paths and its own prefix. The server asks the vendors in a fixed order.
    pub claims: fn(path: &str) -> bool,
    /// The key a request presents, read from the header the vendor's auth reads, before any check
    /// other than extracting it (Nango: the text after the last `Bearer `). `None` when absent.
    pub presented_key: for<'r> fn(&'r HttpRequest) -> Option<&'r str>,
    /// Whether an unknown key is well-formed for this vendor: open keys only create tenants for these.
    pub is_well_formed_key: fn(key: &str) -> bool,
    /// The scopes of a key that open keys create; `None` is the vendor's default for a key without
    /// scopes. Must allow everything the adapter serves.
    pub open_key_scopes: Option<&'static [&'static str]>,
    /// An injected error: `status` (4xx or 5xx, never 429: the server renders an injected 429 with
    /// `rate_limited`) in the vendor's own envelope, with the headers the vendor sends on every
    /// response (request id...), tagged with its [`ErrorCode`].
    pub fault_response: fn(request: &HttpRequest, status: StatusCode) -> HttpResponse,
    /// An injected rate limit: the vendor's own 429, with its own rate-limit headers and
    /// `Retry-After`, tagged with its [`ErrorCode`].
    pub rate_limited: fn(request: &HttpRequest, limit: &RateLimit) -> HttpResponse,
    /// Body field names (at any depth, matched case-insensitively) whose values the journal masks,
    /// on top of the generic ones (`secret`, `password`, `token`, `private_key`, `api_key`...).
    pub secret_fields: &'static [&'static str],
}

//! What patchbay's control plane needs from Nango beyond its paths: the key a request
//! presents, and injected faults rendered as Nango's own errors.

use crate::error::NangoError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use patchbay_http::{set_header, RateLimit, VendorHooks};

pub(crate) const HOOKS: VendorHooks = VendorHooks {
    presented_key,
    is_well_formed_key: crate::auth::is_well_formed,
    open_key_scopes: None,
    fault_response,
    rate_limited,
};

/// Body fields the journal masks, beyond the generic secret names.
pub(crate) const SECRET_FIELDS: &[&str] = &[
    "client_secret",
    "private_key",
    "webhook_secret",
    "app_secret",
];

/// `Authorization` split on `Bearer `, as Nango's auth middleware reads it.
fn presented_key(request: &HttpRequest) -> Option<&str> {
    let header = request.headers().get("authorization")?.to_str().ok()?;
    let secret = header.rsplit("Bearer ").next().unwrap_or(header);
    (!secret.is_empty()).then_some(secret)
}

fn fault_response(_request: &HttpRequest, status: StatusCode) -> HttpResponse {
    match status.as_u16() {
        401 => NangoError::UnknownAccount.error_response(),
        _ => NangoError::Injected(status).error_response(),
    }
}

/// Nango's rate limiter: `too_many_request` with the method and path, `X-RateLimit-*` and
/// `Retry-After`.
fn rate_limited(request: &HttpRequest, limit: &RateLimit) -> HttpResponse {
    let mut response = NangoError::TooManyRequests {
        method: request.method().to_string(),
        path: request.path().to_string(),
    }
    .error_response();
    set_header(&mut response, "x-ratelimit-limit", limit.limit());
    set_header(&mut response, "x-ratelimit-remaining", 0);
    set_header(&mut response, "x-ratelimit-reset", limit.reset_at());
    set_header(&mut response, "retry-after", limit.retry_after_secs());
    response
}

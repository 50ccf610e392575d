//! What patchbay's control plane needs from Langdock beyond its paths: the key a request
//! presents, and injected faults rendered as Langdock's own errors.

use crate::error::LangdockError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use patchbay_http::{set_header, RateLimit, VendorHooks};

pub(crate) const HOOKS: VendorHooks = VendorHooks {
    presented_key,
    is_well_formed_key: crate::auth::is_well_formed,
    // A key without scopes holds every scope, so open keys can use every route served here.
    open_key_scopes: None,
    fault_response,
    rate_limited,
};

/// Body fields the journal masks, beyond the generic secret names.
pub(crate) const SECRET_FIELDS: &[&str] = &["clientSecret"];

/// The token of `Authorization: Bearer <token>`.
fn presented_key(request: &HttpRequest) -> Option<&str> {
    patchbay_http::header_text(request, "authorization").and_then(crate::auth::bearer_token)
}

fn fault_response(_request: &HttpRequest, status: StatusCode) -> HttpResponse {
    match status.as_u16() {
        401 => LangdockError::InvalidApiKey.error_response(),
        _ => LangdockError::Injected(status).error_response(),
    }
}

/// Langdock's 429: `{"message":"Rate limit exceeded"}` and `Retry-After` (no rate-limit headers are
/// documented).
fn rate_limited(_request: &HttpRequest, limit: &RateLimit) -> HttpResponse {
    let mut response = LangdockError::TooManyRequests.error_response();
    set_header(&mut response, "retry-after", limit.retry_after_secs());
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use patchbay_http::testing::{body_json, header};

    #[test]
    fn the_presented_key_is_the_bearer_token() {
        let request = TestRequest::default()
            .insert_header(("authorization", "Bearer sk-demo"))
            .to_http_request();
        assert_eq!(presented_key(&request), Some("sk-demo"));
        let request = TestRequest::default()
            .insert_header(("authorization", "Basic sk-demo"))
            .to_http_request();
        assert_eq!(presented_key(&request), None);
        assert_eq!(
            presented_key(&TestRequest::default().to_http_request()),
            None
        );
    }

    #[test]
    fn a_rate_limit_is_langdocks_429_with_retry_after() {
        let request = TestRequest::default().to_http_request();
        let limit = RateLimit::new(500, 60, 7, 0);
        let response = rate_limited(&request, &limit);
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&response, "retry-after"), Some("7"));
        assert_eq!(header(&response, "content-type"), Some("application/json"));
        assert!(response.headers().get("x-ratelimit-limit").is_none());
        assert_eq!(
            body_json(response),
            serde_json::json!({"message": "Rate limit exceeded"})
        );
    }

    #[test]
    fn faults_are_rendered_in_langdocks_envelope() {
        let request = TestRequest::default().to_http_request();
        let cases = [
            (500, "Internal server error"),
            (503, "Internal server error"),
            (401, "The provided API key is invalid."),
            (403, "No access to this integration"),
            (404, "Integration not found"),
            (400, "Invalid request"),
        ];
        for (status, message) in cases {
            let status = StatusCode::from_u16(status).expect("a status");
            let response = fault_response(&request, status);
            assert_eq!(response.status(), status);
            assert!(response
                .extensions()
                .get::<patchbay_http::ErrorCode>()
                .is_some());
            assert_eq!(
                body_json(response),
                serde_json::json!({"message": message}),
                "{status}"
            );
        }
    }
}

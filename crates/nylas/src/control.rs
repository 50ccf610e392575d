//! What patchbay's control plane needs from Nylas beyond its paths: the key a request
//! presents, and injected faults rendered as Nylas's own errors, each with its own request id in
//! the body and in `x-request-id`.

use crate::error::{NylasError, RequestId};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use patchbay_http::{RateLimit, VendorHooks};

pub(crate) const HOOKS: VendorHooks = VendorHooks {
    presented_key,
    is_well_formed_key: crate::auth::is_well_formed,
    // Nylas keys have no scopes: every key can do everything to its application.
    open_key_scopes: None,
    fault_response,
    rate_limited,
};

/// Body fields the journal masks, beyond the generic secret names.
pub(crate) const SECRET_FIELDS: &[&str] = &[
    "credential_data",
    "client_secret",
    "private_key",
    "private_key_id",
];

/// The token of `Authorization: Bearer <key>`.
fn presented_key(request: &HttpRequest) -> Option<&str> {
    let header = request.headers().get("authorization")?.to_str().ok()?;
    crate::auth::bearer_token(header)
}

fn fault_response(_request: &HttpRequest, status: StatusCode) -> HttpResponse {
    match status.as_u16() {
        401 => NylasError::InvalidToken.render(&RequestId::new()),
        _ => NylasError::Injected(status).render(&RequestId::new()),
    }
}

/// Nylas's own 429: `nylas_rate_limit_exceeded` and `Retry-After`, no `X-RateLimit-*` headers.
fn rate_limited(_request: &HttpRequest, limit: &RateLimit) -> HttpResponse {
    NylasError::RateLimited {
        retry_after_secs: limit.retry_after_secs(),
    }
    .render(&RequestId::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use patchbay_http::testing::{body_json, header};
    use serde_json::json;

    #[test]
    fn the_presented_key_is_the_bearer_token() {
        let request = TestRequest::default()
            .insert_header(("authorization", "Bearer nyk_v0_abc"))
            .to_http_request();
        assert_eq!(presented_key(&request), Some("nyk_v0_abc"));
        let request = TestRequest::default()
            .insert_header(("authorization", "Basic x"))
            .to_http_request();
        assert_eq!(presented_key(&request), None);
        assert_eq!(
            presented_key(&TestRequest::default().to_http_request()),
            None
        );
    }

    #[test]
    fn a_rate_limit_is_nylass_429_with_retry_after_only() {
        let request = TestRequest::default().to_http_request();
        let response = rate_limited(&request, &RateLimit::new(50, 1, 7, 0));
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&response, "retry-after"), Some("7"));
        assert!(
            response
                .headers()
                .keys()
                .all(|name| !name.as_str().starts_with("x-ratelimit")),
            "Nylas sends no X-RateLimit headers"
        );
        assert_eq!(
            response
                .extensions()
                .get::<patchbay_http::ErrorCode>()
                .map(|code| code.0.clone()),
            Some("nylas_rate_limit_exceeded".to_string())
        );
        let request_id = header(&response, "x-request-id")
            .expect("x-request-id")
            .to_string();
        assert_eq!(
            body_json(response),
            json!({"request_id": request_id, "error": {"type": "nylas_rate_limit_exceeded", "message": "Rate limit exceeded. Try again in 7 seconds."}})
        );
    }

    #[test]
    fn a_retry_after_is_never_more_than_a_minute() {
        let request = TestRequest::default().to_http_request();
        let response = rate_limited(&request, &RateLimit::new(1, 600, 600, 0));
        assert_eq!(header(&response, "retry-after"), Some("60"));
    }

    #[test]
    fn injected_faults_use_nylass_envelope_and_types() {
        let request = TestRequest::default().to_http_request();
        let cases = [
            (
                500,
                "api.internal_error",
                "Internal error, contact administrator.",
            ),
            (
                503,
                "api.internal_error",
                "Internal error, contact administrator.",
            ),
            (400, "api.invalid_request_error", "Bad request"),
            (404, "api.not_found_error", "Resource not found."),
            (403, "api.authentication_error", "Forbidden"),
            (409, "api.invalid_request_error", "Conflict"),
        ];
        for (status, error_type, message) in cases {
            let status = StatusCode::from_u16(status).expect("status");
            let response = fault_response(&request, status);
            assert_eq!(response.status(), status);
            assert_eq!(
                header(&response, "content-type"),
                Some("application/json; charset=utf-8")
            );
            let request_id = header(&response, "x-request-id")
                .expect("x-request-id")
                .to_string();
            assert!(
                patchbay_http::hyphenated_uuid(&request_id).is_some(),
                "{request_id}"
            );
            assert_eq!(
                response
                    .extensions()
                    .get::<patchbay_http::ErrorCode>()
                    .map(|code| code.0.clone()),
                Some(error_type.to_string())
            );
            assert_eq!(
                body_json(response),
                json!({"request_id": request_id, "error": {"type": error_type, "message": message}}),
                "{status}"
            );
        }
        let response = fault_response(&request, StatusCode::UNAUTHORIZED);
        let request_id = header(&response, "x-request-id")
            .expect("x-request-id")
            .to_string();
        assert_eq!(
            body_json(response),
            json!({"request_id": request_id, "error": {"code": "token.unauthorized_access", "type": "token.unauthorized_access", "message": "Bearer token invalid"}})
        );
    }
}

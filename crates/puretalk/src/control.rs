//! What patchbay's control plane needs from Puretalk beyond its paths: the key a request
//! presents, and injected faults rendered as Puretalk's own errors.

use crate::error::PuretalkError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use patchbay_http::{set_header, RateLimit, VendorHooks};

pub(crate) const HOOKS: VendorHooks = VendorHooks {
    presented_key: crate::auth::presented_key,
    is_well_formed_key: crate::auth::is_well_formed,
    // Puretalk has no scopes: every key may use every route served here.
    open_key_scopes: None,
    fault_response,
    rate_limited,
};

/// Body fields the journal masks, beyond the generic secret names.
pub(crate) const SECRET_FIELDS: &[&str] = &["api_key"];

fn fault_response(_request: &HttpRequest, status: StatusCode) -> HttpResponse {
    match status.as_u16() {
        401 => PuretalkError::InvalidApiKey.error_response(),
        _ => PuretalkError::Injected(status).error_response(),
    }
}

/// Django REST framework's throttled answer in Puretalk's envelope, with `Retry-After` (no
/// rate-limit headers are documented).
fn rate_limited(_request: &HttpRequest, limit: &RateLimit) -> HttpResponse {
    let retry_after_secs = limit.retry_after_secs();
    let mut response = PuretalkError::Throttled { retry_after_secs }.error_response();
    set_header(&mut response, "retry-after", retry_after_secs);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use patchbay_http::testing::{body_text, header};

    #[test]
    fn a_rate_limit_is_a_throttled_429_with_retry_after() {
        let request = TestRequest::default().to_http_request();
        let limit = RateLimit::new(100, 60, 12, 0);
        let response = rate_limited(&request, &limit);
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&response, "retry-after"), Some("12"));
        assert_eq!(header(&response, "content-type"), Some("application/json"));
        assert!(header(&response, "x-ratelimit-limit").is_none());
        assert_eq!(
            body_text(response),
            r#"{"err":true,"msg":"Request was throttled. Expected available in 12 seconds."}"#
        );
    }

    #[test]
    fn faults_are_rendered_in_puretalks_envelope() {
        let request = TestRequest::default().to_http_request();
        let cases = [
            (500, r#"{"err":true,"msg":"Internal server error"}"#),
            (503, r#"{"err":true,"msg":"Internal server error"}"#),
            (401, r#"{"err":true,"msg":"Invalid API key."}"#),
            (404, r#"{"err":true,"msg":"Not found."}"#),
            (400, r#"{"err":true,"msg":"Invalid request."}"#),
            (
                403,
                r#"{"err":true,"msg":"You do not have permission to perform this action."}"#,
            ),
        ];
        for (status, body) in cases {
            let status = StatusCode::from_u16(status).expect("a status");
            let response = fault_response(&request, status);
            assert_eq!(response.status(), status);
            assert!(response
                .extensions()
                .get::<patchbay_http::ErrorCode>()
                .is_some());
            assert_eq!(body_text(response), body, "{status}");
        }
    }
}

//! What patchbay's control plane needs from Composio beyond its paths: the key a request
//! presents, and injected faults rendered as Composio's own errors.

use crate::error::{new_request_id, ComposioError};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use patchbay_http::{set_header, RateLimit, VendorHooks};

pub(crate) const HOOKS: VendorHooks = VendorHooks {
    presented_key,
    is_well_formed_key: crate::auth::is_well_formed,
    open_key_scopes: None,
    fault_response,
    rate_limited,
};

/// `x-api-key`, else `x-user-api-key`, as Composio's auth reads them; `None` when the key is not of
/// its header's kind (a user key in `x-api-key`), which the auth check refuses anyway.
fn presented_key(request: &HttpRequest) -> Option<&str> {
    [
        crate::auth::PROJECT_KEY_HEADER,
        crate::auth::USER_KEY_HEADER,
    ]
    .into_iter()
    .find_map(|header| {
        let key = request.headers().get(header)?.to_str().ok()?.trim();
        (!key.is_empty()).then_some((header, key))
    })
    .filter(|(header, key)| key.starts_with("uak_") == (*header == crate::auth::USER_KEY_HEADER))
    .map(|(_, key)| key)
}

fn fault_response(request: &HttpRequest, status: StatusCode) -> HttpResponse {
    let error = match status.as_u16() {
        401 => ComposioError::InvalidApiKey {
            presented: presented_key(request).map(str::to_string),
        },
        403 => ComposioError::InsufficientPermissions,
        404 => ComposioError::AuthConfigNotFound,
        500 => ComposioError::Server("injected fault".into()),
        _ => ComposioError::Injected(status),
    };
    error.render(&new_request_id())
}

/// Composio's rate limiter: a bare `{"message"}` with `X-RateLimit`, `X-RateLimit-Remaining`,
/// `X-RateLimit-Window-Size` and `Retry-After` (never more than 60 seconds).
fn rate_limited(_request: &HttpRequest, limit: &RateLimit) -> HttpResponse {
    let request_id = new_request_id();
    let mut response = ComposioError::RateLimited {
        limit: limit.limit(),
        window_secs: limit.window_secs(),
    }
    .render(&request_id);
    set_header(&mut response, "x-ratelimit", limit.limit());
    set_header(&mut response, "x-ratelimit-remaining", 0);
    set_header(
        &mut response,
        "x-ratelimit-window-size",
        format_args!("{}s", limit.window_secs()),
    );
    set_header(&mut response, "retry-after", limit.retry_after_secs());
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use patchbay_http::testing::{body_json, header};
    use serde_json::json;

    #[test]
    fn the_presented_key_is_the_project_key_then_the_user_key() {
        let request = TestRequest::default()
            .insert_header(("x-user-api-key", "uak_user"))
            .insert_header(("x-api-key", "ak_project"))
            .to_http_request();
        assert_eq!(presented_key(&request), Some("ak_project"));
        let request = TestRequest::default()
            .insert_header(("x-user-api-key", "uak_user"))
            .to_http_request();
        assert_eq!(presented_key(&request), Some("uak_user"));
        assert_eq!(
            presented_key(&TestRequest::default().to_http_request()),
            None
        );
        let request = TestRequest::default()
            .insert_header(("x-api-key", "uak_user"))
            .to_http_request();
        assert_eq!(presented_key(&request), None, "a user key in x-api-key");
        let request = TestRequest::default()
            .insert_header(("x-user-api-key", "ak_project"))
            .to_http_request();
        assert_eq!(
            presented_key(&request),
            None,
            "a project key in x-user-api-key"
        );
    }

    #[test]
    fn a_rate_limit_is_a_bare_message_with_composios_headers() {
        let request = TestRequest::default().to_http_request();
        let limit = RateLimit::new(2000, 60, 90, 0);
        let response = rate_limited(&request, &limit);
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&response, "x-ratelimit"), Some("2000"));
        assert_eq!(header(&response, "x-ratelimit-remaining"), Some("0"));
        assert_eq!(header(&response, "x-ratelimit-window-size"), Some("60s"));
        assert_eq!(header(&response, "retry-after"), Some("60"));
        assert_eq!(header(&response, "content-type"), Some("application/json"));
        assert!(header(&response, "x-request-id").is_some_and(|id| id.len() == 36));
        assert_eq!(
            body_json(response),
            json!({"message": "Rate limit exceeded. Limit: 2000 requests per 60 seconds"})
        );
    }

    #[test]
    fn a_500_fault_is_composios_envelope_with_the_request_id() {
        let request = TestRequest::default().to_http_request();
        let response = fault_response(&request, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let request_id = header(&response, "x-request-id")
            .expect("x-request-id")
            .to_string();
        assert_eq!(
            body_json(response),
            json!({"error": {
                "message": "Internal server error", "code": 10500,
                "slug": "Http_InternalServerError", "status": 500, "request_id": request_id
            }})
        );
    }

    #[test]
    fn every_fault_status_renders_in_the_envelope() {
        let request = TestRequest::default()
            .insert_header(("x-api-key", "ak_demo0wrong0UbOz"))
            .to_http_request();
        for code in [
            400, 401, 403, 404, 405, 408, 409, 413, 418, 422, 502, 503, 504, 599,
        ] {
            let status = StatusCode::from_u16(code).expect("status");
            let response = fault_response(&request, status);
            assert_eq!(response.status(), status);
            let body = body_json(response);
            assert_eq!(body["error"]["status"], code, "{body}");
            assert!(body["error"]["code"].is_u64(), "{body}");
            assert!(body["error"]["slug"].is_string(), "{body}");
        }
        let body = body_json(fault_response(&request, StatusCode::UNAUTHORIZED));
        assert_eq!(body["error"]["message"], "Invalid API key: ak_**UbOz");
    }
}

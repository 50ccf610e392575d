//! Nylas's error envelope: `{"request_id", "error": {"type", "message"}}`, one variant per error the
//! adapter sends, with one exhaustive mapping from [`CoreError`]. Every response carries its
//! request id twice: in the body and in `x-request-id`, where the Node SDK reads it.

use crate::record;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use patchbay_core::CoreError;
use serde_json::{json, Value};

/// The content type of every Nylas response.
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// Where the Node SDK reads a request id (`NylasApiError.requestId`).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// One request's id: a UUID v4, the same in the body's `request_id` and in `x-request-id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    pub fn new() -> Self {
        RequestId(patchbay_http::request_id())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Sets `x-request-id` on a response.
    pub fn stamp(&self, response: &mut HttpResponse) {
        if let Ok(value) = HeaderValue::from_str(&self.0) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
        }
    }
}

impl Default for RequestId {
    fn default() -> Self {
        RequestId::new()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NylasError {
    /// The body is not JSON (or is empty).
    #[error("invalid JSON payload: {0}")]
    InvalidPayload(String),
    /// A request Nylas refuses: bad provider, wrong types, unknown fields, missing credential data.
    #[error("{0}")]
    InvalidRequest(String),
    #[error("body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// No usable `Authorization: Bearer <key>` header.
    #[error("missing or malformed Authorization header")]
    Unauthorized,
    /// A Bearer token that is no key of any application.
    #[error("unknown API key")]
    InvalidToken,
    #[error("{0}")]
    NotFound(String),
    /// Storage failed: logged once where it is mapped from [`CoreError`]; the client gets Nylas's
    /// generic text.
    #[error("internal error: {0}")]
    Internal(String),
    /// Nylas's own rate limiter (an injected fault).
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// An injected fault with a status no check above produces.
    #[error("injected {0}")]
    Injected(StatusCode),
}

impl NylasError {
    /// `error.type`, also the code the request journal records.
    pub fn error_type(&self) -> &'static str {
        match self {
            NylasError::InvalidPayload(_) => "api.invalid_request_payload",
            NylasError::InvalidRequest(_) | NylasError::PayloadTooLarge { .. } => {
                "api.invalid_request_error"
            }
            NylasError::Unauthorized => "api.authentication_error",
            NylasError::InvalidToken => "token.unauthorized_access",
            NylasError::NotFound(_) => "api.not_found_error",
            NylasError::Internal(_) => "api.internal_error",
            NylasError::RateLimited { .. } => "nylas_rate_limit_exceeded",
            NylasError::Injected(status) => injected_type(*status),
        }
    }

    fn message(&self) -> String {
        match self {
            NylasError::InvalidPayload(detail) => format!("Invalid JSON payload format: {detail}"),
            NylasError::InvalidRequest(message) | NylasError::NotFound(message) => message.clone(),
            NylasError::PayloadTooLarge { limit } => {
                format!("The request body is larger than the limit of {limit} bytes")
            }
            NylasError::Unauthorized => "Unauthorized".into(),
            NylasError::InvalidToken => "Bearer token invalid".into(),
            NylasError::Internal(_) => "Internal error, contact administrator.".into(),
            NylasError::RateLimited { retry_after_secs } => {
                format!("Rate limit exceeded. Try again in {retry_after_secs} seconds.")
            }
            NylasError::Injected(status) => injected_message(*status).into(),
        }
    }

    /// The JSON body, key order as Nylas sends it. The unknown-key 401 also carries `code`, as
    /// observed from the live API.
    pub fn body(&self, request_id: &RequestId) -> Value {
        let error_type = self.error_type();
        let error = match self {
            NylasError::InvalidToken => {
                json!({"code": error_type, "type": error_type, "message": self.message()})
            }
            _ => json!({"type": error_type, "message": self.message()}),
        };
        json!({"request_id": request_id.as_str(), "error": error})
    }

    /// The whole response: status, body, `x-request-id` (and `Retry-After` on a 429), tagged with
    /// the error type.
    pub fn render(&self, request_id: &RequestId) -> HttpResponse {
        let mut response =
            patchbay_http::json(self.status_code(), CONTENT_TYPE, &self.body(request_id));
        request_id.stamp(&mut response);
        if let NylasError::RateLimited { retry_after_secs } = self {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, value);
            }
        }
        patchbay_http::tag_error_code(&mut response, self.error_type());
        response
    }
}

/// The type Nylas uses for a status, for injected faults.
fn injected_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 | 403 => "api.authentication_error",
        404 => "api.not_found_error",
        429 => "nylas_rate_limit_exceeded",
        _ if status.is_server_error() => "api.internal_error",
        _ => "api.invalid_request_error",
    }
}

/// The documented default message for a status, for injected faults.
fn injected_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Bad request",
        401 => "Unauthorized",
        404 => "Resource not found.",
        429 => "Rate limit error.",
        _ if status.is_server_error() => "Internal error, contact administrator.",
        _ => status.canonical_reason().unwrap_or("Bad request"),
    }
}

impl ResponseError for NylasError {
    fn status_code(&self) -> StatusCode {
        match self {
            NylasError::InvalidPayload(_) | NylasError::InvalidRequest(_) => {
                StatusCode::BAD_REQUEST
            }
            NylasError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            NylasError::Unauthorized | NylasError::InvalidToken => StatusCode::UNAUTHORIZED,
            NylasError::NotFound(_) => StatusCode::NOT_FOUND,
            NylasError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            NylasError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            NylasError::Injected(status) => *status,
        }
    }

    /// Outside a handler (which renders with its own request id), a fresh request id.
    fn error_response(&self) -> HttpResponse {
        self.render(&RequestId::new())
    }
}

/// The 404 of an unknown credential, and of one that belongs to another connector or application:
/// the same message, so a 404 tells nothing about other connectors' credentials.
pub fn credential_not_found(id: &str) -> NylasError {
    NylasError::NotFound(format!("Credential \"{id}\" not found"))
}

/// The 404 of a connector the application has not created (or has deleted).
pub fn connector_not_found(provider: &str) -> NylasError {
    NylasError::NotFound(format!("Connector \"{provider}\" not found"))
}

/// A second connector for a provider: an application has one connector per provider.
pub fn connector_exists(provider: &str) -> NylasError {
    NylasError::InvalidRequest(format!(
        "A connector for provider {provider} already exists"
    ))
}

/// A name another credential of the connector holds: names are unique per connector.
pub fn name_taken(name: &str, provider: &str) -> NylasError {
    NylasError::InvalidRequest(format!(
        "A credential named \"{name}\" already exists for connector {provider}"
    ))
}

/// An `active_credential_id` that names no credential of the connector.
pub fn not_a_credential_of(id: &str, provider: &str) -> NylasError {
    NylasError::InvalidRequest(format!(
        "Credential \"{id}\" is not a credential of connector {provider}"
    ))
}

impl From<CoreError> for NylasError {
    fn from(error: CoreError) -> Self {
        match error {
            // A connector's store id names its provider; any other id is a credential's.
            CoreError::NotFound { id } => match record::connector_provider(&id) {
                Some(provider) => connector_not_found(provider),
                None => credential_not_found(&id),
            },
            // A credential's id is a fresh UUID v4: only a connector's can be taken.
            CoreError::IdConflict { id } => match record::connector_provider(&id) {
                Some(provider) => connector_exists(provider),
                None => NylasError::InvalidRequest(format!(
                    "A credential with id \"{id}\" already exists"
                )),
            },
            CoreError::InvalidFixture { .. } | CoreError::Storage(_) | CoreError::Unavailable => {
                patchbay_http::log_storage_failure(crate::VENDOR, &error);
                NylasError::Internal(error.to_string())
            }
        }
    }
}

/// The one 413 of the adapter: a body over the limit, before anything else is looked at.
impl From<patchbay_http::TooLarge> for NylasError {
    fn from(too_large: patchbay_http::TooLarge) -> Self {
        NylasError::PayloadTooLarge {
            limit: too_large.limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_put_request_id_first_and_the_unknown_key_401_carries_code() {
        let id = RequestId("5967ca40-a2d8-4ee0-a0e0-6f18ace39a90".into());
        assert_eq!(
            serde_json::to_string(&NylasError::InvalidToken.body(&id)).expect("json"),
            r#"{"request_id":"5967ca40-a2d8-4ee0-a0e0-6f18ace39a90","error":{"code":"token.unauthorized_access","type":"token.unauthorized_access","message":"Bearer token invalid"}}"#
        );
        assert_eq!(
            serde_json::to_string(&NylasError::Unauthorized.body(&id)).expect("json"),
            r#"{"request_id":"5967ca40-a2d8-4ee0-a0e0-6f18ace39a90","error":{"type":"api.authentication_error","message":"Unauthorized"}}"#
        );
    }

    #[test]
    fn request_ids_are_uuid_v4() {
        let id = RequestId::new();
        let parsed = patchbay_http::hyphenated_uuid(id.as_str()).expect("a UUID");
        assert_eq!(parsed.get_version_num(), 4);
        assert_ne!(id, RequestId::new());
    }

    #[test]
    fn a_rendered_error_has_the_same_id_in_body_and_header() {
        let id = RequestId::new();
        let response = NylasError::NotFound("x".into()).render(&id);
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            response
                .headers()
                .get(REQUEST_ID_HEADER)
                .map(|v| v.as_bytes()),
            Some(id.as_str().as_bytes())
        );
    }
}

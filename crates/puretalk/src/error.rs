//! Puretalk's error envelope: `{"err": true, "msg": "..."}` for every error, one variant per
//! situation, with one exhaustive mapping from [`CoreError`]. Puretalk sends no error code, so the
//! code each response is tagged with (for the request journal) is patchbay's own slug.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use patchbay_core::CoreError;
use serde::Serialize;

/// Puretalk's API answers with this content type.
pub const CONTENT_TYPE: &str = "application/json";

/// `{"err": true, "msg": ...}`, keys in that order.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub err: bool,
    pub msg: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PuretalkError {
    /// No `X-API-KEY` header, or an empty one.
    #[error("no API key")]
    MissingApiKey,
    #[error("unknown API key")]
    InvalidApiKey,
    /// Unknown id, non-UUID id, or an integration of another account.
    #[error("integration not found")]
    NotFound,
    #[error("body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type {0:?}")]
    UnsupportedMediaType(String),
    /// The body is not JSON; the text names the position.
    #[error("JSON parse error: {0}")]
    InvalidJson(String),
    /// The body is JSON but breaks a rule; the text names the field.
    #[error("invalid body: {0}")]
    InvalidBody(String),
    #[error("no route {method} {path}")]
    UnknownRoute { method: String, path: String },
    #[error("throttled for {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// Storage failed: logged once where the core error is converted; the client gets a generic
    /// text.
    #[error("server error: {0}")]
    Server(String),
    /// An injected fault with a status no check above produces.
    #[error("injected {0}")]
    Injected(StatusCode),
}

impl PuretalkError {
    /// patchbay's slug for the journal (Puretalk's bodies carry no code).
    fn code(&self) -> &'static str {
        match self {
            PuretalkError::MissingApiKey => "not_authenticated",
            PuretalkError::InvalidApiKey => "authentication_failed",
            PuretalkError::NotFound | PuretalkError::UnknownRoute { .. } => "not_found",
            PuretalkError::PayloadTooLarge { .. } => "payload_too_large",
            PuretalkError::UnsupportedMediaType(_) => "unsupported_media_type",
            PuretalkError::InvalidJson(_) => "parse_error",
            PuretalkError::InvalidBody(_) => "invalid",
            PuretalkError::Throttled { .. } => "throttled",
            PuretalkError::Server(_) => "error",
            PuretalkError::Injected(status) => injected_code(*status),
        }
    }

    fn message(&self) -> String {
        match self {
            PuretalkError::MissingApiKey => "Authentication credentials were not provided.".into(),
            PuretalkError::InvalidApiKey => "Invalid API key.".into(),
            PuretalkError::NotFound => "Integration not found".into(),
            PuretalkError::PayloadTooLarge { limit } => {
                format!("Request body is larger than the limit of {limit} bytes.")
            }
            PuretalkError::UnsupportedMediaType(media_type) => {
                format!("Unsupported media type \"{media_type}\" in request.")
            }
            PuretalkError::InvalidJson(reason) => format!("JSON parse error - {reason}"),
            PuretalkError::InvalidBody(problem) => problem.clone(),
            PuretalkError::UnknownRoute { .. } => "Not found.".into(),
            PuretalkError::Throttled { retry_after_secs } => format!(
                "Request was throttled. Expected available in {retry_after_secs} second{}.",
                if *retry_after_secs == 1 { "" } else { "s" }
            ),
            PuretalkError::Server(_) => "Internal server error".into(),
            PuretalkError::Injected(status) => injected_message(*status).into(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            err: true,
            msg: self.message(),
        }
    }
}

fn injected_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "invalid",
        401 => "authentication_failed",
        403 => "permission_denied",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "throttled",
        _ if status.is_server_error() => "error",
        _ => "request_failed",
    }
}

fn injected_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Invalid request.",
        401 => "Invalid API key.",
        403 => "You do not have permission to perform this action.",
        404 => "Not found.",
        _ if status.is_server_error() => "Internal server error",
        _ => status.canonical_reason().unwrap_or("Request failed"),
    }
}

impl ResponseError for PuretalkError {
    fn status_code(&self) -> StatusCode {
        match self {
            PuretalkError::MissingApiKey | PuretalkError::InvalidApiKey => StatusCode::UNAUTHORIZED,
            PuretalkError::NotFound | PuretalkError::UnknownRoute { .. } => StatusCode::NOT_FOUND,
            PuretalkError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            PuretalkError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            PuretalkError::InvalidJson(_) | PuretalkError::InvalidBody(_) => {
                StatusCode::BAD_REQUEST
            }
            PuretalkError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            PuretalkError::Server(_) => StatusCode::INTERNAL_SERVER_ERROR,
            PuretalkError::Injected(status) => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = patchbay_http::json(self.status_code(), CONTENT_TYPE, &self.body());
        patchbay_http::tag_error_code(&mut response, self.code());
        response
    }
}

impl From<CoreError> for PuretalkError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::NotFound { .. } => PuretalkError::NotFound,
            // Puretalk never renames an integration, so a conflict means the store is inconsistent.
            CoreError::IdConflict { .. }
            | CoreError::InvalidFixture { .. }
            | CoreError::Storage(_)
            | CoreError::Unavailable => {
                patchbay_http::log_storage_failure(crate::VENDOR, &error);
                PuretalkError::Server(error.to_string())
            }
        }
    }
}

/// The one 413 of every route.
impl From<patchbay_http::TooLarge> for PuretalkError {
    fn from(too_large: patchbay_http::TooLarge) -> Self {
        PuretalkError::PayloadTooLarge {
            limit: too_large.limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_error_is_an_err_msg_envelope_with_its_status() {
        let cases = [
            (
                PuretalkError::MissingApiKey,
                401,
                "Authentication credentials were not provided.",
            ),
            (PuretalkError::InvalidApiKey, 401, "Invalid API key."),
            (PuretalkError::NotFound, 404, "Integration not found"),
            (
                PuretalkError::UnsupportedMediaType("text/plain".into()),
                415,
                "Unsupported media type \"text/plain\" in request.",
            ),
            (
                PuretalkError::Throttled {
                    retry_after_secs: 1,
                },
                429,
                "Request was throttled. Expected available in 1 second.",
            ),
            (
                PuretalkError::Throttled {
                    retry_after_secs: 30,
                },
                429,
                "Request was throttled. Expected available in 30 seconds.",
            ),
            (
                PuretalkError::Server("disk".into()),
                500,
                "Internal server error",
            ),
            (
                PuretalkError::Injected(StatusCode::CONFLICT),
                409,
                "Conflict",
            ),
        ];
        for (error, status, message) in cases {
            assert_eq!(error.status_code().as_u16(), status, "{error:?}");
            let body = serde_json::to_value(error.body()).expect("JSON");
            assert_eq!(body, json!({"err": true, "msg": message}), "{error:?}");
        }
        let text = serde_json::to_string(&PuretalkError::NotFound.body()).expect("JSON");
        assert_eq!(text, r#"{"err":true,"msg":"Integration not found"}"#);
    }
}

//! Langdock's error envelope: `{"message": "..."}` for every error, one variant per situation, with
//! one exhaustive mapping from [`CoreError`]. Langdock sends no error code, so the code each
//! response is tagged with (for the request journal) is patchbay's own slug.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use patchbay_core::CoreError;
use serde_json::{json, Value};

/// Langdock's public API answers with this content type.
pub const CONTENT_TYPE: &str = "application/json";

#[derive(Debug, thiserror::Error)]
pub enum LangdockError {
    /// The body is not JSON; the text names the position.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// The body is JSON but breaks a rule; the text names the fields and rules.
    #[error("invalid body: {0}")]
    InvalidBody(String),
    #[error("the integration id is not a UUID")]
    InvalidIntegrationId,
    /// On an action's route: either id is not a UUID.
    #[error("the integration or action id is not a UUID")]
    InvalidActionPath,
    #[error("body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// Missing, malformed or unknown key: Langdock answers all of them alike.
    #[error("invalid API key")]
    InvalidApiKey,
    #[error("the key lacks the {0} scope")]
    MissingScope(&'static str),
    /// The integration exists, in another workspace.
    #[error("no access to this integration")]
    NoAccess,
    #[error("integration not found")]
    NotFound,
    /// On an action's route: no such integration in any workspace, or no such action in it.
    #[error("integration or action not found")]
    ActionNotFound,
    #[error("no route {method} {path}")]
    UnknownRoute { method: String, path: String },
    #[error("rate limit exceeded")]
    TooManyRequests,
    /// Storage failed: logged once where the core error is converted; the client gets Langdock's
    /// generic text.
    #[error("server error: {0}")]
    Server(String),
    /// An injected fault with a status no check above produces.
    #[error("injected {0}")]
    Injected(StatusCode),
}

impl LangdockError {
    /// patchbay's slug for the journal (Langdock's bodies carry no code).
    fn code(&self) -> &'static str {
        match self {
            LangdockError::InvalidJson(_) => "invalid_json",
            LangdockError::InvalidBody(_) => "invalid_body",
            LangdockError::InvalidIntegrationId | LangdockError::InvalidActionPath => {
                "invalid_integration_id"
            }
            LangdockError::PayloadTooLarge { .. } => "payload_too_large",
            LangdockError::InvalidApiKey => "invalid_api_key",
            LangdockError::MissingScope(_) => "missing_scope",
            LangdockError::NoAccess => "no_access",
            LangdockError::NotFound
            | LangdockError::ActionNotFound
            | LangdockError::UnknownRoute { .. } => "not_found",
            LangdockError::TooManyRequests => "rate_limited",
            LangdockError::Server(_) => "internal_error",
            LangdockError::Injected(status) => injected_code(*status),
        }
    }

    fn message(&self) -> String {
        match self {
            LangdockError::InvalidJson(reason) => format!("Invalid JSON in request body: {reason}"),
            LangdockError::InvalidBody(problems) => format!("Invalid request body: {problems}"),
            LangdockError::InvalidIntegrationId => "Invalid integration ID".into(),
            LangdockError::InvalidActionPath => "Invalid integration or action ID".into(),
            LangdockError::PayloadTooLarge { limit } => {
                format!("Request body is larger than the limit of {limit} bytes")
            }
            LangdockError::InvalidApiKey => "The provided API key is invalid.".into(),
            LangdockError::MissingScope(scope) => {
                format!("The provided API key does not have the required scope: {scope}")
            }
            LangdockError::NoAccess => "No access to this integration".into(),
            LangdockError::NotFound => "Integration not found".into(),
            LangdockError::ActionNotFound => "Integration or action not found".into(),
            LangdockError::UnknownRoute { method, path } => format!("No route {method} {path}"),
            LangdockError::TooManyRequests => "Rate limit exceeded".into(),
            LangdockError::Server(_) => "Internal server error".into(),
            LangdockError::Injected(status) => injected_message(*status).into(),
        }
    }

    /// The JSON body: `{"message": ...}`.
    pub fn body(&self) -> Value {
        json!({"message": self.message()})
    }
}

fn injected_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "invalid_body",
        401 => "invalid_api_key",
        403 => "no_access",
        404 => "not_found",
        413 => "payload_too_large",
        429 => "rate_limited",
        _ if status.is_server_error() => "internal_error",
        _ => "request_failed",
    }
}

fn injected_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Invalid request",
        401 => "The provided API key is invalid.",
        403 => "No access to this integration",
        404 => "Integration not found",
        429 => "Rate limit exceeded",
        _ if status.is_server_error() => "Internal server error",
        _ => status.canonical_reason().unwrap_or("Request failed"),
    }
}

impl ResponseError for LangdockError {
    fn status_code(&self) -> StatusCode {
        match self {
            LangdockError::InvalidJson(_)
            | LangdockError::InvalidBody(_)
            | LangdockError::InvalidIntegrationId
            | LangdockError::InvalidActionPath => StatusCode::BAD_REQUEST,
            LangdockError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            LangdockError::InvalidApiKey => StatusCode::UNAUTHORIZED,
            LangdockError::MissingScope(_) | LangdockError::NoAccess => StatusCode::FORBIDDEN,
            LangdockError::NotFound
            | LangdockError::ActionNotFound
            | LangdockError::UnknownRoute { .. } => StatusCode::NOT_FOUND,
            LangdockError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            LangdockError::Server(_) => StatusCode::INTERNAL_SERVER_ERROR,
            LangdockError::Injected(status) => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = patchbay_http::json(self.status_code(), CONTENT_TYPE, &self.body());
        patchbay_http::tag_error_code(&mut response, self.code());
        response
    }
}

impl From<CoreError> for LangdockError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::NotFound { .. } => LangdockError::NotFound,
            // Langdock never renames an integration and a create's id is a fresh UUID v4, so a
            // conflict means the store is inconsistent.
            CoreError::IdConflict { .. }
            | CoreError::InvalidFixture { .. }
            | CoreError::Storage(_)
            | CoreError::Unavailable => {
                patchbay_http::log_storage_failure(crate::VENDOR, &error);
                LangdockError::Server(error.to_string())
            }
        }
    }
}

/// The one 413 of every route.
impl From<patchbay_http::TooLarge> for LangdockError {
    fn from(too_large: patchbay_http::TooLarge) -> Self {
        LangdockError::PayloadTooLarge {
            limit: too_large.limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_a_message_envelope_with_its_status() {
        let cases = [
            (
                LangdockError::InvalidIntegrationId,
                400,
                "Invalid integration ID",
            ),
            (
                LangdockError::InvalidApiKey,
                401,
                "The provided API key is invalid.",
            ),
            (
                LangdockError::MissingScope("INTEGRATION_API"),
                403,
                "The provided API key does not have the required scope: INTEGRATION_API",
            ),
            (
                LangdockError::NoAccess,
                403,
                "No access to this integration",
            ),
            (LangdockError::NotFound, 404, "Integration not found"),
            (
                LangdockError::InvalidActionPath,
                400,
                "Invalid integration or action ID",
            ),
            (
                LangdockError::ActionNotFound,
                404,
                "Integration or action not found",
            ),
            (
                LangdockError::Server("disk".into()),
                500,
                "Internal server error",
            ),
            (
                LangdockError::Injected(StatusCode::BAD_GATEWAY),
                502,
                "Internal server error",
            ),
            (
                LangdockError::Injected(StatusCode::CONFLICT),
                409,
                "Conflict",
            ),
        ];
        for (error, status, message) in cases {
            assert_eq!(error.status_code().as_u16(), status, "{error:?}");
            assert_eq!(error.body(), json!({"message": message}), "{error:?}");
        }
    }
}

//! Nango's error envelope: `{"error":{"code", "message"?, "errors"?, "payload"?}}`, one variant per
//! code the server sends, with one exhaustive mapping from [`CoreError`].

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use patchbay_core::CoreError;
use serde::Serialize;
use serde_json::{json, Value};

/// Express answers with this content type.
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// One item of `errors[]`, shaped as Nango's `zodErrorToHTTP` makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub code: &'static str,
    pub message: String,
    pub path: Vec<String>,
}

impl Issue {
    pub fn new(code: &'static str, message: impl Into<String>, path: &[&str]) -> Self {
        Issue {
            code,
            message: message.into(),
            path: path.iter().map(|segment| segment.to_string()).collect(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NangoError {
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    #[error("body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("content type is not JSON")]
    InvalidContentType,
    #[error("missing Authorization header")]
    MissingAuthHeader,
    #[error("malformed Authorization header")]
    MalformedAuthHeader,
    #[error("secret key is not a UUID v4")]
    InvalidSecretKeyFormat,
    #[error("unknown secret key")]
    UnknownAccount,
    /// The list's auth, for a `nango_connect_session_` token that is not 64 lowercase hex digits.
    #[error("malformed connect session token")]
    InvalidConnectSessionTokenFormat,
    /// The list's auth, for a well-formed connect session token (patchbay holds none).
    #[error("unknown connect session token")]
    UnknownConnectSessionToken,
    #[error("{0}")]
    Forbidden(String),
    #[error("invalid query parameters")]
    InvalidQueryParams(Vec<Issue>),
    #[error("invalid body")]
    InvalidBody(Vec<Issue>),
    #[error("invalid URI parameters")]
    InvalidUriParams(Vec<Issue>),
    /// `invalid_body` with a message instead of `errors[]` (service-level checks).
    #[error("{0}")]
    Rejected(String),
    #[error("{0}")]
    NotFound(String),
    /// Storage failed (logged once where the core error is converted), or a listed record names a
    /// provider the catalogue lacks: Nango's `server_error` with the operation's message.
    #[error("server error: {0}")]
    Server(&'static str),
    /// The rate limiter's 429 (an injected fault): `method` and `path` echo the request.
    #[error("too many requests")]
    TooManyRequests { method: String, path: String },
    /// An injected fault with a status no check above produces: the code Nango uses for that
    /// status class.
    #[error("injected {0}")]
    Injected(StatusCode),
}

impl NangoError {
    fn code(&self) -> &'static str {
        match self {
            NangoError::InvalidJson(_) => "invalid_json",
            NangoError::PayloadTooLarge { .. } => "payload_too_large",
            NangoError::InvalidContentType => "invalid_content_type",
            NangoError::MissingAuthHeader => "missing_auth_header",
            NangoError::MalformedAuthHeader => "malformed_auth_header",
            NangoError::InvalidSecretKeyFormat => "invalid_secret_key_format",
            NangoError::UnknownAccount => "unknown_account",
            NangoError::InvalidConnectSessionTokenFormat => "invalid_connect_session_token_format",
            NangoError::UnknownConnectSessionToken => "unknown_connect_session_token",
            NangoError::Forbidden(_) => "forbidden",
            NangoError::InvalidQueryParams(_) => "invalid_query_params",
            NangoError::InvalidBody(_) | NangoError::Rejected(_) => "invalid_body",
            NangoError::InvalidUriParams(_) => "invalid_uri_params",
            NangoError::NotFound(_) => "not_found",
            NangoError::Server(_) => "server_error",
            NangoError::TooManyRequests { .. } => "too_many_request",
            NangoError::Injected(status) => injected_code(*status),
        }
    }

    /// The JSON body, key order as Nango sends it.
    pub fn body(&self) -> Value {
        let code = self.code();
        match self {
            NangoError::MissingAuthHeader => auth_error(code, "Authentication failed. The request is missing the Authorization header."),
            NangoError::MalformedAuthHeader => auth_error(code, "Authentication failed. The Authorization header is malformed."),
            NangoError::InvalidSecretKeyFormat => auth_error(code, "Authentication failed. The provided secret key is not a UUID v4."),
            NangoError::UnknownAccount => {
                auth_error(code, "Authentication failed. The provided authorization header does not match any account.")
            }
            NangoError::InvalidConnectSessionTokenFormat => auth_error(
                code,
                "Authentication failed. The provided connect session token is not following correct format: nango_connect_session_RANDOM)",
            ),
            NangoError::UnknownConnectSessionToken => auth_error(
                code,
                "Authentication failed. The provided connect session token does not match any account.",
            ),
            NangoError::InvalidQueryParams(issues) | NangoError::InvalidBody(issues) | NangoError::InvalidUriParams(issues) => {
                json!({"error": {"code": code, "errors": issues}})
            }
            NangoError::InvalidJson(message) | NangoError::Forbidden(message) | NangoError::Rejected(message) | NangoError::NotFound(message) => {
                json!({"error": {"code": code, "message": message}})
            }
            NangoError::PayloadTooLarge { limit } => {
                json!({"error": {"code": code, "message": format!("The request body is larger than the limit of {limit} bytes")}})
            }
            NangoError::InvalidContentType => {
                json!({"error": {"code": code, "message": "Content-Type header must be application/json"}})
            }
            NangoError::Server(message) => json!({"error": {"code": code, "message": message}}),
            NangoError::TooManyRequests { method, path } => json!({"error": {"code": code, "method": method, "path": path}}),
            NangoError::Injected(status) if status.is_server_error() => {
                json!({"error": {"code": code, "message": "An unexpected error occurred, please try again later"}})
            }
            NangoError::Injected(status) => {
                json!({"error": {"code": code, "message": status.canonical_reason().unwrap_or("Request failed")}})
            }
        }
    }
}

/// The messages of Nango's `server_error`s, one per operation.
pub const UPDATE_FAILED: &str = "Failed to update integration";
pub const CREATE_FAILED: &str = "Failed to create integration";
pub const DELETE_FAILED: &str = "Failed to delete integration";
pub const LIST_FAILED: &str = "Failed to list integrations";

impl NangoError {
    /// The same error, with a storage failure's message naming the operation that failed.
    pub fn failing(self, message: &'static str) -> NangoError {
        match self {
            NangoError::Server(_) => NangoError::Server(message),
            other => other,
        }
    }
}

/// The code Nango's error manager uses for a status, for injected faults.
fn injected_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "invalid_body",
        401 => "unknown_account",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "invalid_content_type",
        422 => "invalid_body",
        429 => "too_many_request",
        503 => "service_unavailable",
        _ if status.is_server_error() => "server_error",
        _ => "invalid_request",
    }
}

fn auth_error(code: &str, message: &str) -> Value {
    json!({"error": {"message": message, "code": code, "payload": {}}})
}

impl ResponseError for NangoError {
    fn status_code(&self) -> StatusCode {
        match self {
            NangoError::InvalidJson(_)
            | NangoError::InvalidQueryParams(_)
            | NangoError::InvalidBody(_)
            | NangoError::InvalidUriParams(_)
            | NangoError::Rejected(_) => StatusCode::BAD_REQUEST,
            NangoError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            NangoError::InvalidContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            NangoError::MissingAuthHeader
            | NangoError::MalformedAuthHeader
            | NangoError::InvalidSecretKeyFormat
            | NangoError::UnknownAccount
            | NangoError::InvalidConnectSessionTokenFormat
            | NangoError::UnknownConnectSessionToken => StatusCode::UNAUTHORIZED,
            NangoError::Forbidden(_) => StatusCode::FORBIDDEN,
            NangoError::NotFound(_) => StatusCode::NOT_FOUND,
            NangoError::Server(_) => StatusCode::INTERNAL_SERVER_ERROR,
            NangoError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            NangoError::Injected(status) => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = patchbay_http::json(self.status_code(), CONTENT_TYPE, &self.body());
        patchbay_http::tag_error_code(&mut response, self.code());
        response
    }
}

impl From<CoreError> for NangoError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::NotFound { id } => {
                NangoError::NotFound(format!("Integration \"{id}\" does not exist"))
            }
            CoreError::IdConflict { .. } => {
                NangoError::Rejected("uniqueKey is already used by another integration".into())
            }
            CoreError::InvalidFixture { .. } | CoreError::Storage(_) | CoreError::Unavailable => {
                patchbay_http::log_storage_failure(crate::VENDOR, &error);
                // GET shares PATCH's message; create, list and delete say which they were.
                NangoError::Server(UPDATE_FAILED)
            }
        }
    }
}

/// Why a create stored nothing: the store refused (a taken key above all), or Nango's create rule
/// did after the key was found free.
#[derive(Debug)]
pub enum CreateFailure {
    Store(CoreError),
    Refused(NangoError),
}

impl From<CoreError> for CreateFailure {
    fn from(error: CoreError) -> Self {
        CreateFailure::Store(error)
    }
}

impl From<NangoError> for CreateFailure {
    fn from(error: NangoError) -> Self {
        CreateFailure::Refused(error)
    }
}

impl From<CreateFailure> for NangoError {
    fn from(failure: CreateFailure) -> Self {
        match failure {
            // `integration_exists`, in the zod-3 style Nango's controller writes by hand.
            CreateFailure::Store(CoreError::IdConflict { .. }) => {
                NangoError::InvalidBody(vec![Issue::new(
                    "invalid_string",
                    "Unique key already exists",
                    &["uniqueKey"],
                )])
            }
            CreateFailure::Store(other) => NangoError::from(other).failing(CREATE_FAILED),
            CreateFailure::Refused(error) => error,
        }
    }
}

/// The one 413 of every route.
impl From<patchbay_http::TooLarge> for NangoError {
    fn from(too_large: patchbay_http::TooLarge) -> Self {
        NangoError::PayloadTooLarge {
            limit: too_large.limit,
        }
    }
}

//! Composio's error envelope: `{"error":{"message", "code", "slug", "status", "request_id",
//! "suggested_fix"?, "errors"?}}`, one variant per error the adapter sends, with one exhaustive
//! mapping from [`CoreError`]. The 429 is the exception: a bare `{"message"}`, as Composio's rate
//! limiter answers.

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use patchbay_core::CoreError;
use serde_json::{json, Map, Value};

/// Composio answers JSON with this content type.
pub const CONTENT_TYPE: &str = "application/json";

/// The hint Composio adds to schema failures.
const CHECK_PAYLOAD: &str = "Please check the payload.";

#[derive(Debug, thiserror::Error)]
pub enum ComposioError {
    /// No key header (`None`), or a key that is unknown or in the wrong header (`Some(key)`).
    #[error("invalid API key")]
    InvalidApiKey { presented: Option<String> },
    #[error("API key lacks the permission")]
    InsufficientPermissions,
    /// Request-schema failures: each string is `Error in payload.<path>: <message>`.
    #[error("validation error")]
    Validation(Vec<String>),
    #[error("body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("auth config not found")]
    AuthConfigNotFound,
    /// Semantic checks of an auth config (code 301), such as a `type` that is not the stored one.
    #[error("{0}")]
    AuthConfigValidation(String),
    /// Creating for a toolkit patchbay does not know.
    #[error("toolkit {0} not found")]
    ToolkitNotFound(String),
    /// Composio-managed auth asked for a toolkit without a managed app (code 306).
    #[error("no managed auth for {0}")]
    DefaultAuthConfigNotFound(String),
    #[error("no route {method} {path}")]
    RouteNotFound { method: String, path: String },
    /// Storage failed: logged once where it is mapped from [`CoreError`]; the client gets Composio's
    /// generic text.
    #[error("server error: {0}")]
    Server(String),
    /// The rate limiter's 429 (an injected fault).
    #[error("rate limited")]
    RateLimited { limit: u64, window_secs: u64 },
    /// An injected fault with a status no check above produces.
    #[error("injected {0}")]
    Injected(StatusCode),
}

impl ComposioError {
    pub fn status(&self) -> StatusCode {
        match self {
            ComposioError::InvalidApiKey { .. } => StatusCode::UNAUTHORIZED,
            ComposioError::InsufficientPermissions => StatusCode::FORBIDDEN,
            ComposioError::Validation(_) | ComposioError::AuthConfigValidation(_) => {
                StatusCode::BAD_REQUEST
            }
            ComposioError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ComposioError::DefaultAuthConfigNotFound(_) => StatusCode::BAD_REQUEST,
            ComposioError::AuthConfigNotFound
            | ComposioError::ToolkitNotFound(_)
            | ComposioError::RouteNotFound { .. } => StatusCode::NOT_FOUND,
            ComposioError::Server(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ComposioError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ComposioError::Injected(status) => *status,
        }
    }

    /// Composio's numeric code: 300s auth configs, 800s API keys, 10000 + status at the HTTP level.
    pub fn code(&self) -> u32 {
        match self {
            ComposioError::InvalidApiKey { .. } => 801,
            ComposioError::InsufficientPermissions => 802,
            ComposioError::AuthConfigValidation(_) => 301,
            ComposioError::AuthConfigNotFound => 302,
            ComposioError::DefaultAuthConfigNotFound(_) => 306,
            ComposioError::Validation(_) => 10400,
            ComposioError::PayloadTooLarge { .. }
            | ComposioError::ToolkitNotFound(_)
            | ComposioError::RouteNotFound { .. }
            | ComposioError::Server(_)
            | ComposioError::RateLimited { .. } => 10000 + u32::from(self.status().as_u16()),
            ComposioError::Injected(status) => injected(*status).0,
        }
    }

    pub fn slug(&self) -> &'static str {
        match self {
            ComposioError::InvalidApiKey { .. } => "APIKey_InvalidAPIKey",
            ComposioError::InsufficientPermissions => "APIKey_InsufficientPermissions",
            ComposioError::AuthConfigValidation(_) => "Auth_Config_ValidationError",
            ComposioError::AuthConfigNotFound => "Auth_Config_NotFound",
            ComposioError::DefaultAuthConfigNotFound(_) => "Auth_Config_DefaultAuthConfigNotFound",
            ComposioError::ToolkitNotFound(_) => "Toolkit_NotFound",
            ComposioError::Validation(_) => "Http_ValidationError",
            ComposioError::PayloadTooLarge { .. } => "Http_PayloadTooLarge",
            ComposioError::RouteNotFound { .. } => "Http_NotFound",
            ComposioError::Server(_) => "Http_InternalServerError",
            ComposioError::RateLimited { .. } => "Http_TooManyRequests",
            ComposioError::Injected(status) => injected(*status).1,
        }
    }

    fn message(&self) -> String {
        match self {
            ComposioError::InvalidApiKey { presented: None } => "No API key provided".into(),
            ComposioError::InvalidApiKey {
                presented: Some(key),
            } => format!("Invalid API key: {}", mask_key(key)),
            ComposioError::InsufficientPermissions => {
                "API key does not have required permissions".into()
            }
            ComposioError::Validation(_) => "Validation error while processing request".into(),
            ComposioError::PayloadTooLarge { limit } => {
                format!("Request body is larger than the limit of {limit} bytes")
            }
            ComposioError::AuthConfigNotFound => "Auth config not found".into(),
            ComposioError::AuthConfigValidation(message) => message.clone(),
            ComposioError::ToolkitNotFound(slug) => format!("Toolkit \"{slug}\" not found"),
            ComposioError::DefaultAuthConfigNotFound(slug) => format!(
                "Default auth config not found for toolkit \"{slug}\". Composio does not have managed credentials for this toolkit."
            ),
            ComposioError::RouteNotFound { method, path } => {
                format!("Route not found: {method} {path}")
            }
            ComposioError::Server(_) => "Internal server error".into(),
            ComposioError::RateLimited { limit, window_secs } => {
                format!("Rate limit exceeded. Limit: {limit} requests per {window_secs} seconds")
            }
            ComposioError::Injected(status) => status
                .canonical_reason()
                .unwrap_or("Request failed")
                .to_string(),
        }
    }

    fn suggested_fix(&self) -> Option<&'static str> {
        match self {
            ComposioError::InvalidApiKey { presented: Some(_) } => {
                Some("Please check you are using a valid key.")
            }
            ComposioError::InvalidApiKey { presented: None } => {
                Some("Pass your API key in the x-api-key header.")
            }
            ComposioError::InsufficientPermissions => {
                Some("Check your API key permissions in the dashboard.")
            }
            ComposioError::Validation(_) => Some(CHECK_PAYLOAD),
            ComposioError::AuthConfigNotFound => {
                Some("Verify the auth config ID, or create the auth config first.")
            }
            _ => None,
        }
    }

    /// The JSON body, key order as Composio sends it, with this request's id.
    pub fn body(&self, request_id: &str) -> Value {
        if let ComposioError::RateLimited { .. } = self {
            return json!({"message": self.message()});
        }
        let mut error = Map::new();
        error.insert("message".into(), Value::String(self.message()));
        error.insert("code".into(), Value::from(self.code()));
        error.insert("slug".into(), Value::String(self.slug().into()));
        error.insert("status".into(), Value::from(self.status().as_u16()));
        error.insert("request_id".into(), Value::String(request_id.into()));
        if let Some(fix) = self.suggested_fix() {
            error.insert("suggested_fix".into(), Value::String(fix.into()));
        }
        if let ComposioError::Validation(errors) = self {
            error.insert(
                "errors".into(),
                Value::Array(errors.iter().cloned().map(Value::String).collect()),
            );
        }
        json!({ "error": error })
    }

    /// The response: status, body, `x-request-id`, and the code tagged for the journal.
    pub fn render(&self, request_id: &str) -> HttpResponse {
        let mut response = patchbay_http::json(self.status(), CONTENT_TYPE, &self.body(request_id));
        set_request_id(&mut response, request_id);
        patchbay_http::tag_error_code(&mut response, self.code().to_string());
        response
    }
}

/// The code and slug of an injected fault's status.
fn injected(status: StatusCode) -> (u32, &'static str) {
    match status.as_u16() {
        400 => (10400, "Http_BadRequest"),
        401 => (801, "APIKey_InvalidAPIKey"),
        403 => (802, "APIKey_InsufficientPermissions"),
        404 => (302, "Auth_Config_NotFound"),
        405 => (10405, "Http_MethodNotAllowed"),
        408 => (10408, "Http_RequestTimeout"),
        409 => (10409, "Http_Conflict"),
        413 => (10413, "Http_PayloadTooLarge"),
        422 => (10422, "Http_UnprocessableEntity"),
        429 => (10429, "Http_TooManyRequests"),
        502 => (10502, "Http_BadGateway"),
        503 => (10503, "Http_ServiceUnavailable"),
        504 => (10504, "Http_GatewayTimeout"),
        code if status.is_server_error() => (10000 + u32::from(code), "Http_InternalServerError"),
        code => (10000 + u32::from(code), "Http_BadRequest"),
    }
}

/// `ak_**UbOz`: the key's prefix (up to its first `_`), `**`, and its last four characters. The
/// last four are shown only when at least as many characters stay hidden, so a short key (a
/// typo, a placeholder) is never echoed whole: `ak_wrong` reads `ak_**`.
pub fn mask_key(key: &str) -> String {
    let prefix = key
        .find('_')
        .filter(|&index| index <= 4)
        .map_or("", |index| &key[..=index]);
    let rest: Vec<char> = key[prefix.len()..].chars().collect();
    let tail: String = if rest.len() >= 8 {
        rest[rest.len() - 4..].iter().collect()
    } else {
        String::new()
    };
    format!("{prefix}**{tail}")
}

/// A fresh request id: a UUID v4.
pub fn new_request_id() -> String {
    patchbay_http::request_id()
}

/// Puts the request id in the `x-request-id` header.
pub fn set_request_id(response: &mut HttpResponse, request_id: &str) {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
}

impl From<CoreError> for ComposioError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::NotFound { .. } => ComposioError::AuthConfigNotFound,
            CoreError::IdConflict { id } => {
                ComposioError::AuthConfigValidation(format!("Auth config id {id} is already used"))
            }
            CoreError::InvalidFixture { .. } | CoreError::Storage(_) | CoreError::Unavailable => {
                patchbay_http::log_storage_failure(crate::VENDOR, &error);
                ComposioError::Server(error.to_string())
            }
        }
    }
}

/// The one 413 of the adapter: a body over the limit, before anything else is looked at.
impl From<patchbay_http::TooLarge> for ComposioError {
    fn from(too_large: patchbay_http::TooLarge) -> Self {
        ComposioError::PayloadTooLarge {
            limit: too_large.limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_masked_as_composio_masks_them() {
        assert_eq!(mask_key("ak_demo0project0UbOz"), "ak_**UbOz");
        assert_eq!(mask_key("uak_someuserkey1234"), "uak_**1234");
        assert_eq!(mask_key("nounderscorekey"), "**ekey");
        assert_eq!(mask_key("ab"), "**");
        assert_eq!(mask_key("é"), "**");
        assert_eq!(mask_key("ak_wrong"), "ak_**");
        assert_eq!(mask_key("ak_12345678"), "ak_**5678");
        assert_eq!(mask_key("ak_1234567"), "ak_**");
    }

    #[test]
    fn the_envelope_keeps_composios_key_order() {
        let body =
            ComposioError::Validation(vec!["Error in payload.name: Required".into()]).body("req-1");
        let keys: Vec<&String> = body["error"].as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "message",
                "code",
                "slug",
                "status",
                "request_id",
                "suggested_fix",
                "errors"
            ]
        );
        let body = ComposioError::AuthConfigNotFound.body("req-2");
        assert_eq!(body["error"]["code"], 302);
        assert_eq!(body["error"]["status"], 404);
        assert_eq!(body["error"]["message"], "Auth config not found");
    }
}

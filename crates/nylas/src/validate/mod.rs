//! Request validation as Nylas answers it: the `provider` path segment against the connector enum,
//! the credential PATCH body (`{name?, credential_data?}`) here, the create bodies and the connector
//! bodies in [`credentials`] and [`connectors`], the list queries in [`query`]. Bad JSON is
//! `api.invalid_request_payload`; a wrong type, an unknown field or a missing one is
//! `api.invalid_request_error` naming the field. Fields are checked in the order the client sent
//! them and the first problem is reported, as a streaming JSON decoder would.

mod connectors;
mod credentials;
mod query;

pub use connectors::{create_connector_body, update_connector_body};
pub use credentials::create_credential_body;
pub use query::{connector_list_query, credential_list_query, Paging};

use crate::error::NylasError;
use crate::wire::UpdateCredential;
use serde_json::{Map, Value};

/// The `provider` enum of the connector-credentials path, in the spec's order.
pub const PROVIDERS: [&str; 9] = [
    "google",
    "microsoft",
    "imap",
    "icloud",
    "yahoo",
    "ews",
    "virtual-calendar",
    "zoom",
    "nylas",
];

/// The values of `credential_type`.
pub const CREDENTIAL_TYPES: [&str; 3] = ["connector", "serviceaccount", "adminconsent"];

/// The `provider` path segment (already percent-decoded), exactly one of the enum.
pub fn provider(segment: &str) -> Result<&'static str, NylasError> {
    PROVIDERS
        .iter()
        .find(|provider| **provider == segment)
        .copied()
        .ok_or_else(|| {
            NylasError::InvalidRequest(format!(
                "Invalid provider \"{}\": must be one of {}",
                printable(segment),
                PROVIDERS.join(", ")
            ))
        })
}

/// A client's text in a message: control characters escaped, at most 100 characters.
fn printable(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(100)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().count() > 100 {
        out.push_str("...");
    }
    out
}

/// JSON's name for what was received.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn invalid(message: String) -> NylasError {
    NylasError::InvalidRequest(format!("Invalid request body: {message}"))
}

/// Parses a body that must be a JSON object. Any JSON document is parsed (Nylas does not insist on
/// a content type).
fn json_object(bytes: &[u8]) -> Result<Map<String, Value>, NylasError> {
    let value = match patchbay_http::json::parse(bytes) {
        Ok(value) => value,
        Err(_) if bytes.iter().all(u8::is_ascii_whitespace) => {
            return Err(NylasError::InvalidPayload(
                "the request body is empty".into(),
            ))
        }
        Err(error) => return Err(NylasError::InvalidPayload(error.to_string())),
    };
    match value {
        Value::Object(object) => Ok(object),
        other => Err(invalid(format!(
            "expected a JSON object, got {}",
            kind_of(&other)
        ))),
    }
}

/// Parses and checks a credential PATCH body.
pub fn update_body(bytes: &[u8]) -> Result<UpdateCredential, NylasError> {
    let object = json_object(bytes)?;
    let mut update = UpdateCredential::default();
    for (field, value) in object {
        match (field.as_str(), value) {
            ("name", value) => update.name = Some(name(value)?),
            ("credential_data", value) => {
                update.credential_data = Some(object_field("credential_data", value)?)
            }
            ("credential_type", value) => update.credential_type = Some(credential_type(value)?),
            (field, _) => return Err(unknown(field)),
        }
    }
    Ok(update)
}

/// A `name`: a non-empty string.
fn name(value: Value) -> Result<String, NylasError> {
    match value {
        Value::String(name) if name.is_empty() => {
            Err(invalid("field \"name\" must not be empty".into()))
        }
        Value::String(name) => Ok(name),
        other => Err(wrong_type("name", "a string", &other)),
    }
}

/// A `credential_type`: one of the three types.
fn credential_type(value: Value) -> Result<String, NylasError> {
    match value {
        Value::String(kind) if CREDENTIAL_TYPES.contains(&kind.as_str()) => Ok(kind),
        other => Err(invalid(format!(
            "field \"credential_type\" must be one of {}, got {}",
            CREDENTIAL_TYPES.join(", "),
            shown(&other)
        ))),
    }
}

/// A field that must hold an object.
fn object_field(field: &str, value: Value) -> Result<Map<String, Value>, NylasError> {
    match value {
        Value::Object(object) => Ok(object),
        other => Err(wrong_type(field, "an object", &other)),
    }
}

/// `field "<field>" must be <expected>, got <kind>`.
fn wrong_type(field: &str, expected: &str, value: &Value) -> NylasError {
    invalid(format!(
        "field \"{field}\" must be {expected}, got {}",
        kind_of(value)
    ))
}

/// `field "<field>" is required`.
fn missing(field: &str) -> NylasError {
    invalid(format!("field \"{field}\" is required"))
}

/// `unknown field "<field>"`.
fn unknown(field: &str) -> NylasError {
    invalid(format!("unknown field \"{}\"", printable(field)))
}

/// A received value in a message: a string quoted, anything else by its kind.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => format!("\"{}\"", printable(text)),
        other => kind_of(other).to_string(),
    }
}

#[cfg(test)]
mod tests;

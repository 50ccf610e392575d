//! Request validation as Nylas answers it: the `provider` path segment against the connector enum,
//! and the PATCH body (`{name?, credential_data?}`): bad JSON is `api.invalid_request_payload`, a
//! wrong type or an unknown field is `api.invalid_request_error` naming the field. Fields are
//! checked in the order the client sent them and the first problem is reported, as a streaming JSON
//! decoder would.

use crate::error::NylasError;
use crate::wire::UpdateCredential;
use serde_json::Value;

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

/// Parses and checks a PATCH body. Any JSON document is parsed (Nylas does not insist on a content
/// type); the top level must be an object.
pub fn update_body(bytes: &[u8]) -> Result<UpdateCredential, NylasError> {
    let value = match patchbay_http::json::parse(bytes) {
        Ok(value) => value,
        Err(_) if bytes.iter().all(u8::is_ascii_whitespace) => {
            return Err(NylasError::InvalidPayload(
                "the request body is empty".into(),
            ))
        }
        Err(error) => return Err(NylasError::InvalidPayload(error.to_string())),
    };
    let Value::Object(object) = value else {
        return Err(invalid(format!(
            "expected a JSON object, got {}",
            kind_of(&value)
        )));
    };
    let mut update = UpdateCredential::default();
    for (field, value) in object {
        match (field.as_str(), value) {
            ("name", Value::String(name)) if name.is_empty() => {
                return Err(invalid("field \"name\" must not be empty".into()))
            }
            ("name", Value::String(name)) => update.name = Some(name),
            ("credential_data", Value::Object(data)) => update.credential_data = Some(data),
            ("credential_type", Value::String(kind))
                if CREDENTIAL_TYPES.contains(&kind.as_str()) =>
            {
                update.credential_type = Some(kind)
            }
            ("credential_type", other) => {
                return Err(invalid(format!(
                    "field \"credential_type\" must be one of {}, got {}",
                    CREDENTIAL_TYPES.join(", "),
                    shown(&other)
                )))
            }
            ("name", other) => {
                return Err(invalid(format!(
                    "field \"name\" must be a string, got {}",
                    kind_of(&other)
                )))
            }
            ("credential_data", other) => {
                return Err(invalid(format!(
                    "field \"credential_data\" must be an object, got {}",
                    kind_of(&other)
                )))
            }
            (unknown, _) => {
                return Err(invalid(format!("unknown field \"{}\"", printable(unknown))))
            }
        }
    }
    Ok(update)
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

//! Request validation as a Django REST framework serializer does it for `{"data": {"api_key"}}`:
//! the body must be an object, `data` an object, `api_key` a string that is not blank once trimmed
//! and at most 255 characters. The first problem answers, as `<field>: <DRF message>`.
//! Unknown keys are ignored. The path id must be a UUID, else the integration does not exist.

use crate::error::PuretalkError;
use crate::wire::UpdateIntegration;
use serde_json::Value;

pub const API_KEY_MAX: usize = 255;

/// The path id as the store keys it (a hyphenated UUID of any version, in lower case); anything
/// else does not exist.
pub fn integration_id(raw: &str) -> Result<String, PuretalkError> {
    match patchbay_http::hyphenated_uuid(raw) {
        Some(_) => Ok(raw.to_ascii_lowercase()),
        None => Err(PuretalkError::NotFound),
    }
}

/// Python's name for the type of a JSON value, as DRF's messages show it.
fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(number) if number.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

fn invalid(message: impl Into<String>) -> PuretalkError {
    PuretalkError::InvalidBody(message.into())
}

/// Validates a PATCH body. `None` is a request without body data (no body, or no JSON content
/// type), which DRF reads as an empty object.
pub fn update_body(body: Option<&Value>) -> Result<UpdateIntegration, PuretalkError> {
    let empty = Value::Object(Default::default());
    let body = body.unwrap_or(&empty);
    let Value::Object(object) = body else {
        return Err(invalid(format!(
            "Invalid data. Expected a dictionary, but got {}.",
            python_type(body)
        )));
    };
    let data = match object.get("data") {
        None => return Err(invalid("data: This field is required.")),
        Some(Value::Null) => return Err(invalid("data: This field may not be null.")),
        Some(Value::Object(data)) => data,
        Some(other) => {
            return Err(invalid(format!(
                "data: Invalid data. Expected a dictionary, but got {}.",
                python_type(other)
            )))
        }
    };
    let api_key = match data.get("api_key") {
        None => return Err(invalid("data.api_key: This field is required.")),
        Some(Value::Null) => return Err(invalid("data.api_key: This field may not be null.")),
        Some(Value::String(text)) => text.trim(),
        Some(_) => return Err(invalid("data.api_key: Not a valid string.")),
    };
    if api_key.is_empty() {
        return Err(invalid("data.api_key: This field may not be blank."));
    }
    if api_key.chars().count() > API_KEY_MAX {
        return Err(invalid(format!(
            "data.api_key: Ensure this field has no more than {API_KEY_MAX} characters."
        )));
    }
    Ok(UpdateIntegration {
        api_key: api_key.to_string(),
    })
}

#[cfg(test)]
mod tests;

//! Request validation with Langdock's documented limits: the integration id must be a UUID, and the
//! PATCH body's `name` (1 to 40 characters), `description` (at most 90), `iconUrl` (an absolute
//! http(s) URL) and `color` (`#RGB` or `#RRGGBB`). Every violation is reported, in field order.

use crate::error::LangdockError;
use crate::wire::UpdateIntegration;
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

pub const NAME_MAX: usize = 40;
pub const DESCRIPTION_MAX: usize = 90;

static HEX_COLOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$").expect("a valid pattern"));

/// The path id as the store keys it: a hyphenated UUID of any version and either case, in lower
/// case.
pub fn integration_id(raw: &str) -> Result<String, LangdockError> {
    match patchbay_http::hyphenated_uuid(raw) {
        Some(_) => Ok(raw.to_ascii_lowercase()),
        None => Err(LangdockError::InvalidIntegrationId),
    }
}

/// JavaScript's `string.length`: UTF-16 code units.
fn length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// An absolute `http:` or `https:` URL with a host, and nothing a URL cannot hold (white space,
/// control characters).
pub fn is_http_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_and_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_and_port.strip_prefix('[') {
        Some(ipv6) => ipv6.split(']').next().unwrap_or(""),
        None => host_and_port.split(':').next().unwrap_or(""),
    };
    !host.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

pub fn is_hex_color(value: &str) -> bool {
    HEX_COLOR.is_match(value)
}

/// Reads one optional string field; a present value of another type is a problem.
fn string_field<'a>(
    object: &'a Map<String, Value>,
    field: &str,
    problems: &mut Vec<String>,
) -> Option<&'a str> {
    match object.get(field)? {
        Value::String(text) => Some(text),
        _ => {
            problems.push(format!("{field} must be a string"));
            None
        }
    }
}

/// Validates a PATCH body. Unknown keys are ignored; `{}` is a valid no-op.
pub fn update_body(body: &Value) -> Result<UpdateIntegration, LangdockError> {
    let Value::Object(object) = body else {
        return Err(LangdockError::InvalidBody("expected a JSON object".into()));
    };
    let mut problems = Vec::new();
    let mut update = UpdateIntegration::default();
    if let Some(name) = string_field(object, "name", &mut problems) {
        if name.is_empty() {
            problems.push("name must not be empty".into());
        } else if length(name) > NAME_MAX {
            problems.push(format!("name must be at most {NAME_MAX} characters"));
        } else {
            update.name = Some(name.to_string());
        }
    }
    if let Some(description) = string_field(object, "description", &mut problems) {
        if length(description) > DESCRIPTION_MAX {
            problems.push(format!(
                "description must be at most {DESCRIPTION_MAX} characters"
            ));
        } else {
            update.description = Some(description.to_string());
        }
    }
    if let Some(icon_url) = string_field(object, "iconUrl", &mut problems) {
        if is_http_url(icon_url) {
            update.icon_url = Some(icon_url.to_string());
        } else {
            problems.push("iconUrl must be an absolute http or https URL".into());
        }
    }
    if let Some(color) = string_field(object, "color", &mut problems) {
        if is_hex_color(color) {
            update.color = Some(color.to_string());
        } else {
            problems.push("color must be a hex color code (#RGB or #RRGGBB)".into());
        }
    }
    if problems.is_empty() {
        Ok(update)
    } else {
        Err(LangdockError::InvalidBody(problems.join("; ")))
    }
}

#[cfg(test)]
mod tests;

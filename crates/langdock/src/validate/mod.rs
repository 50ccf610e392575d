//! Request validation with Langdock's documented limits: the integration id must be a UUID, the
//! PATCH body's `name` (1 to 40 characters), `description` (at most 90), `iconUrl` (an absolute
//! http(s) URL) and `color` (`#RGB` or `#RRGGBB`), and the create body's `name` (required) and
//! `description` under the same limits. Every violation is reported, in field order. The auth
//! update's rules are in `auth`.

mod auth;

pub use auth::auth_body;

use crate::error::LangdockError;
use crate::wire::{NewIntegration, UpdateIntegration};
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
pub(crate) fn length(text: &str) -> usize {
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
pub(crate) fn string_field<'a>(
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

/// The body as an object, or the 400 of a body that is not one.
pub(crate) fn object(body: &Value) -> Result<&Map<String, Value>, LangdockError> {
    match body {
        Value::Object(object) => Ok(object),
        _ => Err(LangdockError::InvalidBody("expected a JSON object".into())),
    }
}

/// The 400 of every problem found, or `value` when there are none.
pub(crate) fn answer<T>(value: T, problems: Vec<String>) -> Result<T, LangdockError> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(LangdockError::InvalidBody(problems.join("; ")))
    }
}

/// `name`, when sent: a string of 1 to 40 characters.
fn name_field(object: &Map<String, Value>, problems: &mut Vec<String>) -> Option<String> {
    let name = string_field(object, "name", problems)?;
    if name.is_empty() {
        problems.push("name must not be empty".into());
    } else if length(name) > NAME_MAX {
        problems.push(format!("name must be at most {NAME_MAX} characters"));
    } else {
        return Some(name.to_string());
    }
    None
}

/// `description`, when sent: a string of at most 90 characters.
fn description_field(object: &Map<String, Value>, problems: &mut Vec<String>) -> Option<String> {
    let description = string_field(object, "description", problems)?;
    if length(description) > DESCRIPTION_MAX {
        problems.push(format!(
            "description must be at most {DESCRIPTION_MAX} characters"
        ));
        return None;
    }
    Some(description.to_string())
}

/// Validates a create body: `name` is required, `description` defaults to `""`. Unknown keys
/// (`iconUrl` and `color` among them: the create docs list only these two) are ignored.
pub fn create_body(body: &Value) -> Result<NewIntegration, LangdockError> {
    let object = object(body)?;
    let mut problems = Vec::new();
    if !object.contains_key("name") {
        problems.push("name is required".into());
    }
    let name = name_field(object, &mut problems);
    let description = description_field(object, &mut problems).unwrap_or_default();
    answer(
        NewIntegration {
            name: name.unwrap_or_default(),
            description,
        },
        problems,
    )
}

/// Validates a PATCH body. Unknown keys are ignored; `{}` is a valid no-op.
pub fn update_body(body: &Value) -> Result<UpdateIntegration, LangdockError> {
    let object = object(body)?;
    let mut problems = Vec::new();
    let mut update = UpdateIntegration {
        name: name_field(object, &mut problems),
        description: description_field(object, &mut problems),
        ..UpdateIntegration::default()
    };
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
    answer(update, problems)
}

#[cfg(test)]
mod tests;

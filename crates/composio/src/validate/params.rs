//! Query and path parameters: the list's filters, page size and cursor, delete's `revoke_on_delete`,
//! and the status segment of the enable/disable route. Values are coerced as zod's `z.coerce` does
//! (query values are text); failures are the 400 `10400` envelope with `Error in query.<name>: ...`
//! (or `Error in path.<name>`). Unknown parameters are ignored, as the Stainless clients may send
//! `extra_query`; a repeated parameter counts by its last value.

use crate::error::ComposioError;
use crate::wire::{ApiVersion, ListAuthConfigs, ListCursor, DEFAULT_LIMIT};

/// The two values the status segment takes, as written.
pub const STATUSES: [&str; 2] = ["ENABLED", "DISABLED"];

fn last<'p>(pairs: &'p [(String, String)], name: &str) -> Option<&'p str> {
    pairs
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// `true` or `false`, in any case.
fn boolean(value: &str, name: &str, errors: &mut Vec<String>) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        errors.push(format!(
            "Error in query.{name}: Expected boolean, received string"
        ));
        None
    }
}

/// `limit`: a whole number from 1 to the version's cap (`10.0` is ten, as Python clients send a
/// float).
fn limit(value: &str, max: usize, errors: &mut Vec<String>) -> Option<usize> {
    let value = value.trim();
    let number = if value.is_empty() {
        Some(0.0)
    } else {
        value
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite())
    };
    let error = |message: String| format!("Error in query.limit: {message}");
    let Some(number) = number else {
        errors.push(error("Expected number, received nan".into()));
        return None;
    };
    if number.fract() != 0.0 {
        errors.push(error("Expected integer, received float".into()));
        return None;
    }
    if number < 1.0 {
        errors.push(error("Number must be greater than or equal to 1".into()));
        return None;
    }
    if number > max as f64 {
        errors.push(error(format!("Number must be less than or equal to {max}")));
        return None;
    }
    // A whole number in 1..=max: the conversion is exact.
    Some(number as usize)
}

/// The list query of an API version.
pub fn list_query(
    pairs: &[(String, String)],
    version: ApiVersion,
) -> Result<ListAuthConfigs, ComposioError> {
    let mut errors = Vec::new();
    let toolkit_slugs = last(pairs, "toolkit_slug")
        .map(|slugs| {
            slugs
                .split(',')
                .map(|slug| slug.trim().to_ascii_lowercase())
                .filter(|slug| !slug.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let is_composio_managed = last(pairs, "is_composio_managed")
        .and_then(|value| boolean(value, "is_composio_managed", &mut errors));
    let show_disabled = last(pairs, "show_disabled")
        .and_then(|value| boolean(value, "show_disabled", &mut errors))
        .unwrap_or(false);
    let search = last(pairs, "search")
        .map(|text| text.trim().to_lowercase())
        .filter(|text| !text.is_empty());
    let asked_limit =
        last(pairs, "limit").and_then(|value| limit(value, version.max_limit(), &mut errors));
    let cursor = match last(pairs, "cursor").filter(|text| !text.trim().is_empty()) {
        None => None,
        Some(text) => {
            let cursor = ListCursor::decode(text);
            if cursor.is_none() {
                errors.push("Error in query.cursor: Invalid cursor".into());
            }
            cursor
        }
    };
    if !errors.is_empty() {
        return Err(ComposioError::Validation(errors));
    }
    // A cursor keeps the page size it was made with unless the request names another.
    let limit = asked_limit
        .or_else(|| cursor.as_ref().map(|cursor| cursor.limit))
        .unwrap_or(DEFAULT_LIMIT)
        .min(version.max_limit());
    Ok(ListAuthConfigs {
        toolkit_slugs,
        is_composio_managed,
        search,
        show_disabled,
        limit,
        cursor,
    })
}

/// Delete's `revoke_on_delete` (default false).
pub fn revoke_on_delete(pairs: &[(String, String)]) -> Result<bool, ComposioError> {
    let mut errors = Vec::new();
    let revoke = last(pairs, "revoke_on_delete")
        .and_then(|value| boolean(value, "revoke_on_delete", &mut errors))
        .unwrap_or(false);
    if errors.is_empty() {
        Ok(revoke)
    } else {
        Err(ComposioError::Validation(errors))
    }
}

/// The status segment: `ENABLED` or `DISABLED`, exactly.
pub fn auth_config_status(segment: &str) -> Result<&'static str, ComposioError> {
    STATUSES
        .into_iter()
        .find(|status| *status == segment)
        .ok_or_else(|| {
            ComposioError::Validation(vec![format!(
                "Error in path.status: Invalid enum value. Expected 'ENABLED' | 'DISABLED', received '{segment}'"
            )])
        })
}

//! The create body against Composio's schema: `toolkit.slug` required, `auth_config` an optional
//! union on `type` (`use_composio_managed_auth` | `use_custom_auth`), the custom variant's scheme in
//! camelCase `authScheme` as the SDKs send it. Failures are reported in schema order, as PATCH's are.

use super::{credentials, Checker};
use crate::error::ComposioError;
use crate::toolkits::AUTH_SCHEMES;
use crate::wire::{CreateAuthConfig, CreateVariant};
use patchbay_core::Patch;
use serde_json::Value;

const MANAGED: &str = "use_composio_managed_auth";
const CUSTOM: &str = "use_custom_auth";

/// zod's list of allowed values: `'A' | 'B'`.
fn alternatives(values: &[&str]) -> String {
    values
        .iter()
        .map(|value| format!("'{value}'"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Validates a parsed create body (`None`: no body at all).
pub fn create_body(body: Option<&Value>) -> Result<CreateAuthConfig, ComposioError> {
    let mut checker = Checker::default();
    let Some(body) = body else {
        checker.push(&[], "Required");
        return Err(ComposioError::Validation(checker.errors));
    };
    let Some(object) = checker.object(body, &[]) else {
        return Err(ComposioError::Validation(checker.errors));
    };
    let toolkit = match object.get("toolkit") {
        None => {
            checker.push(&["toolkit"], "Required");
            None
        }
        Some(value) => {
            checker
                .object(value, &["toolkit"])
                .and_then(|toolkit| match toolkit.get("slug") {
                    None => {
                        checker.push(&["toolkit", "slug"], "Required");
                        None
                    }
                    Some(slug) => checker.string(slug, &["toolkit", "slug"]),
                })
        }
    };
    let mut request = CreateAuthConfig::managed(toolkit.as_deref().unwrap_or_default());
    if let Some(value) = object.get("auth_config") {
        auth_config(&mut checker, value, &mut request);
    }
    match toolkit {
        Some(_) if checker.errors.is_empty() => Ok(request),
        _ => Err(ComposioError::Validation(checker.errors)),
    }
}

/// `auth_config`: the variant's fields into `request`, failures into `checker`.
fn auth_config(checker: &mut Checker, value: &Value, request: &mut CreateAuthConfig) {
    const AT: &str = "auth_config";
    let Some(object) = checker.object(value, &[AT]) else {
        return;
    };
    let custom = match object.get("type").and_then(Value::as_str) {
        Some(MANAGED) => false,
        Some(CUSTOM) => true,
        _ => {
            checker.push(
                &[AT, "type"],
                format!(
                    "Invalid discriminator value. Expected {}",
                    alternatives(&[MANAGED, CUSTOM])
                ),
            );
            return;
        }
    };
    if custom {
        if let Some(scheme) = auth_scheme(checker, object.get("authScheme")) {
            request.variant = CreateVariant::Custom {
                auth_scheme: scheme,
            };
        }
    }
    if let Some(value) = object.get("name") {
        request.name = checker.string(value, &[AT, "name"]);
    }
    if let Some(value) = object.get("credentials") {
        request.credentials = credentials(checker, value, &[AT, "credentials"]).unwrap_or_default();
    }
    if custom {
        if let Some(value) = object.get("proxy_config") {
            if let Patch::Set(proxy) = checker.proxy_config(value, &[AT, "proxy_config"]) {
                request.proxy_config = Some(proxy);
            }
        }
    }
    if let Some(value) = object.get("restrict_to_following_tools") {
        request.restrict_to_following_tools =
            checker.string_list(value, &[AT, "restrict_to_following_tools"]);
    }
    if let Some(value) = object.get("tool_access_config") {
        request.tool_access_config = checker.tool_access(value, &[AT, "tool_access_config"]);
    }
    if let Some(value) = object.get("shared_credentials") {
        request.shared_credentials = checker.object(value, &[AT, "shared_credentials"]).cloned();
    }
    if let Some(value) = object.get("is_enabled_for_tool_router") {
        request.is_enabled_for_tool_router =
            checker.boolean(value, &[AT, "is_enabled_for_tool_router"]);
    }
}

/// `authScheme`: one of Composio's schemes, exactly as written.
fn auth_scheme(checker: &mut Checker, value: Option<&Value>) -> Option<String> {
    let path = ["auth_config", "authScheme"];
    match value {
        None => checker.push(&path, "Required"),
        Some(Value::String(scheme)) if AUTH_SCHEMES.contains(&scheme.as_str()) => {
            return Some(scheme.clone())
        }
        Some(Value::String(scheme)) => checker.push(
            &path,
            format!(
                "Invalid enum value. Expected {}, received '{scheme}'",
                alternatives(AUTH_SCHEMES)
            ),
        ),
        Some(other) => checker.push(
            &path,
            format!(
                "Expected {}, received {}",
                alternatives(AUTH_SCHEMES),
                super::received(other)
            ),
        ),
    }
    None
}

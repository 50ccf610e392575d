//! The request bodies against Composio's request schemas (PATCH here, create in `create.rs`): unions
//! discriminated by `type`, each variant's fields checked in schema order, every failure reported as
//! `Error in payload.<path>: <message>` with zod 3's messages. Unknown keys are ignored (Stainless
//! clients send `extra_body`). Query and path parameters are checked in `params.rs`.

mod create;
mod params;

pub use create::create_body;
pub use params::{auth_config_status, list_query, revoke_on_delete};

use crate::error::ComposioError;
use crate::record::ConfigType;
use crate::wire::{ProxyConfig, ToolAccessInput, UpdateAuthConfig};
use patchbay_core::Patch;
use serde_json::{Map, Value};

/// zod's name for what it received.
fn received(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Collects `Error in payload.<path>: <message>` strings while walking a body.
#[derive(Default)]
struct Checker {
    errors: Vec<String>,
}

impl Checker {
    fn push(&mut self, path: &[&str], message: impl AsRef<str>) {
        let path: String = path.iter().map(|segment| format!(".{segment}")).collect();
        self.errors
            .push(format!("Error in payload{path}: {}", message.as_ref()));
    }

    fn expected(&mut self, path: &[&str], expected: &str, value: &Value) {
        self.push(
            path,
            format!("Expected {expected}, received {}", received(value)),
        );
    }

    fn string(&mut self, value: &Value, path: &[&str]) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            other => {
                self.expected(path, "string", other);
                None
            }
        }
    }

    fn boolean(&mut self, value: &Value, path: &[&str]) -> Option<bool> {
        match value {
            Value::Bool(flag) => Some(*flag),
            other => {
                self.expected(path, "boolean", other);
                None
            }
        }
    }

    fn object<'v>(&mut self, value: &'v Value, path: &[&str]) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(object) => Some(object),
            other => {
                self.expected(path, "object", other);
                None
            }
        }
    }

    /// `z.array(z.string())`: each bad item reported at its index.
    fn string_list(&mut self, value: &Value, path: &[&str]) -> Option<Vec<String>> {
        let Value::Array(items) = value else {
            self.expected(path, "array", value);
            return None;
        };
        let before = self.errors.len();
        let mut list = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let index = index.to_string();
            let mut item_path = path.to_vec();
            item_path.push(&index);
            if let Some(text) = self.string(item, &item_path) {
                list.push(text);
            }
        }
        (self.errors.len() == before).then_some(list)
    }

    /// `z.union([z.string(), z.array(z.string())])`, with `null` accepted as "clear".
    fn scopes(&mut self, value: &Value, path: &[&str]) -> Option<Value> {
        let valid = match value {
            Value::Null | Value::String(_) => true,
            Value::Array(items) => items.iter().all(Value::is_string),
            _ => false,
        };
        if valid {
            Some(value.clone())
        } else {
            self.push(path, "Invalid input");
            None
        }
    }

    fn tool_access(&mut self, value: &Value, path: &[&str]) -> Option<ToolAccessInput> {
        let object = self.object(value, path)?;
        let before = self.errors.len();
        let mut access = ToolAccessInput::default();
        if let Some(value) = object.get("tools_for_connected_account_creation") {
            access.tools_for_connected_account_creation = self.string_list(
                value,
                &[path, &["tools_for_connected_account_creation"]].concat(),
            );
        }
        if let Some(value) = object.get("tools_available_for_execution") {
            access.tools_available_for_execution =
                self.string_list(value, &[path, &["tools_available_for_execution"]].concat());
        }
        (self.errors.len() == before).then_some(access)
    }

    /// `{proxy_url: z.string().url(), proxy_auth_key?: z.string()}` or null, at `path`.
    fn proxy_config(&mut self, value: &Value, path: &[&str]) -> Patch<ProxyConfig> {
        if value.is_null() {
            return Patch::Clear;
        }
        let Some(object) = self.object(value, path) else {
            return Patch::Keep;
        };
        let before = self.errors.len();
        let url_path = [path, &["proxy_url"]].concat();
        let proxy_url = match object.get("proxy_url") {
            None => {
                self.push(&url_path, "Required");
                None
            }
            Some(value) => self.string(value, &url_path).filter(|url| {
                let valid = is_url(url);
                if !valid {
                    self.push(&url_path, "Invalid url");
                }
                valid
            }),
        };
        let proxy_auth_key = object
            .get("proxy_auth_key")
            .and_then(|value| self.string(value, &[path, &["proxy_auth_key"]].concat()));
        match proxy_url {
            Some(proxy_url) if self.errors.len() == before => Patch::Set(ProxyConfig {
                proxy_url,
                proxy_auth_key,
            }),
            _ => Patch::Keep,
        }
    }
}

/// zod's `.url()`: an absolute URL with a scheme and something after it.
fn is_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && !rest.is_empty()
        && !text.chars().any(char::is_whitespace)
}

/// Validates a parsed PATCH body (`None`: no body at all).
pub fn update_body(body: Option<&Value>) -> Result<UpdateAuthConfig, ComposioError> {
    let mut checker = Checker::default();
    let Some(body) = body else {
        checker.push(&[], "Required");
        return Err(ComposioError::Validation(checker.errors));
    };
    let Some(object) = checker.object(body, &[]) else {
        return Err(ComposioError::Validation(checker.errors));
    };
    let config_type = object
        .get("type")
        .and_then(Value::as_str)
        .and_then(ConfigType::parse);
    let Some(config_type) = config_type else {
        checker.push(
            &["type"],
            "Invalid discriminator value. Expected 'custom' | 'default'",
        );
        return Err(ComposioError::Validation(checker.errors));
    };
    let mut request = UpdateAuthConfig::new(config_type);
    if let Some(value) = object.get("name") {
        request.name = checker.string(value, &["name"]);
    }
    match config_type {
        ConfigType::Custom => {
            if let Some(value) = object.get("credentials") {
                request.credentials = credentials(&mut checker, value, &["credentials"]);
            }
            if let Some(value) = object.get("proxy_config") {
                request.proxy_config = checker.proxy_config(value, &["proxy_config"]);
            }
        }
        ConfigType::Default => {
            if let Some(value) = object.get("scopes") {
                request.scopes = checker.scopes(value, &["scopes"]);
            }
            if let Some(value) = object.get("user_scopes") {
                request.user_scopes = checker.scopes(value, &["user_scopes"]);
            }
        }
    }
    if let Some(value) = object.get("restrict_to_following_tools") {
        request.restrict_to_following_tools =
            checker.string_list(value, &["restrict_to_following_tools"]);
    }
    if let Some(value) = object.get("tool_access_config") {
        request.tool_access_config = checker.tool_access(value, &["tool_access_config"]);
    }
    if let Some(value) = object.get("shared_credentials") {
        request.shared_credentials = checker.object(value, &["shared_credentials"]).cloned();
    }
    if let Some(value) = object.get("is_enabled_for_tool_router") {
        request.is_enabled_for_tool_router =
            checker.boolean(value, &["is_enabled_for_tool_router"]);
    }
    if checker.errors.is_empty() {
        Ok(request)
    } else {
        Err(ComposioError::Validation(checker.errors))
    }
}

/// `credentials`: an object whose typed keys `scopes` and `user_scopes` are a string or strings;
/// any other key is passed through (client_id, client_secret, api_key...).
fn credentials(checker: &mut Checker, value: &Value, path: &[&str]) -> Option<Map<String, Value>> {
    let object = checker.object(value, path)?;
    let before = checker.errors.len();
    for key in ["scopes", "user_scopes"] {
        if let Some(value) = object.get(key) {
            checker.scopes(value, &[path, &[key]].concat());
        }
    }
    (checker.errors.len() == before).then(|| object.clone())
}

#[cfg(test)]
mod tests;

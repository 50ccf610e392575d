//! Composio's JSON: the PATCH request after validation (a union on `type`), the PATCH 200 body, and
//! the auth config as `GET /api/v3.1/auth_configs/{nanoid}` returns it, secrets redacted.

use crate::record::{self, ConfigType};
use patchbay_core::{Integration, Patch};
use patchbay_http::js_iso;
use serde_json::{Map, Value};

/// `proxy_config` when set: `{proxy_url, proxy_auth_key?}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProxyConfig {
    pub proxy_url: String,
    pub proxy_auth_key: Option<String>,
}

/// `tool_access_config`: each list is optional; a list that is sent replaces the stored one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolAccessInput {
    pub tools_for_connected_account_creation: Option<Vec<String>>,
    pub tools_available_for_execution: Option<Vec<String>>,
}

/// A validated PATCH body. Fields the request's variant does not have are always `None`/`Keep`:
/// `credentials` and `proxy_config` belong to `custom`, `scopes` and `user_scopes` to `default`.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateAuthConfig {
    pub config_type: ConfigType,
    pub name: Option<String>,
    /// `custom`: merged key by key into the stored credentials.
    pub credentials: Option<Map<String, Value>>,
    /// `default`: a string or a list of strings; `""` or `[]` clears.
    pub scopes: Option<Value>,
    pub user_scopes: Option<Value>,
    /// `custom`: `null` clears, an object replaces.
    pub proxy_config: Patch<ProxyConfig>,
    pub restrict_to_following_tools: Option<Vec<String>>,
    pub tool_access_config: Option<ToolAccessInput>,
    pub shared_credentials: Option<Map<String, Value>>,
    pub is_enabled_for_tool_router: Option<bool>,
}

impl UpdateAuthConfig {
    pub fn new(config_type: ConfigType) -> Self {
        UpdateAuthConfig {
            config_type,
            name: None,
            credentials: None,
            scopes: None,
            user_scopes: None,
            proxy_config: Patch::Keep,
            restrict_to_following_tools: None,
            tool_access_config: None,
            shared_credentials: None,
            is_enabled_for_tool_router: None,
        }
    }
}

/// Where Composio serves toolkit logos.
pub fn logo_url(toolkit: &str) -> String {
    format!("https://logos.composio.dev/api/{toolkit}")
}

/// Field names whose values are secrets: redacted in GET, shown only in the admin view.
pub fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "password", "token", "key", "passphrase"]
        .iter()
        .any(|word| name.contains(word))
}

/// A secret as GET shows it: `****` and the last four characters of a long enough string.
fn redact_value(value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::String(text) if text.chars().count() >= 12 => {
            Value::String(patchbay_core::model::mask(text))
        }
        _ => Value::String("****".into()),
    }
}

/// An object with every secret field (at any depth) redacted.
pub fn redacted(object: &Map<String, Value>) -> Map<String, Value> {
    object
        .iter()
        .map(|(key, value)| {
            let value = match value {
                _ if is_secret_field(key) => redact_value(value),
                Value::Object(inner) => Value::Object(redacted(inner)),
                other => other.clone(),
            };
            (key.clone(), value)
        })
        .collect()
}

/// The stored tool lists, both keys always present.
pub fn tool_access_view(auth_config: &Integration) -> Value {
    let stored = record::tool_access_config(auth_config);
    let list = |name: &str| {
        stored
            .and_then(|config| config.get(name))
            .cloned()
            .unwrap_or_else(|| Value::Array(Vec::new()))
    };
    let mut view = Map::new();
    for name in [
        record::TOOLS_FOR_CONNECTED_ACCOUNT_CREATION,
        record::TOOLS_AVAILABLE_FOR_EXECUTION,
    ] {
        view.insert(name.into(), list(name));
    }
    Value::Object(view)
}

/// The auth config as GET returns it, in Composio's key order. `reveal` shows secrets (the admin view).
pub fn auth_config_view(auth_config: &Integration, reveal: bool) -> Map<String, Value> {
    let attribute = |name: &str| auth_config.attributes.get(name).cloned();
    let secrets = |object: &Map<String, Value>| {
        if reveal {
            object.clone()
        } else {
            redacted(object)
        }
    };
    let mut view = Map::new();
    view.insert("id".into(), Value::String(auth_config.id.clone()));
    view.insert(
        "uuid".into(),
        attribute(record::UUID).unwrap_or(Value::Null),
    );
    view.insert(
        "type".into(),
        attribute(record::TYPE)
            .unwrap_or_else(|| Value::String(ConfigType::Custom.as_str().into())),
    );
    let mut toolkit = Map::new();
    toolkit.insert("slug".into(), Value::String(auth_config.kind.clone()));
    toolkit.insert("logo".into(), Value::String(logo_url(&auth_config.kind)));
    view.insert("toolkit".into(), Value::Object(toolkit));
    view.insert(
        "name".into(),
        attribute(record::NAME).unwrap_or_else(|| Value::String(auth_config.kind.clone())),
    );
    view.insert(
        "status".into(),
        attribute(record::STATUS).unwrap_or_else(|| Value::String("ENABLED".into())),
    );
    view.insert(
        "no_of_connections".into(),
        attribute(record::NO_OF_CONNECTIONS).unwrap_or(Value::from(0)),
    );
    view.insert("tool_access_config".into(), tool_access_view(auth_config));
    for name in [record::AUTH_SCHEME, record::IS_COMPOSIO_MANAGED] {
        if let Some(value) = attribute(name) {
            view.insert(name.into(), value);
        }
    }
    if let Some(credential) = &auth_config.credential {
        view.insert(
            "credentials".into(),
            Value::Object(secrets(&credential.fields)),
        );
    }
    if let Some(proxy) = record::proxy_config(auth_config) {
        view.insert("proxy_config".into(), Value::Object(secrets(proxy)));
    }
    if let Some(value) = attribute(record::CREATED_BY) {
        view.insert("created_by".into(), value);
    }
    view.insert(
        "created_at".into(),
        Value::String(js_iso(auth_config.created_at)),
    );
    view.insert(
        "last_updated_at".into(),
        Value::String(js_iso(auth_config.updated_at)),
    );
    if let Some(value) = attribute(record::EXPECTED_INPUT_FIELDS) {
        view.insert("expected_input_fields".into(), value);
    }
    view.insert(
        "restrict_to_following_tools".into(),
        attribute(record::RESTRICT_TO_FOLLOWING_TOOLS).unwrap_or_else(|| Value::Array(Vec::new())),
    );
    view.insert(
        "shared_credentials".into(),
        Value::Object(secrets(
            record::shared_credentials(auth_config).unwrap_or(&Map::new()),
        )),
    );
    view.insert(
        "is_enabled_for_tool_router".into(),
        attribute(record::IS_ENABLED_FOR_TOOL_ROUTER).unwrap_or(Value::Bool(false)),
    );
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_redacted_at_any_depth_and_other_fields_kept() {
        let object = json!({
            "client_id": "visible-client-id",
            "client_secret": "a-long-client-secret-0001",
            "api_key": "short",
            "nested": {"access_token": "tok-123456789012", "region": "eu"},
            "refresh_token": null,
            "scopes": ["repo"]
        });
        let object = object.as_object().expect("object");
        assert_eq!(
            Value::Object(redacted(object)),
            json!({
                "client_id": "visible-client-id",
                "client_secret": "****0001",
                "api_key": "****",
                "nested": {"access_token": "****9012", "region": "eu"},
                "refresh_token": null,
                "scopes": ["repo"]
            })
        );
    }
}

//! Composio's JSON: the PATCH request after validation (a union on `type`), the PATCH 200 body, and
//! the auth config as `GET /api/v3.1/auth_configs/{nanoid}` returns it, secrets redacted.

use crate::merge::{
    AUTH_SCHEME, CREATED_BY, EXPECTED_INPUT_FIELDS, IS_COMPOSIO_MANAGED,
    IS_ENABLED_FOR_TOOL_ROUTER, NAME, NO_OF_CONNECTIONS, PROXY_CONFIG, RESTRICT_TO_FOLLOWING_TOOLS,
    SHARED_CREDENTIALS, STATUS, TOOL_ACCESS_CONFIG, TYPE, UUID,
};
use chrono::{DateTime, Utc};
use patchbay_core::{Integration, Patch};
use serde_json::{Map, Value};

/// The discriminator of the request body and of a stored auth config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigType {
    Custom,
    Default,
}

impl ConfigType {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigType::Custom => "custom",
            ConfigType::Default => "default",
        }
    }

    pub fn parse(text: &str) -> Option<ConfigType> {
        match text {
            "custom" => Some(ConfigType::Custom),
            "default" => Some(ConfigType::Default),
            _ => None,
        }
    }
}

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

/// `Date.toISOString()`: milliseconds and `Z`.
pub fn iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
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
pub fn tool_access_view(record: &Integration) -> Value {
    let stored = record.object(TOOL_ACCESS_CONFIG);
    let list = |name: &str| {
        stored
            .and_then(|config| config.get(name))
            .cloned()
            .unwrap_or_else(|| Value::Array(Vec::new()))
    };
    let mut view = Map::new();
    view.insert(
        "tools_for_connected_account_creation".into(),
        list("tools_for_connected_account_creation"),
    );
    view.insert(
        "tools_available_for_execution".into(),
        list("tools_available_for_execution"),
    );
    Value::Object(view)
}

/// The auth config as GET returns it, in Composio's key order. `reveal` shows secrets (the admin view).
pub fn auth_config_view(record: &Integration, reveal: bool) -> Map<String, Value> {
    let attribute = |name: &str| record.attributes.get(name).cloned();
    let secrets = |object: &Map<String, Value>| {
        if reveal {
            object.clone()
        } else {
            redacted(object)
        }
    };
    let mut view = Map::new();
    view.insert("id".into(), Value::String(record.id.clone()));
    view.insert("uuid".into(), attribute(UUID).unwrap_or(Value::Null));
    view.insert(
        "type".into(),
        attribute(TYPE).unwrap_or_else(|| Value::String("custom".into())),
    );
    let mut toolkit = Map::new();
    toolkit.insert("slug".into(), Value::String(record.kind.clone()));
    toolkit.insert("logo".into(), Value::String(logo_url(&record.kind)));
    view.insert("toolkit".into(), Value::Object(toolkit));
    view.insert(
        "name".into(),
        attribute(NAME).unwrap_or_else(|| Value::String(record.kind.clone())),
    );
    view.insert(
        "status".into(),
        attribute(STATUS).unwrap_or_else(|| Value::String("ENABLED".into())),
    );
    view.insert(
        "no_of_connections".into(),
        attribute(NO_OF_CONNECTIONS).unwrap_or(Value::from(0)),
    );
    view.insert("tool_access_config".into(), tool_access_view(record));
    for name in [AUTH_SCHEME, IS_COMPOSIO_MANAGED] {
        if let Some(value) = attribute(name) {
            view.insert(name.into(), value);
        }
    }
    if let Some(credential) = &record.credential {
        view.insert(
            "credentials".into(),
            Value::Object(secrets(&credential.fields)),
        );
    }
    if let Some(proxy) = record.object(PROXY_CONFIG) {
        view.insert(PROXY_CONFIG.into(), Value::Object(secrets(proxy)));
    }
    if let Some(value) = attribute(CREATED_BY) {
        view.insert(CREATED_BY.into(), value);
    }
    view.insert("created_at".into(), Value::String(iso(record.created_at)));
    view.insert(
        "last_updated_at".into(),
        Value::String(iso(record.updated_at)),
    );
    if let Some(value) = attribute(EXPECTED_INPUT_FIELDS) {
        view.insert(EXPECTED_INPUT_FIELDS.into(), value);
    }
    view.insert(
        RESTRICT_TO_FOLLOWING_TOOLS.into(),
        attribute(RESTRICT_TO_FOLLOWING_TOOLS).unwrap_or_else(|| Value::Array(Vec::new())),
    );
    view.insert(
        SHARED_CREDENTIALS.into(),
        Value::Object(secrets(
            record.object(SHARED_CREDENTIALS).unwrap_or(&Map::new()),
        )),
    );
    view.insert(
        IS_ENABLED_FOR_TOOL_ROUTER.into(),
        attribute(IS_ENABLED_FOR_TOOL_ROUTER).unwrap_or(Value::Bool(false)),
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

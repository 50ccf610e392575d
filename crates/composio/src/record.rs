//! How a Composio auth config is stored in a core [`Integration`]: `kind` is the toolkit slug, the
//! attributes are Composio's own field names (the keys below, named after them), and the credential
//! is the `credentials` object, its kind the auth scheme. The wire view, the merge rule and the
//! fixture reader all read and write the record through this module, so none of them needs another.

use patchbay_core::Integration;
use serde_json::{Map, Value};

/// Attribute keys of the stored record.
pub const UUID: &str = "uuid";
pub const TYPE: &str = "type";
pub const NAME: &str = "name";
pub const STATUS: &str = "status";
pub const NO_OF_CONNECTIONS: &str = "no_of_connections";
pub const AUTH_SCHEME: &str = "auth_scheme";
pub const IS_COMPOSIO_MANAGED: &str = "is_composio_managed";
pub const TOOL_ACCESS_CONFIG: &str = "tool_access_config";
pub const RESTRICT_TO_FOLLOWING_TOOLS: &str = "restrict_to_following_tools";
pub const PROXY_CONFIG: &str = "proxy_config";
pub const SHARED_CREDENTIALS: &str = "shared_credentials";
pub const IS_ENABLED_FOR_TOOL_ROUTER: &str = "is_enabled_for_tool_router";
pub const CREATED_BY: &str = "created_by";
pub const EXPECTED_INPUT_FIELDS: &str = "expected_input_fields";

/// The two lists inside the `tool_access_config` attribute.
pub const TOOLS_FOR_CONNECTED_ACCOUNT_CREATION: &str = "tools_for_connected_account_creation";
pub const TOOLS_AVAILABLE_FOR_EXECUTION: &str = "tools_available_for_execution";

/// The keys inside the `proxy_config` attribute.
pub const PROXY_URL: &str = "proxy_url";
pub const PROXY_AUTH_KEY: &str = "proxy_auth_key";

/// Credential fields where a `default` config keeps the scopes it was updated with.
pub const SCOPES: &str = "scopes";
pub const USER_SCOPES: &str = "user_scopes";

/// The credential kind of a config that names no auth scheme, as Composio defaults it.
pub const DEFAULT_AUTH_SCHEME: &str = "OAUTH2";

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

/// The stored config's type (`custom` when the record says nothing else).
pub fn config_type(auth_config: &Integration) -> ConfigType {
    auth_config
        .text(TYPE)
        .and_then(ConfigType::parse)
        .unwrap_or(ConfigType::Custom)
}

/// The auth scheme the config was created with, if it names one.
pub fn auth_scheme(auth_config: &Integration) -> Option<&str> {
    auth_config.text(AUTH_SCHEME)
}

/// The stored `tool_access_config` object, if any.
pub fn tool_access_config(auth_config: &Integration) -> Option<&Map<String, Value>> {
    auth_config.object(TOOL_ACCESS_CONFIG)
}

/// The stored `proxy_config` object, if any.
pub fn proxy_config(auth_config: &Integration) -> Option<&Map<String, Value>> {
    auth_config.object(PROXY_CONFIG)
}

/// The stored `shared_credentials` object, if any.
pub fn shared_credentials(auth_config: &Integration) -> Option<&Map<String, Value>> {
    auth_config.object(SHARED_CREDENTIALS)
}

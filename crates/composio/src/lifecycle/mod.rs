//! What creating, listing, enabling or disabling and deleting do to Composio's auth configs, as pure
//! functions the handlers call around the store: the checks a create makes against the toolkit
//! catalogue, the stored record a create makes, the list's filter, the status change, and the ids
//! Composio generates (`ac_` + 12 nanoid characters, `pj_` + 12 for a revoke job).

use crate::error::ComposioError;
use crate::record::{self, ConfigType};
use crate::toolkits::{self, Toolkit};
use crate::wire::{CreateAuthConfig, CreateVariant, ListAuthConfigs, ProxyConfig};
use patchbay_core::{Credential, Integration, IntegrationPatch, RecordFilter};
use serde_json::{Map, Value};
use std::sync::Arc;

/// The status of a new config, and the one the list hides by default.
pub const ENABLED: &str = "ENABLED";
pub const DISABLED: &str = "DISABLED";

const LOWERCASE: [char; 26] = [
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's',
    't', 'u', 'v', 'w', 'x', 'y', 'z',
];

/// A fresh auth config id: `ac_` and 12 characters of nanoid's default alphabet `[A-Za-z0-9_-]`.
pub fn new_auth_config_id() -> String {
    format!("ac_{}", nanoid::nanoid!(12))
}

/// A fresh revoke job id, as the delete docs show one (`pj_1a2b3c4d5e6f`).
pub fn new_revoke_job_id() -> String {
    format!("pj_{}", nanoid::nanoid!(12))
}

/// The name of a config created without one: the toolkit slug, `-`, six lowercase letters, as
/// configs made in Composio's dashboard are named (`gmail-oxzcjt`).
pub fn default_name(toolkit: &str) -> String {
    format!("{toolkit}-{}", nanoid::nanoid!(6, &LOWERCASE))
}

/// What a create is checked for once its body is valid: the toolkit exists (404), managed auth has
/// an app for it (400 `306`), a custom scheme is one the toolkit offers and its required fields are
/// in `credentials` (400 `301`). Returns the toolkit and the scheme the config will have.
pub fn check_create(
    request: &CreateAuthConfig,
) -> Result<(&'static Toolkit, &'static str), ComposioError> {
    let toolkit = toolkits::find(&request.toolkit)
        .ok_or_else(|| ComposioError::ToolkitNotFound(request.toolkit.clone()))?;
    match &request.variant {
        CreateVariant::ComposioManaged => toolkit
            .managed_scheme
            .map(|scheme| (toolkit, scheme))
            .ok_or_else(|| ComposioError::DefaultAuthConfigNotFound(toolkit.slug.to_string())),
        CreateVariant::Custom { auth_scheme } => {
            let scheme = toolkit
                .custom_schemes
                .iter()
                .copied()
                .find(|scheme| scheme == auth_scheme)
                .ok_or_else(|| {
                    ComposioError::AuthConfigValidation(format!(
                        "Auth scheme \"{auth_scheme}\" is not supported by toolkit \"{}\"",
                        toolkit.slug
                    ))
                })?;
            for field in toolkits::required_fields(scheme) {
                let present = request
                    .credentials
                    .get(field.key)
                    .is_some_and(|value| match value {
                        Value::Null => false,
                        Value::String(text) => !text.trim().is_empty(),
                        _ => true,
                    });
                if !present {
                    return Err(ComposioError::AuthConfigValidation(format!(
                        "Missing required field \"{}\" for auth scheme \"{scheme}\" in toolkit \"{}\" ({})",
                        field.display_name, toolkit.slug, field.description
                    )));
                }
            }
            Ok((toolkit, scheme))
        }
    }
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

/// The record a checked create stores (the store sets its tenant and times). The execution list and
/// the deprecated `restrict_to_following_tools` are one setting, as in an update:
/// `tool_access_config.tools_available_for_execution` wins when both are sent.
pub fn new_auth_config(
    request: &CreateAuthConfig,
    toolkit: &Toolkit,
    auth_scheme: &str,
    id: String,
    uuid: String,
) -> Integration {
    let managed = request.variant == CreateVariant::ComposioManaged;
    let config_type = if managed {
        ConfigType::Default
    } else {
        ConfigType::Custom
    };
    let access = request.tool_access_config.clone().unwrap_or_default();
    let execution = access
        .tools_available_for_execution
        .or_else(|| request.restrict_to_following_tools.clone())
        .unwrap_or_default();
    let creation = access
        .tools_for_connected_account_creation
        .unwrap_or_default();
    let mut tool_access = Map::new();
    tool_access.insert(
        record::TOOLS_FOR_CONNECTED_ACCOUNT_CREATION.into(),
        strings(&creation),
    );
    tool_access.insert(
        record::TOOLS_AVAILABLE_FOR_EXECUTION.into(),
        strings(&execution),
    );

    let mut attributes = Map::new();
    let mut set = |name: &str, value: Value| {
        attributes.insert(name.to_string(), value);
    };
    set(record::UUID, Value::String(uuid));
    set(record::TYPE, Value::String(config_type.as_str().into()));
    set(
        record::NAME,
        Value::String(
            request
                .name
                .clone()
                .unwrap_or_else(|| default_name(toolkit.slug)),
        ),
    );
    set(record::STATUS, Value::String(ENABLED.into()));
    set(record::NO_OF_CONNECTIONS, Value::from(0));
    set(record::TOOL_ACCESS_CONFIG, Value::Object(tool_access));
    set(record::AUTH_SCHEME, Value::String(auth_scheme.into()));
    set(record::IS_COMPOSIO_MANAGED, Value::Bool(managed));
    if let Some(ProxyConfig {
        proxy_url,
        proxy_auth_key,
    }) = &request.proxy_config
    {
        let mut proxy = Map::new();
        proxy.insert(record::PROXY_URL.into(), Value::String(proxy_url.clone()));
        if let Some(key) = proxy_auth_key {
            proxy.insert(record::PROXY_AUTH_KEY.into(), Value::String(key.clone()));
        }
        set(record::PROXY_CONFIG, Value::Object(proxy));
    }
    set(record::EXPECTED_INPUT_FIELDS, Value::Array(Vec::new()));
    set(record::RESTRICT_TO_FOLLOWING_TOOLS, strings(&execution));
    set(
        record::SHARED_CREDENTIALS,
        Value::Object(request.shared_credentials.clone().unwrap_or_default()),
    );
    set(
        record::IS_ENABLED_FOR_TOOL_ROUTER,
        Value::Bool(request.is_enabled_for_tool_router.unwrap_or(false)),
    );
    let now = patchbay_core::model::now_millis();
    Integration {
        tenant: String::new(),
        id,
        kind: toolkit.slug.to_string(),
        attributes,
        credential: Some(Credential::new(auth_scheme, request.credentials.clone())),
        created_at: now,
        updated_at: now,
    }
}

/// Whether a stored config is what a list query asks for: enabled unless `show_disabled`; of one of
/// the toolkits when any are named; managed or not when asked; and, for `search`, with the text in
/// its name or its id, without regard to case.
pub fn matches(query: &ListAuthConfigs, auth_config: &Integration) -> bool {
    if !query.show_disabled && auth_config.text(record::STATUS) == Some(DISABLED) {
        return false;
    }
    if !query.toolkit_slugs.is_empty()
        && !query
            .toolkit_slugs
            .iter()
            .any(|slug| slug.eq_ignore_ascii_case(&auth_config.kind))
    {
        return false;
    }
    if let Some(managed) = query.is_composio_managed {
        let stored = auth_config
            .attributes
            .get(record::IS_COMPOSIO_MANAGED)
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if stored != managed {
            return false;
        }
    }
    match &query.search {
        None => true,
        Some(text) => {
            auth_config
                .text(record::NAME)
                .is_some_and(|name| name.to_lowercase().contains(text))
                || auth_config.id.to_lowercase().contains(text)
        }
    }
}

/// [`matches`] as the store's listing filter.
pub fn list_filter(query: ListAuthConfigs) -> RecordFilter {
    Arc::new(move |auth_config| matches(&query, auth_config))
}

/// The change `PATCH .../{nanoid}/{status}` makes: the status, nothing else (setting the status a
/// config already has is a success that still moves `last_updated_at`).
pub fn status_patch(status: &str) -> IntegrationPatch {
    let mut patch = IntegrationPatch::default();
    patch.set(record::STATUS, Value::String(status.into()));
    patch
}

#[cfg(test)]
mod tests;

//! Composio's update rule ("true PATCH", changelog of 2026-01-14) as a pure function: fields left out
//! are kept; `credentials` (and a default config's `scopes`/`user_scopes`) merge key by key, `""`,
//! `[]` or `null` removing a key; `tool_access_config` lists replace when sent and
//! `restrict_to_following_tools` moves in step with `tools_available_for_execution`;
//! `proxy_config: null` clears it; `shared_credentials` is replaced whole.

use crate::error::ComposioError;
use crate::record;
use crate::wire::{ProxyConfig, UpdateAuthConfig};
use patchbay_core::{Credential, Integration, IntegrationPatch, Patch};
use serde_json::{Map, Value};

/// `""`, `[]` and `null` clear a credential key.
fn clears(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

/// The changes a validated request makes to a stored auth config, or the 301 for a `type` that is
/// not the stored one.
pub fn merge(
    request: &UpdateAuthConfig,
    current: &Integration,
) -> Result<IntegrationPatch, ComposioError> {
    let current_type = record::config_type(current);
    if request.config_type != current_type {
        return Err(ComposioError::AuthConfigValidation(format!(
            "Auth config type mismatch: {} is a {} auth config and cannot be updated with type \"{}\"",
            current.id,
            current_type.as_str(),
            request.config_type.as_str()
        )));
    }
    let mut patch = IntegrationPatch::default();
    if let Some(name) = &request.name {
        patch.set(record::NAME, Value::String(name.clone()));
    }

    // Credentials: key by key. A default config's scopes live in its credentials too.
    let mut changes: Vec<(&str, &Value)> = Vec::new();
    if let Some(credentials) = &request.credentials {
        changes.extend(credentials.iter().map(|(key, value)| (key.as_str(), value)));
    }
    if let Some(scopes) = &request.scopes {
        changes.push((record::SCOPES, scopes));
    }
    if let Some(user_scopes) = &request.user_scopes {
        changes.push((record::USER_SCOPES, user_scopes));
    }
    if request.credentials.is_some() || !changes.is_empty() {
        let (kind, mut fields) = match &current.credential {
            Some(credential) => (credential.kind.clone(), credential.fields.clone()),
            None => (
                record::auth_scheme(current)
                    .unwrap_or(record::DEFAULT_AUTH_SCHEME)
                    .to_string(),
                Map::new(),
            ),
        };
        for (key, value) in changes {
            if clears(value) {
                fields.shift_remove(key);
            } else {
                fields.insert(key.to_string(), value.clone());
            }
        }
        patch.credential = Patch::Set(Credential::new(kind, fields));
    }

    // Tool access: each list sent replaces its stored list; the execution list and the deprecated
    // restrict_to_following_tools are one setting. tool_access_config wins when both are sent.
    let mut execution = request.restrict_to_following_tools.clone();
    let mut creation = None;
    if let Some(access) = &request.tool_access_config {
        if access.tools_available_for_execution.is_some() {
            execution = access.tools_available_for_execution.clone();
        }
        creation = access.tools_for_connected_account_creation.clone();
    }
    if execution.is_some() || creation.is_some() {
        let mut access = record::tool_access_config(current)
            .cloned()
            .unwrap_or_default();
        if let Some(tools) = &creation {
            access.insert(
                record::TOOLS_FOR_CONNECTED_ACCOUNT_CREATION.into(),
                strings(tools),
            );
        }
        if let Some(tools) = &execution {
            access.insert(record::TOOLS_AVAILABLE_FOR_EXECUTION.into(), strings(tools));
            patch.set(record::RESTRICT_TO_FOLLOWING_TOOLS, strings(tools));
        }
        patch.set(record::TOOL_ACCESS_CONFIG, Value::Object(access));
    }

    match &request.proxy_config {
        Patch::Keep => {}
        Patch::Clear => patch.clear(record::PROXY_CONFIG),
        Patch::Set(ProxyConfig {
            proxy_url,
            proxy_auth_key,
        }) => {
            let mut proxy = Map::new();
            proxy.insert(record::PROXY_URL.into(), Value::String(proxy_url.clone()));
            if let Some(key) = proxy_auth_key {
                proxy.insert(record::PROXY_AUTH_KEY.into(), Value::String(key.clone()));
            }
            patch.set(record::PROXY_CONFIG, Value::Object(proxy));
        }
    }
    if let Some(shared) = &request.shared_credentials {
        patch.set(record::SHARED_CREDENTIALS, Value::Object(shared.clone()));
    }
    if let Some(enabled) = request.is_enabled_for_tool_router {
        patch.set(record::IS_ENABLED_FOR_TOOL_ROUTER, Value::Bool(enabled));
    }
    Ok(patch)
}

#[cfg(test)]
mod tests;

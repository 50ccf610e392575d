//! Nango's update rule (`integrationService.update`) as a pure function: the service-level checks in
//! Nango's order, then the changes as a core patch. Top-level fields replace when present,
//! `integration_config` and `custom` merge into `custom`, credentials are replaced whole. The create
//! rule, which builds a new record from the same parts, is in `create`.

mod create;

pub use create::{check_create, check_quickstart, new_integration, quickstart_integration};

use crate::catalogue::{Catalogue, Provider};
use crate::error::NangoError;
use crate::record;
use crate::wire::{CredentialsInput, UpdateIntegration};
use patchbay_core::{Credential, Integration, IntegrationPatch, Patch};
use serde_json::{Map, Value};

/// `new_key_taken`: whether another integration of the tenant already has `request.unique_key`.
pub fn merge(
    request: &UpdateIntegration,
    current: &Integration,
    catalogue: &Catalogue,
    new_key_taken: bool,
) -> Result<IntegrationPatch, NangoError> {
    let provider = catalogue
        .get(&current.kind)
        .ok_or_else(|| NangoError::NotFound(format!("Unknown provider {}", current.kind)))?;
    if let Some(credentials) = &request.credentials {
        if credentials.auth_type() != provider.auth_mode {
            return Err(NangoError::Rejected(
                "incompatible credentials auth type and provider auth".into(),
            ));
        }
    }
    let mut patch = IntegrationPatch::default();
    if let Some(new_key) = request
        .unique_key
        .as_ref()
        .filter(|key| **key != current.id)
    {
        if new_key_taken {
            return Err(NangoError::Rejected(
                "uniqueKey is already used by another integration".into(),
            ));
        }
        if record::connection_count(current) > 0 {
            return Err(NangoError::Rejected(
                "Can't rename an integration with active connections".into(),
            ));
        }
        patch.id = Patch::Set(new_key.clone());
    }
    if let Some(display_name) = &request.display_name {
        patch.set(record::DISPLAY_NAME, Value::String(display_name.clone()));
    }
    if let Some(forward) = request.forward_webhooks {
        patch.set(record::FORWARD_WEBHOOKS, Value::Bool(forward));
    }
    let mut custom = record::custom(current).cloned().unwrap_or_default();
    let mut custom_changed = false;
    if let Some(config) = request
        .integration_config
        .as_ref()
        .filter(|config| !config.is_empty())
    {
        resolve_integration_config(provider, config, &mut custom)?;
        custom_changed = true;
    }
    if let Some(extra) = request.custom.as_ref().filter(|extra| !extra.is_empty()) {
        if provider.integration_config.is_some() {
            return Err(NangoError::Rejected(
                "This provider uses integration_config; set its values there instead of custom"
                    .into(),
            ));
        }
        for (key, value) in extra {
            custom.insert(key.clone(), Value::String(value.clone()));
        }
        custom_changed = true;
    }
    if let Some(credentials) = &request.credentials {
        let kept_scopes = record::credential_field(current, record::SCOPES).cloned();
        patch.credential = Patch::Set(credential(
            credentials,
            kept_scopes,
            &mut custom,
            &mut custom_changed,
        ));
    }
    if custom_changed {
        patch.set(record::CUSTOM, Value::Object(custom));
    }
    Ok(patch)
}

/// Patch-mode resolution against the provider's schema: only the given fields are checked, `""`
/// clears an optional field, and every problem is reported, joined with ", ".
fn resolve_integration_config(
    provider: &Provider,
    config: &[(String, String)],
    custom: &mut Map<String, Value>,
) -> Result<(), NangoError> {
    let Some(schema) = &provider.integration_config else {
        return Err(NangoError::Rejected(
            "This provider does not accept integration configuration".into(),
        ));
    };
    let mut problems = Vec::new();
    let mut resolved = Vec::new();
    for (key, value) in config {
        let Some(field) = schema.get(key) else {
            problems.push(format!("Unknown field {key}"));
            continue;
        };
        if value.is_empty() {
            if field.required {
                problems.push(format!("{} is required", field.title));
            } else {
                resolved.push((key, None));
            }
            continue;
        }
        if let Some(allowed) = &field.allowed {
            if !allowed.contains(value) {
                problems.push(format!(
                    "{} must be one of: {}",
                    field.title,
                    allowed.join(", ")
                ));
                continue;
            }
        }
        if let Some(pattern) = &field.pattern {
            if !pattern.is_match(value) {
                problems.push(format!("{} has an invalid format", field.title));
                continue;
            }
        }
        if field.uri && !is_http_url(value) {
            problems.push(format!("{} must be a valid http or https URL", field.title));
            continue;
        }
        resolved.push((key, Some(value)));
    }
    if !problems.is_empty() {
        return Err(NangoError::Rejected(problems.join(", ")));
    }
    for (key, value) in resolved {
        match value {
            Some(value) => custom.insert(key.clone(), Value::String(value.clone())),
            None => custom.shift_remove(key),
        };
    }
    Ok(())
}

/// `format: uri` as Nango checks it: an absolute http(s) URL with a host.
fn is_http_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !value.chars().any(char::is_whitespace)
    })
}

fn json_string(value: &str) -> Value {
    Value::String(value.to_string())
}

/// The stored credential for a request's credentials, replacing the old one whole. A missing
/// `scopes` stores `kept_scopes` (on PATCH the stored scopes: Nango writes `undefined`, which its
/// query builder skips).
fn credential(
    input: &CredentialsInput,
    kept_scopes: Option<Value>,
    custom: &mut Map<String, Value>,
    custom_changed: &mut bool,
) -> Credential {
    let mut fields = Map::new();
    match input {
        CredentialsInput::OAuth {
            auth_type,
            client_id,
            client_secret,
            scopes,
            webhook_secret,
        } => {
            fields.insert(record::CLIENT_ID.into(), json_string(client_id));
            fields.insert(record::CLIENT_SECRET.into(), json_string(client_secret));
            let scopes = scopes
                .as_deref()
                .map(json_string)
                .or(kept_scopes)
                .unwrap_or(Value::Null);
            fields.insert(record::SCOPES.into(), scopes);
            if auth_type == "OAUTH2" {
                match webhook_secret.as_deref() {
                    None => {}
                    Some("") => {
                        custom.shift_remove(record::WEBHOOK_SECRET);
                        *custom_changed = true;
                    }
                    Some(secret) => {
                        custom.insert(record::WEBHOOK_SECRET.into(), json_string(secret));
                        *custom_changed = true;
                    }
                }
            }
            Credential::new(auth_type.clone(), fields)
        }
        CredentialsInput::App {
            app_id,
            app_link,
            private_key,
        } => {
            use base64::Engine;
            fields.insert(record::APP_ID.into(), json_string(app_id));
            fields.insert(record::APP_LINK.into(), json_string(app_link));
            // Nango stores an APP private key base64-encoded, and GET shows what is stored.
            let encoded = base64::engine::general_purpose::STANDARD.encode(private_key);
            fields.insert(record::PRIVATE_KEY.into(), Value::String(encoded));
            Credential::new("APP", fields)
        }
        CredentialsInput::Custom {
            client_id,
            client_secret,
            app_id,
            app_link,
            private_key,
        } => {
            fields.insert(record::CLIENT_ID.into(), json_string(client_id));
            fields.insert(record::CLIENT_SECRET.into(), json_string(client_secret));
            fields.insert(record::APP_ID.into(), json_string(app_id));
            fields.insert(record::APP_LINK.into(), json_string(app_link));
            fields.insert(record::PRIVATE_KEY.into(), json_string(private_key));
            // Nango's CUSTOM credentials also copy the app id and private key into `custom`.
            custom.insert(record::APP_ID.into(), json_string(app_id));
            custom.insert(record::PRIVATE_KEY.into(), json_string(private_key));
            *custom_changed = true;
            Credential::new("CUSTOM", fields)
        }
    }
}

#[cfg(test)]
mod tests;

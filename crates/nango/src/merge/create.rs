//! Nango's create rule (`integrationService.create` with the controller's error table) as pure
//! functions, split where the store's duplicate check falls between them: the provider and
//! credential checks come before Nango looks the key up, `integration_config` and `custom` after,
//! so a taken key is reported only for a request whose provider and credentials are acceptable.

use super::credential;
use crate::catalogue::{Catalogue, ConfigSchema, Provider};
use crate::error::{Issue, NangoError};
use crate::record;
use crate::wire::{CreateIntegration, CredentialsInput};
use patchbay_core::{model::now_millis, Integration};
use serde_json::{Map, Value};

/// `invalid_provider`: the body names a provider the catalogue does not have.
fn invalid_provider() -> NangoError {
    NangoError::InvalidBody(vec![Issue::new(
        "invalid_string",
        "Invalid provider",
        &["provider"],
    )])
}

/// The checks of a create that come before the duplicate check: the provider exists, credentials
/// (if sent) are of its auth mode, and a provider that needs credentials got them.
pub fn check_create<'c>(
    request: &CreateIntegration,
    catalogue: &'c Catalogue,
) -> Result<&'c Provider, NangoError> {
    let provider = catalogue
        .get(&request.provider)
        .ok_or_else(invalid_provider)?;
    match &request.credentials {
        Some(credentials) if credentials.auth_type() != provider.auth_mode => Err(
            NangoError::Rejected("incompatible credentials auth type and provider auth".into()),
        ),
        None if provider.requires_credentials() => {
            Err(NangoError::Rejected("Missing credentials".into()))
        }
        _ => Ok(provider),
    }
}

/// The checks of a quickstart that come before the duplicate check: the provider exists and is one
/// Nango lends its own developer app for.
pub fn check_quickstart<'c>(
    request: &CreateIntegration,
    catalogue: &'c Catalogue,
) -> Result<&'c Provider, NangoError> {
    let provider = catalogue
        .get(&request.provider)
        .ok_or_else(invalid_provider)?;
    if !provider.offers_quickstart() {
        return Err(NangoError::Rejected(
            "Quickstart is only available for providers that require a developer app".into(),
        ));
    }
    Ok(provider)
}

/// A quickstart's record, once its key is known to be free. patchbay holds none of Nango's own
/// developer apps, so this is always the answer Nango gives a provider without one.
pub fn quickstart_integration(
    _request: &CreateIntegration,
    _provider: &Provider,
) -> Result<Integration, NangoError> {
    Err(NangoError::Rejected(
        "No Nango-provided developer app is configured for this provider".into(),
    ))
}

/// The new record, once its key is known to be free: the credentials applied, `integration_config`
/// resolved in create mode and merged into `custom`, then `custom` merged (refused for providers
/// with an `integration_config` schema), default scopes for OAuth credentials sent without scopes.
/// The store sets the tenant and both timestamps.
pub fn new_integration(
    request: &CreateIntegration,
    provider: &Provider,
) -> Result<Integration, NangoError> {
    let mut custom = Map::new();
    let mut custom_changed = false;
    let credential = request.credentials.as_ref().map(|credentials| {
        let mut stored = credential(credentials, None, &mut custom, &mut custom_changed);
        if let Some(scopes) = default_scopes(credentials, provider) {
            stored.fields.insert(record::SCOPES.into(), scopes);
        }
        stored
    });
    if let Some(config) = request
        .integration_config
        .as_ref()
        .filter(|config| !config.is_empty())
    {
        let Some(schema) = &provider.integration_config else {
            return Err(NangoError::Rejected(
                "This provider does not accept integration configuration".into(),
            ));
        };
        for (key, value) in resolve_integration_config(schema, config)? {
            custom.insert(key, Value::String(value));
        }
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
    }
    let mut attributes = Map::new();
    attributes.insert(
        record::DISPLAY_NAME.into(),
        request
            .display_name
            .clone()
            .map_or(Value::Null, Value::String),
    );
    attributes.insert(
        record::FORWARD_WEBHOOKS.into(),
        Value::Bool(request.forward_webhooks.unwrap_or(true)),
    );
    attributes.insert(record::CUSTOM.into(), Value::Object(custom));
    attributes.insert(record::CONNECTION_COUNT.into(), Value::from(0));
    let now = now_millis();
    Ok(Integration {
        tenant: String::new(),
        id: request.unique_key.clone(),
        kind: request.provider.clone(),
        attributes,
        credential,
        created_at: now,
        updated_at: now,
    })
}

/// `createProviderConfig`: OAuth credentials without scopes (or with empty ones) get the
/// provider's default scopes, joined with commas, when it has any.
fn default_scopes(credentials: &CredentialsInput, provider: &Provider) -> Option<Value> {
    let CredentialsInput::OAuth { scopes, .. } = credentials else {
        return None;
    };
    let unset = scopes.as_deref().is_none_or(str::is_empty);
    (unset && !provider.default_scopes.is_empty())
        .then(|| Value::String(provider.default_scopes.join(",")))
}

/// Create-mode resolution against the provider's schema: unknown keys first, then every field in
/// the schema's order (an empty one takes its default, else is refused when required), and
/// every problem reported, joined with ", ". Returns the values to store.
fn resolve_integration_config(
    schema: &ConfigSchema,
    submitted: &[(String, String)],
) -> Result<Vec<(String, String)>, NangoError> {
    let mut problems = Vec::new();
    for (key, _) in submitted {
        if schema.get(key).is_none() {
            problems.push(format!("Unknown field {key}"));
        }
    }
    let mut resolved = Vec::new();
    for (name, field) in schema.fields() {
        let given = submitted
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty());
        let Some(value) = given.or(field.default_value.as_deref()) else {
            if field.required {
                problems.push(format!("{} is required", field.title));
            }
            continue;
        };
        if let Some(allowed) = field.allowed.as_ref().filter(|allowed| !allowed.is_empty()) {
            if !allowed.iter().any(|option| option == value) {
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
        if field.uri {
            // `new URL(value).protocol`, which the url crate parses the same way (WHATWG).
            match url::Url::parse(value) {
                Err(_) => {
                    problems.push(format!("{} must be a valid URL", field.title));
                    continue;
                }
                Ok(parsed) if !matches!(parsed.scheme(), "http" | "https") => {
                    problems.push(format!("{} must be an http(s) URL", field.title));
                    continue;
                }
                Ok(_) => {}
            }
        }
        resolved.push((name.to_string(), value.to_string()));
    }
    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(NangoError::Rejected(problems.join(", ")))
    }
}

#[cfg(test)]
mod tests;

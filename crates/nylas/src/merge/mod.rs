//! Nylas's update rule ("Updating objects" in v3) as pure functions: top-level fields left out are
//! kept, a nested object that is sent (a credential's `credential_data`, a connector's `settings`)
//! replaces the stored one whole, and so does a sent `scope` array. Before that, the service-level
//! checks in order. A credential: it must belong to the path's connector, `credential_type` cannot
//! change, `credential_data` must hold what the credential's type needs, and a name must be unique
//! within the connector. A connector: an `active_credential_id` must name one of its credentials.

use crate::error::{credential_not_found, name_taken, not_a_credential_of, NylasError};
use crate::record;
use crate::wire::{UpdateConnector, UpdateCredential};
use chrono::{DateTime, Duration, DurationRound, Utc};
use patchbay_core::{Credential, Integration, IntegrationPatch, Patch};
use serde_json::Value;

/// `provider`: the connector in the path. `name_holders`: ids of the credentials of that connector
/// that held the requested name when the request arrived.
pub fn merge(
    request: &UpdateCredential,
    provider: &str,
    current: &Integration,
    name_holders: &[String],
) -> Result<IntegrationPatch, NylasError> {
    if !record::is_credential_of(current, provider) {
        return Err(credential_not_found(&current.id));
    }
    let stored_type = record::credential_type(current);
    if let Some(requested) = &request.credential_type {
        if requested != stored_type {
            return Err(NylasError::InvalidRequest(format!(
                "credential_type cannot be changed: this credential is of type {stored_type}"
            )));
        }
    }
    let mut patch = IntegrationPatch::default();
    if let Some(data) = &request.credential_data {
        record::check_credential_data(stored_type, data).map_err(NylasError::InvalidRequest)?;
        patch.credential = Patch::Set(Credential::new(stored_type, data.clone()));
    }
    if let Some(name) = &request.name {
        if record::name(current) != Some(name.as_str())
            && name_holders.iter().any(|holder| *holder != current.id)
        {
            return Err(name_taken(name, provider));
        }
        patch.set(record::NAME, Value::String(name.clone()));
    }
    Ok(patch)
}

/// The update of `provider`'s connector. `credential_ids`: the ids of its credentials when the
/// request arrived (needed only when it names an active credential).
pub fn merge_connector(
    request: &UpdateConnector,
    provider: &str,
    credential_ids: &[String],
) -> Result<IntegrationPatch, NylasError> {
    let mut patch = IntegrationPatch::default();
    if let Some(active) = &request.active_credential_id {
        if !credential_ids.contains(active) {
            return Err(not_a_credential_of(active, provider));
        }
        patch.set(record::ACTIVE_CREDENTIAL_ID, Value::String(active.clone()));
    }
    if let Some(name) = &request.name {
        patch.set(record::NAME, Value::String(name.clone()));
    }
    if let Some(scope) = &request.scope {
        patch.set(record::SCOPE, record::scope_value(scope));
    }
    if let Some(settings) = &request.settings {
        patch.credential = Patch::Set(Credential::new(record::SETTINGS_KIND, settings.clone()));
    }
    Ok(patch)
}

/// Nylas shows `updated_at` in whole seconds, and every successful PATCH must show a later one. The
/// store moves `updated_at` to `max(now, stored + 1 ms)`; setting the stored value to the last
/// millisecond of its second first makes that at least the start of the next second. A burst of
/// writes to one credential within a second therefore runs ahead of the clock by up to one second
/// per write, and follows the clock again once it catches up.
pub fn last_millisecond_of_its_second(updated_at: DateTime<Utc>) -> DateTime<Utc> {
    let second = updated_at
        .duration_trunc(Duration::seconds(1))
        .unwrap_or(updated_at);
    second + Duration::milliseconds(999)
}

#[cfg(test)]
mod tests;

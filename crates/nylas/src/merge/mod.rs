//! Nylas's update rule ("Updating objects" in v3) as a pure function: top-level fields left out are
//! kept, a nested object that is sent (`credential_data`) replaces the stored one whole. Before
//! that, the service-level checks in order: the credential must belong to the path's connector,
//! `credential_type` cannot change, `credential_data` must hold what the credential's type needs,
//! and a name must be unique within the connector.

use crate::error::{credential_not_found, NylasError};
use crate::record;
use crate::wire::UpdateCredential;
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
    if current.kind != provider {
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
            return Err(NylasError::InvalidRequest(format!(
                "A credential named \"{name}\" already exists for connector {provider}"
            )));
        }
        patch.set(record::NAME, Value::String(name.clone()));
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

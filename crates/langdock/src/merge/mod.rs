//! Langdock's update rules as pure functions. The update: each field sent replaces the stored one,
//! every other field stays as it is (an empty body changes nothing but `updated_at`). The auth
//! update: `authType` is replaced, each other field sent replaces the stored one (`null` clears
//! it), and a type without an OAuth client drops the stored client and its secret. An action's
//! delete: that action leaves the record's list, the others stay as they are.

use crate::record;
use crate::wire::{UpdateAuth, UpdateIntegration};
use patchbay_core::{Integration, IntegrationPatch, Patch};
use serde_json::Value;

pub fn merge(request: &UpdateIntegration) -> IntegrationPatch {
    let mut patch = IntegrationPatch::default();
    for (attribute, value) in [
        (record::NAME, &request.name),
        (record::DESCRIPTION, &request.description),
        (record::ICON_URL, &request.icon_url),
        (record::COLOR, &request.color),
    ] {
        if let Some(value) = value {
            patch.set(attribute, Value::String(value.clone()));
        }
    }
    patch
}

/// The auth update rule: the record's new kind (its `authType`) and the patch of its attributes
/// and credential.
pub fn auth(request: &UpdateAuth) -> (String, IntegrationPatch) {
    let mut patch = IntegrationPatch::default();
    if let Some(fields) = &request.auth_fields {
        patch.set(record::AUTH_FIELDS, Value::Array(fields.clone()));
    }
    match &request.auth_test_code {
        Patch::Keep => {}
        Patch::Clear => patch.set(record::AUTH_TEST_CODE, Value::Null),
        Patch::Set(code) => patch.set(record::AUTH_TEST_CODE, Value::String(code.clone())),
    }
    let has_client = record::OAUTH_AUTH_TYPES.contains(&request.auth_type.as_str());
    match &request.oauth_client {
        Patch::Set(client) if has_client => {
            patch.set(record::OAUTH_CLIENT, Value::Object(client.shown.clone()));
            patch.credential = match &client.client_secret {
                Patch::Keep => Patch::Keep,
                Patch::Clear => Patch::Clear,
                Patch::Set(secret) => Patch::Set(record::client_secret_credential(secret.clone())),
            };
        }
        Patch::Keep if has_client => {}
        _ => {
            patch.set(record::OAUTH_CLIENT, Value::Null);
            patch.credential = Patch::Clear;
        }
    }
    (request.auth_type.clone(), patch)
}

/// An action's delete: the record's actions without the one with `action_id` (`None` when it has
/// no such action). The other actions keep their order and their `order` fields.
pub fn without_action(record: &Integration, action_id: &str) -> Option<IntegrationPatch> {
    let Value::Array(actions) = record::actions(record) else {
        return None;
    };
    let is_it = |action: &Value| action.get("id").and_then(Value::as_str) == Some(action_id);
    if !actions.iter().any(is_it) {
        return None;
    }
    let kept = actions
        .into_iter()
        .filter(|action| !is_it(action))
        .collect();
    let mut patch = IntegrationPatch::default();
    patch.set(record::ACTIONS, Value::Array(kept));
    Some(patch)
}

#[cfg(test)]
mod tests;

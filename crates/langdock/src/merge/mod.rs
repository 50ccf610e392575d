//! Langdock's update rule as a pure function: each field sent replaces the stored one, every other
//! field stays as it is. (An empty body changes nothing but `updated_at`.)

use crate::wire::UpdateIntegration;
use patchbay_core::IntegrationPatch;
use serde_json::Value;

/// Attribute names in the stored record (Langdock's own field names).
pub const NAME: &str = "name";
pub const DESCRIPTION: &str = "description";
pub const ICON_URL: &str = "iconUrl";
pub const COLOR: &str = "color";
pub const AUTH_TEST_CODE: &str = "authTestCode";
pub const AUTH_FIELDS: &str = "authFields";
pub const OAUTH_CLIENT: &str = "oauthClient";
pub const ACTIONS: &str = "actions";
pub const TRIGGERS: &str = "triggers";

pub fn merge(request: &UpdateIntegration) -> IntegrationPatch {
    let mut patch = IntegrationPatch::default();
    for (attribute, value) in [
        (NAME, &request.name),
        (DESCRIPTION, &request.description),
        (ICON_URL, &request.icon_url),
        (COLOR, &request.color),
    ] {
        if let Some(value) = value {
            patch.set(attribute, Value::String(value.clone()));
        }
    }
    patch
}

#[cfg(test)]
mod tests;

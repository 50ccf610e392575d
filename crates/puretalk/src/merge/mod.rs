//! Puretalk's update rule as a pure function: `data` is replaced whole by the one sent (VENDORS.md
//! §8: whether Puretalk merges is unknown, so patchbay replaces). Nothing else changes.

use crate::wire::UpdateIntegration;
use patchbay_core::{Credential, IntegrationPatch, Patch};
use serde_json::{Map, Value};

/// Attribute names in the stored record (Puretalk's own field names).
pub const FRIENDLY_APP_NAME: &str = "friendly_app_name";
pub const LOGO: &str = "logo";
pub const TOOLS: &str = "tools";
pub const IS_CUSTOM_TOOL: &str = "is_custom_tool";
/// The credential's kind: it holds the integration's `data` object.
pub const DATA: &str = "data";
pub const API_KEY: &str = "api_key";

pub fn merge(request: &UpdateIntegration) -> IntegrationPatch {
    let mut data = Map::new();
    data.insert(API_KEY.into(), Value::String(request.api_key.clone()));
    IntegrationPatch {
        credential: Patch::Set(Credential::new(DATA, data)),
        ..IntegrationPatch::default()
    }
}

#[cfg(test)]
mod tests;

//! Langdock's update rule as a pure function: each field sent replaces the stored one, every other
//! field stays as it is. (An empty body changes nothing but `updated_at`.)

use crate::record;
use crate::wire::UpdateIntegration;
use patchbay_core::IntegrationPatch;
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

#[cfg(test)]
mod tests;

//! Puretalk's update rule as a pure function: `data` is replaced whole by the one sent (VENDORS.md
//! §8: whether Puretalk merges is unknown, so patchbay replaces). Nothing else changes.

use crate::record;
use crate::wire::UpdateIntegration;
use patchbay_core::{IntegrationPatch, Patch};
use serde_json::{Map, Value};

pub fn merge(request: &UpdateIntegration) -> IntegrationPatch {
    let mut data = Map::new();
    data.insert(
        record::API_KEY.into(),
        Value::String(request.api_key.clone()),
    );
    IntegrationPatch {
        credential: Patch::Set(record::data_credential(data)),
        ..IntegrationPatch::default()
    }
}

#[cfg(test)]
mod tests;

//! Langdock's JSON, byte for byte: the PATCH request after validation, the PATCH answer
//! `{integration:{id,name,description}}` and the GET answer in the documented key order.

use crate::record;
use serde::Serialize;
use serde_json::Value;

/// A validated PATCH body: only the fields sent are `Some`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateIntegration {
    pub name: Option<String>,
    pub description: Option<String>,
    pub icon_url: Option<String>,
    pub color: Option<String>,
}

/// `{"integration": ...}`
#[derive(Debug, Serialize)]
pub struct IntegrationEnvelope<T> {
    pub integration: T,
}

/// PATCH's 200: these three fields and nothing else.
#[derive(Debug, Serialize)]
pub struct UpdatedIntegration {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// GET's integration, keys in the documented order. OAuth client secrets are write-only and never
/// appear here.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationDetails {
    pub id: String,
    pub name: String,
    pub description: String,
    pub auth_type: String,
    pub auth_test_code: Value,
    pub auth_fields: Value,
    pub oauth_client: Value,
    pub actions: Value,
    pub triggers: Value,
}

pub fn updated_integration(record: &patchbay_core::Integration) -> UpdatedIntegration {
    UpdatedIntegration {
        id: record.id.clone(),
        name: record::name(record).to_string(),
        description: record::description(record).to_string(),
    }
}

pub fn integration_details(record: &patchbay_core::Integration) -> IntegrationDetails {
    IntegrationDetails {
        id: record.id.clone(),
        name: record::name(record).to_string(),
        description: record::description(record).to_string(),
        auth_type: record.kind.clone(),
        auth_test_code: record::auth_test_code(record),
        auth_fields: record::auth_fields(record),
        oauth_client: record::oauth_client(record),
        actions: record::actions(record),
        triggers: record::triggers(record),
    }
}

//! Langdock's JSON, byte for byte: the PATCH request after validation, the PATCH answer
//! `{integration:{id,name,description}}` and the GET answer in the documented key order.

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

fn attribute(record: &patchbay_core::Integration, name: &str, default: Value) -> Value {
    record.attributes.get(name).cloned().unwrap_or(default)
}

fn text(record: &patchbay_core::Integration, name: &str) -> String {
    record.text(name).unwrap_or_default().to_string()
}

pub fn updated_integration(record: &patchbay_core::Integration) -> UpdatedIntegration {
    use crate::merge::{DESCRIPTION, NAME};
    UpdatedIntegration {
        id: record.id.clone(),
        name: text(record, NAME),
        description: text(record, DESCRIPTION),
    }
}

pub fn integration_details(record: &patchbay_core::Integration) -> IntegrationDetails {
    use crate::merge::{
        ACTIONS, AUTH_FIELDS, AUTH_TEST_CODE, DESCRIPTION, NAME, OAUTH_CLIENT, TRIGGERS,
    };
    IntegrationDetails {
        id: record.id.clone(),
        name: text(record, NAME),
        description: text(record, DESCRIPTION),
        auth_type: record.kind.clone(),
        auth_test_code: attribute(record, AUTH_TEST_CODE, Value::Null),
        auth_fields: attribute(record, AUTH_FIELDS, Value::Array(Vec::new())),
        oauth_client: attribute(record, OAUTH_CLIENT, Value::Null),
        actions: attribute(record, ACTIONS, Value::Array(Vec::new())),
        triggers: attribute(record, TRIGGERS, Value::Array(Vec::new())),
    }
}

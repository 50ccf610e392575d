//! Langdock's JSON, byte for byte: the requests after validation (update, create, auth update),
//! the PATCH answer `{integration:{id,name,description}}`, the create answer (with `createdAt`),
//! the list's items and the GET answer, each in the documented key order.

use crate::record;
use patchbay_core::Patch;
use serde::Serialize;
use serde_json::{Map, Value};

/// A validated PATCH body: only the fields sent are `Some`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateIntegration {
    pub name: Option<String>,
    pub description: Option<String>,
    pub icon_url: Option<String>,
    pub color: Option<String>,
}

/// A validated create body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntegration {
    pub name: String,
    /// `""` when not sent.
    pub description: String,
}

/// A validated auth update: the new `authType`, and for each other field, what changes.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateAuth {
    pub auth_type: String,
    /// The auth fields as stored (ids assigned); `None` keeps the stored ones.
    pub auth_fields: Option<Vec<Value>>,
    /// `null` clears the code.
    pub auth_test_code: Patch<String>,
    /// `null` clears the client (and its secret).
    pub oauth_client: Patch<OauthClient>,
}

/// An OAuth client as sent: what GET shows, and its write-only secret.
#[derive(Debug, Clone, PartialEq)]
pub struct OauthClient {
    /// Every field sent but `clientSecret`.
    pub shown: Map<String, Value>,
    /// Not sent: the stored secret stays; `null`: it goes.
    pub client_secret: Patch<String>,
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

/// Create's 201: the documented four fields.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedIntegration {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: String,
}

/// `{"integrations": [...]}`
#[derive(Debug, Serialize)]
pub struct IntegrationsEnvelope {
    pub integrations: Vec<ListedIntegration>,
}

/// One item of the list, keys in the documented order.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedIntegration {
    pub id: String,
    pub name: String,
    pub description: String,
    pub auth_type: String,
    pub build_by_langdock: bool,
    pub actions: Vec<ListedAction>,
}

/// An action as the list shows it: no `slug`, no `order` (GET one has them).
#[derive(Debug, Serialize)]
pub struct ListedAction {
    pub id: Value,
    pub name: Value,
    pub description: Value,
}

/// The answer of an action's delete: `{"message":"Action deleted","id":...}`.
#[derive(Debug, Serialize)]
pub struct ActionDeleted {
    pub message: &'static str,
    pub id: String,
}

/// The `message` of [`ActionDeleted`].
pub const ACTION_DELETED: &str = "Action deleted";

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

pub fn created_integration(record: &patchbay_core::Integration) -> CreatedIntegration {
    CreatedIntegration {
        id: record.id.clone(),
        name: record::name(record).to_string(),
        description: record::description(record).to_string(),
        created_at: patchbay_http::js_iso(record.created_at),
    }
}

pub fn listed_integration(record: &patchbay_core::Integration) -> ListedIntegration {
    let actions = match record::actions(record) {
        Value::Array(actions) => actions.iter().map(listed_action).collect(),
        _ => Vec::new(),
    };
    ListedIntegration {
        id: record.id.clone(),
        name: record::name(record).to_string(),
        description: record::description(record).to_string(),
        auth_type: record.kind.clone(),
        build_by_langdock: record::build_by_langdock(record),
        actions,
    }
}

fn listed_action(action: &Value) -> ListedAction {
    let field = |name: &str| action.get(name).cloned().unwrap_or(Value::Null);
    ListedAction {
        id: field("id"),
        name: field("name"),
        description: field("description"),
    }
}

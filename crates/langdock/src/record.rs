//! How a Langdock integration is kept in the core model: its attribute keys (Langdock's own field
//! names, which the fixture format and the admin view reuse as they are), with the defaults GET
//! shows for absent ones, and the credential that holds the OAuth client's write-only secret. The
//! wire shapes, the merge rule and the fixture reader all read and write the record through this
//! module, so none of them needs another for a key. The record's kind is its `authType`.

use patchbay_core::{Credential, Integration};
use serde_json::{Map, Value};

pub const NAME: &str = "name";
pub const DESCRIPTION: &str = "description";
pub const ICON_URL: &str = "iconUrl";
pub const COLOR: &str = "color";
/// Whether Langdock built the integration (`false` for the workspace's own, created through the API).
pub const BUILD_BY_LANGDOCK: &str = "buildByLangdock";
pub const AUTH_TEST_CODE: &str = "authTestCode";
pub const AUTH_FIELDS: &str = "authFields";
/// The OAuth client as shown, without its secret (kept as the credential).
pub const OAUTH_CLIENT: &str = "oauthClient";
pub const ACTIONS: &str = "actions";
pub const TRIGGERS: &str = "triggers";

/// The `authType` of a record that has not set one (a new integration's).
pub const NO_AUTH: &str = "NONE";
/// The `authType`s Langdock documents.
pub const AUTH_TYPES: &[&str] = &["NONE", "API_KEY", "SERVICE_ACCOUNT", "OAUTH", "OAUTH_DCR"];
/// The `authType`s whose integrations have an OAuth client.
pub const OAUTH_AUTH_TYPES: &[&str] = &["OAUTH", "OAUTH_DCR"];

/// The kind of the credential holding the OAuth client's secret.
pub const CLIENT_SECRET_CREDENTIAL: &str = "OAUTH_CLIENT_SECRET";
/// The OAuth client's write-only field, the one field of that credential.
pub const CLIENT_SECRET: &str = "clientSecret";

pub fn name(record: &Integration) -> &str {
    record.text(NAME).unwrap_or_default()
}

pub fn description(record: &Integration) -> &str {
    record.text(DESCRIPTION).unwrap_or_default()
}

/// False when absent: an integration of the workspace's own.
pub fn build_by_langdock(record: &Integration) -> bool {
    record
        .attributes
        .get(BUILD_BY_LANGDOCK)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Null when absent.
pub fn auth_test_code(record: &Integration) -> Value {
    attribute_or(record, AUTH_TEST_CODE, Value::Null)
}

/// An empty list when absent.
pub fn auth_fields(record: &Integration) -> Value {
    attribute_or(record, AUTH_FIELDS, Value::Array(Vec::new()))
}

/// Null when absent.
pub fn oauth_client(record: &Integration) -> Value {
    attribute_or(record, OAUTH_CLIENT, Value::Null)
}

/// An empty list when absent.
pub fn actions(record: &Integration) -> Value {
    attribute_or(record, ACTIONS, Value::Array(Vec::new()))
}

/// An empty list when absent.
pub fn triggers(record: &Integration) -> Value {
    attribute_or(record, TRIGGERS, Value::Array(Vec::new()))
}

pub fn client_secret(record: &Integration) -> Option<&str> {
    record.credential.as_ref()?.text(CLIENT_SECRET)
}

/// The credential a record keeps for its OAuth client's secret.
pub fn client_secret_credential(secret: String) -> Credential {
    let mut fields = Map::new();
    fields.insert(CLIENT_SECRET.into(), Value::String(secret));
    Credential::new(CLIENT_SECRET_CREDENTIAL, fields)
}

/// A new integration of the workspace's own, as a create stores it (the store sets its tenant and
/// times): no authentication, no auth fields, no OAuth client, no actions or triggers.
pub fn new_integration(id: String, name: String, description: String) -> Integration {
    let mut attributes = Map::new();
    attributes.insert(NAME.into(), Value::String(name));
    attributes.insert(DESCRIPTION.into(), Value::String(description));
    attributes.insert(BUILD_BY_LANGDOCK.into(), Value::Bool(false));
    attributes.insert(AUTH_TEST_CODE.into(), Value::Null);
    attributes.insert(AUTH_FIELDS.into(), Value::Array(Vec::new()));
    attributes.insert(OAUTH_CLIENT.into(), Value::Null);
    attributes.insert(ACTIONS.into(), Value::Array(Vec::new()));
    attributes.insert(TRIGGERS.into(), Value::Array(Vec::new()));
    let now = patchbay_core::model::now_millis();
    Integration {
        tenant: String::new(),
        id,
        kind: NO_AUTH.into(),
        attributes,
        credential: None,
        created_at: now,
        updated_at: now,
    }
}

fn attribute_or(record: &Integration, name: &str, default: Value) -> Value {
    record.attributes.get(name).cloned().unwrap_or(default)
}

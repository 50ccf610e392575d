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
pub const AUTH_TEST_CODE: &str = "authTestCode";
pub const AUTH_FIELDS: &str = "authFields";
/// The OAuth client as shown, without its secret (kept as the credential).
pub const OAUTH_CLIENT: &str = "oauthClient";
pub const ACTIONS: &str = "actions";
pub const TRIGGERS: &str = "triggers";

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

fn attribute_or(record: &Integration, name: &str, default: Value) -> Value {
    record.attributes.get(name).cloned().unwrap_or(default)
}

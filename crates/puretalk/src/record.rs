//! How a Puretalk integration is kept in the core model: `app_name` is the record's kind, its
//! attribute keys are Puretalk's own field names (which the fixture format reuses as they are), and
//! the integration's secret `data` object is its credential. The wire shape, the merge rule and
//! the fixture reader all read and write the record through this module, so none of them needs
//! another for a key.

use patchbay_core::{Credential, Integration};
use serde_json::{Map, Value};

/// Shown as the app name; the fixture reader fills it with `app_name` when absent.
pub const FRIENDLY_APP_NAME: &str = "friendly_app_name";
pub const LOGO: &str = "logo";
pub const TOOLS: &str = "tools";
pub const IS_CUSTOM_TOOL: &str = "is_custom_tool";

/// The kind of the credential holding the integration's `data` object.
pub const DATA_CREDENTIAL: &str = "data";
/// The one field of `data` Puretalk validates.
pub const API_KEY: &str = "api_key";

/// The app name when none is stored.
pub fn friendly_app_name(record: &Integration) -> &str {
    record.text(FRIENDLY_APP_NAME).unwrap_or(&record.kind)
}

/// Null when absent.
pub fn logo(record: &Integration) -> Value {
    record.attributes.get(LOGO).cloned().unwrap_or(Value::Null)
}

/// An empty list when absent.
pub fn tools(record: &Integration) -> Value {
    record
        .attributes
        .get(TOOLS)
        .cloned()
        .unwrap_or_else(|| Value::Array(Vec::new()))
}

/// False when absent.
pub fn is_custom_tool(record: &Integration) -> bool {
    record
        .attributes
        .get(IS_CUSTOM_TOOL)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The `data` object, empty when the record has none.
pub fn data(record: &Integration) -> Value {
    record
        .credential
        .as_ref()
        .map(|credential| Value::Object(credential.fields.clone()))
        .unwrap_or_else(|| Value::Object(Map::new()))
}

/// The credential a record keeps for a `data` object.
pub fn data_credential(data: Map<String, Value>) -> Credential {
    Credential::new(DATA_CREDENTIAL, data)
}

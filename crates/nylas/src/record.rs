//! How a Nylas connector credential is stored in a core [`Integration`]: `kind` is the connector
//! (the `provider` of the path), the one attribute is the credential's name, and the credential is
//! `credential_data` with `credential_type` as its kind. The wire view, the merge rule, the fixture
//! reader and the handlers all read the record through this module, so none of them needs another.

use patchbay_core::Integration;
use serde_json::{Map, Value};

/// Attribute key of the credential's name.
pub const NAME: &str = "name";

/// The credential's name, if the record has one.
pub fn name(credential: &Integration) -> Option<&str> {
    credential.text(NAME)
}

/// The stored `credential_type` (`""` for a record without credential data, which no request can
/// then change to anything).
pub fn credential_type(credential: &Integration) -> &str {
    credential
        .credential
        .as_ref()
        .map(|stored| stored.kind.as_str())
        .unwrap_or_default()
}

/// What `credential_data` must hold for each `credential_type`: a connector override and a
/// Microsoft admin consent need the app's client id and secret; a Google service account its key.
fn required_fields(credential_type: &str) -> &'static [&'static str] {
    match credential_type {
        "serviceaccount" => &["private_key_id", "private_key", "client_email"],
        "connector" | "adminconsent" => &["client_id", "client_secret"],
        _ => &[],
    }
}

/// Checks that `data` holds every field `credential_type` needs, each a non-empty string.
pub fn check_credential_data(
    credential_type: &str,
    data: &Map<String, Value>,
) -> Result<(), String> {
    for field in required_fields(credential_type) {
        match data.get(*field) {
            None => {
                return Err(format!(
                    "credential_data.{field} is required for {credential_type} credentials"
                ))
            }
            Some(Value::String(text)) if !text.is_empty() => {}
            Some(_) => {
                return Err(format!(
                    "credential_data.{field} must be a non-empty string"
                ))
            }
        }
    }
    Ok(())
}

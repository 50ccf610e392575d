//! How Nylas's two resources are stored in core [`Integration`]s.
//!
//! A **credential**: `kind` is its connector (the `provider` of the path), the one attribute is its
//! name, and the credential is `credential_data` with `credential_type` as its kind.
//!
//! A **connector**: id `connector:<provider>` (a `:` no credential id can hold, so the two never
//! meet), `kind` [`CONNECTOR_KIND`] (no provider is called that, so a connector is never one of a
//! provider's credentials), attributes `name`, `scope` and `active_credential_id`, and its
//! `settings` whole (client secret included) as the secret part. A connector's credentials are the
//! records of its application whose `kind` is its provider.
//!
//! The wire view, the merge rules, the fixture reader and the handlers all read records through
//! this module, so none of them needs another.

use chrono::Utc;
use patchbay_core::{Credential, Integration};
use serde_json::{Map, Value};

/// Attribute key of a credential's or a connector's name.
pub const NAME: &str = "name";
/// Attribute key of a connector's scopes (a JSON array of strings).
pub const SCOPE: &str = "scope";
/// Attribute key of the connector's active (default) credential.
pub const ACTIVE_CREDENTIAL_ID: &str = "active_credential_id";
/// The `kind` of every connector record.
pub const CONNECTOR_KIND: &str = "connector";
/// The kind of a connector's stored settings.
pub const SETTINGS_KIND: &str = "settings";
/// The provider application's credentials in a connector's settings: kept, never shown.
pub const SECRET_SETTINGS: [&str; 2] = ["client_id", "client_secret"];
/// The name of the credential a connector creates from its settings.
pub const PRIMARY_CREDENTIAL_NAME: &str = "Primary credential";

const CONNECTOR_ID_PREFIX: &str = "connector:";

/// The store id of `provider`'s connector.
pub fn connector_id(provider: &str) -> String {
    format!("{CONNECTOR_ID_PREFIX}{provider}")
}

/// The provider of a connector's store id; `None` for a credential's id.
pub fn connector_provider(id: &str) -> Option<&str> {
    id.strip_prefix(CONNECTOR_ID_PREFIX)
}

pub fn is_connector(record: &Integration) -> bool {
    record.kind == CONNECTOR_KIND
}

/// Whether `record` is one of the credentials of `provider`'s connector.
pub fn is_credential_of(record: &Integration, provider: &str) -> bool {
    record.kind == provider
}

/// The name of a credential or a connector, if the record has one.
pub fn name(record: &Integration) -> Option<&str> {
    record.text(NAME)
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

/// The stored `credential_data`, if any.
pub fn credential_data(credential: &Integration) -> Option<&Map<String, Value>> {
    credential.credential.as_ref().map(|stored| &stored.fields)
}

/// A connector's settings as stored, secrets included.
pub fn settings(connector: &Integration) -> Map<String, Value> {
    connector
        .credential
        .as_ref()
        .map(|stored| stored.fields.clone())
        .unwrap_or_default()
}

/// A connector's settings as Nylas shows them: the provider application's client id and secret
/// are left out (the spec's example echoes only `topic_name`).
pub fn visible_settings(connector: &Integration) -> Map<String, Value> {
    let mut settings = settings(connector);
    for secret in SECRET_SETTINGS {
        settings.shift_remove(secret);
    }
    settings
}

/// A connector's scopes, in the order they were sent.
pub fn scope(connector: &Integration) -> Vec<String> {
    connector
        .attributes
        .get(SCOPE)
        .and_then(Value::as_array)
        .map(|scopes| {
            scopes
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The id of the connector's active credential, if it has one.
pub fn active_credential_id(connector: &Integration) -> Option<&str> {
    connector.text(ACTIVE_CREDENTIAL_ID)
}

/// The name a connector gets when the request gives none, as in the spec's `Google Connector`.
pub fn default_connector_name(provider: &str) -> String {
    let shown = match provider {
        "google" => "Google",
        "microsoft" => "Microsoft",
        "imap" => "IMAP",
        "icloud" => "iCloud",
        "yahoo" => "Yahoo",
        "ews" => "EWS",
        "virtual-calendar" => "Virtual Calendar",
        "zoom" => "Zoom",
        "nylas" => "Nylas",
        other => other,
    };
    format!("{shown} Connector")
}

/// Whether a provider's connector needs the provider application's `client_id` and
/// `client_secret` in its settings (the OAuth providers of the spec's create bodies).
pub fn needs_client_credentials(provider: &str) -> bool {
    matches!(provider, "google" | "microsoft" | "yahoo" | "zoom")
}

/// Whether a provider's connector must be created with settings (EWS: its server settings).
pub fn needs_settings(provider: &str) -> bool {
    needs_client_credentials(provider) || provider == "ews"
}

/// What the primary credential of a connector with these settings holds: the settings whole, when
/// they carry the provider application's client id and secret; `None` (no primary credential)
/// otherwise.
pub fn primary_credential_data(settings: &Map<String, Value>) -> Option<Map<String, Value>> {
    SECRET_SETTINGS
        .iter()
        .all(|field| settings.get(*field).and_then(Value::as_str).is_some())
        .then(|| settings.clone())
}

/// Which connectors take a `credential_type`: Google service accounts and Microsoft admin consent
/// belong to their own provider; a connector override fits any connector.
pub fn credential_type_fits(credential_type: &str, provider: &str) -> Result<(), String> {
    match credential_type {
        "serviceaccount" if provider != "google" => {
            Err("credential_type serviceaccount is for google connectors only".into())
        }
        "adminconsent" if provider != "microsoft" => {
            Err("credential_type adminconsent is for microsoft connectors only".into())
        }
        _ => Ok(()),
    }
}

/// What `credential_data` must hold when it replaces a credential's (the update's documentation):
/// a connector override and a Microsoft admin consent need the app's client id and secret; a
/// Google service account its key.
fn required_fields(credential_type: &str) -> &'static [&'static str] {
    match credential_type {
        "serviceaccount" => &["private_key_id", "private_key", "client_email"],
        "connector" | "adminconsent" => &["client_id", "client_secret"],
        _ => &[],
    }
}

/// What `credential_data` must hold when a credential is created (the create's documentation): as
/// for an update, except that a Microsoft admin consent needs the Azure `tenant`, and its client id
/// and secret may be left out (Nylas then uses the Microsoft connector's).
fn required_fields_at_creation(credential_type: &str) -> &'static [&'static str] {
    match credential_type {
        "adminconsent" => &["tenant"],
        other => required_fields(other),
    }
}

/// Checks that `data` holds every field `credential_type` needs, each a non-empty string.
pub fn check_credential_data(
    credential_type: &str,
    data: &Map<String, Value>,
) -> Result<(), String> {
    check_fields(credential_type, required_fields(credential_type), data)
}

/// Checks a new credential's `credential_data`; the fields a type may leave out must still be
/// non-empty strings when they are sent.
pub fn check_new_credential_data(
    credential_type: &str,
    data: &Map<String, Value>,
) -> Result<(), String> {
    check_fields(
        credential_type,
        required_fields_at_creation(credential_type),
        data,
    )?;
    for field in required_fields(credential_type) {
        if let Some(value) = data.get(*field) {
            non_empty_string(field, value)?;
        }
    }
    Ok(())
}

fn check_fields(
    credential_type: &str,
    required: &[&str],
    data: &Map<String, Value>,
) -> Result<(), String> {
    for field in required {
        match data.get(*field) {
            None => {
                return Err(format!(
                    "credential_data.{field} is required for {credential_type} credentials"
                ))
            }
            Some(value) => non_empty_string(field, value)?,
        }
    }
    Ok(())
}

fn non_empty_string(field: &str, value: &Value) -> Result<(), String> {
    match value {
        Value::String(text) if !text.is_empty() => Ok(()),
        _ => Err(format!(
            "credential_data.{field} must be a non-empty string"
        )),
    }
}

/// A new credential of `provider`'s connector. The store sets its tenant and times.
pub fn new_credential(
    id: String,
    provider: &str,
    name: String,
    credential_type: &str,
    credential_data: Map<String, Value>,
) -> Integration {
    let mut attributes = Map::new();
    attributes.insert(NAME.into(), Value::String(name));
    Integration {
        tenant: String::new(),
        id,
        kind: provider.to_string(),
        attributes,
        credential: Some(Credential::new(credential_type, credential_data)),
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

/// A connector's fields, as a create request or a fixture gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectorFields {
    pub name: String,
    pub settings: Map<String, Value>,
    pub scope: Vec<String>,
    pub active_credential_id: Option<String>,
}

/// A new connector record for `provider`. The store (or the fixture reader) sets its tenant and
/// times.
pub fn new_connector(provider: &str, fields: ConnectorFields) -> Integration {
    let mut attributes = Map::new();
    attributes.insert(NAME.into(), Value::String(fields.name));
    attributes.insert(SCOPE.into(), scope_value(&fields.scope));
    if let Some(active) = fields.active_credential_id {
        attributes.insert(ACTIVE_CREDENTIAL_ID.into(), Value::String(active));
    }
    Integration {
        tenant: String::new(),
        id: connector_id(provider),
        kind: CONNECTOR_KIND.to_string(),
        attributes,
        credential: Some(Credential::new(SETTINGS_KIND, fields.settings)),
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

/// Scopes as the stored JSON array.
pub fn scope_value(scope: &[String]) -> Value {
    Value::Array(scope.iter().cloned().map(Value::String).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().expect("an object")
    }

    #[test]
    fn connector_ids_and_credential_ids_never_meet() {
        assert_eq!(connector_id("google"), "connector:google");
        assert_eq!(connector_provider("connector:google"), Some("google"));
        assert_eq!(
            connector_provider("a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"),
            None
        );
        let connector = new_connector(
            "google",
            ConnectorFields {
                name: "Google Connector".into(),
                settings: Map::new(),
                scope: Vec::new(),
                active_credential_id: None,
            },
        );
        assert!(is_connector(&connector));
        assert!(!is_credential_of(&connector, "google"));
    }

    #[test]
    fn visible_settings_leave_the_client_credentials_out() {
        let connector = new_connector(
            "google",
            ConnectorFields {
                name: "Google Connector".into(),
                settings: object(
                    json!({"client_id": "i", "topic_name": "t", "client_secret": "s"}),
                ),
                scope: vec!["openid".into()],
                active_credential_id: Some("c".into()),
            },
        );
        assert_eq!(
            Value::Object(visible_settings(&connector)),
            json!({"topic_name": "t"})
        );
        assert_eq!(scope(&connector), ["openid"]);
        assert_eq!(active_credential_id(&connector), Some("c"));
    }

    #[test]
    fn a_primary_credential_needs_the_client_id_and_secret() {
        assert_eq!(
            primary_credential_data(&object(json!({"client_id": "i", "client_secret": "s"}))),
            Some(object(json!({"client_id": "i", "client_secret": "s"})))
        );
        assert_eq!(
            primary_credential_data(&object(json!({"client_id": "i"}))),
            None
        );
        assert_eq!(primary_credential_data(&Map::new()), None);
    }

    #[test]
    fn admin_consent_needs_a_tenant_at_creation_and_client_credentials_on_update() {
        let tenant_only = object(json!({"tenant": "t"}));
        assert_eq!(
            check_new_credential_data("adminconsent", &tenant_only),
            Ok(())
        );
        assert_eq!(
            check_credential_data("adminconsent", &tenant_only),
            Err("credential_data.client_id is required for adminconsent credentials".into())
        );
        assert_eq!(
            check_new_credential_data("adminconsent", &object(json!({"client_id": "i"}))),
            Err("credential_data.tenant is required for adminconsent credentials".into())
        );
        assert_eq!(
            check_new_credential_data(
                "adminconsent",
                &object(json!({"tenant": "t", "client_secret": ""}))
            ),
            Err("credential_data.client_secret must be a non-empty string".into())
        );
        assert_eq!(
            check_new_credential_data("connector", &object(json!({"client_id": "i"}))),
            Err("credential_data.client_secret is required for connector credentials".into())
        );
    }

    #[test]
    fn service_accounts_and_admin_consent_belong_to_their_provider() {
        assert!(credential_type_fits("serviceaccount", "google").is_ok());
        assert!(credential_type_fits("serviceaccount", "microsoft").is_err());
        assert!(credential_type_fits("adminconsent", "microsoft").is_ok());
        assert!(credential_type_fits("adminconsent", "zoom").is_err());
        assert!(credential_type_fits("connector", "zoom").is_ok());
    }
}

//! Reads a Nylas fixture record into the core model, and renders the admin view. A credential is
//! the credential object plus `tenant`, `provider`, `credential_type` and `credential_data`; a
//! connector is `{"object": "connector", tenant, provider, name?, settings?, scope?,
//! active_credential_id?, created_at?, updated_at?}`, its settings whole (client secret included).

use crate::record::{self, ConnectorFields};
use crate::validate::{CREDENTIAL_TYPES, PROVIDERS};
use patchbay_core::fixtures::RecordReader;
use patchbay_core::{CoreError, Credential, Integration};
use serde_json::{Map, Value};

/// The `object` of a connector record (a credential record has none).
const CONNECTOR_OBJECT: &str = "connector";

const CONNECTOR_FIELDS: &[&str] = &[
    "tenant",
    "object",
    "provider",
    "name",
    "settings",
    "scope",
    "active_credential_id",
    "created_at",
    "updated_at",
];

const FIELDS: &[&str] = &[
    "tenant",
    "id",
    "provider",
    "name",
    "credential_type",
    "credential_data",
    "created_at",
    "updated_at",
];

pub fn parse_record(reader: &RecordReader<'_>) -> Result<Integration, CoreError> {
    match reader.record.get("object") {
        None => parse_credential(reader),
        Some(Value::String(object)) if object == CONNECTOR_OBJECT => parse_connector(reader),
        Some(_) => Err(reader.error(
            "object",
            "must be \"connector\" (a credential record has no object field)",
        )),
    }
}

/// Now, in the whole seconds Nylas shows.
fn whole_seconds_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp(), 0)
        .unwrap_or_else(chrono::Utc::now)
}

fn provider_of(reader: &RecordReader<'_>) -> Result<String, CoreError> {
    let provider = reader.required_str("provider")?;
    if !PROVIDERS.contains(&provider.as_str()) {
        return Err(reader.error(
            "provider",
            format!("must be one of {}", PROVIDERS.join(", ")),
        ));
    }
    Ok(provider)
}

fn parse_connector(reader: &RecordReader<'_>) -> Result<Integration, CoreError> {
    reader.only_fields(CONNECTOR_FIELDS)?;
    let provider = provider_of(reader)?;
    let settings = reader.optional_object("settings")?.unwrap_or_default();
    if record::needs_client_credentials(&provider) {
        for field in record::SECRET_SETTINGS {
            if settings
                .get(field)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                return Err(reader.error(
                    "settings",
                    format!("{provider} connectors need a non-empty {field}"),
                ));
            }
        }
    }
    let scope = match reader.record.get("scope") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| reader.error("scope", "must be an array of strings"))?,
        Some(_) => return Err(reader.error("scope", "must be an array of strings")),
    };
    let name = match reader.optional_str("name")? {
        Some(name) if !name.is_empty() => name,
        Some(_) => return Err(reader.error("name", "must not be empty")),
        None => record::default_connector_name(&provider),
    };
    let mut connector = record::new_connector(
        &provider,
        ConnectorFields {
            name,
            settings,
            scope,
            active_credential_id: reader.optional_str("active_credential_id")?,
        },
    );
    connector.tenant = reader.required_str("tenant")?;
    connector.created_at = reader.timestamp("created_at", whole_seconds_now())?;
    connector.updated_at = reader.timestamp("updated_at", connector.created_at)?;
    Ok(connector)
}

fn parse_credential(reader: &RecordReader<'_>) -> Result<Integration, CoreError> {
    reader.only_fields(FIELDS)?;
    let id = reader.required_str("id")?;
    let lower_case_uuid =
        patchbay_http::hyphenated_uuid(&id).is_some_and(|uuid| uuid.hyphenated().to_string() == id);
    if !lower_case_uuid {
        return Err(reader.error("id", "must be a UUID in lower-case hyphenated form"));
    }
    let provider = provider_of(reader)?;
    let credential_type = reader.required_str("credential_type")?;
    match credential_type.as_str() {
        "serviceaccount" if provider != "google" => {
            return Err(reader.error("credential_type", "serviceaccount is for google only"))
        }
        "adminconsent" if provider != "microsoft" => {
            return Err(reader.error("credential_type", "adminconsent is for microsoft only"))
        }
        kind if !CREDENTIAL_TYPES.contains(&kind) => {
            return Err(reader.error(
                "credential_type",
                format!("must be one of {}", CREDENTIAL_TYPES.join(", ")),
            ))
        }
        _ => {}
    }
    let credential_data = reader
        .optional_object("credential_data")?
        .ok_or_else(|| reader.error("credential_data", "is required"))?;
    record::check_credential_data(&credential_type, &credential_data)
        .map_err(|message| reader.error("credential_data", message))?;
    // Nylas shows whole seconds: stored times are whole seconds too.
    let created_at = reader.timestamp("created_at", whole_seconds_now())?;
    let updated_at = reader.timestamp("updated_at", created_at)?;
    let mut attributes = Map::new();
    attributes.insert(
        record::NAME.into(),
        Value::String(reader.required_str("name")?),
    );
    Ok(Integration {
        tenant: reader.required_str("tenant")?,
        id,
        kind: provider,
        attributes,
        credential: Some(Credential::new(credential_type, credential_data)),
        created_at,
        updated_at,
    })
}

/// The admin view of a record: the fixture format, secrets included.
pub fn record_view(stored: &Integration) -> Value {
    if record::is_connector(stored) {
        return connector_view(stored);
    }
    let mut object = Map::new();
    object.insert("tenant".into(), Value::String(stored.tenant.clone()));
    object.insert("id".into(), Value::String(stored.id.clone()));
    object.insert("provider".into(), Value::String(stored.kind.clone()));
    object.insert(
        "name".into(),
        stored
            .attributes
            .get(record::NAME)
            .cloned()
            .unwrap_or(Value::Null),
    );
    let (credential_type, credential_data) = match &stored.credential {
        Some(credential) => (
            Value::String(credential.kind.clone()),
            Value::Object(credential.fields.clone()),
        ),
        None => (Value::Null, Value::Null),
    };
    object.insert("credential_type".into(), credential_type);
    object.insert("credential_data".into(), credential_data);
    object.insert(
        "created_at".into(),
        Value::from(crate::wire::unix_seconds(stored.created_at)),
    );
    object.insert(
        "updated_at".into(),
        Value::from(crate::wire::unix_seconds(stored.updated_at)),
    );
    Value::Object(object)
}

fn connector_view(connector: &Integration) -> Value {
    let mut object = Map::new();
    object.insert("tenant".into(), Value::String(connector.tenant.clone()));
    object.insert("object".into(), Value::String(CONNECTOR_OBJECT.into()));
    object.insert(
        "provider".into(),
        Value::String(
            record::connector_provider(&connector.id)
                .unwrap_or_default()
                .to_string(),
        ),
    );
    object.insert(
        "name".into(),
        Value::String(record::name(connector).unwrap_or_default().to_string()),
    );
    object.insert(
        "settings".into(),
        Value::Object(record::settings(connector)),
    );
    object.insert(
        "scope".into(),
        record::scope_value(&record::scope(connector)),
    );
    object.insert(
        "active_credential_id".into(),
        record::active_credential_id(connector)
            .map(|id| Value::String(id.to_string()))
            .unwrap_or(Value::Null),
    );
    object.insert(
        "created_at".into(),
        Value::from(crate::wire::unix_seconds(connector.created_at)),
    );
    object.insert(
        "updated_at".into(),
        Value::from(crate::wire::unix_seconds(connector.updated_at)),
    );
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use patchbay_core::fixtures::read_document;
    use serde_json::json;

    fn record(overrides: Value) -> Value {
        let mut record = json!({
            "tenant": "dev", "id": "e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47", "provider": "google",
            "name": "Google override", "credential_type": "connector",
            "credential_data": {"client_id": "i", "client_secret": "s"},
            "created_at": 1_700_000_000, "updated_at": 1_700_000_100,
        });
        if let (Some(record), Some(overrides)) = (record.as_object_mut(), overrides.as_object()) {
            for (key, value) in overrides {
                record.insert(key.clone(), value.clone());
            }
        }
        record
    }

    fn error_of(overrides: Value) -> String {
        read_document(&json!({"records": [record(overrides)]}), parse_record)
            .expect_err("invalid")
            .to_string()
    }

    #[test]
    fn a_record_round_trips_through_the_admin_view() {
        let data =
            read_document(&json!({"records": [record(json!({}))]}), parse_record).expect("valid");
        assert_eq!(record_view(&data.records[0]), record(json!({})));
    }

    #[test]
    fn mistakes_name_their_field() {
        assert_eq!(
            error_of(json!({"id": "not-a-uuid"})),
            "$.records[0].id: must be a UUID in lower-case hyphenated form"
        );
        assert_eq!(
            error_of(json!({"id": "E19F8E1A-EB1C-41C0-B6A6-D2E59DAF7F47"})),
            "$.records[0].id: must be a UUID in lower-case hyphenated form"
        );
        assert!(error_of(json!({"provider": "inbox"}))
            .starts_with("$.records[0].provider: must be one of google"));
        assert_eq!(
            error_of(json!({"credential_type": "adminconsent"})),
            "$.records[0].credential_type: adminconsent is for microsoft only"
        );
        assert_eq!(
            error_of(json!({"credential_data": {"client_id": "i"}})),
            "$.records[0].credential_data: credential_data.client_secret is required for connector credentials"
        );
        assert_eq!(
            error_of(json!({"credential_data": null})),
            "$.records[0].credential_data: is required"
        );
        assert!(error_of(json!({"hashed_data": "x"}))
            .starts_with("$.records[0].hashed_data: unknown field"));
    }

    fn connector(overrides: Value) -> Value {
        let mut connector = json!({
            "tenant": "dev", "object": "connector", "provider": "google", "name": "Google Connector",
            "settings": {"client_id": "i", "client_secret": "s", "topic_name": "t"},
            "scope": ["openid"], "active_credential_id": "e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47",
            "created_at": 1_700_000_000, "updated_at": 1_700_000_100,
        });
        if let (Some(connector), Some(overrides)) =
            (connector.as_object_mut(), overrides.as_object())
        {
            for (key, value) in overrides {
                connector.insert(key.clone(), value.clone());
            }
        }
        connector
    }

    #[test]
    fn a_connector_round_trips_through_the_admin_view() {
        let data = read_document(
            &json!({"records": [connector(json!({})), record(json!({}))]}),
            parse_record,
        )
        .expect("valid");
        assert_eq!(data.records[0].id, "connector:google");
        assert_eq!(record_view(&data.records[0]), connector(json!({})));
        assert_eq!(record_view(&data.records[1]), record(json!({})));
    }

    #[test]
    fn a_connector_without_a_name_gets_the_default_one() {
        let minimal = json!({"tenant": "dev", "object": "connector", "provider": "imap"});
        let data = read_document(&json!({"records": [minimal]}), parse_record).expect("valid");
        let view = record_view(&data.records[0]);
        assert_eq!(view["name"], "IMAP Connector");
        assert_eq!(view["settings"], json!({}));
        assert_eq!(view["active_credential_id"], Value::Null);
    }

    #[test]
    fn connector_mistakes_name_their_field() {
        let error_of = |overrides: Value| {
            read_document(&json!({"records": [connector(overrides)]}), parse_record)
                .expect_err("invalid")
                .to_string()
        };
        assert_eq!(
            error_of(json!({"settings": {"client_id": "i"}})),
            "$.records[0].settings: google connectors need a non-empty client_secret"
        );
        assert_eq!(
            error_of(json!({"scope": "openid"})),
            "$.records[0].scope: must be an array of strings"
        );
        assert_eq!(
            error_of(json!({"object": "grant"})),
            "$.records[0].object: must be \"connector\" (a credential record has no object field)"
        );
        assert!(error_of(json!({"id": "x"})).starts_with("$.records[0].id: unknown field"));
        let twice = json!({"records": [connector(json!({})), connector(json!({}))]});
        assert!(read_document(&twice, parse_record)
            .expect_err("one connector per provider")
            .to_string()
            .contains("duplicate record \"connector:google\""));
    }
}

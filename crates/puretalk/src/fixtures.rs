//! Reads a Puretalk fixture record (the `RuthConnectIntegration` shape plus `tenant`) into the core
//! model: `app_name` is the record's kind, `data` its secret.

use crate::record;
use patchbay_core::fixtures::RecordReader;
use patchbay_core::{CoreError, Integration};
use serde_json::{Map, Value};

const FIELDS: &[&str] = &[
    "tenant",
    "integration_id",
    "app_name",
    "friendly_app_name",
    "logo",
    "data",
    "tools",
    "is_custom_tool",
    "created_at",
    "updated_at",
];

pub fn parse_record(reader: &RecordReader<'_>) -> Result<Integration, CoreError> {
    reader.only_fields(FIELDS)?;
    let raw_id = reader.required_str("integration_id")?;
    let id = crate::validate::integration_id(&raw_id)
        .ok()
        .filter(|id| *id == raw_id)
        .ok_or_else(|| reader.error("integration_id", "must be a UUID in lower case"))?;
    let app_name = reader.required_str("app_name")?;
    let mut attributes = Map::new();
    attributes.insert(
        record::FRIENDLY_APP_NAME.into(),
        Value::String(
            reader
                .optional_str(record::FRIENDLY_APP_NAME)?
                .unwrap_or_else(|| app_name.clone()),
        ),
    );
    attributes.insert(
        record::LOGO.into(),
        reader
            .optional_str(record::LOGO)?
            .map_or(Value::Null, Value::String),
    );
    let tools = match reader.record.get(record::TOOLS) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(tools)) if tools.iter().all(Value::is_string) => tools.clone(),
        Some(_) => return Err(reader.error(record::TOOLS, "must be an array of strings")),
    };
    attributes.insert(record::TOOLS.into(), Value::Array(tools));
    attributes.insert(
        record::IS_CUSTOM_TOOL.into(),
        Value::Bool(
            reader
                .optional_bool(record::IS_CUSTOM_TOOL)?
                .unwrap_or(false),
        ),
    );
    let credential = match reader.optional_object("data")? {
        None => None,
        Some(data) => {
            if !matches!(data.get(record::API_KEY), None | Some(Value::String(_))) {
                return Err(reader.error("data.api_key", "must be a string"));
            }
            Some(record::data_credential(data))
        }
    };
    let now = patchbay_core::model::now_millis();
    let created_at = reader.timestamp("created_at", now)?;
    let updated_at = reader.timestamp("updated_at", created_at)?;
    Ok(Integration {
        tenant: reader.required_str("tenant")?,
        id,
        kind: app_name,
        attributes,
        credential,
        created_at,
        updated_at,
    })
}

/// The admin view of a record: the fixture format (it is also the GET shape, `data` included).
pub fn record_view(record: &Integration) -> Value {
    let mut object = Map::new();
    object.insert("tenant".into(), Value::String(record.tenant.clone()));
    if let Ok(Value::Object(results)) =
        serde_json::to_value(crate::wire::ruth_connect_integration(record))
    {
        object.extend(results);
    }
    Value::Object(object)
}

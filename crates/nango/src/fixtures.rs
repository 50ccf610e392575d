//! Reads a Nango fixture record (the GET shape plus `tenant`, `credentials`, `custom` and
//! `connection_count`) into the core model.

use crate::record;
use patchbay_core::fixtures::RecordReader;
use patchbay_core::{CoreError, Credential, Integration};
use serde_json::{Map, Value};

const FIELDS: &[&str] = &[
    "tenant",
    "unique_key",
    "provider",
    "display_name",
    "forward_webhooks",
    "created_at",
    "updated_at",
    "credentials",
    "custom",
    "connection_count",
    "logo",
];

pub fn parse_record(reader: &RecordReader<'_>) -> Result<Integration, CoreError> {
    reader.only_fields(FIELDS)?;
    let now = patchbay_core::model::now_millis();
    let created_at = reader.timestamp("created_at", now)?;
    let updated_at = reader.timestamp("updated_at", created_at)?;
    let mut custom = reader.optional_object(record::CUSTOM)?.unwrap_or_default();
    for (key, value) in &custom {
        if !value.is_string() {
            return Err(reader.error(&format!("custom.{key}"), "must be a string"));
        }
    }
    let credential = match reader.optional_object("credentials")? {
        None => None,
        Some(mut fields) => {
            let kind = match fields.remove("type") {
                Some(Value::String(kind)) if record::CREDENTIAL_KINDS.contains(&kind.as_str()) => {
                    kind
                }
                _ => {
                    return Err(reader.error(
                        "credentials.type",
                        format!("must be one of {}", record::CREDENTIAL_KINDS.join(", ")),
                    ))
                }
            };
            if let Some(secret) = fields.remove("webhook_secret") {
                match secret {
                    Value::Null => {}
                    Value::String(secret) => {
                        custom.insert(record::WEBHOOK_SECRET.into(), Value::String(secret));
                    }
                    _ => {
                        return Err(
                            reader.error("credentials.webhook_secret", "must be a string or null")
                        )
                    }
                }
            }
            Some(Credential::new(kind, fields))
        }
    };
    let mut attributes = Map::new();
    attributes.insert(
        record::DISPLAY_NAME.into(),
        reader
            .optional_str(record::DISPLAY_NAME)?
            .map_or(Value::Null, Value::String),
    );
    if let Some(forward) = reader.optional_bool(record::FORWARD_WEBHOOKS)? {
        attributes.insert(record::FORWARD_WEBHOOKS.into(), Value::Bool(forward));
    }
    attributes.insert(record::CUSTOM.into(), Value::Object(custom));
    attributes.insert(
        record::CONNECTION_COUNT.into(),
        Value::from(reader.optional_u64(record::CONNECTION_COUNT)?.unwrap_or(0)),
    );
    let unique_key = reader.required_str("unique_key")?;
    crate::validate::unique_key_param(&unique_key).map_err(|_| {
        reader.error(
            "unique_key",
            "must match ^[a-zA-Z0-9~:.@ _-]+$ (at most 255 characters)",
        )
    })?;
    Ok(Integration {
        tenant: reader.required_str("tenant")?,
        id: unique_key,
        kind: reader.required_str("provider")?,
        attributes,
        credential,
        created_at,
        updated_at,
    })
}

/// The admin view of a record: the fixture format, secrets included.
pub fn record_view(record: &Integration) -> Value {
    let mut object = Map::new();
    object.insert("tenant".into(), Value::String(record.tenant.clone()));
    object.insert("unique_key".into(), Value::String(record.id.clone()));
    object.insert("provider".into(), Value::String(record.kind.clone()));
    for (key, value) in &record.attributes {
        object.insert(key.clone(), value.clone());
    }
    object.insert(
        "created_at".into(),
        Value::String(patchbay_http::js_iso(record.created_at)),
    );
    object.insert(
        "updated_at".into(),
        Value::String(patchbay_http::js_iso(record.updated_at)),
    );
    object.insert("credentials".into(), crate::wire::credentials_view(record));
    Value::Object(object)
}

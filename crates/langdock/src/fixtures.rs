//! Reads a Langdock fixture record (the GET shape, plus `tenant`, `iconUrl`, `color`,
//! `buildByLangdock`, the OAuth client's write-only `clientSecret` and optional
//! `createdAt`/`updatedAt`) into the core model.

use crate::record;
use patchbay_core::fixtures::RecordReader;
use patchbay_core::{CoreError, Integration};
use serde_json::{Map, Value};

const FIELDS: &[&str] = &[
    "tenant",
    "id",
    "name",
    "description",
    "iconUrl",
    "color",
    "buildByLangdock",
    "authType",
    "authTestCode",
    "authFields",
    "oauthClient",
    "actions",
    "triggers",
    "createdAt",
    "updatedAt",
];

fn optional_array(reader: &RecordReader<'_>, field: &str) -> Result<Value, CoreError> {
    match reader.record.get(field) {
        None | Some(Value::Null) => Ok(Value::Array(Vec::new())),
        Some(Value::Array(items)) => Ok(Value::Array(items.clone())),
        Some(_) => Err(reader.error(field, "must be an array")),
    }
}

pub fn parse_record(reader: &RecordReader<'_>) -> Result<Integration, CoreError> {
    reader.only_fields(FIELDS)?;
    let raw_id = reader.required_str("id")?;
    let id = crate::validate::integration_id(&raw_id)
        .ok()
        .filter(|id| *id == raw_id)
        .ok_or_else(|| reader.error("id", "must be a UUID in lower case"))?;
    let name = reader.required_str(record::NAME)?;
    let description = reader
        .optional_str(record::DESCRIPTION)?
        .unwrap_or_default();
    let mut attributes = Map::new();
    attributes.insert(record::NAME.into(), Value::String(name));
    attributes.insert(record::DESCRIPTION.into(), Value::String(description));
    if let Some(icon_url) = reader.optional_str(record::ICON_URL)? {
        if !crate::validate::is_http_url(&icon_url) {
            return Err(reader.error(record::ICON_URL, "must be an absolute http or https URL"));
        }
        attributes.insert(record::ICON_URL.into(), Value::String(icon_url));
    }
    if let Some(color) = reader.optional_str(record::COLOR)? {
        if !crate::validate::is_hex_color(&color) {
            return Err(reader.error(record::COLOR, "must be #RGB or #RRGGBB"));
        }
        attributes.insert(record::COLOR.into(), Value::String(color));
    }
    attributes.insert(
        record::BUILD_BY_LANGDOCK.into(),
        Value::Bool(
            reader
                .optional_bool(record::BUILD_BY_LANGDOCK)?
                .unwrap_or(false),
        ),
    );
    let auth_type = reader
        .optional_str("authType")?
        .unwrap_or_else(|| record::NO_AUTH.into());
    if !record::AUTH_TYPES.contains(&auth_type.as_str()) {
        return Err(reader.error(
            "authType",
            format!("must be one of {}", record::AUTH_TYPES.join(", ")),
        ));
    }
    attributes.insert(
        record::AUTH_TEST_CODE.into(),
        reader
            .optional_str(record::AUTH_TEST_CODE)?
            .map_or(Value::Null, Value::String),
    );
    attributes.insert(
        record::AUTH_FIELDS.into(),
        optional_array(reader, record::AUTH_FIELDS)?,
    );
    let mut credential = None;
    let oauth_client = match reader.optional_object(record::OAUTH_CLIENT)? {
        None => Value::Null,
        Some(mut client) => {
            match client.shift_remove(record::CLIENT_SECRET) {
                None | Some(Value::Null) => {}
                Some(Value::String(secret)) => {
                    credential = Some(record::client_secret_credential(secret));
                }
                Some(_) => {
                    return Err(reader.error("oauthClient.clientSecret", "must be a string or null"))
                }
            }
            Value::Object(client)
        }
    };
    attributes.insert(record::OAUTH_CLIENT.into(), oauth_client);
    attributes.insert(
        record::ACTIONS.into(),
        optional_array(reader, record::ACTIONS)?,
    );
    attributes.insert(
        record::TRIGGERS.into(),
        optional_array(reader, record::TRIGGERS)?,
    );
    let now = patchbay_core::model::now_millis();
    let created_at = reader.timestamp("createdAt", now)?;
    let updated_at = reader.timestamp("updatedAt", created_at)?;
    Ok(Integration {
        tenant: reader.required_str("tenant")?,
        id,
        kind: auth_type,
        attributes,
        credential,
        created_at,
        updated_at,
    })
}

/// The admin view of a record: the fixture format, the client secret included.
pub fn record_view(record: &Integration) -> Value {
    let mut object = Map::new();
    object.insert("tenant".into(), Value::String(record.tenant.clone()));
    object.insert("id".into(), Value::String(record.id.clone()));
    for (key, value) in &record.attributes {
        object.insert(key.clone(), value.clone());
    }
    object.insert("authType".into(), Value::String(record.kind.clone()));
    if let Some(secret) = record::client_secret(record) {
        if let Some(Value::Object(client)) = object.get_mut(record::OAUTH_CLIENT) {
            client.insert(
                record::CLIENT_SECRET.into(),
                Value::String(secret.to_string()),
            );
        }
    }
    object.insert(
        "createdAt".into(),
        Value::String(patchbay_http::js_iso(record.created_at)),
    );
    object.insert(
        "updatedAt".into(),
        Value::String(patchbay_http::js_iso(record.updated_at)),
    );
    Value::Object(object)
}

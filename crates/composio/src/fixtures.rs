//! Reads a Composio fixture record (the GET shape plus `tenant`, with `credentials`,
//! `shared_credentials` and `proxy_config` in clear) into the core model.

use crate::record::{self, ConfigType};
use patchbay_core::fixtures::RecordReader;
use patchbay_core::{CoreError, Credential, Integration};
use serde_json::{Map, Value};

const FIELDS: &[&str] = &[
    "tenant",
    "id",
    "uuid",
    "type",
    "toolkit",
    "name",
    "status",
    "no_of_connections",
    "tool_access_config",
    "auth_scheme",
    "is_composio_managed",
    "credentials",
    "proxy_config",
    "created_by",
    "created_at",
    "last_updated_at",
    "expected_input_fields",
    "restrict_to_following_tools",
    "shared_credentials",
    "is_enabled_for_tool_router",
];

/// `ac_` and 12 characters of the nanoid alphabet.
pub fn is_auth_config_id(id: &str) -> bool {
    id.strip_prefix("ac_").is_some_and(|rest| {
        rest.len() == 12
            && rest
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
    })
}

fn string_list(reader: &RecordReader<'_>, value: &Value, field: &str) -> Result<Value, CoreError> {
    match value {
        Value::Array(items) if items.iter().all(Value::is_string) => Ok(value.clone()),
        _ => Err(reader.error(field, "must be an array of strings")),
    }
}

pub fn parse_record(reader: &RecordReader<'_>) -> Result<Integration, CoreError> {
    reader.only_fields(FIELDS)?;
    let id = reader.required_str("id")?;
    if !is_auth_config_id(&id) {
        return Err(reader.error("id", "must be ac_ followed by 12 nanoid characters"));
    }
    let config_type = reader.required_str(record::TYPE)?;
    if ConfigType::parse(&config_type).is_none() {
        return Err(reader.error(record::TYPE, "must be custom or default"));
    }
    let toolkit = reader
        .optional_object("toolkit")?
        .ok_or_else(|| reader.error("toolkit", "is required"))?;
    let slug = match toolkit.get("slug") {
        Some(Value::String(slug)) if !slug.is_empty() => slug.clone(),
        _ => return Err(reader.error("toolkit.slug", "must be a non-empty string")),
    };
    let now = patchbay_core::model::now_millis();
    let created_at = reader.timestamp("created_at", now)?;
    let updated_at = reader.timestamp("last_updated_at", created_at)?;

    let mut attributes = Map::new();
    attributes.insert(
        record::UUID.into(),
        Value::String(reader.required_str(record::UUID)?),
    );
    attributes.insert(record::TYPE.into(), Value::String(config_type));
    attributes.insert(
        record::NAME.into(),
        Value::String(
            reader
                .optional_str(record::NAME)?
                .unwrap_or_else(|| slug.clone()),
        ),
    );
    let status = reader
        .optional_str(record::STATUS)?
        .unwrap_or("ENABLED".into());
    if status != "ENABLED" && status != "DISABLED" {
        return Err(reader.error(record::STATUS, "must be ENABLED or DISABLED"));
    }
    attributes.insert(record::STATUS.into(), Value::String(status));
    attributes.insert(
        record::NO_OF_CONNECTIONS.into(),
        Value::from(reader.optional_u64(record::NO_OF_CONNECTIONS)?.unwrap_or(0)),
    );
    let access = reader
        .optional_object(record::TOOL_ACCESS_CONFIG)?
        .unwrap_or_default();
    let mut tool_access = Map::new();
    for list in [
        record::TOOLS_FOR_CONNECTED_ACCOUNT_CREATION,
        record::TOOLS_AVAILABLE_FOR_EXECUTION,
    ] {
        let value = access
            .get(list)
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        let path = format!("{}.{list}", record::TOOL_ACCESS_CONFIG);
        tool_access.insert(list.into(), string_list(reader, &value, &path)?);
    }
    // restrict_to_following_tools and the execution list are one setting.
    let restrict = tool_access[record::TOOLS_AVAILABLE_FOR_EXECUTION].clone();
    if let Some(given) = reader.record.get(record::RESTRICT_TO_FOLLOWING_TOOLS) {
        if *given != restrict {
            return Err(reader.error(
                record::RESTRICT_TO_FOLLOWING_TOOLS,
                "must equal tool_access_config.tools_available_for_execution",
            ));
        }
    }
    attributes.insert(
        record::TOOL_ACCESS_CONFIG.into(),
        Value::Object(tool_access),
    );
    let auth_scheme = reader.optional_str(record::AUTH_SCHEME)?;
    if let Some(scheme) = &auth_scheme {
        attributes.insert(record::AUTH_SCHEME.into(), Value::String(scheme.clone()));
    }
    if let Some(managed) = reader.optional_bool(record::IS_COMPOSIO_MANAGED)? {
        attributes.insert(record::IS_COMPOSIO_MANAGED.into(), Value::Bool(managed));
    }
    attributes.insert(record::RESTRICT_TO_FOLLOWING_TOOLS.into(), restrict);
    if let Some(proxy) = reader.optional_object(record::PROXY_CONFIG)? {
        if !proxy.get(record::PROXY_URL).is_some_and(Value::is_string) {
            return Err(reader.error("proxy_config.proxy_url", "must be a string"));
        }
        attributes.insert(record::PROXY_CONFIG.into(), Value::Object(proxy));
    }
    attributes.insert(
        record::SHARED_CREDENTIALS.into(),
        Value::Object(
            reader
                .optional_object(record::SHARED_CREDENTIALS)?
                .unwrap_or_default(),
        ),
    );
    attributes.insert(
        record::IS_ENABLED_FOR_TOOL_ROUTER.into(),
        Value::Bool(
            reader
                .optional_bool(record::IS_ENABLED_FOR_TOOL_ROUTER)?
                .unwrap_or(false),
        ),
    );
    if let Some(created_by) = reader.optional_str(record::CREATED_BY)? {
        attributes.insert(record::CREATED_BY.into(), Value::String(created_by));
    }
    match reader.record.get(record::EXPECTED_INPUT_FIELDS) {
        None | Some(Value::Null) => {}
        Some(Value::Array(fields)) => {
            attributes.insert(
                record::EXPECTED_INPUT_FIELDS.into(),
                Value::Array(fields.clone()),
            );
        }
        Some(_) => return Err(reader.error(record::EXPECTED_INPUT_FIELDS, "must be an array")),
    }
    let credential = reader.optional_object("credentials")?.map(|fields| {
        Credential::new(
            auth_scheme.unwrap_or_else(|| record::DEFAULT_AUTH_SCHEME.into()),
            fields,
        )
    });
    Ok(Integration {
        tenant: reader.required_str("tenant")?,
        id,
        kind: slug,
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
    for (key, value) in crate::wire::auth_config_view(record, true) {
        object.insert(key, value);
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_fixtures_parse_and_their_admin_view_reads_back_the_same() {
        let document: Value =
            serde_json::from_str(include_str!("../../../fixtures/composio.json")).expect("JSON");
        let data = patchbay_core::fixtures::read_document(&document, parse_record).expect("valid");
        assert_eq!(data.records.len(), 7);
        for record in &data.records {
            let view = record_view(record);
            let reader = RecordReader {
                record: view.as_object().expect("object"),
                path: "$".into(),
            };
            assert_eq!(&parse_record(&reader).expect("round trip"), record);
        }
    }

    #[test]
    fn records_with_mistakes_name_the_field() {
        let record = serde_json::json!({
            "tenant": "t", "id": "ac_AAAAAAAAAAAA", "uuid": "u", "type": "custom",
            "toolkit": {"slug": "github"},
            "tool_access_config": {"tools_available_for_execution": ["A"]},
            "restrict_to_following_tools": ["B"]
        });
        let reader = RecordReader {
            record: record.as_object().expect("object"),
            path: "$.records[0]".into(),
        };
        assert_eq!(
            parse_record(&reader).expect_err("inconsistent").to_string(),
            "$.records[0].restrict_to_following_tools: must equal tool_access_config.tools_available_for_execution"
        );
    }

    #[test]
    fn auth_config_ids_are_ac_and_twelve_nanoid_characters() {
        assert!(is_auth_config_id("ac_B08Vw1Ia0L05"));
        assert!(is_auth_config_id("ac_o66V1UO0-GI2"));
        assert!(is_auth_config_id("ac_7m7XMBKrLI_O"));
        assert!(!is_auth_config_id("ac_1234567890"));
        assert!(!is_auth_config_id("ca_B08Vw1Ia0L05"));
        assert!(!is_auth_config_id("ac_B08Vw1Ia0L0!"));
    }
}

//! Fixture files: `{"keys": [{"key", "tenant", "scopes"?, "label"?}], "records": [...]}`, one per vendor.
//! Core reads the envelope and the keys; each adapter turns a record (in its vendor's own field
//! names, plus `tenant` and the secret fields) into an [`Integration`] with a [`RecordReader`].
//! Every error names a JSON path, so `check-fixtures` can point at the mistake.

use crate::model::{ApiKey, Integration};
use crate::CoreError;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The keys and records of one vendor, ready for the store.
#[derive(Debug, Clone, Default)]
pub struct VendorData {
    pub keys: Vec<ApiKey>,
    pub records: Vec<Integration>,
}

/// Turns one record of a fixture file into an integration (the adapter's part).
pub type RecordParser = fn(&RecordReader<'_>) -> Result<Integration, CoreError>;

/// Reads a fixture document (already parsed JSON) with the adapter's record parser.
pub fn read_document(
    document: &Value,
    parse_record: RecordParser,
) -> Result<VendorData, CoreError> {
    let root = document
        .as_object()
        .ok_or_else(|| invalid("$", "a fixture document must be an object"))?;
    for field in root.keys() {
        if field != "keys" && field != "records" {
            return Err(invalid(
                format!("$.{field}"),
                "unknown field (expected `keys` and `records`)",
            ));
        }
    }
    let mut data = VendorData::default();
    for (index, key) in array(root, "keys")?.iter().enumerate() {
        data.keys.push(read_key(key, &format!("$.keys[{index}]"))?);
    }
    let mut seen = std::collections::HashSet::new();
    for (index, record) in array(root, "records")?.iter().enumerate() {
        let path = format!("$.records[{index}]");
        let object = record
            .as_object()
            .ok_or_else(|| invalid(&path, "a record must be an object"))?;
        let integration = parse_record(&RecordReader {
            record: object,
            path: path.clone(),
        })?;
        if !seen.insert((integration.tenant.clone(), integration.id.clone())) {
            return Err(invalid(
                path,
                format!(
                    "duplicate record {:?} in tenant {:?}",
                    integration.id, integration.tenant
                ),
            ));
        }
        data.records.push(integration);
    }
    let mut keys = std::collections::HashSet::new();
    for (index, key) in data.keys.iter().enumerate() {
        if !keys.insert(key.key.as_str()) {
            return Err(invalid(format!("$.keys[{index}].key"), "duplicate key"));
        }
    }
    Ok(data)
}

fn array<'a>(root: &'a Map<String, Value>, field: &str) -> Result<&'a [Value], CoreError> {
    match root.get(field) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(invalid(format!("$.{field}"), "must be an array")),
    }
}

fn read_key(value: &Value, path: &str) -> Result<ApiKey, CoreError> {
    let object = value
        .as_object()
        .ok_or_else(|| invalid(path, "a key must be an object"))?;
    let reader = RecordReader {
        record: object,
        path: path.to_string(),
    };
    reader.only_fields(&["key", "tenant", "scopes", "label"])?;
    let scopes = match object.get("scopes") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .enumerate()
                .map(|(index, scope)| {
                    scope.as_str().map(str::to_string).ok_or_else(|| {
                        invalid(format!("{path}.scopes[{index}]"), "must be a string")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => {
            return Err(invalid(
                format!("{path}.scopes"),
                "must be an array of strings",
            ))
        }
    };
    Ok(ApiKey {
        key: reader.required_str("key")?,
        tenant: reader.required_str("tenant")?,
        scopes,
        label: reader.optional_str("label")?,
    })
}

pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> CoreError {
    CoreError::InvalidFixture {
        path: path.into(),
        message: message.into(),
    }
}

/// One fixture record with its JSON path, and typed accessors whose errors name the field.
pub struct RecordReader<'a> {
    pub record: &'a Map<String, Value>,
    pub path: String,
}

impl RecordReader<'_> {
    pub fn field_path(&self, field: &str) -> String {
        format!("{}.{field}", self.path)
    }

    pub fn error(&self, field: &str, message: impl Into<String>) -> CoreError {
        invalid(self.field_path(field), message)
    }

    /// Refuses any field not in `allowed`: a typo in a fixture should not pass silently.
    pub fn only_fields(&self, allowed: &[&str]) -> Result<(), CoreError> {
        match self
            .record
            .keys()
            .find(|field| !allowed.contains(&field.as_str()))
        {
            Some(field) => Err(self.error(
                field,
                format!("unknown field (allowed: {})", allowed.join(", ")),
            )),
            None => Ok(()),
        }
    }

    pub fn required_str(&self, field: &str) -> Result<String, CoreError> {
        match self.record.get(field) {
            Some(Value::String(text)) if !text.is_empty() => Ok(text.clone()),
            Some(Value::String(_)) => Err(self.error(field, "must not be empty")),
            Some(_) => Err(self.error(field, "must be a string")),
            None => Err(self.error(field, "is required")),
        }
    }

    /// A string or null (or absent, which reads as null).
    pub fn optional_str(&self, field: &str) -> Result<Option<String>, CoreError> {
        match self.record.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(self.error(field, "must be a string or null")),
        }
    }

    pub fn optional_bool(&self, field: &str) -> Result<Option<bool>, CoreError> {
        match self.record.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(self.error(field, "must be a boolean")),
        }
    }

    pub fn optional_u64(&self, field: &str) -> Result<Option<u64>, CoreError> {
        match self.record.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.error(field, "must be a non-negative integer")),
        }
    }

    /// An object or null (or absent).
    pub fn optional_object(&self, field: &str) -> Result<Option<Map<String, Value>>, CoreError> {
        match self.record.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(object)) => Ok(Some(object.clone())),
            Some(_) => Err(self.error(field, "must be an object or null")),
        }
    }

    /// A timestamp as an RFC 3339 string or as integer Unix seconds; `fallback` when absent.
    pub fn timestamp(
        &self,
        field: &str,
        fallback: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, CoreError> {
        match self.record.get(field) {
            None | Some(Value::Null) => Ok(fallback),
            Some(Value::String(text)) => DateTime::parse_from_rfc3339(text)
                .map(|time| time.with_timezone(&Utc))
                .map_err(|error| self.error(field, format!("not an RFC 3339 timestamp: {error}"))),
            Some(Value::Number(number)) => number
                .as_i64()
                .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
                .ok_or_else(|| self.error(field, "not a Unix timestamp in seconds")),
            Some(_) => Err(self.error(field, "must be a timestamp string or Unix seconds")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(reader: &RecordReader<'_>) -> Result<Integration, CoreError> {
        let created = reader.timestamp("created_at", DateTime::UNIX_EPOCH)?;
        Ok(Integration {
            tenant: reader.required_str("tenant")?,
            id: reader.required_str("id")?,
            kind: "k".into(),
            attributes: Map::new(),
            credential: None,
            created_at: created,
            updated_at: created,
        })
    }

    fn message(result: Result<VendorData, CoreError>) -> String {
        result.expect_err("should fail").to_string()
    }

    #[test]
    fn errors_name_the_json_path() {
        let doc = json!({"keys": [{"key": "k", "tenant": "t"}, {"key": 1, "tenant": "t"}]});
        assert_eq!(
            message(read_document(&doc, parse)),
            "$.keys[1].key: must be a string"
        );
        let doc = json!({"records": [{"tenant": "t", "id": "a"}, {"tenant": "t"}]});
        assert_eq!(
            message(read_document(&doc, parse)),
            "$.records[1].id: is required"
        );
        let doc = json!({"records": [{"tenant": "t", "id": "a", "created_at": "yesterday"}]});
        assert!(message(read_document(&doc, parse))
            .starts_with("$.records[0].created_at: not an RFC 3339"));
        let doc = json!({"keys": [], "extra": 1});
        assert_eq!(
            message(read_document(&doc, parse)),
            "$.extra: unknown field (expected `keys` and `records`)"
        );
        let doc = json!({"records": [{"tenant": "t", "id": "a"}, {"tenant": "t", "id": "a"}]});
        assert_eq!(
            message(read_document(&doc, parse)),
            "$.records[1]: duplicate record \"a\" in tenant \"t\""
        );
    }

    #[test]
    fn a_key_without_scopes_reads_as_none_and_an_empty_list_as_some() {
        let doc = json!({"keys": [{"key": "a", "tenant": "t"}, {"key": "b", "tenant": "t", "scopes": []}]});
        let data = read_document(&doc, parse).expect("valid");
        assert_eq!(data.keys[0].scopes, None);
        assert_eq!(data.keys[1].scopes, Some(vec![]));
    }
}

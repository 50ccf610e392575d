//! Mapping between SQLite rows and the model. The only place that knows the column layout.

use crate::model::{ApiKey, Credential, Integration};
use crate::CoreError;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{Map, Value};

const COLUMNS: &str = "row_id, tenant, id, kind, attributes, credential, created_at, updated_at";

fn timestamp(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or(DateTime::UNIX_EPOCH)
}

struct RawRow {
    row_id: i64,
    tenant: String,
    id: String,
    kind: String,
    attributes: String,
    credential: Option<String>,
    created_at: i64,
    updated_at: i64,
}

fn raw(row: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        row_id: row.get(0)?,
        tenant: row.get(1)?,
        id: row.get(2)?,
        kind: row.get(3)?,
        attributes: row.get(4)?,
        credential: row.get(5)?,
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

fn decode(raw: RawRow) -> Result<(i64, Integration), CoreError> {
    let attributes: Map<String, Value> = serde_json::from_str(&raw.attributes)?;
    let credential = match raw.credential {
        None => None,
        Some(text) => {
            let mut object: Map<String, Value> = serde_json::from_str(&text)?;
            let kind = match object.remove("kind") {
                Some(Value::String(kind)) => kind,
                _ => String::new(),
            };
            let fields = match object.remove("fields") {
                Some(Value::Object(fields)) => fields,
                _ => Map::new(),
            };
            Some(Credential { kind, fields })
        }
    };
    let integration = Integration {
        tenant: raw.tenant,
        id: raw.id,
        kind: raw.kind,
        attributes,
        credential,
        created_at: timestamp(raw.created_at),
        updated_at: timestamp(raw.updated_at),
    };
    Ok((raw.row_id, integration))
}

fn encode_credential(credential: &Option<Credential>) -> Result<Option<String>, CoreError> {
    credential
        .as_ref()
        .map(|credential| {
            let mut object = Map::new();
            object.insert("kind".into(), Value::String(credential.kind.clone()));
            object.insert("fields".into(), Value::Object(credential.fields.clone()));
            serde_json::to_string(&object)
        })
        .transpose()
        .map_err(CoreError::from)
}

pub fn find(
    connection: &Connection,
    vendor: &str,
    tenant: &str,
    id: &str,
) -> Result<Option<(i64, Integration)>, CoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM integrations WHERE vendor = ?1 AND tenant = ?2 AND id = ?3");
    let mut statement = connection.prepare_cached(&sql)?;
    let row = statement
        .query_row(params![vendor, tenant, id], raw)
        .optional()?;
    row.map(decode).transpose()
}

pub fn exists(
    connection: &Connection,
    vendor: &str,
    tenant: &str,
    id: &str,
) -> Result<bool, CoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT 1 FROM integrations WHERE vendor = ?1 AND tenant = ?2 AND id = ?3",
    )?;
    Ok(statement.exists(params![vendor, tenant, id])?)
}

/// All records of a vendor, optionally of one tenant, ordered by tenant then creation.
pub fn list(
    connection: &Connection,
    vendor: &str,
    tenant: Option<&str>,
) -> Result<Vec<Integration>, CoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM integrations WHERE vendor = ?1 AND (?2 IS NULL OR tenant = ?2) ORDER BY tenant, created_at, id"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let rows = statement.query_map(params![vendor, tenant], raw)?;
    rows.map(|row| decode(row?).map(|(_, integration)| integration))
        .collect()
}

/// A tenant's records of one kind, oldest first (by the kind index).
pub fn of_kind(
    connection: &Connection,
    vendor: &str,
    tenant: &str,
    kind: &str,
) -> Result<Vec<Integration>, CoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM integrations WHERE vendor = ?1 AND tenant = ?2 AND kind = ?3 ORDER BY created_at, row_id"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let rows = statement.query_map(params![vendor, tenant, kind], raw)?;
    rows.map(|row| decode(row?).map(|(_, integration)| integration))
        .collect()
}

/// A write refused by the `(vendor, tenant, id)` unique index is an id conflict; anything else is
/// a storage failure.
fn conflict_or_storage(error: rusqlite::Error, id: &str) -> CoreError {
    match &error {
        rusqlite::Error::SqliteFailure(code, _)
            if code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            CoreError::IdConflict { id: id.to_string() }
        }
        _ => CoreError::from(error),
    }
}

/// Writes a record back over the row of `vendor`, its tenant and `id` (its id before a rename).
pub fn update(
    connection: &Connection,
    vendor: &str,
    id: &str,
    integration: &Integration,
) -> Result<(), CoreError> {
    let mut statement = connection.prepare_cached(
        "UPDATE integrations SET id = ?3, kind = ?4, attributes = ?5, credential = ?6,
         created_at = ?7, updated_at = ?8 WHERE vendor = ?9 AND tenant = ?2 AND id = ?1",
    )?;
    let changed = statement
        .execute(params![
            id,
            integration.tenant,
            integration.id,
            integration.kind,
            serde_json::to_string(&integration.attributes)?,
            encode_credential(&integration.credential)?,
            integration.created_at.timestamp_millis(),
            integration.updated_at.timestamp_millis(),
            vendor,
        ])
        .map_err(|error| conflict_or_storage(error, &integration.id))?;
    if changed == 0 {
        return Err(CoreError::NotFound { id: id.to_string() });
    }
    Ok(())
}

pub fn insert(
    connection: &Connection,
    vendor: &str,
    integration: &Integration,
) -> Result<(), CoreError> {
    let mut statement = connection.prepare_cached(
        "INSERT INTO integrations (vendor, tenant, id, kind, attributes, credential, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    statement
        .execute(params![
            vendor,
            integration.tenant,
            integration.id,
            integration.kind,
            serde_json::to_string(&integration.attributes)?,
            encode_credential(&integration.credential)?,
            integration.created_at.timestamp_millis(),
            integration.updated_at.timestamp_millis(),
        ])
        .map_err(|error| conflict_or_storage(error, &integration.id))?;
    Ok(())
}

pub fn insert_key(connection: &Connection, vendor: &str, key: &ApiKey) -> Result<(), CoreError> {
    let scopes = key.scopes.as_ref().map(serde_json::to_string).transpose()?;
    let mut statement = connection
        .prepare_cached("INSERT OR REPLACE INTO api_keys (vendor, key, tenant, scopes, label) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    statement.execute(params![vendor, key.key, key.tenant, scopes, key.label])?;
    Ok(())
}

/// Every key of every vendor: `(vendor, key)`.
pub fn all_keys(connection: &Connection) -> Result<Vec<(String, ApiKey)>, CoreError> {
    let mut statement =
        connection.prepare("SELECT vendor, key, tenant, scopes, label FROM api_keys")?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get(4)?,
        ))
    })?;
    let mut keys = Vec::new();
    for row in rows {
        let (vendor, key, tenant, scopes, label) = row?;
        let scopes = scopes
            .map(|text| serde_json::from_str::<Vec<String>>(&text))
            .transpose()?;
        keys.push((
            vendor,
            ApiKey {
                key,
                tenant,
                scopes,
                label,
            },
        ));
    }
    Ok(keys)
}

pub fn vendor_is_empty(connection: &Connection, vendor: &str) -> Result<bool, CoreError> {
    let keys = connection
        .prepare_cached("SELECT 1 FROM api_keys WHERE vendor = ?1 LIMIT 1")?
        .exists([vendor])?;
    let records = connection
        .prepare_cached("SELECT 1 FROM integrations WHERE vendor = ?1 LIMIT 1")?
        .exists([vendor])?;
    Ok(!keys && !records)
}

/// Deletes the records of a vendor, or of one of its tenants. Returns how many went.
pub fn delete_records(
    connection: &Connection,
    vendor: &str,
    tenant: Option<&str>,
) -> Result<usize, CoreError> {
    let mut statement = connection.prepare_cached(
        "DELETE FROM integrations WHERE vendor = ?1 AND (?2 IS NULL OR tenant = ?2)",
    )?;
    Ok(statement.execute(params![vendor, tenant])?)
}

/// Deletes the keys of a vendor, or of one of its tenants.
pub fn delete_keys(
    connection: &Connection,
    vendor: &str,
    tenant: Option<&str>,
) -> Result<usize, CoreError> {
    let mut statement = connection
        .prepare_cached("DELETE FROM api_keys WHERE vendor = ?1 AND (?2 IS NULL OR tenant = ?2)")?;
    Ok(statement.execute(params![vendor, tenant])?)
}

/// Inserts a record, or replaces the one with the same vendor, tenant and id (keeping its row).
pub fn upsert(
    connection: &Connection,
    vendor: &str,
    integration: &Integration,
) -> Result<(), CoreError> {
    let mut statement = connection.prepare_cached(
        "INSERT INTO integrations (vendor, tenant, id, kind, attributes, credential, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (vendor, tenant, id) DO UPDATE SET kind = excluded.kind,
           attributes = excluded.attributes, credential = excluded.credential,
           created_at = excluded.created_at, updated_at = excluded.updated_at",
    )?;
    statement.execute(params![
        vendor,
        integration.tenant,
        integration.id,
        integration.kind,
        serde_json::to_string(&integration.attributes)?,
        encode_credential(&integration.credential)?,
        integration.created_at.timestamp_millis(),
        integration.updated_at.timestamp_millis(),
    ])?;
    Ok(())
}

/// Deletes one record. Returns whether it was there.
pub fn delete(
    connection: &Connection,
    vendor: &str,
    tenant: &str,
    id: &str,
) -> Result<bool, CoreError> {
    let mut statement = connection
        .prepare_cached("DELETE FROM integrations WHERE vendor = ?1 AND tenant = ?2 AND id = ?3")?;
    Ok(statement.execute(params![vendor, tenant, id])? > 0)
}

/// The order of a tenant's records in a listing, each ending with the row id so that it is total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    Created,
    Updated,
    KindThenCreated,
}

/// One stored row as a listing sees it: its position and the record.
pub(crate) struct Listed {
    pub(crate) row_id: i64,
    pub(crate) record: Integration,
}

/// Calls `each` with a tenant's records in order, from after the position `after` (the sort key's
/// values and a row id), until it answers `false`. Only that tenant's rows are read.
pub(crate) fn scan(
    connection: &Connection,
    vendor: &str,
    tenant: &str,
    key: SortKey,
    descending: bool,
    after: Option<&Position>,
    mut each: impl FnMut(Listed) -> Result<bool, CoreError>,
) -> Result<(), CoreError> {
    let (direction, compare) = if descending {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    let (columns, bound) = match key {
        SortKey::Created => ("created_at, row_id", "(created_at, row_id) {cmp} (?3, ?5)"),
        SortKey::Updated => ("updated_at, row_id", "(updated_at, row_id) {cmp} (?3, ?5)"),
        SortKey::KindThenCreated => (
            "kind, created_at, row_id",
            "(kind, created_at, row_id) {cmp} (?4, ?3, ?5)",
        ),
    };
    let order = columns
        .split(", ")
        .map(|column| format!("{column} {direction}"))
        .collect::<Vec<_>>()
        .join(", ");
    let condition = if after.is_some() {
        format!("AND {}", bound.replace("{cmp}", compare))
    } else {
        // The parameters stay in the statement, unused, so that both forms take the same ones.
        "AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL".to_string()
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM integrations WHERE vendor = ?1 AND tenant = ?2 {condition} ORDER BY {order}"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let (time, kind, row_id) = match after {
        Some(position) => (
            Some(position.time),
            Some(position.kind.as_str()),
            Some(position.row_id),
        ),
        None => (None, None, None),
    };
    let mut rows = statement.query(params![vendor, tenant, time, kind, row_id])?;
    while let Some(row) = rows.next()? {
        let (row_id, record) = decode(raw(row)?)?;
        if !each(Listed { row_id, record })? {
            break;
        }
    }
    Ok(())
}

/// Where a listing stopped: the sort key's values of the last row it returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Position {
    /// `created_at` or `updated_at` in milliseconds, per the sort key.
    pub(crate) time: i64,
    /// The kind (only for [`SortKey::KindThenCreated`]; empty otherwise).
    pub(crate) kind: String,
    pub(crate) row_id: i64,
}

/// Whether a vendor's key is stored.
pub fn key_exists(connection: &Connection, vendor: &str, key: &str) -> Result<bool, CoreError> {
    let mut statement =
        connection.prepare_cached("SELECT 1 FROM api_keys WHERE vendor = ?1 AND key = ?2")?;
    Ok(statement.exists(params![vendor, key])?)
}

/// The tenants of a vendor holding a record with `id`, in order.
pub fn tenants_holding(
    connection: &Connection,
    vendor: &str,
    id: &str,
) -> Result<Vec<String>, CoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT tenant FROM integrations WHERE vendor = ?1 AND id = ?2 ORDER BY tenant",
    )?;
    let tenants = statement.query_map(params![vendor, id], |row| row.get(0))?;
    Ok(tenants.collect::<Result<_, _>>()?)
}

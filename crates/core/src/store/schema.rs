//! The schema, versioned with `PRAGMA user_version`. Each migration runs once, in order, inside one
//! transaction with the version bump.

use rusqlite::Connection;

/// Migration `n` takes the database from `user_version = n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: keys and integrations.
    "CREATE TABLE api_keys (
        vendor TEXT NOT NULL,
        key TEXT NOT NULL,
        tenant TEXT NOT NULL,
        scopes TEXT,
        label TEXT,
        PRIMARY KEY (vendor, key)
    ) WITHOUT ROWID;
    CREATE TABLE integrations (
        row_id INTEGER PRIMARY KEY,
        vendor TEXT NOT NULL,
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        attributes TEXT NOT NULL,
        credential TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (vendor, tenant, id)
    );",
    // 1 -> 2: records by vendor and id, whatever their tenant.
    "CREATE INDEX integrations_by_id ON integrations (vendor, id);",
    // 2 -> 3: a tenant's records in creation order, and by kind then creation, for listings whose
    // cost does not grow with other tenants' records. Neither column changes on an update, so
    // updates do not touch these indexes.
    "CREATE INDEX integrations_by_created ON integrations (vendor, tenant, created_at, row_id);
    CREATE INDEX integrations_by_kind ON integrations (vendor, tenant, kind, created_at, row_id);",
];

/// The last migration, run outside a transaction (VACUUM cannot run inside one): it turns on
/// incremental auto-vacuum, so that space freed by a reset or by the expiry of open tenants can be
/// given back to the file system. A file made before it needs the VACUUM to rebuild it once; a new
/// file is empty then, so the rebuild costs nothing.
const INCREMENTAL_VACUUM: &str = "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;";

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64 + 1;

/// Brings the database up to [`CURRENT_VERSION`]; refuses a database from a newer build.
pub fn migrate(connection: &mut Connection) -> Result<(), crate::CoreError> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > CURRENT_VERSION {
        return Err(crate::CoreError::Storage(format!(
            "the database has schema version {version}, newer than this build's {CURRENT_VERSION}"
        )));
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration)?;
        transaction.pragma_update(None, "user_version", index as i64 + 1)?;
        transaction.commit()?;
    }
    if version < CURRENT_VERSION {
        let mode: i64 = connection.query_row("PRAGMA auto_vacuum", [], |row| row.get(0))?;
        // 2 is INCREMENTAL: set already (a database in memory keeps its mode, and needs none).
        if mode != 2 {
            connection.execute_batch(INCREMENTAL_VACUUM)?;
        }
        connection.pragma_update(None, "user_version", CURRENT_VERSION)?;
    }
    Ok(())
}

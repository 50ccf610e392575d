//! The "data grows" database, filled through core: first the fixtures, as patchbay loads them into
//! an empty database at start, then, for each vendor with a scale row, copies of one of its fixture
//! records as one more tenant, each with a new id and read by the vendor's own fixture parser
//! (through the server's vendor table). No SQL and no record layout here.

use crate::interrupt;
use crate::rows::{ScaleSpec, SCALE_TENANT};
use crate::BenchError;
use patchbay_core::fixtures::RecordReader;
use patchbay_core::{Integration, Store, StoreConfig, TenantChange};
use patchbay_http::Vendor;
use serde_json::{Map, Value};
use std::path::Path;

/// Records written per transaction: enough to keep the fill quick, few enough to keep memory modest.
const CHUNK: usize = 10_000;

fn failed(message: impl Into<String>) -> BenchError {
    BenchError::Failed(message.into())
}

/// Creates the database at `db` with the fixtures of `fixtures_dir` and `count` extra records of
/// each vendor in `scale`.
pub fn fill(
    db: &Path,
    fixtures_dir: &Path,
    scale: &[(String, ScaleSpec)],
    count: usize,
) -> Result<(), BenchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|error| failed(format!("cannot start a runtime: {error}")))?;
    let store = Store::open(StoreConfig::new(db.display().to_string()))
        .map_err(|error| failed(format!("{}: {error}", db.display())))?;
    let filled = fill_store(&runtime, &store, fixtures_dir, scale, count);
    // Closing checkpoints the WAL into the database file, which is then complete on its own.
    store.close();
    filled
}

fn fill_store(
    runtime: &tokio::runtime::Runtime,
    store: &Store,
    fixtures_dir: &Path,
    scale: &[(String, ScaleSpec)],
    count: usize,
) -> Result<(), BenchError> {
    for vendor in patchbay_server::vendors::VENDORS.iter().copied() {
        if let Some(data) = patchbay_server::fixtures::read(fixtures_dir, vendor).map_err(failed)? {
            runtime
                .block_on(store.seed_if_empty(vendor.name, data))
                .map_err(|error| failed(format!("fixtures of {}: {error}", vendor.name)))?;
        }
    }
    for (vendor_name, spec) in scale {
        let vendor = patchbay_server::vendors::find(vendor_name)
            .ok_or_else(|| failed(format!("the server has no vendor {vendor_name:?}")))?;
        let template = template_record(fixtures_dir, vendor, spec)?;
        eprintln!(
            "filling the scale database with {count} more {} records",
            vendor.name
        );
        // The copies of the next chunk are read while the writer stores the last one.
        std::thread::scope(|scope| {
            let (chunks, inbox) = std::sync::mpsc::sync_channel(1);
            let template = &template;
            scope.spawn(move || {
                for start in (0..count).step_by(CHUNK) {
                    let end = (start + CHUNK).min(count);
                    let chunk = (start..end)
                        .map(|index| copy_of(vendor, template, spec, index))
                        .collect::<Result<Vec<_>, _>>();
                    // A closed channel: the store failed or a signal came, and nobody waits.
                    if chunks.send(chunk).is_err() {
                        break;
                    }
                }
            });
            for records in inbox {
                interrupt::check()?;
                runtime
                    .block_on(store.replace(vec![TenantChange {
                        vendor: vendor.name,
                        tenant: Some(SCALE_TENANT.to_string()),
                        clear_records: false,
                        clear_keys: false,
                        keys: Vec::new(),
                        records: records?,
                    }]))
                    .map_err(|error| failed(format!("storing {} records: {error}", vendor.name)))?;
            }
            Ok::<_, BenchError>(())
        })?;
    }
    Ok(())
}

/// The fixture record to copy: the first whose id, as the vendor's parser reads it, is `spec.record`.
fn template_record(
    fixtures_dir: &Path,
    vendor: &Vendor,
    spec: &ScaleSpec,
) -> Result<Map<String, Value>, BenchError> {
    let path = fixtures_dir.join(vendor.fixture_file);
    let text =
        std::fs::read(&path).map_err(|error| failed(format!("{}: {error}", path.display())))?;
    let document: Value = serde_json::from_slice(&text)
        .map_err(|error| failed(format!("{}: {error}", path.display())))?;
    let records = document
        .get("records")
        .and_then(Value::as_array)
        .ok_or_else(|| failed(format!("{}: no records", path.display())))?;
    for (index, record) in records.iter().enumerate() {
        let Some(object) = record.as_object() else {
            continue;
        };
        let parsed = (vendor.parse_record)(&RecordReader {
            record: object,
            path: format!("$.records[{index}]"),
        })
        .map_err(|error| failed(format!("{}: {error}", path.display())))?;
        if parsed.id == spec.record {
            if !object.contains_key(&spec.id_field) {
                return Err(failed(format!(
                    "{}: record {:?} has no field {:?} (the scale `id_field`)",
                    path.display(),
                    spec.record,
                    spec.id_field
                )));
            }
            return Ok(object.clone());
        }
    }
    Err(failed(format!(
        "{}: no record with id {:?} (the scale `record`)",
        path.display(),
        spec.record
    )))
}

/// Copy number `index` of the template, in the scale tenant, read by the vendor's parser.
fn copy_of(
    vendor: &Vendor,
    template: &Map<String, Value>,
    spec: &ScaleSpec,
    index: usize,
) -> Result<Integration, BenchError> {
    let id = spec.id_of(index);
    let mut copy = template.clone();
    copy.insert("tenant".into(), Value::String(SCALE_TENANT.into()));
    copy.insert(spec.id_field.clone(), Value::String(id.clone()));
    let record = (vendor.parse_record)(&RecordReader {
        record: &copy,
        path: format!("$.scale[{index}]"),
    })
    .map_err(|error| {
        failed(format!(
            "a copy of {} record {:?}: {error}",
            vendor.name, spec.record
        ))
    })?;
    if record.id != id {
        return Err(failed(format!(
            "{}: a copy with {} = {id:?} reads as id {:?}: `id_field` is not the record's id",
            vendor.name, spec.id_field, record.id
        )));
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's scale rows fill a database that the store then reads back: the fixtures
    /// and the extra tenant, with the vendor's own record shape.
    #[test]
    fn the_scale_database_holds_the_fixtures_and_the_copies() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let plan = crate::rows::load(&root, 25, |vendor| {
            patchbay_server::vendors::find(vendor).is_some()
        })
        .expect("row files parse");
        assert!(!plan.scale.is_empty(), "some row runs on the scale server");
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = dir.path().join("scale.db");
        fill(&db, &root.join("fixtures"), &plan.scale, 25).expect("fills");

        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let store = Store::open(StoreConfig::new(db.display().to_string())).expect("opens");
        for (vendor_name, spec) in &plan.scale {
            let vendor = patchbay_server::vendors::find(vendor_name).expect("known vendor");
            let copies = runtime
                .block_on(store.list(vendor.name, Some(SCALE_TENANT.into())))
                .expect("lists");
            assert_eq!(copies.len(), 25);
            assert!(copies.iter().any(|record| record.id == spec.id_of(24)));
            let template = runtime
                .block_on(store.list(vendor.name, None))
                .expect("lists")
                .into_iter()
                .find(|record| record.id == spec.record && record.tenant != SCALE_TENANT)
                .expect("the fixture record is there too");
            let copy = &copies[0];
            assert_eq!(copy.kind, template.kind);
            assert_eq!(copy.attributes, template.attributes);
            assert!(!store.keys(vendor.name).is_empty(), "fixture keys loaded");
        }
        store.close();
    }

    #[test]
    fn a_wrong_id_field_or_record_is_refused() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let plan = crate::rows::load(&root, 1, |vendor| {
            patchbay_server::vendors::find(vendor).is_some()
        })
        .expect("row files parse");
        let (vendor, spec) = plan.scale[0].clone();
        let dir = tempfile::tempdir().expect("temporary directory");
        let fixtures = root.join("fixtures");
        let wrong_record = ScaleSpec {
            record: "no-such-record".into(),
            ..spec.clone()
        };
        let error = fill(
            &dir.path().join("a.db"),
            &fixtures,
            &[(vendor.clone(), wrong_record)],
            1,
        )
        .expect_err("no such record");
        assert!(error.to_string().contains("no record with id"), "{error}");
        let wrong_field = ScaleSpec {
            id_field: "tenant".into(),
            ..spec
        };
        let error = fill(
            &dir.path().join("b.db"),
            &fixtures,
            &[(vendor, wrong_field)],
            1,
        )
        .expect_err("wrong id field");
        assert!(
            error.to_string().contains("is not the record's id"),
            "{error}"
        );
    }
}

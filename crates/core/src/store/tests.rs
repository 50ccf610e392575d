use super::*;
use crate::model::Credential;
use serde_json::{json, Map, Value};

const VENDOR: &str = "acme";

fn record(tenant: &str, id: &str) -> Integration {
    let created = chrono::DateTime::from_timestamp_millis(1_700_000_000_000).expect("valid");
    let mut fields = Map::new();
    fields.insert("client_secret".into(), json!("s3cret"));
    Integration {
        tenant: tenant.into(),
        id: id.into(),
        kind: "widget".into(),
        attributes: json!({"name": id, "config": {}})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        credential: Some(Credential::new("OAUTH2", fields)),
        created_at: created,
        updated_at: created,
    }
}

async fn open(dir: &tempfile::TempDir) -> Store {
    let store =
        Store::open(StoreConfig::new(dir.path().join("t.db").to_string_lossy())).expect("open");
    let data = VendorData {
        keys: vec![ApiKey {
            key: "k1".into(),
            tenant: "t1".into(),
            scopes: None,
            label: None,
        }],
        records: vec![record("t1", "a"), record("t1", "b"), record("t2", "a")],
    };
    assert!(store.seed_if_empty(VENDOR, data).await.expect("seed"));
    store
}

#[tokio::test]
async fn seeding_twice_loads_once_and_keys_authenticate_from_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    assert!(!store
        .seed_if_empty(VENDOR, VendorData::default())
        .await
        .expect("seed"));
    assert_eq!(
        store
            .authenticate(VENDOR, "k1")
            .map(|key| key.tenant.clone()),
        Some("t1".into())
    );
    assert!(store.authenticate("other", "k1").is_none());
    assert_eq!(store.list(VENDOR, None).await.expect("list").len(), 3);
}

#[tokio::test]
async fn an_update_is_read_back_with_a_newer_updated_at() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let before = store.get(&tenant, "a").await.expect("get").expect("exists");
    let after = store
        .update::<CoreError, _>(&tenant, "a", |record, _| {
            record.attributes.insert("name".into(), json!("renamed"));
            Ok(())
        })
        .await
        .expect("update");
    assert!(after.updated_at > before.updated_at);
    let read = store.get(&tenant, "a").await.expect("get").expect("exists");
    assert_eq!(read, after);
    assert_eq!(
        read.credential
            .as_ref()
            .and_then(|c| c.text("client_secret")),
        Some("s3cret")
    );
    // The other tenant's record of the same id is untouched.
    let other = store
        .get(&TenantRef::new(VENDOR, "t2"), "a")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(other.text("name"), Some("a"));
}

#[tokio::test]
async fn a_failed_apply_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let before = store.get(&tenant, "a").await.expect("get");
    let result = store
        .update::<CoreError, _>(&tenant, "a", |record, _| {
            record
                .attributes
                .insert("name".into(), json!("half-written"));
            Err(CoreError::Storage("refused".into()))
        })
        .await;
    assert!(result.is_err());
    assert_eq!(store.get(&tenant, "a").await.expect("get"), before);
}

#[tokio::test]
async fn missing_records_and_id_conflicts_are_core_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let missing = store
        .update::<CoreError, _>(&tenant, "zzz", |_, _| Ok(()))
        .await;
    assert!(matches!(missing, Err(CoreError::NotFound { id }) if id == "zzz"));
    let conflict = store
        .update::<CoreError, _>(&tenant, "a", |record, lookup| {
            assert!(lookup.id_in_use("b")?);
            assert!(!lookup.id_in_use("c")?);
            record.id = "b".into();
            Ok(())
        })
        .await;
    assert!(matches!(conflict, Err(CoreError::IdConflict { id }) if id == "b"));
}

#[tokio::test]
async fn concurrent_updates_of_one_record_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let mut tasks = Vec::new();
    for index in 0..64 {
        let (store, tenant) = (store.clone(), tenant.clone());
        tasks.push(tokio::spawn(async move {
            store
                .update::<CoreError, _>(&tenant, "a", move |record, _| {
                    if let Some(Value::Object(config)) = record.attributes.get_mut("config") {
                        config.insert(format!("k{index}"), json!(index));
                    }
                    Ok(())
                })
                .await
        }));
    }
    for task in tasks {
        task.await.expect("join").expect("update");
    }
    let read = store.get(&tenant, "a").await.expect("get").expect("exists");
    assert_eq!(read.object("config").map(Map::len), Some(64));
}

#[tokio::test]
async fn state_survives_reopening_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tenant = TenantRef::new(VENDOR, "t1");
    {
        let store = open(&dir).await;
        store
            .update::<CoreError, _>(&tenant, "a", |record, _| {
                record.attributes.insert("name".into(), json!("kept"));
                Ok(())
            })
            .await
            .expect("update");
        store.close();
        let wal = dir.path().join("t.db-wal");
        let wal_size = std::fs::metadata(&wal).map(|meta| meta.len()).unwrap_or(0);
        assert_eq!(
            wal_size, 0,
            "closing checkpoints the WAL into the database file"
        );
        let after_close = store
            .update::<CoreError, _>(&tenant, "a", |_, _| Ok(()))
            .await;
        assert!(matches!(after_close, Err(CoreError::Unavailable)));
    }
    let store =
        Store::open(StoreConfig::new(dir.path().join("t.db").to_string_lossy())).expect("reopen");
    let read = store.get(&tenant, "a").await.expect("get").expect("exists");
    assert_eq!(read.text("name"), Some("kept"));
    assert!(store.authenticate(VENDOR, "k1").is_some());
}

#[tokio::test]
async fn the_checkpointer_moves_committed_writes_into_the_database_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let updated = store
        .update::<CoreError, _>(&tenant, "a", |record, _| {
            record
                .attributes
                .insert("name".into(), json!("checkpointed"));
            Ok(())
        })
        .await
        .expect("update");
    std::thread::sleep(CHECKPOINT_EVERY * 3);
    // The database file alone, without its WAL, must already hold the write.
    let copy = dir.path().join("copy.db");
    std::fs::copy(dir.path().join("t.db"), &copy).expect("copy");
    let connection = Connection::open(&copy).expect("open copy");
    let stored: i64 = connection
        .query_row(
            "SELECT updated_at FROM integrations WHERE vendor = ?1 AND tenant = 't1' AND id = 'a'",
            [VENDOR],
            |row| row.get(0),
        )
        .expect("row");
    assert_eq!(stored, updated.updated_at.timestamp_millis());
    store.close();
}

#[tokio::test]
async fn an_in_memory_store_serves_reads_and_writes() {
    let store = Store::open(StoreConfig::new(":memory:")).expect("open");
    let data = VendorData {
        keys: vec![],
        records: vec![record("t1", "a")],
    };
    store.seed_if_empty(VENDOR, data).await.expect("seed");
    let tenant = TenantRef::new(VENDOR, "t1");
    store
        .update::<CoreError, _>(&tenant, "a", |_, _| Ok(()))
        .await
        .expect("update");
    assert!(store.get(&tenant, "a").await.expect("get").is_some());
}

#[tokio::test]
async fn cached_reads_follow_every_write_and_rename() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    for round in 0..20 {
        assert!(
            store.get(&tenant, "a").await.expect("get").is_some(),
            "cached now"
        );
        store
            .update::<CoreError, _>(&tenant, "a", move |record, _| {
                record.attributes.insert("name".into(), json!(round));
                Ok(())
            })
            .await
            .expect("update");
        let read = store.get(&tenant, "a").await.expect("get").expect("exists");
        assert_eq!(read.attributes["name"], json!(round));
    }
    store
        .update::<CoreError, _>(&tenant, "a", |record, _| {
            record.id = "renamed".into();
            Ok(())
        })
        .await
        .expect("rename");
    assert!(
        store.get(&tenant, "a").await.expect("get").is_none(),
        "the old id is gone from the cache too"
    );
    assert!(store.get(&tenant, "renamed").await.expect("get").is_some());
}

#[tokio::test]
async fn a_store_with_the_cache_off_reads_from_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = StoreConfig::new(dir.path().join("t.db").to_string_lossy());
    config.cache_records = 0;
    let store = Store::open(config).expect("open");
    store
        .seed_if_empty(
            VENDOR,
            VendorData {
                keys: vec![],
                records: vec![record("t1", "a")],
            },
        )
        .await
        .expect("seed");
    let tenant = TenantRef::new(VENDOR, "t1");
    store
        .update::<CoreError, _>(&tenant, "a", |record, _| {
            record.attributes.insert("name".into(), json!("fresh"));
            Ok(())
        })
        .await
        .expect("update");
    assert_eq!(
        store
            .get(&tenant, "a")
            .await
            .expect("get")
            .expect("exists")
            .text("name"),
        Some("fresh")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn updates_racing_a_rename_either_land_on_the_record_or_find_it_gone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    assert!(
        store.get(&tenant, "a").await.expect("get").is_some(),
        "warm the cache first"
    );
    let mut tasks = Vec::new();
    for index in 0..48 {
        let (store, tenant) = (store.clone(), tenant.clone());
        tasks.push(tokio::spawn(async move {
            if index == 24 {
                let renamed = store
                    .update::<CoreError, _>(&tenant, "a", |record, _| {
                        record.id = "z".into();
                        Ok(())
                    })
                    .await;
                return (index, renamed.is_ok());
            }
            let result = store
                .update::<CoreError, _>(&tenant, "a", move |record, _| {
                    if let Some(Value::Object(config)) = record.attributes.get_mut("config") {
                        config.insert(format!("k{index}"), json!(index));
                    }
                    Ok(())
                })
                .await;
            match result {
                Ok(_) => (index, true),
                Err(CoreError::NotFound { .. }) => (index, false),
                Err(other) => panic!("unexpected {other:?}"),
            }
        }));
    }
    let mut landed = Vec::new();
    for task in tasks {
        let (index, ok) = task.await.expect("join");
        if index == 24 {
            assert!(ok, "the rename succeeds");
        } else if ok {
            landed.push(index);
        }
    }
    assert!(store.get(&tenant, "a").await.expect("get").is_none());
    let renamed = store
        .get(&tenant, "z")
        .await
        .expect("get")
        .expect("renamed record");
    let config = renamed.object("config").expect("config");
    assert_eq!(
        config.len(),
        landed.len(),
        "every acknowledged update is on the renamed record"
    );
    for index in landed {
        assert_eq!(config[&format!("k{index}")], json!(index));
    }
    // What the cache serves is what SQLite holds.
    let listed = store.list(VENDOR, Some("t1".into())).await.expect("list");
    assert_eq!(
        listed.iter().find(|record| record.id == "z"),
        Some(&*renamed)
    );
}

fn key(key: &str, tenant: &str) -> ApiKey {
    ApiKey {
        key: key.into(),
        tenant: tenant.into(),
        scopes: None,
        label: None,
    }
}

fn names(records: &[Integration]) -> Vec<String> {
    records
        .iter()
        .map(|record| format!("{}/{}", record.tenant, record.id))
        .collect()
}

#[tokio::test]
async fn replacing_one_tenant_leaves_the_others_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let other = TenantRef::new(VENDOR, "t2");
    store
        .update(&other, "a", |record, _| {
            record.kind = "changed".into();
            Ok::<(), CoreError>(())
        })
        .await
        .expect("update t2");
    let summary = store
        .replace(vec![TenantChange {
            vendor: VENDOR,
            tenant: Some("t1".into()),
            clear_records: true,
            clear_keys: true,
            keys: vec![key("k9", "t1")],
            records: vec![record("t1", "z")],
        }])
        .await
        .expect("replace");
    assert_eq!(summary.records_removed, 2);
    assert_eq!(summary.keys_removed, 1);
    assert_eq!(
        names(&store.list(VENDOR, None).await.expect("list")),
        ["t1/z", "t2/a"]
    );
    assert!(store.authenticate(VENDOR, "k1").is_none(), "k1 was t1's");
    assert!(store.authenticate(VENDOR, "k9").is_some());
    let kept = store.get(&other, "a").await.expect("get").expect("t2/a");
    assert_eq!(kept.kind, "changed");
}

#[tokio::test]
async fn a_replace_survives_reopening_and_seeding_upserts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let mut changed = record("t1", "a");
    changed.kind = "seeded".into();
    store
        .replace(vec![TenantChange {
            vendor: VENDOR,
            tenant: None,
            clear_records: false,
            clear_keys: false,
            keys: vec![key("k2", "t3")],
            records: vec![changed, record("t3", "new")],
        }])
        .await
        .expect("seed");
    store.close();
    let store =
        Store::open(StoreConfig::new(dir.path().join("t.db").to_string_lossy())).expect("reopen");
    let tenant = TenantRef::new(VENDOR, "t1");
    let record = store.get(&tenant, "a").await.expect("get").expect("t1/a");
    assert_eq!(record.kind, "seeded");
    assert_eq!(store.list(VENDOR, None).await.expect("list").len(), 4);
    assert_eq!(
        store
            .authenticate(VENDOR, "k2")
            .map(|key| key.tenant.clone()),
        Some("t3".into())
    );
    assert!(store.authenticate(VENDOR, "k1").is_some());
}

#[tokio::test]
async fn a_replace_refused_by_a_closed_store_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let before = store.list(VENDOR, None).await.expect("list");
    // A store that can no longer write refuses the whole change.
    store.close();
    let failed = store
        .replace(vec![TenantChange {
            vendor: VENDOR,
            tenant: None,
            clear_records: true,
            clear_keys: true,
            keys: Vec::new(),
            records: Vec::new(),
        }])
        .await;
    assert!(matches!(failed, Err(CoreError::Unavailable)));
    let store =
        Store::open(StoreConfig::new(dir.path().join("t.db").to_string_lossy())).expect("reopen");
    assert_eq!(
        names(&store.list(VENDOR, None).await.expect("list")),
        names(&before)
    );
}

#[tokio::test]
async fn an_update_queued_behind_a_replace_reads_the_replaced_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    // Cache t1/a, then queue a replace and an update together so they share a batch.
    store.get(&tenant, "a").await.expect("get");
    let mut fresh = record("t1", "a");
    fresh.kind = "fresh".into();
    let replace = store.replace(vec![TenantChange {
        vendor: VENDOR,
        tenant: Some("t1".into()),
        clear_records: true,
        clear_keys: false,
        keys: Vec::new(),
        records: vec![fresh],
    }]);
    let update = store.update(&tenant, "a", |record, _| {
        record
            .attributes
            .insert("seen_kind".into(), Value::String(record.kind.clone()));
        Ok::<(), CoreError>(())
    });
    let (replaced, updated) = tokio::join!(replace, update);
    replaced.expect("replace");
    let updated = updated.expect("update");
    assert_eq!(updated.attributes.get("seen_kind"), Some(&json!("fresh")));
    let read = store.get(&tenant, "a").await.expect("get").expect("t1/a");
    assert_eq!(read.attributes.get("seen_kind"), Some(&json!("fresh")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_uses_of_one_open_key_create_one_tenant() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let template = vec![record("template", "a"), record("template", "b")];
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let template = template.clone();
        tasks.push(tokio::spawn(async move {
            store
                .provision(VENDOR, key("fresh", "open-1"), template)
                .await
        }));
    }
    for task in tasks {
        let key = task.await.expect("join").expect("provision");
        assert_eq!(key.tenant, "open-1");
    }
    assert_eq!(
        names(
            &store
                .list(VENDOR, Some("open-1".into()))
                .await
                .expect("list")
        ),
        ["open-1/a", "open-1/b"]
    );
    assert!(store.authenticate(VENDOR, "fresh").is_some());
}

#[tokio::test]
async fn the_tenants_holding_an_id_are_found_by_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    assert_eq!(
        store.tenants_holding(VENDOR, "a").await.expect("a"),
        ["t1", "t2"]
    );
    assert_eq!(store.tenants_holding(VENDOR, "b").await.expect("b"), ["t1"]);
    assert!(store
        .tenants_holding(VENDOR, "zzz")
        .await
        .expect("none")
        .is_empty());
    assert!(store
        .tenants_holding("other", "a")
        .await
        .expect("other vendor")
        .is_empty());
}

#[tokio::test]
async fn a_lookup_lists_the_tenant_as_the_transaction_sees_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let rename = store.update(&tenant, "a", |record, _| {
        record.kind = "renamed".into();
        Ok::<(), CoreError>(())
    });
    let observe = store.update(&tenant, "b", |record, lookup| {
        let kinds: Vec<String> = lookup
            .records()?
            .into_iter()
            .map(|other| format!("{}={}", other.id, other.kind))
            .collect();
        record
            .attributes
            .insert("seen".into(), Value::String(kinds.join(",")));
        Ok::<(), CoreError>(())
    });
    let (renamed, observed) = tokio::join!(rename, observe);
    renamed.expect("rename");
    let seen = observed.expect("observe");
    assert_eq!(
        seen.attributes.get("seen"),
        Some(&json!("a=renamed,b=widget")),
        "the earlier write of the batch (or an earlier batch) is visible, t2 is not"
    );
}

/// A new record to create: only its kind and attributes matter, the store sets the rest.
fn new_record(kind: &str, name: &str) -> Integration {
    let mut record = record("ignored", "ignored");
    record.kind = kind.into();
    record.attributes = json!({ "name": name })
        .as_object()
        .cloned()
        .unwrap_or_default();
    record
}

#[tokio::test]
async fn a_created_record_is_read_back_and_its_id_cannot_be_created_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let created = store
        .create::<CoreError, _>(&tenant, "new", |_| Ok(new_record("widget", "new")))
        .await
        .expect("created");
    assert_eq!(
        (created.tenant.as_str(), created.id.as_str()),
        ("t1", "new")
    );
    assert_eq!(created.created_at, created.updated_at);
    let read = store
        .get(&tenant, "new")
        .await
        .expect("get")
        .expect("there");
    assert_eq!(read.attributes, created.attributes);
    let again = store
        .create::<CoreError, _>(&tenant, "new", |_| Ok(new_record("widget", "again")))
        .await;
    assert!(matches!(again, Err(CoreError::IdConflict { id }) if id == "new"));
    // Another tenant may use the same id.
    store
        .create::<CoreError, _>(&TenantRef::new(VENDOR, "t2"), "new", |_| {
            Ok(new_record("widget", "t2's"))
        })
        .await
        .expect("another tenant's id");
    // An existing fixture id is taken too.
    let taken = store
        .create::<CoreError, _>(&tenant, "a", |_| Ok(new_record("widget", "x")))
        .await;
    assert!(matches!(taken, Err(CoreError::IdConflict { .. })));
}

#[tokio::test]
async fn a_create_refused_by_its_build_or_its_ids_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let refused = store
        .create::<CoreError, _>(&tenant, "nope", |_| {
            Err(CoreError::NotFound { id: "why".into() })
        })
        .await;
    assert!(refused.is_err());
    assert!(store.get(&tenant, "nope").await.expect("get").is_none());
    // Two records, the second's id taken: neither is stored.
    let both = store
        .create_all::<CoreError, _>(&tenant, vec!["one".into()], |_| {
            let mut first = new_record("widget", "one");
            first.id = "one".into();
            let mut second = new_record("widget", "a");
            second.id = "a".into();
            Ok(vec![first, second])
        })
        .await;
    assert!(matches!(both, Err(CoreError::IdConflict { .. })));
    assert!(store.get(&tenant, "one").await.expect("get").is_none());
    assert_eq!(
        store
            .list(VENDOR, Some("t1".into()))
            .await
            .expect("list")
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_creates_of_one_id_have_exactly_one_winner() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let attempts = (0..50).map(|index| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .create::<CoreError, _>(&TenantRef::new(VENDOR, "t1"), "raced", move |_| {
                    Ok(new_record("widget", &format!("attempt {index}")))
                })
                .await
        })
    });
    let results = futures_join(attempts).await;
    let won = results.iter().filter(|result| result.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|result| matches!(result, Err(CoreError::IdConflict { .. })))
        .count();
    assert_eq!((won, conflicts), (1, 49));
    let stored = store
        .list(VENDOR, Some("t1".into()))
        .await
        .expect("list")
        .into_iter()
        .filter(|record| record.id == "raced")
        .count();
    assert_eq!(stored, 1);
}

async fn futures_join<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.await.expect("the task ran"));
    }
    results
}

#[tokio::test]
async fn a_deleted_record_is_gone_can_be_created_again_and_nothing_else_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    // Read first so that the cache holds it: the delete must reach the cache too.
    assert!(store.get(&tenant, "a").await.expect("get").is_some());
    let others_before = store.list(VENDOR, None).await.expect("list");
    let deleted = store.delete(&tenant, "a").await.expect("deleted");
    assert_eq!(deleted.id, "a");
    assert!(store.get(&tenant, "a").await.expect("get").is_none());
    let missing = store.delete(&tenant, "a").await;
    assert!(matches!(missing, Err(CoreError::NotFound { id }) if id == "a"));
    let others_after = store.list(VENDOR, None).await.expect("list");
    let without_deleted: Vec<_> = others_before
        .into_iter()
        .filter(|record| !(record.tenant == "t1" && record.id == "a"))
        .collect();
    assert_eq!(names(&others_after), names(&without_deleted));
    assert_eq!(
        store
            .get(&TenantRef::new(VENDOR, "t2"), "a")
            .await
            .expect("get")
            .map(|r| r.id.clone()),
        Some("a".into()),
        "another tenant's record of the same id stays"
    );
    let recreated = store
        .create::<CoreError, _>(&tenant, "a", |_| Ok(new_record("widget", "again")))
        .await
        .expect("recreated");
    assert_eq!(recreated.attributes["name"], "again");
    assert_eq!(
        store
            .get(&tenant, "a")
            .await
            .expect("get")
            .expect("there")
            .attributes["name"],
        "again"
    );
}

#[tokio::test]
async fn a_delete_check_can_refuse_or_take_dependents_along() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    let refused = store
        .delete_with(&tenant, "a", |_, _| {
            Err::<Vec<String>, _>(CoreError::IdConflict { id: "a".into() })
        })
        .await;
    assert!(refused.is_err());
    assert!(store.get(&tenant, "a").await.expect("get").is_some());
    let deleted = store
        .delete_with(&tenant, "a", |_, lookup| {
            assert!(lookup.id_in_use("b")?);
            Ok::<_, CoreError>(vec!["b".into(), "not-there".into()])
        })
        .await
        .expect("deleted");
    let ids: Vec<_> = deleted.iter().map(|record| record.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert!(store
        .list(VENDOR, Some("t1".into()))
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn creates_and_deletes_survive_reopening_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let store = open(&dir).await;
        let tenant = TenantRef::new(VENDOR, "t1");
        store
            .create::<CoreError, _>(&tenant, "kept", |_| Ok(new_record("widget", "kept")))
            .await
            .expect("created");
        store.delete(&tenant, "a").await.expect("deleted");
        store.close();
    }
    let store =
        Store::open(StoreConfig::new(dir.path().join("t.db").to_string_lossy())).expect("reopen");
    let tenant = TenantRef::new(VENDOR, "t1");
    assert!(store.get(&tenant, "kept").await.expect("get").is_some());
    assert!(store.get(&tenant, "a").await.expect("get").is_none());
}

/// Every record of tenant `t1` through pages of `limit`, keyset paging.
async fn all_pages(store: &Store, order: ListOrder, limit: usize) -> Vec<String> {
    let tenant = TenantRef::new(VENDOR, "t1");
    let mut query = ListQuery::first(order, limit);
    let mut seen = Vec::new();
    loop {
        let page = store.list_page(&tenant, query.clone()).await.expect("page");
        seen.extend(page.records.iter().map(|record| record.id.clone()));
        match page.next {
            Some(next) => query.start = ListStart::After(next),
            None => return seen,
        }
    }
}

#[tokio::test]
async fn listings_come_in_the_order_asked_for_one_tenant_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    store.delete(&tenant, "a").await.expect("deleted");
    store.delete(&tenant, "b").await.expect("deleted");
    for (id, kind) in [
        ("z1", "zeta"),
        ("a1", "alpha"),
        ("z2", "zeta"),
        ("a2", "alpha"),
    ] {
        store
            .create::<CoreError, _>(&tenant, id, move |_| Ok(new_record(kind, id)))
            .await
            .expect("created");
    }
    assert_eq!(
        all_pages(&store, ListOrder::Created { descending: false }, 3).await,
        ["z1", "a1", "z2", "a2"]
    );
    assert_eq!(
        all_pages(&store, ListOrder::Created { descending: true }, 3).await,
        ["a2", "z2", "a1", "z1"]
    );
    assert_eq!(
        all_pages(&store, ListOrder::KindThenCreated, 1).await,
        ["a1", "a2", "z1", "z2"]
    );
    // Offset paging, a filter and a total.
    let page = store
        .list_page(
            &tenant,
            ListQuery {
                start: ListStart::Offset(1),
                filter: Some(Arc::new(|record: &Integration| record.kind == "zeta")),
                count_total: true,
                ..ListQuery::first(ListOrder::Created { descending: false }, 5)
            },
        )
        .await
        .expect("page");
    let ids: Vec<_> = page
        .records
        .iter()
        .map(|record| record.id.as_str())
        .collect();
    assert_eq!(ids, ["z2"]);
    assert_eq!(page.total, Some(2));
    assert!(page.next.is_none());
    // Tenant t2 has its own fixture record only.
    let other = store
        .list_page(
            &TenantRef::new(VENDOR, "t2"),
            ListQuery::first(ListOrder::Created { descending: false }, 10),
        )
        .await
        .expect("page");
    assert_eq!(other.records.len(), 1);
}

#[tokio::test]
async fn a_keyset_page_is_stable_while_records_come_and_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    for index in 0..20 {
        store
            .create::<CoreError, _>(&tenant, &format!("r{index:02}"), |_| {
                Ok(new_record("widget", "x"))
            })
            .await
            .expect("created");
    }
    for order in [
        ListOrder::Created { descending: false },
        ListOrder::Created { descending: true },
        ListOrder::KindThenCreated,
    ] {
        let mut query = ListQuery {
            count_total: true,
            ..ListQuery::first(order, 4)
        };
        let mut seen = Vec::new();
        let mut round = 0;
        let mut cursor_record: Option<String> = None;
        loop {
            let page = store.list_page(&tenant, query.clone()).await.expect("page");
            assert!(page.total.is_some());
            seen.extend(page.records.iter().map(|record| record.id.clone()));
            // Between pages: records deleted, others created, the cursor's own record deleted.
            if round == 0 {
                for index in 10..15 {
                    let _ = store.delete(&tenant, &format!("r{index:02}")).await;
                }
                // The record the cursor points after goes too: the position still holds.
                if let Some(last) = page.records.last() {
                    if store.delete(&tenant, &last.id).await.is_ok() {
                        cursor_record = Some(last.id.clone());
                    }
                }
                store
                    .create::<CoreError, _>(&tenant, "late", |_| Ok(new_record("widget", "late")))
                    .await
                    .expect("created");
            }
            round += 1;
            match page.next {
                Some(next) => query.start = ListStart::After(next),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{order:?}: nothing twice: {seen:?}"
        );
        // Every record that existed throughout was seen.
        let throughout = ["a".to_string(), "b".to_string()]
            .into_iter()
            .chain((0..20).map(|index| format!("r{index:02}")))
            .filter(|id| !(id.as_str() >= "r10" && id.as_str() < "r15"))
            .filter(|id| Some(id) != cursor_record.as_ref());
        for id in throughout {
            assert!(seen.contains(&id), "{order:?}: {id} skipped: {seen:?}");
        }
        // Put the tenant back for the next order.
        let _ = store.delete(&tenant, "late").await;
        let restore = cursor_record
            .into_iter()
            .chain((10..15).map(|index| format!("r{index:02}")));
        for id in restore {
            let _ = store
                .create::<CoreError, _>(&tenant, &id, |_| Ok(new_record("widget", "x")))
                .await;
        }
    }
}

#[test]
fn a_cursor_reads_back_from_its_token_for_its_own_order_only() {
    let order = ListOrder::KindThenCreated;
    let cursor = Cursor::from_token("kc.1700000000000.42.616c706861", order).expect("a cursor");
    assert_eq!(cursor.token(), "kc.1700000000000.42.616c706861");
    assert!(
        Cursor::from_token(&cursor.token(), ListOrder::Created { descending: false }).is_none()
    );
    for bad in [
        "",
        "kc",
        "kc.1.2",
        "kc.x.2.",
        "kc.1.2.zz",
        "kc.1.2.6",
        "kc.1.2..",
        "kc.1.2.3.4",
    ] {
        assert!(Cursor::from_token(bad, order).is_none(), "{bad:?}");
    }
}

#[tokio::test]
async fn a_lookup_reads_one_record_and_the_records_of_one_kind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    let tenant = TenantRef::new(VENDOR, "t1");
    store
        .create::<CoreError, _>(&tenant, "g1", |_| Ok(new_record("gadget", "g1")))
        .await
        .expect("created");
    store
        .update::<CoreError, _>(&tenant, "a", |_, lookup| {
            let one = lookup.get("b")?.map(|record| record.id);
            let gadgets: Vec<String> = lookup
                .records_of_kind("gadget")?
                .into_iter()
                .map(|record| record.id)
                .collect();
            let missing = lookup.get("nope")?.is_none();
            assert_eq!(
                (one.as_deref(), gadgets.as_slice(), missing),
                (Some("b"), ["g1".to_string()].as_slice(), true)
            );
            Ok(())
        })
        .await
        .expect("looked up");
}

fn bulky(tenant: &str, id: &str, bytes: usize) -> Integration {
    let mut record = record(tenant, id);
    record
        .attributes
        .insert("padding".into(), json!("x".repeat(bytes)));
    record
}

#[tokio::test]
async fn a_full_database_degrades_the_store_until_space_is_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir).await;
    // The page limit stands in for a full disk: SQLite reports both as SQLITE_FULL.
    let pages: i64 = store
        .write(|connection, _| {
            let pages: i64 = connection.query_row("PRAGMA page_count", [], |row| row.get(0))?;
            connection.execute_batch(&format!("PRAGMA max_page_count = {}", pages + 8))?;
            Ok::<_, CoreError>(pages)
        })
        .await
        .expect("limit");
    let tenant = TenantRef::new(VENDOR, "t1");
    let mut failed = false;
    for index in 0..64 {
        let big = bulky("t1", &format!("big{index}"), 16 * 1024);
        let change = TenantChange {
            vendor: VENDOR,
            tenant: Some("t1".into()),
            clear_records: false,
            clear_keys: false,
            keys: Vec::new(),
            records: vec![big],
        };
        if store.replace(vec![change]).await.is_err() {
            failed = true;
            break;
        }
    }
    assert!(failed, "the page limit was never reached");
    assert!(store.degraded().is_some(), "a full disk shows as degraded");
    assert!(store
        .get(&tenant, "a")
        .await
        .expect("reads go on")
        .is_some());

    store
        .write(move |connection, _| {
            connection.execute_batch(&format!("PRAGMA max_page_count = {}", pages * 1000))?;
            Ok::<_, CoreError>(())
        })
        .await
        .expect("space is back");
    store
        .update::<CoreError, _>(&tenant, "a", |record, _| {
            record.attributes.insert("after".into(), json!(true));
            Ok(())
        })
        .await
        .expect("writes recover by themselves");
    assert_eq!(store.degraded(), None, "the first good write clears it");
}

#[tokio::test]
async fn a_reset_gives_the_space_of_removed_rows_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.db");
    let store = open(&dir).await;
    let records = (0..200)
        .map(|index| bulky("t9", &format!("r{index}"), 8 * 1024))
        .collect();
    let grow = TenantChange {
        vendor: VENDOR,
        tenant: Some("t9".into()),
        clear_records: false,
        clear_keys: false,
        keys: Vec::new(),
        records,
    };
    store.replace(vec![grow]).await.expect("grow");
    let pages = |store: &Store| {
        let store = store.clone();
        async move {
            store
                .write(|connection, _| {
                    connection
                        .query_row("PRAGMA page_count", [], |row| row.get::<_, i64>(0))
                        .map_err(CoreError::from)
                })
                .await
                .expect("page count")
        }
    };
    let grown = pages(&store).await;
    let clear = TenantChange {
        vendor: VENDOR,
        tenant: Some("t9".into()),
        clear_records: true,
        clear_keys: true,
        keys: Vec::new(),
        records: Vec::new(),
    };
    store.replace(vec![clear]).await.expect("clear");
    let shrunk = pages(&store).await;
    assert!(
        shrunk * 4 < grown,
        "the database kept {shrunk} of {grown} pages"
    );
    store.close();
    let reopened = Store::open(StoreConfig::new(path.to_string_lossy())).expect("reopen");
    assert_eq!(reopened.list(VENDOR, None).await.expect("list").len(), 3);
}

#[test]
fn quick_check_finds_a_damaged_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.db");
    let text = path.to_string_lossy().to_string();
    assert_eq!(
        Store::check_integrity(&text).expect("no file"),
        Vec::<String>::new()
    );
    {
        let connection = Connection::open(&path).expect("create");
        connection
            .execute_batch(
                "CREATE TABLE t (a TEXT); CREATE INDEX t_a ON t (a);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                 INSERT INTO t SELECT printf('%0100d', i) FROM n;",
            )
            .expect("fill");
    }
    assert_eq!(
        Store::check_integrity(&text).expect("sound"),
        Vec::<String>::new()
    );
    let mut bytes = std::fs::read(&path).expect("read");
    let page = 4096;
    // Page 3 onwards holds table and index pages: scribble over one in the middle.
    let start = page * (bytes.len() / page / 2);
    bytes[start..start + page].fill(0x5a);
    std::fs::write(&path, bytes).expect("write");
    let problems = Store::check_integrity(&text).expect("checked");
    assert!(!problems.is_empty(), "the damage went unnoticed");
}

//! The SQLite store. WAL mode; one writer thread owns the write connection and group-commits queued
//! updates; a few reader threads, each owning a read-only connection, serve reads from a shared
//! queue. Nothing here blocks an async worker: callers only await a reply. API keys are also held in
//! memory, so authenticating costs no query. WAL checkpoints (the only fsyncs at the default
//! `synchronous = NORMAL`) run on a thread of their own, so a commit never waits for one.

mod cache;
mod lifecycle;
mod rows;
mod schema;
mod writer;

use crate::fixtures::VendorData;
use crate::model::{now_millis, ApiKey, Integration, TenantRef};
use crate::CoreError;
use cache::RecordCache;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::thread::JoinHandle;
pub(crate) use writer::note_failure;
use writer::{Health, Message, OnCommit, Task};

pub use lifecycle::{Cursor, ListOrder, ListQuery, ListStart, Page, RecordFilter};

pub use schema::CURRENT_VERSION as SCHEMA_VERSION;

/// How to open the store.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// A file path, or `:memory:` for a store that lives as long as the process.
    pub path: String,
    /// Reader threads, each with its own read-only connection.
    pub readers: usize,
    /// The most queued writes committed in one transaction.
    pub batch_max: usize,
    /// `PRAGMA synchronous`: `normal` survives a killed process (WAL), `full` also a power cut.
    pub synchronous: String,
    /// Records kept in memory for reads (0: none).
    pub cache_records: usize,
    /// What the cached records may hold in memory, in bytes, at most (0: no cache).
    pub cache_bytes: usize,
}

impl StoreConfig {
    pub fn new(path: impl Into<String>) -> Self {
        StoreConfig {
            path: path.into(),
            readers: 2,
            batch_max: 256,
            synchronous: "normal".into(),
            cache_records: 100_000,
            cache_bytes: 64 * 1024 * 1024,
        }
    }

    fn in_memory(&self) -> bool {
        self.path == ":memory:"
    }
}

type KeyRing = HashMap<String, HashMap<String, Arc<ApiKey>>>;
type ReadJob = Box<dyn FnOnce(&Connection) + Send>;
/// The readers' queue and their threads.
type Readers = (Option<mpsc::Sender<ReadJob>>, Vec<JoinHandle<()>>);

/// A handle to the store; cheap to clone, shared by every worker.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    config: StoreConfig,
    writer: Mutex<Option<mpsc::Sender<Message>>>,
    writer_thread: Mutex<Option<JoinHandle<()>>>,
    /// `None` for `:memory:`, where the writer's connection is the only one and serves reads too.
    readers: Mutex<Option<mpsc::Sender<ReadJob>>>,
    reader_threads: Mutex<Vec<JoinHandle<()>>>,
    /// Dropping the sender stops the checkpointer, which then checkpoints one last time.
    checkpointer: Mutex<Option<mpsc::Sender<()>>>,
    checkpointer_thread: Mutex<Option<JoinHandle<()>>>,
    keys: RwLock<KeyRing>,
    cache: RecordCache,
    health: Arc<Health>,
}

/// Whole-tenant changes for [`Store::replace`]: clear a vendor's (or one tenant's) records and/or
/// keys, then upsert `keys` and `records` (each record keeps its own `tenant`).
#[derive(Debug, Clone)]
pub struct TenantChange {
    pub vendor: &'static str,
    /// `None`: every tenant of the vendor.
    pub tenant: Option<String>,
    pub clear_records: bool,
    pub clear_keys: bool,
    pub keys: Vec<ApiKey>,
    pub records: Vec<Integration>,
}

/// What [`Store::replace`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplaceSummary {
    pub records_removed: usize,
    pub keys_removed: usize,
    pub records_written: usize,
    pub keys_written: usize,
}

/// Read access to the other records of the tenant being updated, inside the update's transaction.
pub struct Lookup<'c> {
    connection: &'c Connection,
    vendor: &'static str,
    tenant: &'c str,
}

impl Lookup<'_> {
    /// Whether another record of this tenant already has `id`.
    pub fn id_in_use(&self, id: &str) -> Result<bool, CoreError> {
        rows::exists(self.connection, self.vendor, self.tenant, id)
    }

    /// Every record of this tenant as the transaction sees it (earlier writes of the same batch
    /// included), for rules that span records, such as a name unique within the tenant.
    pub fn records(&self) -> Result<Vec<Integration>, CoreError> {
        rows::list(self.connection, self.vendor, Some(self.tenant))
    }

    /// One record of this tenant as the transaction sees it (an indexed read).
    pub fn get(&self, id: &str) -> Result<Option<Integration>, CoreError> {
        Ok(rows::find(self.connection, self.vendor, self.tenant, id)?.map(|(_, record)| record))
    }

    /// The records of this tenant of one kind, oldest first, as the transaction sees them (an
    /// indexed read: its cost does not grow with the tenant's records of other kinds).
    pub fn records_of_kind(&self, kind: &str) -> Result<Vec<Integration>, CoreError> {
        rows::of_kind(self.connection, self.vendor, self.tenant, kind)
    }
}

fn configure(connection: &Connection, config: &StoreConfig) -> Result<(), CoreError> {
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    if !config.in_memory() {
        let mode: String =
            connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(CoreError::Storage(format!(
                "could not switch the database to WAL mode (got {mode})"
            )));
        }
        // The checkpointer thread does it instead of whichever commit crosses the threshold; when
        // the WAL starts over, a file grown past 4 MiB is cut back to that, so that on a small disk
        // the WAL never holds much more than the data it is about to copy back.
        connection
            .execute_batch("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 4194304;")?;
    }
    let synchronous = match config.synchronous.to_ascii_lowercase().as_str() {
        "off" => "OFF",
        "full" => "FULL",
        "extra" => "EXTRA",
        _ => "NORMAL",
    };
    connection.execute_batch(&format!(
        "PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON;"
    ))?;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) and migrates the database, and starts the writer thread.
    pub fn open(config: StoreConfig) -> Result<Store, CoreError> {
        let mut connection = Connection::open(&config.path)?;
        configure(&connection, &config)?;
        schema::migrate(&mut connection)?;
        let mut keys = KeyRing::new();
        for (vendor, key) in rows::all_keys(&connection)? {
            keys.entry(vendor)
                .or_default()
                .insert(key.key.clone(), Arc::new(key));
        }
        let (readers, reader_threads) = if config.in_memory() {
            (None, Vec::new())
        } else {
            start_readers(&config)?
        };
        // Raised by the checkpointer when the WAL has grown long; the writer then checkpoints between
        // batches, so that the WAL starts over instead of growing without bound under steady writes.
        let wal_reset = Arc::new(AtomicBool::new(false));
        let (checkpointer, checkpointer_thread) = if config.in_memory() {
            (None, None)
        } else {
            let (sender, thread) = start_checkpointer(&config, Arc::clone(&wal_reset))?;
            (Some(sender), Some(thread))
        };
        let (sender, inbox) = mpsc::channel();
        let batch_max = config.batch_max.max(1);
        let writer_wal_reset = Arc::clone(&wal_reset);
        let health = Arc::new(Health::default());
        let writer_health = Arc::clone(&health);
        let thread = std::thread::Builder::new()
            .name("patchbay-writer".into())
            .spawn(move || {
                writer::run(
                    connection,
                    inbox,
                    batch_max,
                    &writer_wal_reset,
                    &writer_health,
                )
            })
            .map_err(|error| {
                CoreError::Storage(format!("could not start the writer thread: {error}"))
            })?;
        Ok(Store {
            inner: Arc::new(Inner {
                cache: RecordCache::new(config.cache_records, config.cache_bytes),
                config,
                writer: Mutex::new(Some(sender)),
                writer_thread: Mutex::new(Some(thread)),
                readers: Mutex::new(readers),
                reader_threads: Mutex::new(reader_threads),
                checkpointer: Mutex::new(checkpointer),
                checkpointer_thread: Mutex::new(checkpointer_thread),
                keys: RwLock::new(keys),
                health,
            }),
        })
    }

    /// `PRAGMA quick_check` of an existing database file, before it is opened for serving: the
    /// problems found (empty when sound). A file that is not there, or `:memory:`, has none. A
    /// damaged page otherwise goes unnoticed until a request reads it, and then fails every time.
    pub fn check_integrity(path: &str) -> Result<Vec<String>, CoreError> {
        if path == ":memory:" || !std::path::Path::new(path).exists() {
            return Ok(Vec::new());
        }
        let quick_check = || -> rusqlite::Result<Vec<String>> {
            let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let mut statement = connection.prepare("PRAGMA quick_check(20)")?;
            let lines = statement
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>();
            lines
        };
        let lines = quick_check();
        match lines {
            Ok(lines) => Ok(lines.into_iter().filter(|line| line != "ok").collect()),
            // A header or schema page too damaged to read is damage too, not a passing failure.
            Err(error)
                if matches!(
                    error.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
                ) =>
            {
                Ok(vec![error.to_string()])
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Why writes are failing (a full disk), while they are; `None` when the store is sound.
    pub fn degraded(&self) -> Option<String> {
        self.inner.health.degraded()
    }

    /// Finishes queued writes, then stops the writer and the readers. Later calls answer
    /// [`CoreError::Unavailable`].
    pub fn close(&self) {
        drop(take(&self.inner.readers));
        let readers = self
            .inner
            .reader_threads
            .lock()
            .map(|mut threads| std::mem::take(&mut *threads))
            .unwrap_or_default();
        for thread in readers {
            let _ = thread.join();
        }
        if let Some(sender) = take(&self.inner.writer) {
            let _ = sender.send(Message::Stop);
        }
        if let Some(thread) = take(&self.inner.writer_thread) {
            let _ = thread.join();
        }
        drop(take(&self.inner.checkpointer));
        if let Some(thread) = take(&self.inner.checkpointer_thread) {
            let _ = thread.join();
        }
    }

    /// The key, if it exists for this vendor. In memory: no query, no await.
    pub fn authenticate(&self, vendor: &str, key: &str) -> Option<Arc<ApiKey>> {
        let ring = self.inner.keys.read().ok()?;
        ring.get(vendor)?.get(key).cloned()
    }

    /// One record of a tenant: from memory when cached, else from SQLite (and then cached).
    pub async fn get(
        &self,
        tenant: &TenantRef,
        id: &str,
    ) -> Result<Option<Arc<Integration>>, CoreError> {
        if let Some(record) = self.inner.cache.get(tenant.vendor, &tenant.tenant, id) {
            return Ok(Some(record));
        }
        let seen_generation = self.inner.cache.generation();
        let (vendor, tenant, id) = (tenant.vendor, tenant.tenant.clone(), id.to_string());
        let record = self
            .read(move |connection| {
                Ok(rows::find(connection, vendor, &tenant, &id)?
                    .map(|(_, record)| Arc::new(record)))
            })
            .await?;
        if let Some(record) = &record {
            self.inner.cache.fill(vendor, seen_generation, record);
        }
        Ok(record)
    }

    /// Every record of a vendor, optionally of one tenant.
    pub async fn list(
        &self,
        vendor: &'static str,
        tenant: Option<String>,
    ) -> Result<Vec<Integration>, CoreError> {
        self.read(move |connection| rows::list(connection, vendor, tenant.as_deref()))
            .await
    }

    /// The tenants of a vendor that hold a record with this id (an indexed look-up), for vendors
    /// that answer differently when the record belongs to another tenant.
    pub async fn tenants_holding(
        &self,
        vendor: &'static str,
        id: &str,
    ) -> Result<Vec<String>, CoreError> {
        let id = id.to_string();
        self.read(move |connection| rows::tenants_holding(connection, vendor, &id))
            .await
    }

    /// Every key of a vendor, from memory, ordered by tenant then key.
    pub fn keys(&self, vendor: &str) -> Vec<Arc<ApiKey>> {
        let mut keys: Vec<_> = match self.inner.keys.read() {
            Ok(ring) => ring
                .get(vendor)
                .map(|keys| keys.values().cloned().collect())
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        keys.sort_by(|a, b| (&a.tenant, &a.key).cmp(&(&b.tenant, &b.key)));
        keys
    }

    /// The atomic read-modify-write every PATCH is: reads the record, lets `apply` change it (with a
    /// [`Lookup`] into the same tenant), moves `updated_at` forward, and writes it back, all in one
    /// transaction on the writer thread. If `apply` fails nothing is written. Returns the stored record.
    pub async fn update<E, F>(
        &self,
        tenant: &TenantRef,
        id: &str,
        apply: F,
    ) -> Result<Arc<Integration>, E>
    where
        E: From<CoreError> + Send + 'static,
        F: FnOnce(&mut Integration, &Lookup<'_>) -> Result<(), E> + Send + 'static,
    {
        let (vendor, tenant, id) = (tenant.vendor, tenant.tenant.clone(), id.to_string());
        let inner = Arc::clone(&self.inner);
        let previous_id = id.clone();
        let publish: OnCommit<Arc<Integration>> =
            Box::new(move |record| inner.cache.publish(vendor, &previous_id, record));
        let inner = Arc::clone(&self.inner);
        // Atomic: everything before the single UPDATE only reads, and a failed UPDATE undoes itself.
        self.write_then(true, Some(publish), move |connection, batch| {
            // The newest version: written earlier in this batch, else cached (the cache holds the
            // last committed version), else read from SQLite.
            let mut record = match batch.written.get(&cache::key(vendor, &tenant, &id)) {
                Some(Some(record)) => Integration::clone(record),
                Some(None) => return Err(CoreError::NotFound { id }.into()),
                None => match inner
                    .cache
                    .get(vendor, &tenant, &id)
                    .filter(|_| !batch.cache_stale)
                {
                    Some(record) => Integration::clone(&record),
                    None => {
                        rows::find(connection, vendor, &tenant, &id)?
                            .ok_or_else(|| CoreError::NotFound { id: id.clone() })?
                            .1
                    }
                },
            };
            apply(
                &mut record,
                &Lookup {
                    connection,
                    vendor,
                    tenant: &tenant,
                },
            )?;
            record.tenant = tenant.clone();
            record.touch(now_millis());
            rows::update(connection, vendor, &id, &record)?;
            if record.id != id {
                batch.written.insert(cache::key(vendor, &tenant, &id), None);
            }
            let record = Arc::new(record);
            batch.written.insert(
                cache::key(vendor, &tenant, &record.id),
                Some(Arc::clone(&record)),
            );
            Ok(record)
        })
        .await
    }

    /// Loads a vendor's fixture data if the database holds nothing of that vendor yet. Returns
    /// whether it loaded.
    pub async fn seed_if_empty(
        &self,
        vendor: &'static str,
        data: VendorData,
    ) -> Result<bool, CoreError> {
        let keys = data.keys.clone();
        let loaded = self
            .write(
                move |connection: &Connection, _: &mut writer::Batch| -> Result<bool, CoreError> {
                    if !rows::vendor_is_empty(connection, vendor)? {
                        return Ok(false);
                    }
                    insert_all(connection, vendor, &data)?;
                    Ok(true)
                },
            )
            .await?;
        if loaded {
            self.remember_keys(vendor, keys);
            self.inner.cache.invalidate_all();
        }
        Ok(loaded)
    }

    /// Applies whole-tenant changes (reset, seed) in one transaction: each change first clears what
    /// it says, then upserts its keys and records. Either every change is stored or none is; keys in
    /// memory and the record cache follow at the commit.
    pub async fn replace(&self, changes: Vec<TenantChange>) -> Result<ReplaceSummary, CoreError> {
        let ring_changes: Vec<_> = changes
            .iter()
            .map(|change| {
                (
                    change.vendor,
                    change.clear_keys.then(|| change.tenant.clone()),
                    change.keys.clone(),
                )
            })
            .collect();
        let inner = Arc::clone(&self.inner);
        let publish: OnCommit<ReplaceSummary> = Box::new(move |_| {
            if let Ok(mut ring) = inner.keys.write() {
                for (vendor, cleared, keys) in ring_changes {
                    let slot = ring.entry(vendor.to_string()).or_default();
                    match cleared {
                        Some(None) => slot.clear(),
                        Some(Some(tenant)) => slot.retain(|_, key| key.tenant != tenant),
                        None => {}
                    }
                    for key in keys {
                        slot.insert(key.key.clone(), Arc::new(key));
                    }
                }
            }
            inner.cache.invalidate_all();
        });
        self.write_then(false, Some(publish), move |connection, batch| {
            let mut summary = ReplaceSummary::default();
            for change in &changes {
                let tenant = change.tenant.as_deref();
                if change.clear_records {
                    summary.records_removed +=
                        rows::delete_records(connection, change.vendor, tenant)?;
                }
                if change.clear_keys {
                    summary.keys_removed += rows::delete_keys(connection, change.vendor, tenant)?;
                }
                for key in &change.keys {
                    rows::insert_key(connection, change.vendor, key)?;
                }
                for record in &change.records {
                    rows::upsert(connection, change.vendor, record)?;
                }
                summary.keys_written += change.keys.len();
                summary.records_written += change.records.len();
            }
            if summary.records_removed + summary.keys_removed > 0 {
                // Gives the pages the removed rows held back to the file system (the file shrinks
                // at the next checkpoint), rather than keeping them as free pages for ever.
                // Each step of the pragma frees one page: it must be stepped to its end.
                let mut vacuum = connection.prepare_cached("PRAGMA incremental_vacuum")?;
                let mut steps = vacuum.query([])?;
                while steps.next()?.is_some() {}
                drop(steps);
                batch.truncate_wal = true;
            }
            // Later jobs of this batch must not read records this change replaced.
            batch.written.clear();
            batch.cache_stale = true;
            Ok::<_, CoreError>(summary)
        })
        .await
    }

    /// Creates a tenant for a key on its first use (open keys): the key and a copy of `records`,
    /// given this key's tenant. If the key exists already (another request created it first), nothing
    /// changes and the stored key is returned.
    pub async fn provision(
        &self,
        vendor: &'static str,
        key: ApiKey,
        records: Vec<Integration>,
    ) -> Result<Arc<ApiKey>, CoreError> {
        if let Some(existing) = self.authenticate(vendor, &key.key) {
            return Ok(existing);
        }
        let key_text = key.key.clone();
        let inner = Arc::clone(&self.inner);
        let publish: OnCommit<Option<Arc<ApiKey>>> = Box::new(move |key| {
            if let (Some(key), Ok(mut ring)) = (key, inner.keys.write()) {
                ring.entry(vendor.to_string())
                    .or_default()
                    .insert(key.key.clone(), Arc::clone(key));
            }
        });
        let provisioned = self
            .write_then(false, Some(publish), move |connection, _| {
                if rows::key_exists(connection, vendor, &key.key)? {
                    return Ok::<_, CoreError>(None);
                }
                rows::insert_key(connection, vendor, &key)?;
                for mut record in records {
                    record.tenant = key.tenant.clone();
                    rows::upsert(connection, vendor, &record)?;
                }
                Ok(Some(Arc::new(key)))
            })
            .await;
        // `None`: stored by an earlier job, whose commit hook has put it in memory already.
        match provisioned {
            Ok(Some(key)) => Ok(key),
            Ok(None) => self
                .authenticate(vendor, &key_text)
                .ok_or(CoreError::Unavailable),
            Err(error) => Err(error),
        }
    }

    fn remember_keys(&self, vendor: &str, keys: Vec<ApiKey>) {
        if let Ok(mut ring) = self.inner.keys.write() {
            let slot = ring.entry(vendor.to_string()).or_default();
            for key in keys {
                slot.insert(key.key.clone(), Arc::new(key));
            }
        }
    }

    async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<CoreError> + Send + 'static,
        F: FnOnce(&Connection, &mut writer::Batch) -> Result<T, E> + Send + 'static,
    {
        self.write_then(false, None, work).await
    }

    /// A write whose result is handed to `on_commit` on the writer thread once committed.
    async fn write_then<T, E, F>(
        &self,
        atomic: bool,
        on_commit: Option<OnCommit<T>>,
        work: F,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<CoreError> + Send + 'static,
        F: FnOnce(&Connection, &mut writer::Batch) -> Result<T, E> + Send + 'static,
    {
        let (job, reply) = Task::boxed(work, atomic, on_commit);
        let sent = match self.inner.writer.lock() {
            Ok(slot) => slot
                .as_ref()
                .map(|sender| sender.send(Message::Job(job)).is_ok())
                .unwrap_or(false),
            Err(_) => false,
        };
        if !sent {
            return Err(E::from(CoreError::Unavailable));
        }
        reply
            .await
            .unwrap_or_else(|_| Err(E::from(CoreError::Unavailable)))
    }

    async fn read<T, F>(&self, work: F) -> Result<T, CoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, CoreError> + Send + 'static,
    {
        if self.inner.config.in_memory() {
            // One connection holds the whole database: reads queue behind writes.
            return self.write(move |connection, _| work(connection)).await;
        }
        let (reply, receiver) = tokio::sync::oneshot::channel();
        let job: ReadJob = Box::new(move |connection| {
            let result = catch_unwind(AssertUnwindSafe(|| work(connection)))
                .unwrap_or_else(|_| Err(CoreError::Storage("a read panicked".into())));
            let _ = reply.send(result);
        });
        let sent = match self.inner.readers.lock() {
            Ok(slot) => slot
                .as_ref()
                .map(|sender| sender.send(job).is_ok())
                .unwrap_or(false),
            Err(_) => false,
        };
        if !sent {
            return Err(CoreError::Unavailable);
        }
        receiver.await.unwrap_or(Err(CoreError::Unavailable))
    }
}

/// Starts the reader threads: each owns a read-only connection and takes jobs from one shared queue.
fn start_readers(config: &StoreConfig) -> Result<Readers, CoreError> {
    let (sender, inbox) = mpsc::channel::<ReadJob>();
    let inbox = Arc::new(Mutex::new(inbox));
    let mut threads = Vec::new();
    for index in 0..config.readers.max(1) {
        let connection = open_reader(&config.path)?;
        let inbox = Arc::clone(&inbox);
        let thread = std::thread::Builder::new()
            .name(format!("patchbay-reader-{index}"))
            .spawn(move || loop {
                let job = match inbox.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => break,
                };
                match job {
                    Ok(job) => job(&connection),
                    Err(_) => break,
                }
            })
            .map_err(|error| {
                CoreError::Storage(format!("could not start a reader thread: {error}"))
            })?;
        threads.push(thread);
    }
    Ok((Some(sender), threads))
}

/// How often the WAL is checkpointed into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);
/// A WAL this long (in frames, about 4 KiB each) asks the writer to let it start over.
const WAL_RESET_FRAMES: i64 = 1024;

/// Starts the checkpointer: a connection of its own that copies the WAL back into the database
/// file every [`CHECKPOINT_EVERY`] without blocking the writer (PASSIVE), and truncates the WAL once
/// the store closes.
///
/// Under steady writes a PASSIVE checkpoint never catches up with the writer, so the WAL would only
/// grow: past [`WAL_RESET_FRAMES`] it raises `wal_reset`, and the writer checkpoints the few frames
/// left between two batches, after which SQLite writes the WAL from its start again.
fn start_checkpointer(
    config: &StoreConfig,
    wal_reset: Arc<AtomicBool>,
) -> Result<(mpsc::Sender<()>, JoinHandle<()>), CoreError> {
    let connection = Connection::open(&config.path)?;
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    connection.execute_batch("PRAGMA wal_autocheckpoint = 0")?;
    let (sender, stop) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("patchbay-checkpoint".into())
        .spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(CHECKPOINT_EVERY) {
                match connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                    row.get::<_, i64>(1)
                }) {
                    Ok(frames) if frames >= WAL_RESET_FRAMES => {
                        wal_reset.store(true, Ordering::Release);
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "WAL checkpoint failed; retrying later"),
                }
            }
            if let Err(error) =
                connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            {
                tracing::warn!(%error, "final WAL checkpoint failed");
            }
        })
        .map_err(|error| {
            CoreError::Storage(format!("could not start the checkpointer: {error}"))
        })?;
    Ok((sender, thread))
}

/// Empties a shared slot (a poisoned lock reads as empty: there is nothing left to stop).
fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().map(|mut slot| slot.take()).unwrap_or(None)
}

fn open_reader(path: &str) -> Result<Connection, CoreError> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(connection)
}

fn insert_all(connection: &Connection, vendor: &str, data: &VendorData) -> Result<(), CoreError> {
    for key in &data.keys {
        rows::insert_key(connection, vendor, key)?;
    }
    for record in &data.records {
        rows::insert(connection, vendor, record)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;

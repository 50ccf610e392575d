//! The single writer: a dedicated thread that owns the write connection and commits queued jobs in
//! batches (group commit). A job that may write several statements runs inside its own savepoint,
//! so when it fails it is rolled back alone while the rest of its batch commits; replies go out only
//! after the batch's COMMIT, and results are published to memory in commit order.

use crate::model::Integration;
use crate::CoreError;
use rusqlite::Connection;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use tokio::sync::oneshot;

/// Whether the last write could not be stored for want of disk space, shared by the writer (which
/// sets and clears it) and the store (which reports it). Writes are still attempted while degraded:
/// the first one that commits once space is back clears it.
#[derive(Debug, Default)]
pub(crate) struct Health {
    degraded: AtomicBool,
    reason: Mutex<Option<String>>,
    failed_in_batch: AtomicBool,
}

impl Health {
    /// Why writes are failing, while they are.
    pub(crate) fn degraded(&self) -> Option<String> {
        if !self.degraded.load(Ordering::Acquire) {
            return None;
        }
        self.reason.lock().ok().and_then(|reason| reason.clone())
    }

    /// Whether a job of the batch being committed met a full disk.
    fn failed_in_batch(&self) -> bool {
        self.failed_in_batch.load(Ordering::Acquire)
    }

    fn fail(&self, reason: String) {
        self.failed_in_batch.store(true, Ordering::Release);
        if !self.degraded.swap(true, Ordering::AcqRel) {
            tracing::error!(
                %reason,
                "store degraded: the disk is full, writes answer errors until space is freed"
            );
        }
        if let Ok(mut slot) = self.reason.lock() {
            *slot = Some(reason);
        }
    }

    fn recover(&self) {
        if self.degraded.swap(false, Ordering::AcqRel) {
            tracing::warn!("store recovered: writes are stored again");
        }
    }
}

std::thread_local! {
    /// The last full-disk failure a statement met on this thread, noted as its error is turned into
    /// a [`CoreError`]: a job's own error type hides it, and the writer needs to know.
    static DISK_FULL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Notes a full-disk failure for the writer (see [`DISK_FULL`]).
pub(crate) fn note_failure(error: &rusqlite::Error) {
    if is_disk_full(error) {
        DISK_FULL.with(|slot| *slot.borrow_mut() = Some(error.to_string()));
    }
}

/// Whether SQLite failed for want of space (the disk, or the database's page limit).
fn is_disk_full(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DiskFull)
    )
}

/// What the jobs of one batch share: the records they wrote and have not committed yet (`None`:
/// gone from that id, by a rename), so a later job of the same batch reads them rather than the
/// older committed version the record cache holds.
#[derive(Default)]
pub(crate) struct Batch {
    pub(crate) written: HashMap<String, Option<Arc<Integration>>>,
    /// Set by a job that replaced records wholesale: the record cache is stale until the commit, so
    /// later jobs of the batch read from SQLite.
    pub(crate) cache_stale: bool,
    /// Set by a job that removed many rows (a reset, an expiry): after the commit the WAL is
    /// checkpointed and cut to nothing, so that the space those rows held goes back to the disk.
    pub(crate) truncate_wal: bool,
}

/// A unit of work for the writer thread.
pub(crate) trait Job: Send {
    /// Runs inside a savepoint (unless it is [`Job::atomic`]); `true` keeps its changes, `false`
    /// rolls them back.
    fn run(&mut self, connection: &Connection, batch: &mut Batch) -> bool;
    /// Whether the job writes with at most one statement and only when it succeeds, so that it
    /// needs no savepoint of its own: SQLite undoes a failed statement by itself.
    fn atomic(&self) -> bool;
    /// Called once the batch is committed (or has failed to commit).
    fn finish(self: Box<Self>, commit: Result<(), CoreError>);
}

pub(crate) enum Message {
    Job(Box<dyn Job>),
    Stop,
}

/// Runs on the writer thread right after the commit that made a job's result durable, in commit
/// order: the place to publish the result to in-memory state.
pub(crate) type OnCommit<T> = Box<dyn FnOnce(&T) + Send>;

/// A closure run on the writer thread whose result is sent back once committed.
pub(crate) struct Task<F, T, E> {
    work: Option<F>,
    atomic: bool,
    outcome: Option<Result<T, E>>,
    on_commit: Option<OnCommit<T>>,
    reply: oneshot::Sender<Result<T, E>>,
}

impl<F, T, E> Task<F, T, E>
where
    F: FnOnce(&Connection, &mut Batch) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<CoreError> + Send + 'static,
{
    /// `atomic`: see [`Job::atomic`].
    pub(crate) fn boxed(
        work: F,
        atomic: bool,
        on_commit: Option<OnCommit<T>>,
    ) -> (Box<dyn Job>, oneshot::Receiver<Result<T, E>>) {
        let (reply, receiver) = oneshot::channel();
        (
            Box::new(Task {
                work: Some(work),
                atomic,
                outcome: None,
                on_commit,
                reply,
            }),
            receiver,
        )
    }
}

impl<F, T, E> Job for Task<F, T, E>
where
    F: FnOnce(&Connection, &mut Batch) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<CoreError> + Send + 'static,
{
    fn run(&mut self, connection: &Connection, batch: &mut Batch) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| work(connection, batch)))
            .unwrap_or_else(|_| Err(E::from(CoreError::Storage("a write job panicked".into()))));
        let keep = outcome.is_ok();
        self.outcome = Some(outcome);
        keep
    }

    fn atomic(&self) -> bool {
        self.atomic
    }

    fn finish(self: Box<Self>, commit: Result<(), CoreError>) {
        let result = match (self.outcome, commit) {
            (Some(Err(error)), _) => Err(error),
            (Some(Ok(_)), Err(error)) | (None, Err(error)) => Err(E::from(error)),
            (Some(Ok(value)), Ok(())) => {
                if let Some(on_commit) = self.on_commit {
                    on_commit(&value);
                }
                Ok(value)
            }
            (None, Ok(())) => Err(E::from(CoreError::Unavailable)),
        };
        // The requester may have gone away (client disconnected): the write still stands.
        let _ = self.reply.send(result);
    }
}

/// The writer loop. Returns when told to stop or when every sender is gone.
pub(crate) fn run(
    connection: Connection,
    inbox: mpsc::Receiver<Message>,
    batch_max: usize,
    wal_reset: &AtomicBool,
    health: &Health,
) {
    let mut stopping = false;
    let mut batch = Batch::default();
    while !stopping {
        let Ok(first) = inbox.recv() else { break };
        let mut jobs = Vec::new();
        match first {
            Message::Job(job) => jobs.push(job),
            Message::Stop => break,
        }
        while jobs.len() < batch_max {
            match inbox.try_recv() {
                Ok(Message::Job(job)) => jobs.push(job),
                Ok(Message::Stop) => {
                    stopping = true;
                    break;
                }
                Err(_) => break,
            }
        }
        commit_batch(&connection, jobs, &mut batch, health);
        batch.written.clear();
        batch.cache_stale = false;
        if std::mem::take(&mut batch.truncate_wal) {
            if let Err(error) =
                connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            {
                tracing::warn!(%error, "WAL truncation after a removal failed");
            }
        }
        if wal_reset.swap(false, Ordering::AcqRel) {
            // No write is open: this checkpoint can reach the end of the WAL (the checkpointer has
            // copied most of it already), and the next transaction writes the WAL from its start.
            if let Err(error) =
                connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            {
                tracing::warn!(%error, "WAL checkpoint on the writer failed");
            }
        }
    }
    // Anything still queued gets a clear answer rather than a dropped reply.
    while let Ok(message) = inbox.try_recv() {
        if let Message::Job(job) = message {
            job.finish(Err(CoreError::Unavailable));
        }
    }
    tracing::debug!("store writer stopped");
}

/// Runs a statement through the statement cache: these run several times per batch.
fn execute(connection: &Connection, sql: &str) -> rusqlite::Result<()> {
    connection.prepare_cached(sql)?.execute([]).map(|_| ())
}

fn commit_batch(
    connection: &Connection,
    jobs: Vec<Box<dyn Job>>,
    batch: &mut Batch,
    health: &Health,
) {
    // What earlier batches noted (their commit's own error, turned into a `CoreError`) is theirs.
    health.failed_in_batch.store(false, Ordering::Release);
    DISK_FULL.with(|slot| slot.borrow_mut().take());
    let begun = execute(connection, "BEGIN IMMEDIATE");
    let in_transaction = begun.is_ok();
    if let Err(error) = &begun {
        if is_disk_full(error) {
            health.fail(error.to_string());
        }
    }
    let mut done = Vec::with_capacity(jobs.len());
    for mut job in jobs {
        if in_transaction && job.atomic() {
            job.run(connection, batch);
            if let Some(reason) = DISK_FULL.with(|slot| slot.borrow_mut().take()) {
                health.fail(reason);
            }
            done.push(job);
            continue;
        }
        if let Err(error) = execute(connection, "SAVEPOINT job") {
            job.finish(Err(error.into()));
            continue;
        }
        let keep = job.run(connection, batch);
        if let Some(reason) = DISK_FULL.with(|slot| slot.borrow_mut().take()) {
            health.fail(reason);
        }
        let closed = if keep {
            execute(connection, "RELEASE job")
        } else {
            execute(connection, "ROLLBACK TO job").and_then(|()| execute(connection, "RELEASE job"))
        };
        match closed {
            Ok(()) => done.push(job),
            Err(error) => job.finish(Err(error.into())),
        }
    }
    let committed = if in_transaction {
        execute(connection, "COMMIT")
    } else {
        Ok(())
    };
    match &committed {
        Ok(()) if in_transaction && !health.failed_in_batch() => health.recover(),
        Ok(()) => {}
        Err(error) => {
            let _ = connection.execute_batch("ROLLBACK");
            if is_disk_full(error) {
                health.fail(error.to_string());
                // The WAL holds most of what is on disk: copied back and cut to nothing, it gives
                // its space back, so that the next write can succeed once a little is free.
                if let Err(error) =
                    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                {
                    tracing::warn!(%error, "WAL truncation after a failed write failed");
                }
            } else {
                tracing::error!(%error, "batch commit failed");
            }
        }
    }
    let commit = committed.map_err(CoreError::from);
    for job in done {
        job.finish(match &commit {
            Ok(()) => Ok(()),
            Err(error) => Err(CoreError::Storage(error.to_string())),
        });
    }
}

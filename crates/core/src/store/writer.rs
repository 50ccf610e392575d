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
use std::sync::{mpsc, Arc};
use tokio::sync::oneshot;

/// What the jobs of one batch share: the records they wrote and have not committed yet (`None`:
/// gone from that id, by a rename), so a later job of the same batch reads them rather than the
/// older committed version the record cache holds.
#[derive(Default)]
pub(crate) struct Batch {
    pub(crate) written: HashMap<String, Option<Arc<Integration>>>,
    /// Set by a job that replaced records wholesale: the record cache is stale until the commit, so
    /// later jobs of the batch read from SQLite.
    pub(crate) cache_stale: bool,
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
        commit_batch(&connection, jobs, &mut batch);
        batch.written.clear();
        batch.cache_stale = false;
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

fn commit_batch(connection: &Connection, jobs: Vec<Box<dyn Job>>, batch: &mut Batch) {
    let in_transaction = execute(connection, "BEGIN IMMEDIATE").is_ok();
    let mut done = Vec::with_capacity(jobs.len());
    for mut job in jobs {
        if in_transaction && job.atomic() {
            job.run(connection, batch);
            done.push(job);
            continue;
        }
        if let Err(error) = execute(connection, "SAVEPOINT job") {
            job.finish(Err(error.into()));
            continue;
        }
        let keep = job.run(connection, batch);
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
    let commit = if in_transaction {
        execute(connection, "COMMIT").map_err(CoreError::from)
    } else {
        Ok(())
    };
    if let Err(error) = &commit {
        tracing::error!(%error, "batch commit failed");
        let _ = connection.execute_batch("ROLLBACK");
    }
    for job in done {
        job.finish(match &commit {
            Ok(()) => Ok(()),
            Err(error) => Err(CoreError::Storage(error.to_string())),
        });
    }
}

//! The single writer: a dedicated thread that owns the write connection and commits queued jobs in
//! batches (group commit). Each job runs inside its own savepoint, so a job that fails is rolled back
//! alone while the rest of its batch commits; replies go out only after the batch's COMMIT.

use crate::CoreError;
use rusqlite::Connection;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use tokio::sync::oneshot;

/// A unit of work for the writer thread.
pub(crate) trait Job: Send {
    /// Runs inside a savepoint; `true` keeps its changes, `false` rolls them back.
    fn run(&mut self, connection: &Connection) -> bool;
    /// Called once the batch is committed (or has failed to commit).
    fn finish(self: Box<Self>, commit: Result<(), CoreError>);
}

pub(crate) enum Message {
    Job(Box<dyn Job>),
    Stop,
}

/// A closure run on the writer thread whose result is sent back once committed.
pub(crate) struct Task<F, T, E> {
    work: Option<F>,
    outcome: Option<Result<T, E>>,
    reply: oneshot::Sender<Result<T, E>>,
}

impl<F, T, E> Task<F, T, E>
where
    F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<CoreError> + Send + 'static,
{
    pub(crate) fn new(work: F) -> (Box<dyn Job>, oneshot::Receiver<Result<T, E>>) {
        let (reply, receiver) = oneshot::channel();
        (Box::new(Task { work: Some(work), outcome: None, reply }), receiver)
    }
}

impl<F, T, E> Job for Task<F, T, E>
where
    F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<CoreError> + Send + 'static,
{
    fn run(&mut self, connection: &Connection) -> bool {
        let Some(work) = self.work.take() else { return false };
        let outcome = catch_unwind(AssertUnwindSafe(|| work(connection)))
            .unwrap_or_else(|_| Err(E::from(CoreError::Storage("a write job panicked".into()))));
        let keep = outcome.is_ok();
        self.outcome = Some(outcome);
        keep
    }

    fn finish(self: Box<Self>, commit: Result<(), CoreError>) {
        let result = match (self.outcome, commit) {
            (Some(Err(error)), _) => Err(error),
            (Some(Ok(_)), Err(error)) | (None, Err(error)) => Err(E::from(error)),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (None, Ok(())) => Err(E::from(CoreError::Unavailable)),
        };
        // The requester may have gone away (client disconnected): the write still stands.
        let _ = self.reply.send(result);
    }
}

/// The writer loop. Returns when told to stop or when every sender is gone.
pub(crate) fn run(connection: Connection, inbox: mpsc::Receiver<Message>, batch_max: usize) {
    let mut stopping = false;
    while !stopping {
        let Ok(first) = inbox.recv() else { break };
        let mut batch = Vec::new();
        match first {
            Message::Job(job) => batch.push(job),
            Message::Stop => break,
        }
        while batch.len() < batch_max {
            match inbox.try_recv() {
                Ok(Message::Job(job)) => batch.push(job),
                Ok(Message::Stop) => {
                    stopping = true;
                    break;
                }
                Err(_) => break,
            }
        }
        commit_batch(&connection, batch);
    }
    // Anything still queued gets a clear answer rather than a dropped reply.
    while let Ok(message) = inbox.try_recv() {
        if let Message::Job(job) = message {
            job.finish(Err(CoreError::Unavailable));
        }
    }
    tracing::debug!("store writer stopped");
}

fn commit_batch(connection: &Connection, batch: Vec<Box<dyn Job>>) {
    let in_transaction = connection.execute_batch("BEGIN IMMEDIATE").is_ok();
    let mut done = Vec::with_capacity(batch.len());
    for mut job in batch {
        if let Err(error) = connection.execute_batch("SAVEPOINT job") {
            job.finish(Err(error.into()));
            continue;
        }
        let keep = job.run(connection);
        let closed = if keep {
            connection.execute_batch("RELEASE job")
        } else {
            connection.execute_batch("ROLLBACK TO job; RELEASE job")
        };
        match closed {
            Ok(()) => done.push(job),
            Err(error) => job.finish(Err(error.into())),
        }
    }
    let commit = if in_transaction { connection.execute_batch("COMMIT").map_err(CoreError::from) } else { Ok(()) };
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

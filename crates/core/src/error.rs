//! The one error type of core. Every adapter maps it exhaustively onto its vendor's envelope.

/// What can go wrong below the adapters. Adapters must match every variant (no `_ =>` arm), so a new
/// variant forces each vendor to decide how it looks on the wire.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// No record with this id in this tenant.
    #[error("record {id:?} not found")]
    NotFound { id: String },
    /// A write would give a record an id another record of the same tenant already has.
    #[error("id {id:?} is already used by another record")]
    IdConflict { id: String },
    /// A fixture or seed document is malformed; `path` is a JSON path into it.
    #[error("{path}: {message}")]
    InvalidFixture { path: String, message: String },
    /// SQLite failed. The message is for logs; it never reaches a client verbatim.
    #[error("storage failure: {0}")]
    Storage(String),
    /// The writer thread is gone (shutdown in progress).
    #[error("the store is shutting down")]
    Unavailable,
}

impl From<rusqlite::Error> for CoreError {
    fn from(error: rusqlite::Error) -> Self {
        crate::store::note_failure(&error);
        CoreError::Storage(error.to_string())
    }
}

impl From<serde_json::Error> for CoreError {
    fn from(error: serde_json::Error) -> Self {
        CoreError::Storage(format!("stored JSON is unreadable: {error}"))
    }
}

//! patchbay's vendor-neutral core: the model every adapter maps its vendor's JSON onto, the tri-state
//! patch type, the SQLite store with its single group-committing writer, fixture documents, and
//! [`CoreError`].
//!
//! Architecture invariant: this crate depends on no HTTP crate, names no vendor and no HTTP status.
//! A vendor is only ever a `&'static str` handed in by an adapter.

pub mod error;
pub mod fixtures;
pub mod model;
pub mod patch;
pub mod store;

pub use error::CoreError;
pub use model::{ApiKey, Credential, Integration, Scopes, TenantRef};
pub use patch::{IntegrationPatch, Patch};
pub use store::{
    Cursor, ListOrder, ListQuery, ListStart, Lookup, Page, RecordFilter, ReplaceSummary, Store,
    StoreConfig, TenantChange,
};

//! Nylas's JSON, byte for byte: the PATCH request after validation, and the credential object
//! `{id, name, created_at, updated_at}` inside `{"request_id", "data"}`. `credential_type` and
//! `credential_data` are never rendered.

use crate::record;
use chrono::{DateTime, Utc};
use patchbay_core::Integration;
use serde::Serialize;
use serde_json::{Map, Value};

/// A validated PATCH body: each field is `None` when it was left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateCredential {
    pub name: Option<String>,
    /// Replaces the stored object whole when present.
    pub credential_data: Option<Map<String, Value>>,
    /// Set at creation; accepted only when it names the stored type.
    pub credential_type: Option<String>,
}

/// `{"request_id": ..., "data": ...}`
#[derive(Debug, Serialize)]
pub struct DataEnvelope<'a, T> {
    pub request_id: &'a str,
    pub data: T,
}

/// The credential object (`additionalProperties: false`), keys in Nylas's order.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CredentialObject {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Integer Unix seconds, the only time format of Nylas v3.
pub fn unix_seconds(time: DateTime<Utc>) -> i64 {
    time.timestamp()
}

pub fn credential_object(credential: &Integration) -> CredentialObject {
    CredentialObject {
        id: credential.id.clone(),
        name: record::name(credential).unwrap_or_default().to_string(),
        created_at: unix_seconds(credential.created_at),
        updated_at: unix_seconds(credential.updated_at),
    }
}

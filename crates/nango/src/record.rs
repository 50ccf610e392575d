//! How a Nango integration is kept in the core model: its attribute keys (Nango's own field names,
//! which the fixture format and the admin view reuse as they are), what `custom` holds, and its
//! credential kinds and fields. The wire shapes, the merge rule and the fixture reader all read and
//! write the record through this module, so none of them needs another for a key.

use patchbay_core::Integration;
use serde_json::{Map, Value};

/// The display name the client set; null or absent falls back to the provider's.
pub const DISPLAY_NAME: &str = "display_name";
/// Whether Nango forwards the provider's webhooks; absent means it does.
pub const FORWARD_WEBHOOKS: &str = "forward_webhooks";
/// Nango's `custom` object of strings, into which `integration_config` is merged too.
pub const CUSTOM: &str = "custom";
/// The number of active connections (connections themselves are not emulated).
pub const CONNECTION_COUNT: &str = "connection_count";

/// The key in `custom` where Nango keeps an OAuth2 webhook secret.
pub const WEBHOOK_SECRET: &str = "webhookSecret";
/// The key in `custom` holding the API key label of providers with an `integration_config` schema.
pub const KEY_LABEL: &str = "keyLabel";

/// The credential kinds a record may hold: the auth modes with integration credentials.
pub const CREDENTIAL_KINDS: &[&str] = &["OAUTH1", "OAUTH2", "TBA", "APP", "CUSTOM"];
/// Credential fields, named as Nango's API names them.
pub const CLIENT_ID: &str = "client_id";
pub const CLIENT_SECRET: &str = "client_secret";
pub const SCOPES: &str = "scopes";
pub const APP_ID: &str = "app_id";
pub const APP_LINK: &str = "app_link";
/// An APP private key is stored base64-encoded, a CUSTOM one as sent.
pub const PRIVATE_KEY: &str = "private_key";

pub fn display_name(record: &Integration) -> Option<&str> {
    record.text(DISPLAY_NAME)
}

pub fn forwards_webhooks(record: &Integration) -> bool {
    record
        .attributes
        .get(FORWARD_WEBHOOKS)
        .and_then(Value::as_bool)
        .unwrap_or(true)
}

pub fn custom(record: &Integration) -> Option<&Map<String, Value>> {
    record.object(CUSTOM)
}

pub fn connection_count(record: &Integration) -> u64 {
    record
        .attributes
        .get(CONNECTION_COUNT)
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

pub fn webhook_secret(record: &Integration) -> Option<&Value> {
    custom(record)?.get(WEBHOOK_SECRET)
}

pub fn key_label(record: &Integration) -> Option<&str> {
    custom(record)?.get(KEY_LABEL)?.as_str()
}

/// A credential field as stored, of whatever credential kind the record holds.
pub fn credential_field<'r>(record: &'r Integration, field: &str) -> Option<&'r Value> {
    record.credential.as_ref()?.fields.get(field)
}

//! Nylas's JSON, byte for byte: the request bodies after validation, the credential object
//! `{id, name, created_at, updated_at}` and the connector object `{name, provider, settings, scope,
//! active_credential_id}`, inside `{"request_id", "data"}` (one), `{"request_id", "data", "limit",
//! "offset"}` (a page) or `{"request_id"}` (a delete). `credential_type`, `credential_data` and a
//! connector's client credentials are never rendered.

use crate::record;
use chrono::{DateTime, Utc};
use patchbay_core::Integration;
use serde::Serialize;
use serde_json::{Map, Value};

/// A validated credential PATCH body: each field is `None` when it was left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateCredential {
    pub name: Option<String>,
    /// Replaces the stored object whole when present.
    pub credential_data: Option<Map<String, Value>>,
    /// Set at creation; accepted only when it names the stored type.
    pub credential_type: Option<String>,
}

/// A validated credential create body.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCredential {
    pub name: String,
    pub credential_type: String,
    pub credential_data: Map<String, Value>,
}

/// A validated connector create body.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConnector {
    pub provider: &'static str,
    pub name: Option<String>,
    pub settings: Option<Map<String, Value>>,
    pub scope: Option<Vec<String>>,
    pub active_credential_id: Option<String>,
}

/// A validated connector PATCH (or PUT) body: each field is `None` when it was left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateConnector {
    pub name: Option<String>,
    /// Replaces the stored settings whole when present.
    pub settings: Option<Map<String, Value>>,
    /// Replaces the stored scopes whole when present.
    pub scope: Option<Vec<String>>,
    pub active_credential_id: Option<String>,
}

/// `{"request_id": ..., "data": ...}`
#[derive(Debug, Serialize)]
pub struct DataEnvelope<'a, T> {
    pub request_id: &'a str,
    pub data: T,
}

/// One page of a list: `{"request_id", "data", "limit", "offset"}`, the limit and offset as applied.
/// Never a `next_cursor`: the Node SDK would follow it with a `page_token` Nylas does not take.
#[derive(Debug, Serialize)]
pub struct ListEnvelope<'a, T> {
    pub request_id: &'a str,
    pub data: Vec<T>,
    pub limit: usize,
    pub offset: usize,
}

/// A delete's body: `{"request_id"}` alone.
#[derive(Debug, Serialize)]
pub struct RequestIdEnvelope<'a> {
    pub request_id: &'a str,
}

/// The credential object (`additionalProperties: false`), keys in Nylas's order.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CredentialObject {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The connector object, keys in the spec's order. `active_credential_id` is left out when the
/// connector has none (a connector created without client credentials).
#[derive(Debug, Serialize, PartialEq)]
pub struct ConnectorObject {
    pub name: String,
    pub provider: String,
    pub settings: Map<String, Value>,
    pub scope: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_credential_id: Option<String>,
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

pub fn connector_object(connector: &Integration) -> ConnectorObject {
    ConnectorObject {
        name: record::name(connector).unwrap_or_default().to_string(),
        provider: record::connector_provider(&connector.id)
            .unwrap_or_default()
            .to_string(),
        settings: record::visible_settings(connector),
        scope: record::scope(connector),
        active_credential_id: record::active_credential_id(connector).map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{new_connector, ConnectorFields};
    use serde_json::json;

    #[test]
    fn a_connector_renders_in_the_specs_key_order_without_its_client_credentials() {
        let connector = new_connector(
            "google",
            ConnectorFields {
                name: "Google Connector".into(),
                settings: json!({"client_id": "i", "client_secret": "s", "topic_name": "abc123"})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
                scope: vec!["openid".into()],
                active_credential_id: Some("e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47".into()),
            },
        );
        assert_eq!(
            serde_json::to_string(&connector_object(&connector)).expect("json"),
            r#"{"name":"Google Connector","provider":"google","settings":{"topic_name":"abc123"},"scope":["openid"],"active_credential_id":"e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47"}"#
        );
    }

    #[test]
    fn a_page_echoes_its_limit_and_offset_and_has_no_cursor() {
        let page = ListEnvelope::<CredentialObject> {
            request_id: "r",
            data: Vec::new(),
            limit: 10,
            offset: 0,
        };
        assert_eq!(
            serde_json::to_string(&page).expect("json"),
            r#"{"request_id":"r","data":[],"limit":10,"offset":0}"#
        );
    }
}

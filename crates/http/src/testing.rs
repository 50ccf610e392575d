//! Helpers for the adapters' unit tests (the `testing` feature, enabled only as a dev-dependency):
//! reading a rendered response, and building a stored record without spelling out every field.

use actix_web::body::MessageBody;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use patchbay_core::{Credential, Integration};
use serde_json::{Map, Value};

/// A response's whole body as JSON; panics (a test failure) when it is not.
pub fn body_json(response: HttpResponse) -> Value {
    serde_json::from_str(&body_text(response)).expect("a JSON body")
}

/// A response's whole body as text; panics (a test failure) when it is not UTF-8.
pub fn body_text(response: HttpResponse) -> String {
    let bytes = response.into_body().try_into_bytes().expect("a full body");
    String::from_utf8(bytes.to_vec()).expect("a UTF-8 body")
}

/// A response header as text.
pub fn header<'r>(response: &'r HttpResponse, name: &str) -> Option<&'r str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The time every built record was created and last updated at: 2023-11-14T22:13:20Z.
pub fn fixed_time() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(1_700_000_000_000).unwrap_or_default()
}

/// A stored record to start a test from: no attributes, no credential, created and updated at
/// [`fixed_time`], until the builder's methods say otherwise.
pub fn integration(tenant: &str, id: &str, kind: &str) -> IntegrationBuilder {
    IntegrationBuilder(Integration {
        tenant: tenant.into(),
        id: id.into(),
        kind: kind.into(),
        attributes: Map::new(),
        credential: None,
        created_at: fixed_time(),
        updated_at: fixed_time(),
    })
}

/// See [`integration`].
pub struct IntegrationBuilder(Integration);

impl IntegrationBuilder {
    /// The attributes, from a JSON object (anything else is a test failure).
    pub fn attributes(mut self, attributes: Value) -> Self {
        self.0.attributes = object(attributes);
        self
    }

    /// One attribute more.
    pub fn attribute(mut self, name: &str, value: Value) -> Self {
        self.0.attributes.insert(name.into(), value);
        self
    }

    /// The credential: its kind and its fields, from a JSON object.
    pub fn credential(mut self, kind: &str, fields: Value) -> Self {
        self.0.credential = Some(Credential::new(kind, object(fields)));
        self
    }

    /// Created and last updated at `time`.
    pub fn at(mut self, time: DateTime<Utc>) -> Self {
        self.0.created_at = time;
        self.0.updated_at = time;
        self
    }

    pub fn build(self) -> Integration {
        self.0
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("expected a JSON object, got {other}"),
    }
}

//! The vendor-neutral model. Adapters map their vendor's JSON onto these types and back; these types
//! are never serialized as an HTTP body.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};
use std::fmt;

/// One tenant of one vendor: an environment, a project, a workspace, an application...
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantRef {
    pub vendor: &'static str,
    pub tenant: String,
}

impl TenantRef {
    pub fn new(vendor: &'static str, tenant: impl Into<String>) -> Self {
        TenantRef {
            vendor,
            tenant: tenant.into(),
        }
    }
}

/// The scopes a key carries. `None` means the fixture gave none, and the adapter applies its vendor's
/// default; `Some(vec![])` grants nothing.
pub type Scopes = Option<Vec<String>>;

/// An API key: belongs to one vendor and one tenant, carries scopes.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub key: String,
    pub tenant: String,
    pub scopes: Scopes,
    pub label: Option<String>,
}

impl ApiKey {
    /// What the key holds in memory where the store keeps it, roughly (its texts, its scopes and
    /// the map entries that index it).
    pub fn footprint(&self) -> usize {
        2 * std::mem::size_of::<ApiKey>()
            + 2 * self.key.len()
            + self.tenant.len()
            + self.label.as_ref().map_or(0, String::len)
            + self.scopes.as_ref().map_or(0, |scopes| {
                scopes
                    .iter()
                    .map(|scope| std::mem::size_of::<String>() + scope.len())
                    .sum()
            })
    }
}

impl fmt::Debug for ApiKey {
    /// Keys are secrets: only their last four characters are ever printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("key", &mask(&self.key))
            .field("tenant", &self.tenant)
            .field("scopes", &self.scopes)
            .field("label", &self.label)
            .finish()
    }
}

/// `****abcd`: enough to tell keys apart in a log, not enough to use one.
pub fn mask(secret: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("****{tail}")
}

/// Secret material attached to an integration: OAuth client credentials, a private key... `kind` is
/// the vendor's own name for the shape (`OAUTH2`, `serviceaccount`...).
#[derive(Clone, PartialEq)]
pub struct Credential {
    pub kind: String,
    pub fields: Map<String, Value>,
}

/// Bytes a JSON object holds, roughly (see [`Integration::footprint`]).
fn map_footprint(map: &Map<String, Value>) -> usize {
    map.iter()
        .map(|(key, value)| 32 + key.len() + value_footprint(value))
        .sum()
}

fn value_footprint(value: &Value) -> usize {
    std::mem::size_of::<Value>()
        + match value {
            Value::String(text) => text.len(),
            Value::Array(items) => items.iter().map(value_footprint).sum(),
            Value::Object(map) => map_footprint(map),
            Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        }
}

impl Credential {
    pub fn new(kind: impl Into<String>, fields: Map<String, Value>) -> Self {
        Credential {
            kind: kind.into(),
            fields,
        }
    }

    /// A string field, if present and a string.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(Value::as_str)
    }
}

impl fmt::Debug for Credential {
    /// Never prints values: credentials must not reach logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("kind", &self.kind)
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// One stored integration (or credential, or auth config: whatever the vendor calls the resource).
#[derive(Debug, Clone, PartialEq)]
pub struct Integration {
    pub tenant: String,
    /// The id the vendor uses in its paths (a unique key chosen by the client, a UUID, a prefixed nanoid...).
    pub id: String,
    /// What it connects to: a provider, a toolkit, a connector.
    pub kind: String,
    /// The vendor's own visible fields, in the vendor's own names.
    pub attributes: Map<String, Value>,
    /// Secret material, kept apart so that no adapter renders it by accident.
    pub credential: Option<Credential>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Integration {
    /// What the record holds in memory, roughly: the struct, its texts and its JSON values. Used to
    /// keep caches within a byte budget, so it errs on the large side and costs one walk.
    pub fn footprint(&self) -> usize {
        std::mem::size_of::<Integration>()
            + self.tenant.len()
            + self.id.len()
            + self.kind.len()
            + map_footprint(&self.attributes)
            + self.credential.as_ref().map_or(0, |credential| {
                std::mem::size_of::<Credential>()
                    + credential.kind.len()
                    + map_footprint(&credential.fields)
            })
    }

    /// A string attribute, if present and a string.
    pub fn text(&self, attribute: &str) -> Option<&str> {
        self.attributes.get(attribute).and_then(Value::as_str)
    }

    /// An object attribute, if present and an object.
    pub fn object(&self, attribute: &str) -> Option<&Map<String, Value>> {
        self.attributes.get(attribute).and_then(Value::as_object)
    }

    /// Moves `updated_at` to now, and strictly forward even when the clock has not moved (or went
    /// back): every successful write is visible as a newer `updated_at`.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        let floor = self.updated_at + Duration::milliseconds(1);
        self.updated_at = if now >= floor { now } else { floor };
    }
}

/// Milliseconds precision is what every vendor shows; storing more would make read-back differ.
pub fn now_millis() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touch_always_moves_updated_at_forward() {
        let t0 = DateTime::from_timestamp_millis(1_700_000_000_000).expect("valid");
        let mut record = Integration {
            tenant: "t".into(),
            id: "i".into(),
            kind: "k".into(),
            attributes: Map::new(),
            credential: None,
            created_at: t0,
            updated_at: t0,
        };
        record.touch(t0);
        assert_eq!(record.updated_at, t0 + Duration::milliseconds(1));
        record.touch(t0 - Duration::seconds(5));
        assert_eq!(record.updated_at, t0 + Duration::milliseconds(2));
        record.touch(t0 + Duration::seconds(1));
        assert_eq!(record.updated_at, t0 + Duration::seconds(1));
    }

    #[test]
    fn debug_output_hides_secrets() {
        let mut fields = Map::new();
        fields.insert("client_secret".into(), Value::String("hunter2".into()));
        let text = format!("{:?}", Credential::new("OAUTH2", fields));
        assert!(!text.contains("hunter2"), "{text}");
        let key = ApiKey {
            key: "6f1c9d2e-secret-1e2f".into(),
            tenant: "t".into(),
            scopes: None,
            label: None,
        };
        let text = format!("{key:?}");
        assert!(
            !text.contains("secret") && text.contains("****1e2f"),
            "{text}"
        );
    }
}

//! The request journal: a bounded, in-memory record of the requests patchbay served to vendor routes,
//! newest last. It is bounded twice, by a count of entries and by a byte budget; when either is
//! reached, the oldest entries make room. Recording is one short lock and a push; request bodies
//! are kept as received and masked only when read, so the hot path pays no JSON work.

use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::sync::Mutex;
use wildmatch::WildMatch;

/// One served request, as recorded.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Assigned by the journal: increasing, never reused while the process lives.
    pub id: u64,
    pub time: DateTime<Utc>,
    pub vendor: &'static str,
    /// The tenant of the key the request presented, when the key was known.
    pub tenant: Option<String>,
    pub method: Method,
    pub path: String,
    pub query: String,
    /// The status sent; `None` when the connection was cut off before any.
    pub status: Option<StatusCode>,
    /// The vendor's own error code of the response.
    pub error_code: Option<String>,
    pub duration_micros: u64,
    /// The vendor's request id (`x-request-id`), for vendors that send one.
    pub request_id: Option<String>,
    /// The body as received, shared with the request rather than copied (`None`: no body, or too
    /// large to keep).
    pub body: Option<Bytes>,
    /// The body's length in bytes, kept or not.
    pub body_len: u64,
    /// The fault rule that answered or delayed the request.
    pub fault: Option<String>,
}

/// Which entries a query returns. Every field left `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub vendor: Option<String>,
    pub tenant: Option<String>,
    pub method: Option<String>,
    /// A path pattern: `*` matches any run of characters (including `/`), `?` one character.
    pub path: Option<String>,
    pub status: Option<StatusFilter>,
    /// Entries at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Entries with a larger id.
    pub after: Option<u64>,
    /// At most this many, the newest ones.
    pub limit: Option<usize>,
}

/// A status, or a class of them (`4xx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Exact(u16),
    Class(u16),
}

impl StatusFilter {
    /// `404`, or `4xx` (any case). `None` for anything else.
    pub fn parse(text: &str) -> Option<StatusFilter> {
        let text = text.trim();
        if let Some(class) = text.strip_suffix("xx").or_else(|| text.strip_suffix("XX")) {
            let class: u16 = class.parse().ok()?;
            return (1..=5)
                .contains(&class)
                .then_some(StatusFilter::Class(class));
        }
        let status: u16 = text.parse().ok()?;
        (100..=599)
            .contains(&status)
            .then_some(StatusFilter::Exact(status))
    }

    fn matches(self, status: Option<StatusCode>) -> bool {
        let Some(status) = status.map(|status| status.as_u16()) else {
            return false;
        };
        match self {
            StatusFilter::Exact(wanted) => status == wanted,
            StatusFilter::Class(class) => status / 100 == class,
        }
    }
}

impl Filter {
    pub fn matches(&self, entry: &Entry, path: Option<&WildMatch>) -> bool {
        self.vendor
            .as_deref()
            .is_none_or(|vendor| vendor == entry.vendor)
            && self
                .tenant
                .as_deref()
                .is_none_or(|tenant| entry.tenant.as_deref() == Some(tenant))
            && self
                .method
                .as_deref()
                .is_none_or(|method| method.eq_ignore_ascii_case(entry.method.as_str()))
            && path.is_none_or(|pattern| pattern.matches(&entry.path))
            && self
                .status
                .is_none_or(|status| status.matches(entry.status))
            && self.since.is_none_or(|since| entry.time >= since)
            && self.after.is_none_or(|after| entry.id > after)
    }
}

impl Entry {
    /// What the entry holds in memory, roughly: the struct, its texts and its kept body.
    fn footprint(&self) -> usize {
        std::mem::size_of::<Entry>()
            + self.tenant.as_ref().map_or(0, String::len)
            + self.path.len()
            + self.query.len()
            + self.error_code.as_ref().map_or(0, String::len)
            + self.request_id.as_ref().map_or(0, String::len)
            + self.body.as_ref().map_or(0, Bytes::len)
            + self.fault.as_ref().map_or(0, String::len)
    }
}

/// A bounded journal shared by every worker. Capacity 0 records nothing.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    byte_budget: usize,
    state: Mutex<State>,
    /// Viewers of the live stream get each entry as it is recorded.
    pub feed: super::feed::Feed,
}

#[derive(Debug, Default)]
struct State {
    entries: VecDeque<Entry>,
    /// The sum of the entries' footprints.
    bytes: usize,
    next_id: u64,
    /// Entries pushed out by newer ones since the last clear.
    dropped: u64,
}

/// The journal's size figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub capacity: usize,
    pub byte_budget: usize,
    pub len: usize,
    pub bytes: usize,
    pub dropped: u64,
}

impl Journal {
    /// A journal keeping at most `capacity` entries and about `byte_budget` bytes of them (texts
    /// and bodies included). An entry larger than the whole budget is kept without its body.
    pub fn new(capacity: usize, byte_budget: usize) -> Journal {
        Journal {
            capacity,
            byte_budget,
            state: Mutex::new(State {
                entries: VecDeque::with_capacity(capacity.min(4096)),
                bytes: 0,
                next_id: 1,
                dropped: 0,
            }),
            feed: super::feed::Feed::default(),
        }
    }

    /// The state, also after a panic while it was held: every change to it is made whole before
    /// the lock is released, so a poisoned lock still guards consistent entries.
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether recording is on (a capacity above 0).
    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Records an entry (its `id` is assigned here) and returns the id; 0 when the journal is off.
    pub fn record(&self, mut entry: Entry) -> u64 {
        if self.capacity == 0 {
            return 0;
        }
        let mut state = self.state();
        entry.id = state.next_id;
        state.next_id += 1;
        if entry.footprint() > self.byte_budget {
            entry.body = None;
        }
        let size = entry.footprint();
        while state.entries.len() >= self.capacity
            || (!state.entries.is_empty() && state.bytes + size > self.byte_budget)
        {
            if let Some(oldest) = state.entries.pop_front() {
                state.bytes -= oldest.footprint();
                state.dropped += 1;
            }
        }
        let id = entry.id;
        // Under the lock, so that viewers get entries in id order.
        if self.feed.watched() {
            self.feed.publish(&entry);
        }
        state.bytes += size;
        state.entries.push_back(entry);
        id
    }

    /// The matching entries, oldest first (the newest `limit` of them when limited).
    pub fn query(&self, filter: &Filter) -> Vec<Entry> {
        let pattern = filter.path.as_deref().map(WildMatch::new);
        let state = self.state();
        let limit = filter.limit.unwrap_or(usize::MAX);
        let mut found: Vec<_> = state
            .entries
            .iter()
            .rev()
            .filter(|entry| filter.matches(entry, pattern.as_ref()))
            .take(limit)
            .cloned()
            .collect();
        found.reverse();
        found
    }

    /// Forgets every entry (ids keep increasing). Returns how many went.
    pub fn clear(&self) -> usize {
        let mut state = self.state();
        state.dropped = 0;
        state.bytes = 0;
        std::mem::take(&mut state.entries).len()
    }

    pub fn stats(&self) -> Stats {
        let (len, bytes, dropped) = {
            let state = self.state();
            (state.entries.len(), state.bytes, state.dropped)
        };
        Stats {
            capacity: self.capacity,
            byte_budget: self.byte_budget,
            len,
            bytes,
            dropped,
        }
    }
}

/// Field names whose values are secret for every vendor (matched case-insensitively, ignoring `_`
/// and `-`): passwords, tokens, client secrets, private keys, API keys.
const SECRET_NAMES: &[&str] = &[
    "secret",
    "clientsecret",
    "password",
    "token",
    "accesstoken",
    "refreshtoken",
    "apikey",
    "privatekey",
    "webhooksecret",
    "signingsecret",
    "bearertoken",
];

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|character| *character != '_' && *character != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a field name is a secret's: one of the generic names, one of `extra`, or ending in
/// `secret`, `password` or `token`.
pub fn is_secret_field(name: &str, extra: &[&str]) -> bool {
    let name = normalise(name);
    SECRET_NAMES.contains(&name.as_str())
        || name.ends_with("secret")
        || name.ends_with("password")
        || name.ends_with("token")
        || extra.iter().any(|field| normalise(field) == name)
}

/// Replaces the value of every secret field (at any depth) with a mask that keeps only enough to
/// tell values apart (`****abcd`). Non-text secrets become `"****"`.
pub fn mask_secrets(value: &mut Value, extra: &[&str]) {
    match value {
        Value::Object(map) => mask_object(map, extra),
        Value::Array(items) => items.iter_mut().for_each(|item| mask_secrets(item, extra)),
        _ => {}
    }
}

fn mask_object(map: &mut Map<String, Value>, extra: &[&str]) {
    for (name, value) in map.iter_mut() {
        if is_secret_field(name, extra) {
            *value = match value {
                Value::String(text) if text.chars().count() > 12 => {
                    Value::String(patchbay_core::model::mask(text))
                }
                Value::Null => Value::Null,
                _ => Value::String("****".into()),
            };
        } else {
            mask_secrets(value, extra);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BUDGET: usize = 1 << 20;

    fn entry(vendor: &'static str, tenant: &str, path: &str, status: u16) -> Entry {
        Entry {
            id: 0,
            time: Utc::now(),
            vendor,
            tenant: Some(tenant.into()),
            method: Method::PATCH,
            path: path.into(),
            query: String::new(),
            status: StatusCode::from_u16(status).ok(),
            error_code: None,
            duration_micros: 10,
            request_id: None,
            body: None,
            body_len: 0,
            fault: None,
        }
    }

    #[test]
    fn the_oldest_entries_make_room_and_ids_keep_increasing() {
        let journal = Journal::new(3, BUDGET);
        for index in 0..5 {
            journal.record(entry("a", "t", &format!("/x/{index}"), 200));
        }
        let all = journal.query(&Filter::default());
        assert_eq!(
            all.iter().map(|entry| entry.id).collect::<Vec<_>>(),
            [3, 4, 5]
        );
        let stats = journal.stats();
        assert_eq!(
            (stats.capacity, stats.len, stats.dropped),
            (3, 3, 2),
            "{stats:?}"
        );
        assert_eq!(journal.clear(), 3);
        journal.record(entry("a", "t", "/x", 200));
        assert_eq!(journal.query(&Filter::default())[0].id, 6);
    }

    #[test]
    fn the_byte_budget_pushes_out_the_oldest_entries_and_caps_one_body() {
        let with_body = |size: usize| {
            let mut entry = entry("a", "t", "/x", 200);
            entry.body = Some(Bytes::from(vec![b'x'; size]));
            entry.body_len = size as u64;
            entry
        };
        let journal = Journal::new(1000, 10_000);
        for _ in 0..10 {
            journal.record(with_body(3_000));
        }
        let stats = journal.stats();
        assert!(stats.bytes <= 10_000, "{stats:?}");
        assert_eq!(stats.len, 3, "{stats:?}");
        assert_eq!(stats.dropped, 7);
        // A body larger than the whole budget is not kept; the entry is.
        journal.record(with_body(20_000));
        let newest = journal.query(&Filter {
            limit: Some(1),
            ..Filter::default()
        });
        assert_eq!(newest[0].body, None);
        assert_eq!(newest[0].body_len, 20_000);
        assert!(journal.stats().bytes <= 10_000);
        journal.clear();
        assert_eq!(journal.stats().bytes, 0);
    }

    #[test]
    fn a_journal_of_capacity_zero_records_nothing() {
        let journal = Journal::new(0, BUDGET);
        assert_eq!(journal.record(entry("a", "t", "/x", 200)), 0);
        assert!(journal.query(&Filter::default()).is_empty());
    }

    #[test]
    fn filters_combine() {
        let journal = Journal::new(100, BUDGET);
        journal.record(entry("a", "t1", "/integrations/github", 200));
        journal.record(entry("a", "t2", "/integrations/github", 404));
        journal.record(entry("b", "t1", "/v3/connectors/google/creds/x", 401));
        let count = |filter: Filter| journal.query(&filter).len();
        assert_eq!(
            count(Filter {
                vendor: Some("a".into()),
                ..Filter::default()
            }),
            2
        );
        assert_eq!(
            count(Filter {
                tenant: Some("t1".into()),
                status: StatusFilter::parse("4xx"),
                ..Filter::default()
            }),
            1
        );
        assert_eq!(
            count(Filter {
                path: Some("/integrations/*".into()),
                status: StatusFilter::parse("200"),
                ..Filter::default()
            }),
            1
        );
        assert_eq!(
            count(Filter {
                after: Some(2),
                ..Filter::default()
            }),
            1
        );
        let newest = journal.query(&Filter {
            limit: Some(1),
            ..Filter::default()
        });
        assert_eq!(newest[0].vendor, "b");
        assert_eq!(StatusFilter::parse("6xx"), None);
        assert_eq!(StatusFilter::parse("abc"), None);
    }

    #[test]
    fn secrets_are_masked_at_any_depth_and_other_fields_kept() {
        let mut body = json!({
            "display_name": "GitHub",
            "credentials": {"type": "OAUTH2", "client_id": "abc", "client_secret": "super-secret-value-1234"},
            "data": {"api_key": "pt_live_0123456789"},
            "items": [{"Access-Token": "x"}],
            "custom_field": "s3",
        });
        mask_secrets(&mut body, &["custom_field"]);
        assert_eq!(
            body,
            json!({
                "display_name": "GitHub",
                "credentials": {"type": "OAUTH2", "client_id": "abc", "client_secret": "****1234"},
                "data": {"api_key": "****6789"},
                "items": [{"Access-Token": "****"}],
                "custom_field": "****",
            })
        );
    }
}

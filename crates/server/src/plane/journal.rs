//! The request journal: a bounded, in-memory record of the requests patchbay served to vendor routes,
//! newest last. It is bounded by a count of entries and by a byte budget; when either is reached,
//! the oldest entries make room. One entry keeps a body up to a per-entry cap (a larger one is
//! marked `truncated` and not kept), and a request that never authenticated keeps none, so that a
//! client without a key cannot fill the journal with its bodies. Recording is one short lock and a
//! push; bodies are masked only when read, so the hot path pays no JSON work.

use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use patchbay_http::{fold_field_name, HiddenFields};
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
    /// The body as received (`None`: no body, over the per-entry cap, or the request never
    /// authenticated).
    pub body: Option<Bytes>,
    /// The body's length in bytes, kept or not.
    pub body_len: u64,
    /// Whether a body was left out for being over the per-entry cap (or the whole budget).
    pub truncated: bool,
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
    entry_body_bytes: usize,
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
    pub entry_body_bytes: usize,
    pub len: usize,
    pub bytes: usize,
    pub dropped: u64,
}

impl Journal {
    /// A journal keeping at most `capacity` entries and about `byte_budget` bytes of them (texts
    /// and bodies included), each with a body of at most `entry_body_bytes`. An entry larger than
    /// the whole budget is kept without its body.
    pub fn new(capacity: usize, byte_budget: usize, entry_body_bytes: usize) -> Journal {
        Journal {
            capacity,
            byte_budget,
            entry_body_bytes,
            state: Mutex::new(State {
                entries: VecDeque::new(),
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
        let authenticated =
            entry.tenant.is_some() && entry.status != Some(StatusCode::UNAUTHORIZED);
        entry.body = match entry.body.take() {
            Some(_) if !authenticated => None,
            Some(body) if body.len() > self.entry_body_bytes => {
                entry.truncated = true;
                None
            }
            // A body received in one chunk may be a slice of a larger read buffer: a copy of its
            // own lets the journal hold exactly what it counts, and give it all back when it lets
            // the entry go.
            Some(body) => Some(Bytes::copy_from_slice(&body)),
            None => None,
        };
        if entry.footprint() > self.byte_budget && entry.body.is_some() {
            entry.body = None;
            entry.truncated = true;
        }
        let mut state = self.state();
        entry.id = state.next_id;
        state.next_id += 1;
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

    /// At most `limit` matching entries, oldest first: with `filter.after`, the first ones after
    /// it, else the newest ones. Also whether more matching entries follow the last one returned
    /// (only ever with `after`: without it the page ends at the newest entry).
    pub fn query(&self, filter: &Filter, limit: usize) -> (Vec<Entry>, bool) {
        let pattern = filter.path.as_deref().map(WildMatch::new);
        let matches = |entry: &&Entry| filter.matches(entry, pattern.as_ref());
        let state = self.state();
        match filter.after {
            Some(after) => {
                // Ids increase along the deque: the page starts where they pass `after`.
                let start = state.entries.partition_point(|entry| entry.id <= after);
                let mut found: Vec<Entry> = state
                    .entries
                    .range(start..)
                    .filter(matches)
                    .take(limit.saturating_add(1))
                    .cloned()
                    .collect();
                let more = found.len() > limit;
                found.truncate(limit);
                (found, more)
            }
            None => {
                let mut found: Vec<Entry> = state
                    .entries
                    .iter()
                    .rev()
                    .filter(matches)
                    .take(limit)
                    .cloned()
                    .collect();
                found.reverse();
                (found, false)
            }
        }
    }

    /// Forgets every entry (ids keep increasing) and gives their memory back: the deque itself
    /// goes too, not only its entries. Returns how many went.
    pub fn clear(&self) -> usize {
        let entries = {
            let mut state = self.state();
            state.dropped = 0;
            state.bytes = 0;
            std::mem::take(&mut state.entries)
        };
        // Dropped outside the lock: freeing thousands of bodies must not stall recording.
        entries.len()
    }

    pub fn stats(&self) -> Stats {
        let (len, bytes, dropped) = {
            let state = self.state();
            (state.entries.len(), state.bytes, state.dropped)
        };
        Stats {
            capacity: self.capacity,
            byte_budget: self.byte_budget,
            entry_body_bytes: self.entry_body_bytes,
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

/// Whether a field name is a secret's: one of the generic names, one the vendor hides, or ending in
/// `secret`, `password` or `token`.
pub fn is_secret_field(name: &str, hidden: &HiddenFields) -> bool {
    let folded = fold_field_name(name);
    SECRET_NAMES.contains(&folded.as_str())
        || folded.ends_with("secret")
        || folded.ends_with("password")
        || folded.ends_with("token")
        || hidden.hides(name)
}

/// A secret as the journal shows it: enough of a long text to tell values apart (`****abcd`),
/// `****` for anything else.
fn masked(value: &Value) -> Value {
    match value {
        Value::String(text) if text.chars().count() > 12 => {
            Value::String(patchbay_core::model::mask(text))
        }
        Value::Null => Value::Null,
        _ => Value::String("****".into()),
    }
}

/// Replaces the value of every secret field (at any depth) with a mask that keeps only enough to
/// tell values apart (`****abcd`). Non-text secrets become `"****"`.
pub fn mask_secrets(value: &mut Value, hidden: &HiddenFields) {
    match value {
        Value::Object(map) => mask_object(map, hidden),
        Value::Array(items) => items.iter_mut().for_each(|item| mask_secrets(item, hidden)),
        _ => {}
    }
}

fn mask_object(map: &mut Map<String, Value>, hidden: &HiddenFields) {
    for (name, value) in map.iter_mut() {
        if is_secret_field(name, hidden) {
            *value = masked(value);
        } else {
            mask_secrets(value, hidden);
        }
    }
}

/// A query string (without `?`) with the value of every secret parameter masked as a body's would
/// be (`api_key=****abcd`); names, order and every other value are kept as received.
pub fn mask_query(query: &str, hidden: &HiddenFields) -> String {
    if query.is_empty() {
        return String::new();
    }
    query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            match decoded_pair(pair) {
                Some((decoded_name, value)) if is_secret_field(&decoded_name, hidden) => {
                    match masked(&Value::String(value)) {
                        Value::String(mask) => format!("{name}={mask}"),
                        _ => format!("{name}=****"),
                    }
                }
                _ => pair.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// One `name=value` pair percent-decoded (`+` a space), as the vendors' handlers read it.
fn decoded_pair(pair: &str) -> Option<(String, String)> {
    actix_web::web::Query::<Vec<(String, String)>>::from_query(pair)
        .ok()?
        .into_inner()
        .into_iter()
        .next()
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
            truncated: false,
            fault: None,
        }
    }

    /// Every entry, oldest first.
    fn all(journal: &Journal) -> Vec<Entry> {
        journal.query(&Filter::default(), usize::MAX).0
    }

    fn with_body(size: usize) -> Entry {
        let mut entry = entry("a", "t", "/x", 200);
        entry.body = Some(Bytes::from(vec![b'x'; size]));
        entry.body_len = size as u64;
        entry
    }

    #[test]
    fn the_oldest_entries_make_room_and_ids_keep_increasing() {
        let journal = Journal::new(3, BUDGET, BUDGET);
        for index in 0..5 {
            journal.record(entry("a", "t", &format!("/x/{index}"), 200));
        }
        assert_eq!(
            all(&journal)
                .iter()
                .map(|entry| entry.id)
                .collect::<Vec<_>>(),
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
        assert_eq!(all(&journal)[0].id, 6);
    }

    #[test]
    fn the_byte_budget_pushes_out_the_oldest_entries_and_caps_one_body() {
        let journal = Journal::new(1000, 10_000, 10_000);
        for _ in 0..10 {
            journal.record(with_body(3_000));
        }
        let stats = journal.stats();
        assert!(stats.bytes <= 10_000, "{stats:?}");
        assert_eq!(stats.len, 3, "{stats:?}");
        assert_eq!(stats.dropped, 7);
        // A body larger than the whole budget is not kept; the entry is.
        journal.record(with_body(20_000));
        let (newest, more) = journal.query(&Filter::default(), 1);
        assert!(!more);
        assert_eq!(newest[0].body, None);
        assert_eq!(newest[0].body_len, 20_000);
        assert!(newest[0].truncated);
        assert!(journal.stats().bytes <= 10_000);
        journal.clear();
        assert_eq!(journal.stats().bytes, 0);
    }

    #[test]
    fn a_body_over_the_entry_cap_is_left_out_and_marked_truncated() {
        let journal = Journal::new(100, BUDGET, 1_000);
        journal.record(with_body(1_000));
        journal.record(with_body(1_001));
        let entries = all(&journal);
        assert_eq!(entries[0].body.as_ref().map(Bytes::len), Some(1_000));
        assert!(!entries[0].truncated);
        assert_eq!(entries[1].body, None);
        assert_eq!(entries[1].body_len, 1_001);
        assert!(entries[1].truncated);
        assert_eq!(journal.stats().entry_body_bytes, 1_000);
    }

    #[test]
    fn a_request_that_never_authenticated_keeps_no_body() {
        let journal = Journal::new(100, BUDGET, BUDGET);
        let mut keyless = with_body(100);
        keyless.tenant = None;
        journal.record(keyless);
        let mut refused = with_body(100);
        refused.status = Some(StatusCode::UNAUTHORIZED);
        journal.record(refused);
        journal.record(with_body(100));
        let entries = all(&journal);
        let kept: Vec<_> = entries.iter().map(|entry| entry.body.is_some()).collect();
        assert_eq!(kept, [false, false, true]);
        assert!(entries
            .iter()
            .all(|entry| entry.body_len == 100 && !entry.truncated));
    }

    #[test]
    fn a_kept_body_owns_its_bytes_rather_than_a_slice_of_a_larger_buffer() {
        let journal = Journal::new(100, BUDGET, BUDGET);
        let buffer = Bytes::from(vec![b'x'; 100_000]);
        let mut entry = entry("a", "t", "/x", 200);
        entry.body = Some(buffer.slice(0..10));
        entry.body_len = 10;
        journal.record(entry);
        let kept = all(&journal).remove(0).body.unwrap_or_default();
        assert_eq!(kept.len(), 10);
        assert!(!buffer.as_ptr_range().contains(&kept.as_ptr()));
    }

    #[test]
    fn a_page_after_a_cursor_starts_there_and_says_whether_more_follow() {
        let journal = Journal::new(100, BUDGET, BUDGET);
        for index in 0..5 {
            journal.record(entry("a", "t", &format!("/x/{index}"), 200));
        }
        let ids = |(entries, more): (Vec<Entry>, bool)| {
            (
                entries.iter().map(|entry| entry.id).collect::<Vec<_>>(),
                more,
            )
        };
        let after = |after: u64, limit: usize| {
            ids(journal.query(
                &Filter {
                    after: Some(after),
                    ..Filter::default()
                },
                limit,
            ))
        };
        assert_eq!(after(0, 2), (vec![1, 2], true));
        assert_eq!(after(2, 2), (vec![3, 4], true));
        assert_eq!(after(4, 2), (vec![5], false));
        assert_eq!(after(5, 2), (vec![], false));
        assert_eq!(
            ids(journal.query(&Filter::default(), 2)),
            (vec![4, 5], false)
        );
    }

    #[test]
    fn clearing_gives_the_deque_back() {
        let journal = Journal::new(10_000, usize::MAX, BUDGET);
        for _ in 0..5_000 {
            journal.record(with_body(10));
        }
        assert_eq!(journal.clear(), 5_000);
        assert_eq!(journal.state().entries.capacity(), 0);
        assert_eq!(journal.stats().bytes, 0);
    }

    #[test]
    fn a_journal_of_capacity_zero_records_nothing() {
        let journal = Journal::new(0, BUDGET, BUDGET);
        assert_eq!(journal.record(entry("a", "t", "/x", 200)), 0);
        assert!(all(&journal).is_empty());
    }

    #[test]
    fn filters_combine() {
        let journal = Journal::new(100, BUDGET, BUDGET);
        journal.record(entry("a", "t1", "/integrations/github", 200));
        journal.record(entry("a", "t2", "/integrations/github", 404));
        journal.record(entry("b", "t1", "/v3/connectors/google/creds/x", 401));
        let count = |filter: Filter| journal.query(&filter, usize::MAX).0.len();
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
        let (newest, _) = journal.query(&Filter::default(), 1);
        assert_eq!(newest[0].vendor, "b");
        assert_eq!(StatusFilter::parse("6xx"), None);
        assert_eq!(StatusFilter::parse("abc"), None);
    }

    #[test]
    fn a_vendors_own_rule_hides_what_its_get_hides() {
        let rule = HiddenFields::Rule(|name| name.contains("key") || name == "passphrase");
        let mut body = json!({"credentials": {"app_key": "k", "passphrase": "p", "region": "eu"}});
        mask_secrets(&mut body, &rule);
        assert_eq!(
            body,
            json!({"credentials": {"app_key": "****", "passphrase": "****", "region": "eu"}})
        );
    }

    #[test]
    fn secret_query_values_are_masked_and_the_rest_kept_as_received() {
        let hidden = HiddenFields::Named(&[&["session"]]);
        assert_eq!(
            mask_query(
                "limit=10&api_key=pt_live_0123456789&session=abc&client%5Fsecret=s&flag",
                &hidden
            ),
            "limit=10&api_key=****6789&session=****&client%5Fsecret=****&flag"
        );
        assert_eq!(mask_query("", &hidden), "");
        assert_eq!(mask_query("cursor=a%20b", &hidden), "cursor=a%20b");
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
        mask_secrets(&mut body, &HiddenFields::Named(&[&["custom_field"]]));
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

//! A bounded in-memory cache of records, so that a read of a hot record costs no SQLite query and no
//! hand-off to a reader thread.
//!
//! Coherence: only the writer thread publishes new versions, right after each commit and in commit
//! order, bumping a generation counter. A reader that missed may insert what it read from SQLite only
//! if no commit happened since it looked at the generation; otherwise it leaves the cache alone. So
//! the cache never holds a version older than the last committed one.
//!
//! Bounds: a count of records and a byte budget (what the records hold, roughly). When either would
//! be passed, the cache starts over; a record larger than an eighth of the budget is never cached.

use crate::model::Integration;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

pub(crate) struct RecordCache {
    capacity: usize,
    byte_budget: usize,
    generation: AtomicU64,
    records: RwLock<Records>,
}

#[derive(Default)]
struct Records {
    /// Each record with its footprint, worked out once when it came in.
    by_key: HashMap<String, (Arc<Integration>, usize)>,
    /// The sum of the cached records' footprints (keys included).
    bytes: usize,
}

impl Records {
    fn insert(&mut self, key: String, record: &Arc<Integration>, size: usize) {
        self.remove(&key);
        self.bytes += size;
        self.by_key.insert(key, (Arc::clone(record), size));
    }

    fn remove(&mut self, key: &str) {
        if let Some((_, size)) = self.by_key.remove(key) {
            self.bytes -= size;
        }
    }

    fn clear(&mut self) {
        self.by_key.clear();
        self.bytes = 0;
    }
}

pub(crate) fn key(vendor: &str, tenant: &str, id: &str) -> String {
    let mut key = String::with_capacity(vendor.len() + tenant.len() + id.len() + 2);
    key.push_str(vendor);
    key.push('\0');
    key.push_str(tenant);
    key.push('\0');
    key.push_str(id);
    key
}

impl RecordCache {
    /// At most `capacity` records and about `byte_budget` bytes of them; either 0 turns it off.
    pub(crate) fn new(capacity: usize, byte_budget: usize) -> Self {
        RecordCache {
            capacity: if byte_budget == 0 { 0 } else { capacity },
            byte_budget,
            generation: AtomicU64::new(0),
            records: RwLock::new(Records::default()),
        }
    }

    /// What a record costs the cache: its footprint and its key's. `None` when it is too large to
    /// cache at all.
    fn cost(&self, key: &str, record: &Integration) -> Option<usize> {
        let size = key.len() + record.footprint();
        (size <= self.byte_budget / 8).then_some(size)
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub(crate) fn get(&self, vendor: &str, tenant: &str, id: &str) -> Option<Arc<Integration>> {
        if self.capacity == 0 {
            return None;
        }
        self.records
            .read()
            .ok()?
            .by_key
            .get(&key(vendor, tenant, id))
            .map(|(record, _)| Arc::clone(record))
    }

    /// A reader's insert of what it read: only if no commit happened since `seen_generation`.
    pub(crate) fn fill(&self, vendor: &str, seen_generation: u64, record: &Arc<Integration>) {
        if self.capacity == 0 {
            return;
        }
        let key = key(vendor, &record.tenant, &record.id);
        let Some(size) = self.cost(&key, record) else {
            return;
        };
        if let Ok(mut records) = self.records.write() {
            if self.generation.load(Ordering::Acquire) == seen_generation
                && !records.by_key.contains_key(&key)
            {
                self.make_room(&mut records, size);
                records.insert(key, record, size);
            }
        }
    }

    /// The writer's publish of a committed version (`previous_id` differs after a rename).
    pub(crate) fn publish(&self, vendor: &str, previous_id: &str, record: &Arc<Integration>) {
        if let Ok(mut records) = self.records.write() {
            if previous_id != record.id {
                records.remove(&key(vendor, &record.tenant, previous_id));
            }
            let key = key(vendor, &record.tenant, &record.id);
            records.remove(&key);
            if let Some(size) = self.cost(&key, record).filter(|_| self.capacity > 0) {
                self.make_room(&mut records, size);
                records.insert(key, record, size);
            }
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// The writer's publish of a committed delete.
    pub(crate) fn forget(&self, vendor: &str, tenant: &str, id: &str) {
        if let Ok(mut records) = self.records.write() {
            records.remove(&key(vendor, tenant, id));
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Drops everything (after a bulk change such as loading fixtures).
    pub(crate) fn invalidate_all(&self) {
        if let Ok(mut records) = self.records.write() {
            records.clear();
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Keeps memory bounded: when the record would not fit, start over. Hot records come back on
    /// their next read.
    fn make_room(&self, records: &mut Records, incoming: usize) {
        if records.by_key.len() >= self.capacity || records.bytes + incoming > self.byte_budget {
            records.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn record(id: &str, payload: usize) -> Arc<Integration> {
        let Value::Object(attributes) = json!({"blob": "x".repeat(payload)}) else {
            unreachable!("an object literal")
        };
        Arc::new(Integration {
            tenant: "t".into(),
            id: id.into(),
            kind: "k".into(),
            attributes,
            credential: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        })
    }

    fn held(cache: &RecordCache) -> (usize, usize) {
        let records = cache.records.read().expect("not poisoned");
        (records.by_key.len(), records.bytes)
    }

    #[test]
    fn the_byte_budget_bounds_what_the_cache_holds() {
        let cache = RecordCache::new(1_000, 64 * 1024);
        for index in 0..100 {
            cache.publish(
                "v",
                &format!("r{index}"),
                &record(&format!("r{index}"), 4_000),
            );
            let (_, bytes) = held(&cache);
            assert!(bytes <= 64 * 1024, "{bytes} bytes held");
        }
        assert!(cache.get("v", "t", "r99").is_some(), "the newest is cached");
        // Re-publishing a record replaces its cost rather than adding to it.
        let before = held(&cache);
        cache.publish("v", "r99", &record("r99", 4_000));
        assert_eq!(held(&cache), before);
    }

    #[test]
    fn a_record_larger_than_an_eighth_of_the_budget_is_never_cached() {
        let cache = RecordCache::new(1_000, 64 * 1024);
        cache.publish("v", "small", &record("small", 100));
        cache.publish("v", "big", &record("big", 9_000));
        assert!(cache.get("v", "t", "big").is_none());
        assert!(cache.get("v", "t", "small").is_some());
        let generation = cache.generation();
        cache.fill("v", generation, &record("big", 9_000));
        assert!(cache.get("v", "t", "big").is_none());
        // A smaller version of a cached record that grew past the bound is dropped, not kept stale.
        cache.publish("v", "small", &record("small", 9_000));
        assert!(cache.get("v", "t", "small").is_none());
    }

    #[test]
    fn the_count_still_bounds_the_cache() {
        let cache = RecordCache::new(3, 1 << 20);
        for index in 0..10 {
            cache.publish("v", &format!("r{index}"), &record(&format!("r{index}"), 10));
            assert!(held(&cache).0 <= 3);
        }
    }
}

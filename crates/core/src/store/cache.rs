//! A bounded in-memory cache of records, so that a read of a hot record costs no SQLite query and no
//! hand-off to a reader thread.
//!
//! Coherence: only the writer thread publishes new versions, right after each commit and in commit
//! order, bumping a generation counter. A reader that missed may insert what it read from SQLite only
//! if no commit happened since it looked at the generation; otherwise it leaves the cache alone. So
//! the cache never holds a version older than the last committed one.

use crate::model::Integration;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

pub(crate) struct RecordCache {
    capacity: usize,
    generation: AtomicU64,
    records: RwLock<HashMap<String, Arc<Integration>>>,
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
    /// `capacity` 0 turns the cache off.
    pub(crate) fn new(capacity: usize) -> Self {
        RecordCache {
            capacity,
            generation: AtomicU64::new(0),
            records: RwLock::new(HashMap::new()),
        }
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
            .get(&key(vendor, tenant, id))
            .cloned()
    }

    /// A reader's insert of what it read: only if no commit happened since `seen_generation`.
    pub(crate) fn fill(&self, vendor: &str, seen_generation: u64, record: &Arc<Integration>) {
        if self.capacity == 0 {
            return;
        }
        if let Ok(mut records) = self.records.write() {
            if self.generation.load(Ordering::Acquire) == seen_generation {
                Self::make_room(&mut records, self.capacity);
                records
                    .entry(key(vendor, &record.tenant, &record.id))
                    .or_insert_with(|| Arc::clone(record));
            }
        }
    }

    /// The writer's publish of a committed version (`previous_id` differs after a rename).
    pub(crate) fn publish(&self, vendor: &str, previous_id: &str, record: &Arc<Integration>) {
        if let Ok(mut records) = self.records.write() {
            if previous_id != record.id {
                records.remove(&key(vendor, &record.tenant, previous_id));
            }
            if self.capacity > 0 {
                Self::make_room(&mut records, self.capacity);
                records.insert(key(vendor, &record.tenant, &record.id), Arc::clone(record));
            }
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

    /// Keeps memory bounded: when full, start over. Hot records come back on their next read.
    fn make_room(records: &mut HashMap<String, Arc<Integration>>, capacity: usize) {
        if records.len() >= capacity {
            records.clear();
        }
    }
}

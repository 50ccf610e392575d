//! The control plane's state and rules, shared by the gate in front of every vendor route and the
//! control API: the fixtures as loaded at start (what reset goes back to and what open keys copy),
//! open keys, the request journal and the fault rules.
//!
//! Nothing here knows a vendor's wire format: it goes through each adapter's [`VendorHooks`].
//!
//! [`VendorHooks`]: patchbay_http::VendorHooks

pub mod faults;
pub mod feed;
pub mod gate;
pub mod journal;

use crate::vendors::VENDORS;
use journal::Journal;
use patchbay_core::fixtures::VendorData;
use patchbay_core::{ApiKey, CoreError, ReplaceSummary, Store, TenantChange};
use patchbay_http::Vendor;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The label of keys that open keys created (shown in `GET /_patchbay/state/{vendor}`).
pub const OPEN_KEY_LABEL: &str = "open key";
/// Tenants that open keys create are named `open-` and 12 hex digits derived from vendor and key.
pub const OPEN_TENANT_PREFIX: &str = "open-";

/// Each vendor's fixture data as read at start.
#[derive(Debug, Default, Clone)]
pub struct Fixtures {
    by_vendor: HashMap<&'static str, VendorData>,
    /// Each vendor's fixture keys in lower case: a key that differs from one only in case is a
    /// mistyped copy, never a new open tenant.
    keys_folded: HashMap<&'static str, HashSet<String>>,
}

impl Fixtures {
    pub fn new(by_vendor: HashMap<&'static str, VendorData>) -> Fixtures {
        let keys_folded = by_vendor
            .iter()
            .map(|(vendor, data)| {
                let keys = data.keys.iter().map(|key| key.key.to_lowercase()).collect();
                (*vendor, keys)
            })
            .collect();
        Fixtures {
            by_vendor,
            keys_folded,
        }
    }

    /// Whether `key` is a fixture key of the vendor but for its case.
    fn is_case_variant_of_a_key(&self, vendor: &str, key: &str) -> bool {
        self.keys_folded
            .get(vendor)
            .is_some_and(|keys| keys.contains(&key.to_lowercase()))
    }

    pub fn of(&self, vendor: &str) -> Option<&VendorData> {
        self.by_vendor.get(vendor)
    }

    /// Whether the fixtures name this tenant (in a key or a record).
    fn has_tenant(&self, vendor: &str, tenant: &str) -> bool {
        self.of(vendor).is_some_and(|data| {
            data.keys.iter().any(|key| key.tenant == tenant)
                || data.records.iter().any(|record| record.tenant == tenant)
        })
    }

    /// The tenant open keys copy: the tenant of the first key, else of the first record.
    fn template_tenant(&self, vendor: &str) -> Option<&str> {
        let data = self.of(vendor)?;
        data.keys
            .first()
            .map(|key| key.tenant.as_str())
            .or_else(|| data.records.first().map(|record| record.tenant.as_str()))
    }

    /// The records a fixture tenant starts with, or (for a tenant of open keys) a copy of the
    /// template tenant's records given that tenant.
    fn records_for(&self, vendor: &str, tenant: &str) -> Vec<patchbay_core::Integration> {
        let Some(data) = self.of(vendor) else {
            return Vec::new();
        };
        let source = if self.has_tenant(vendor, tenant) {
            tenant
        } else if tenant.starts_with(OPEN_TENANT_PREFIX) {
            match self.template_tenant(vendor) {
                Some(template) => template,
                None => return Vec::new(),
            }
        } else {
            return Vec::new();
        };
        data.records
            .iter()
            .filter(|record| record.tenant == source)
            .map(|record| {
                let mut copy = record.clone();
                copy.tenant = tenant.to_string();
                copy
            })
            .collect()
    }
}

/// What `POST /_patchbay/reset` resets.
#[derive(Clone)]
pub enum ResetScope {
    Everything,
    Vendor(&'static Vendor),
    Tenant(&'static Vendor, String),
}

/// The state behind the gate and the control API.
pub struct ControlPlane {
    pub store: Store,
    pub fixtures: Fixtures,
    pub open_keys: bool,
    /// What the keys open keys created may hold in memory, at most, and how many there may be.
    pub open_keys_budget: OpenKeyBudget,
    /// When each open tenant last served a request, for the idle expiry.
    pub open_keys_activity: OpenKeyActivity,
    pub journal: Journal,
    pub faults: faults::Faults,
    /// The server's body limit: bodies up to it are kept in the journal.
    pub body_limit: usize,
    /// The largest control body other than a seed (`control.control_body_bytes`).
    pub control_body_bytes: usize,
    /// The largest seed body (`control.seed_bytes`).
    pub seed_bytes: usize,
    /// `None`: the control API answers loopback clients only.
    pub admin_token: Option<String>,
    /// Clients of these networks use the control API without the admin token.
    pub control_networks: Vec<ipnet::IpNet>,
    /// The URL clients reach patchbay at, without a trailing `/`.
    pub public_url: String,
}

/// The byte budget of the keys that open keys create: every such key stays in memory (the store
/// keeps keys there), so a client sending ever new keys must not be able to grow it without bound.
/// When the budget is spent, a new key gets the vendor's 401 as with open keys off; a reset that
/// removes open tenants gives their bytes back.
/// The tenant count is capped too (`control.open_keys_max`): each tenant also holds a copy of the
/// template records on disk.
#[derive(Debug)]
pub struct OpenKeyBudget {
    bytes: usize,
    used: AtomicUsize,
    tenants_max: usize,
    tenants: AtomicUsize,
    /// Whether the refusal was logged already (once until the next reset).
    warned: AtomicBool,
}

impl OpenKeyBudget {
    pub fn new(bytes: usize, tenants_max: usize) -> OpenKeyBudget {
        OpenKeyBudget {
            bytes,
            used: AtomicUsize::new(0),
            tenants_max,
            tenants: AtomicUsize::new(0),
            warned: AtomicBool::new(false),
        }
    }

    /// Takes `size` bytes and one tenant from the budget, if they are left.
    fn take(&self, size: usize) -> bool {
        let counted = self
            .tenants
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tenants| {
                (tenants < self.tenants_max).then_some(tenants + 1)
            })
            .is_ok();
        if !counted {
            return false;
        }
        let taken = self
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(size).filter(|total| *total <= self.bytes)
            })
            .is_ok();
        if !taken {
            self.tenants.fetch_sub(1, Ordering::AcqRel);
        }
        taken
    }

    /// Gives back what a failed provisioning, or a removed tenant, took.
    fn give_back(&self, size: usize) {
        let _ = self
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                Some(used.saturating_sub(size))
            });
        let _ = self
            .tenants
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tenants| {
                Some(tenants.saturating_sub(1))
            });
    }

    /// Sets what is in use (at start, after a reset or an expiry) from the keys the store holds.
    fn recount(&self, keys: &[Arc<ApiKey>]) {
        let tenants: HashSet<&str> = keys.iter().map(|key| key.tenant.as_str()).collect();
        self.used.store(
            keys.iter().map(|key| key.footprint()).sum(),
            Ordering::Release,
        );
        self.tenants.store(tenants.len(), Ordering::Release);
        self.warned.store(false, Ordering::Release);
    }

    /// Open tenants counted.
    pub fn tenants(&self) -> usize {
        self.tenants.load(Ordering::Acquire)
    }

    /// Bytes in use.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }
}

/// When each open tenant last served a request. Kept in memory only (a write per request would cost
/// more than the expiry saves): after a restart, every open tenant counts as used at start.
#[derive(Debug, Default)]
pub struct OpenKeyActivity {
    last_used: Mutex<HashMap<(&'static str, String), Instant>>,
}

impl OpenKeyActivity {
    /// Notes that an open tenant served a request now.
    pub fn touch(&self, vendor: &'static str, tenant: &str) {
        if let Ok(mut last_used) = self.last_used.lock() {
            match last_used.get_mut(&(vendor, tenant.to_string())) {
                Some(seen) => *seen = Instant::now(),
                None => {
                    last_used.insert((vendor, tenant.to_string()), Instant::now());
                }
            }
        }
    }

    fn forget(&self, vendor: &'static str, tenant: &str) {
        if let Ok(mut last_used) = self.last_used.lock() {
            last_used.remove(&(vendor, tenant.to_string()));
        }
    }

    /// The tenants unused for `idle` or longer.
    fn idle_for(&self, idle: Duration) -> Vec<(&'static str, String)> {
        let now = Instant::now();
        self.last_used
            .lock()
            .map(|last_used| {
                last_used
                    .iter()
                    .filter(|(_, seen)| now.duration_since(**seen) >= idle)
                    .map(|(tenant, _)| tenant.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Keeps exactly these tenants: those already seen keep their time, new ones count as used now.
    fn track(&self, tenants: HashSet<(&'static str, String)>) {
        if let Ok(mut last_used) = self.last_used.lock() {
            last_used.retain(|tenant, _| tenants.contains(tenant));
            let now = Instant::now();
            for tenant in tenants {
                last_used.entry(tenant).or_insert(now);
            }
        }
    }
}

impl ControlPlane {
    /// Every key that open keys created, of every vendor.
    fn open_keys_held(&self) -> Vec<(&'static str, Arc<ApiKey>)> {
        VENDORS
            .iter()
            .flat_map(|vendor| {
                self.store
                    .keys(vendor.name)
                    .into_iter()
                    .map(move |key| (vendor.name, key))
            })
            .filter(|(_, key)| key.label.as_deref() == Some(OPEN_KEY_LABEL))
            .collect()
    }

    /// Counts the open tenants the store holds (at start and after removals), and starts their
    /// idle clocks.
    pub fn recount_open_tenants(&self) {
        let held = self.open_keys_held();
        let keys: Vec<Arc<ApiKey>> = held.iter().map(|(_, key)| Arc::clone(key)).collect();
        self.open_keys_budget.recount(&keys);
        self.open_keys_activity.track(
            held.into_iter()
                .map(|(vendor, key)| (vendor, key.tenant.clone()))
                .collect(),
        );
    }

    /// Removes the open tenants unused for `idle` or longer, keys and records, and gives their
    /// space back. Returns how many went.
    pub async fn expire_idle_open_tenants(&self, idle: Duration) -> Result<usize, CoreError> {
        let idle_tenants = self.open_keys_activity.idle_for(idle);
        if idle_tenants.is_empty() {
            return Ok(0);
        }
        let changes = idle_tenants
            .iter()
            .map(|(vendor, tenant)| TenantChange {
                vendor,
                tenant: Some(tenant.clone()),
                clear_records: true,
                clear_keys: true,
                keys: Vec::new(),
                records: Vec::new(),
            })
            .collect();
        self.store.replace(changes).await?;
        self.recount_open_tenants();
        tracing::info!(
            tenants = idle_tenants.len(),
            idle_secs = idle.as_secs(),
            "open keys: idle tenants removed"
        );
        Ok(idle_tenants.len())
    }

    /// Takes back a tenant this request's open key just created, when the request did not pass the
    /// vendor's authentication or reached no route the vendor serves: such requests must leave
    /// nothing behind.
    pub async fn withdraw_open_tenant(&self, vendor: &'static Vendor, key: &ApiKey) {
        let change = TenantChange {
            vendor: vendor.name,
            tenant: Some(key.tenant.clone()),
            clear_records: true,
            clear_keys: true,
            keys: Vec::new(),
            records: Vec::new(),
        };
        match self.store.replace(vec![change]).await {
            Ok(_) => {
                self.open_keys_budget.give_back(key.footprint());
                self.open_keys_activity.forget(vendor.name, &key.tenant);
            }
            Err(error) => {
                tracing::warn!(vendor = vendor.name, %error, "open key: tenant not withdrawn");
            }
        }
    }

    /// The tenant an open key gets: stable for a vendor and key, and not the key itself.
    pub fn open_tenant_name(vendor: &str, key: &str) -> String {
        let id = uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_OID,
            format!("patchbay:{vendor}:{key}").as_bytes(),
        );
        format!("{OPEN_TENANT_PREFIX}{}", &id.simple().to_string()[..12])
    }

    /// Open keys: the key's tenant, created on first use with its own copy of the vendor's template
    /// records. `None` when open keys are off, the key is not well-formed for the vendor, differs
    /// from a fixture key only in case (the vendor's keys are case-sensitive: a 401), the budget is
    /// spent, or the store refused.
    pub async fn open_tenant(&self, vendor: &'static Vendor, key: &str) -> Option<Arc<ApiKey>> {
        if !self.open_keys
            || !(vendor.hooks.is_well_formed_key)(key)
            || self.fixtures.is_case_variant_of_a_key(vendor.name, key)
        {
            return None;
        }
        let tenant = Self::open_tenant_name(vendor.name, key);
        let api_key = ApiKey {
            key: key.to_string(),
            tenant: tenant.clone(),
            scopes: vendor
                .hooks
                .open_key_scopes
                .map(|scopes| scopes.iter().map(|scope| scope.to_string()).collect()),
            label: Some(OPEN_KEY_LABEL.into()),
        };
        let size = api_key.footprint();
        if !self.open_keys_budget.take(size) {
            if !self.open_keys_budget.warned.swap(true, Ordering::AcqRel) {
                tracing::warn!(
                    vendor = vendor.name,
                    budget = self.open_keys_budget.bytes,
                    tenants_max = self.open_keys_budget.tenants_max,
                    "open keys: the budget of open-key tenants (bytes or count) is spent; new keys get the vendor's 401 until a reset or an expiry"
                );
            }
            return None;
        }
        let records = self.fixtures.records_for(vendor.name, &tenant);
        match self.store.provision(vendor.name, api_key, records).await {
            Ok(key) => {
                tracing::info!(vendor = vendor.name, tenant = %key.tenant, "open key: tenant created");
                self.open_keys_activity.touch(vendor.name, &key.tenant);
                Some(key)
            }
            Err(error) => {
                self.open_keys_budget.give_back(size);
                tracing::warn!(vendor = vendor.name, %error, "open key: tenant not created");
                None
            }
        }
    }

    /// Puts a scope back to the fixtures in one transaction: everything, one vendor (every tenant,
    /// keys included, so tenants of open keys and seeded ones go), or one tenant (its records; and
    /// its keys too when the fixtures define the tenant). `Ok(None)`: no such tenant.
    pub async fn reset(&self, scope: &ResetScope) -> Result<Option<ReplaceSummary>, CoreError> {
        let whole = |vendor: &'static Vendor| {
            let data = self.fixtures.of(vendor.name).cloned().unwrap_or_default();
            TenantChange {
                vendor: vendor.name,
                tenant: None,
                clear_records: true,
                clear_keys: true,
                keys: data.keys,
                records: data.records,
            }
        };
        let changes = match scope {
            ResetScope::Everything => VENDORS.iter().copied().map(whole).collect(),
            ResetScope::Vendor(vendor) => vec![whole(vendor)],
            ResetScope::Tenant(vendor, tenant) => {
                let in_fixtures = self.fixtures.has_tenant(vendor.name, tenant);
                let known = in_fixtures
                    || self
                        .store
                        .keys(vendor.name)
                        .iter()
                        .any(|key| key.tenant == *tenant)
                    || !self
                        .store
                        .list(vendor.name, Some(tenant.clone()))
                        .await?
                        .is_empty();
                if !known {
                    return Ok(None);
                }
                let keys = self
                    .fixtures
                    .of(vendor.name)
                    .map(|data| {
                        data.keys
                            .iter()
                            .filter(|key| key.tenant == *tenant)
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                vec![TenantChange {
                    vendor: vendor.name,
                    tenant: Some(tenant.clone()),
                    clear_records: true,
                    clear_keys: in_fixtures,
                    keys,
                    records: self.fixtures.records_for(vendor.name, tenant),
                }]
            }
        };
        let summary = self.store.replace(changes).await?;
        self.recount_open_tenants();
        Ok(Some(summary))
    }

    /// The vendor and tenant a key belongs to (any vendor when `vendor` is `None`).
    pub fn tenant_of_key(
        &self,
        vendor: Option<&'static Vendor>,
        key: &str,
    ) -> Option<(&'static Vendor, String)> {
        let candidates: Vec<&'static Vendor> = match vendor {
            Some(vendor) => vec![vendor],
            None => VENDORS.to_vec(),
        };
        candidates.into_iter().find_map(|vendor| {
            self.store
                .authenticate(vendor.name, key)
                .map(|found| (vendor, found.tenant.clone()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_key_budget_is_spent_given_back_and_recounted() {
        let budget = OpenKeyBudget::new(1_000, 100);
        assert!(budget.take(600));
        assert!(!budget.take(600), "over the budget");
        assert!(budget.take(400), "exactly the budget");
        assert_eq!(budget.used(), 1_000);
        assert_eq!(budget.tenants(), 2, "a refusal takes no tenant");
        budget.give_back(400);
        assert_eq!(budget.used(), 600);
        budget.recount(&[]);
        assert!(budget.take(1_000));
        assert!(!budget.take(1));
    }

    #[test]
    fn the_open_tenant_count_is_capped() {
        let budget = OpenKeyBudget::new(1_000_000, 2);
        assert!(budget.take(10));
        assert!(budget.take(10));
        assert!(!budget.take(10), "a third tenant");
        assert_eq!(budget.used(), 20, "a refused tenant takes no bytes");
        budget.give_back(10);
        assert!(budget.take(10));
    }

    #[test]
    fn idle_tenants_are_found_and_tracked_tenants_start_their_clock() {
        let activity = OpenKeyActivity::default();
        activity.touch("acme", "open-1");
        assert_eq!(activity.idle_for(Duration::ZERO).len(), 1);
        assert!(activity.idle_for(Duration::from_secs(3600)).is_empty());
        activity.track([("acme", "open-2".to_string())].into_iter().collect());
        assert_eq!(
            activity.idle_for(Duration::ZERO),
            vec![("acme", "open-2".to_string())],
            "tracking drops the tenants no longer held"
        );
    }

    #[test]
    fn a_case_variant_of_a_fixture_key_is_recognised() {
        let data = VendorData {
            keys: vec![ApiKey {
                key: "ak_Demo0Key".into(),
                tenant: "t".into(),
                scopes: None,
                label: None,
            }],
            records: Vec::new(),
        };
        let fixtures = Fixtures::new([("acme", data)].into_iter().collect());
        assert!(fixtures.is_case_variant_of_a_key("acme", "AK_DEMO0KEY"));
        assert!(fixtures.is_case_variant_of_a_key("acme", "ak_Demo0Key"));
        assert!(!fixtures.is_case_variant_of_a_key("acme", "ak_Demo0Key1"));
        assert!(!fixtures.is_case_variant_of_a_key("other", "ak_Demo0Key"));
    }

    #[test]
    fn a_keys_footprint_counts_its_texts() {
        let key = |text: &str| ApiKey {
            key: text.into(),
            tenant: "open-0123456789ab".into(),
            scopes: None,
            label: Some(OPEN_KEY_LABEL.into()),
        };
        let short = key("k").footprint();
        let long = key(&"k".repeat(1001)).footprint();
        assert_eq!(
            long - short,
            2_000,
            "the key is held twice: as the map's key and in the value"
        );
    }
}

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
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// The label of keys that open keys created (shown in `GET /_patchbay/state/{vendor}`).
pub const OPEN_KEY_LABEL: &str = "open key";
/// Tenants that open keys create are named `open-` and 12 hex digits derived from vendor and key.
pub const OPEN_TENANT_PREFIX: &str = "open-";

/// Each vendor's fixture data as read at start.
#[derive(Debug, Default, Clone)]
pub struct Fixtures {
    by_vendor: HashMap<&'static str, VendorData>,
}

impl Fixtures {
    pub fn new(by_vendor: HashMap<&'static str, VendorData>) -> Fixtures {
        Fixtures { by_vendor }
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
    /// What the keys open keys created may hold in memory, at most.
    pub open_keys_budget: OpenKeyBudget,
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
#[derive(Debug)]
pub struct OpenKeyBudget {
    bytes: usize,
    used: AtomicUsize,
    /// Whether the refusal was logged already (once until the next reset).
    warned: AtomicBool,
}

impl OpenKeyBudget {
    pub fn new(bytes: usize) -> OpenKeyBudget {
        OpenKeyBudget {
            bytes,
            used: AtomicUsize::new(0),
            warned: AtomicBool::new(false),
        }
    }

    /// Takes `size` bytes from the budget, if they are left.
    fn take(&self, size: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(size).filter(|total| *total <= self.bytes)
            })
            .is_ok()
    }

    /// Gives back bytes a failed provisioning took.
    fn give_back(&self, size: usize) {
        let _ = self
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                Some(used.saturating_sub(size))
            });
    }

    /// Sets what is in use after a reset, from the keys the store still holds.
    fn recount(&self, used: usize) {
        self.used.store(used, Ordering::Release);
        self.warned.store(false, Ordering::Release);
    }

    /// Bytes in use.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }
}

impl ControlPlane {
    /// The tenant an open key gets: stable for a vendor and key, and not the key itself.
    pub fn open_tenant_name(vendor: &str, key: &str) -> String {
        let id = uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_OID,
            format!("patchbay:{vendor}:{key}").as_bytes(),
        );
        format!("{OPEN_TENANT_PREFIX}{}", &id.simple().to_string()[..12])
    }

    /// Open keys: the key's tenant, created on first use with its own copy of the vendor's template
    /// records. `None` when open keys are off, the key is not well-formed for the vendor, or the
    /// store refused.
    pub async fn open_tenant(&self, vendor: &'static Vendor, key: &str) -> Option<Arc<ApiKey>> {
        if !self.open_keys || !(vendor.hooks.is_well_formed_key)(key) {
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
                    "open keys: the byte budget of open-key tenants is spent; new keys get the vendor's 401 until a reset"
                );
            }
            return None;
        }
        let records = self.fixtures.records_for(vendor.name, &tenant);
        match self.store.provision(vendor.name, api_key, records).await {
            Ok(key) => {
                tracing::info!(vendor = vendor.name, tenant = %key.tenant, "open key: tenant created");
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
        self.open_keys_budget.recount(
            VENDORS
                .iter()
                .flat_map(|vendor| self.store.keys(vendor.name))
                .filter(|key| key.label.as_deref() == Some(OPEN_KEY_LABEL))
                .map(|key| key.footprint())
                .sum(),
        );
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
        let budget = OpenKeyBudget::new(1_000);
        assert!(budget.take(600));
        assert!(!budget.take(600), "over the budget");
        assert!(budget.take(400), "exactly the budget");
        assert_eq!(budget.used(), 1_000);
        budget.give_back(400);
        assert_eq!(budget.used(), 600);
        budget.recount(0);
        assert!(budget.take(1_000));
        assert!(!budget.take(1));
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

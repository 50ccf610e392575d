//! The one place that knows every vendor: each adapter's entry points, side by side. Adding a vendor
//! is one entry here.

use patchbay_core::fixtures::RecordParser;
use patchbay_core::Integration;
use patchbay_http::{AdapterContext, Mount, VendorHooks};
use serde_json::Value;

pub struct VendorAdapter {
    pub name: &'static str,
    /// File name under the fixtures directory.
    pub fixture_file: &'static str,
    pub parse_record: RecordParser,
    /// The admin view of a stored record (fixture format, secrets included).
    pub record_view: fn(&Integration) -> Value,
    /// Builds the adapter's shared state once; the result registers its routes on each worker.
    pub mount: fn(&AdapterContext) -> Result<Mount, String>,
    /// The base URL to configure the vendor's SDK with, from patchbay's public URL.
    pub sdk_base_url: fn(&str) -> String,
    /// What the control plane needs: path ownership, the presented key, faults in the vendor's envelope.
    pub hooks: &'static VendorHooks,
}

pub const VENDORS: &[VendorAdapter] = &[
    // Before Nango: Nango claims everything under `/integrations/`, Langdock `/integrations/v1/...`.
    VendorAdapter {
        name: patchbay_langdock::VENDOR,
        fixture_file: patchbay_langdock::FIXTURE_FILE,
        parse_record: patchbay_langdock::parse_record,
        record_view: patchbay_langdock::record_view,
        mount: patchbay_langdock::mount,
        sdk_base_url: patchbay_langdock::sdk_base_url,
        hooks: &patchbay_langdock::HOOKS,
    },
    VendorAdapter {
        name: patchbay_nango::VENDOR,
        fixture_file: patchbay_nango::FIXTURE_FILE,
        parse_record: patchbay_nango::parse_record,
        record_view: patchbay_nango::record_view,
        mount: patchbay_nango::mount,
        sdk_base_url: patchbay_nango::sdk_base_url,
        hooks: &patchbay_nango::HOOKS,
    },
    VendorAdapter {
        name: patchbay_nylas::VENDOR,
        fixture_file: patchbay_nylas::FIXTURE_FILE,
        parse_record: patchbay_nylas::parse_record,
        record_view: patchbay_nylas::record_view,
        mount: patchbay_nylas::mount,
        sdk_base_url: patchbay_nylas::sdk_base_url,
        hooks: &patchbay_nylas::HOOKS,
    },
    VendorAdapter {
        name: patchbay_composio::VENDOR,
        fixture_file: patchbay_composio::FIXTURE_FILE,
        parse_record: patchbay_composio::parse_record,
        record_view: patchbay_composio::record_view,
        mount: patchbay_composio::mount,
        sdk_base_url: patchbay_composio::sdk_base_url,
        hooks: &patchbay_composio::HOOKS,
    },
    VendorAdapter {
        name: patchbay_puretalk::VENDOR,
        fixture_file: patchbay_puretalk::FIXTURE_FILE,
        parse_record: patchbay_puretalk::parse_record,
        record_view: patchbay_puretalk::record_view,
        mount: patchbay_puretalk::mount,
        sdk_base_url: patchbay_puretalk::sdk_base_url,
        hooks: &patchbay_puretalk::HOOKS,
    },
];

/// The vendor a request path belongs to: each vendor is asked in table order.
pub fn owner_of(path: &str) -> Option<&'static VendorAdapter> {
    VENDORS.iter().find(|vendor| (vendor.hooks.claims)(path))
}

pub fn find(name: &str) -> Option<&'static VendorAdapter> {
    VENDORS.iter().find(|vendor| vendor.name == name)
}

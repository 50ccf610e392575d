//! Shared test helpers: the support crate's server and request types, and checks every table of
//! vendors uses.

pub use patchbay_tests::{
    spawn_app, spawn_app_on, spawn_app_with, Client, KeyHeader, Mutator, Reply, TestApp,
};

/// Asserts that a table written once per vendor has exactly one row for each vendor of the
/// server's table, so that a new vendor cannot be left out of it unnoticed.
pub fn assert_one_row_per_vendor<'a>(table: &str, rows: impl IntoIterator<Item = &'a str>) {
    let mut rows: Vec<&str> = rows.into_iter().collect();
    rows.sort_unstable();
    let mut vendors = patchbay_server::vendors::names();
    vendors.sort_unstable();
    assert_eq!(
        rows, vendors,
        "{table}: one row for each vendor of patchbay_server::vendors::VENDORS"
    );
}

//! Loading fixture files: `<dir>/<vendor>.json` for each mounted vendor, read with that adapter's
//! record parser. Errors name the file and the JSON path.

use crate::vendors::VENDORS;
use patchbay_core::fixtures::{read_document, VendorData};
use patchbay_http::Vendor;
use std::path::Path;

/// The repository's `fixtures/*.json` as they were when the binary was built (see `build.rs`).
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_fixtures.rs"));

/// Reads one vendor's fixture file; `Ok(None)` if the directory has none for it.
pub fn read(dir: &Path, vendor: &Vendor) -> Result<Option<VendorData>, String> {
    let path = dir.join(vendor.fixture_file);
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("{}: {error}", path.display())),
    };
    parse(&text, vendor, &path.display().to_string()).map(Some)
}

/// One vendor's demo fixtures as built into the binary; `Ok(None)` if the build had none for it.
pub fn read_embedded(vendor: &Vendor) -> Result<Option<VendorData>, String> {
    let Some((_, text)) = EMBEDDED
        .iter()
        .find(|(name, _)| *name == vendor.fixture_file)
    else {
        return Ok(None);
    };
    parse(
        text.as_bytes(),
        vendor,
        &format!("(built-in) {}", vendor.fixture_file),
    )
    .map(Some)
}

fn parse(text: &[u8], vendor: &Vendor, source: &str) -> Result<VendorData, String> {
    let document =
        patchbay_http::json::parse(text).map_err(|error| format!("{source}: {error}"))?;
    read_document(&document, vendor.parse_record).map_err(|error| format!("{source}: {error}"))
}

/// `patchbay check-fixtures DIR`: one line per vendor file; errors for every file that is wrong.
pub fn check(dir: &Path) -> Result<Vec<String>, Vec<String>> {
    if !dir.is_dir() {
        return Err(vec![format!("{}: not a directory", dir.display())]);
    }
    let mut report = Vec::new();
    let mut errors = Vec::new();
    for vendor in VENDORS {
        match read(dir, vendor) {
            Ok(Some(data)) => report.push(format!(
                "ok   {} ({} keys, {} records)",
                dir.join(vendor.fixture_file).display(),
                data.keys.len(),
                data.records.len()
            )),
            Ok(None) => report.push(format!(
                "--   {} (absent: {} starts empty)",
                dir.join(vendor.fixture_file).display(),
                vendor.name
            )),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(report)
    } else {
        Err(errors)
    }
}

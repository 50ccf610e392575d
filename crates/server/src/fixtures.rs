//! Loading fixture files: `<dir>/<vendor>.json` for each mounted vendor, read with that adapter's
//! record parser. Errors name the file and the JSON path; `check-fixtures` adds line and column.
//! The demo fixtures are also built into the binary, and `fixtures export` writes them out.

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

/// What `patchbay check-fixtures DIR` found: a line per vendor file, warnings, and every error.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub lines: Vec<String>,
    pub warnings: Vec<String>,
    /// `FILE:LINE:COLUMN: JSON-PATH: message`, every mistake of every file.
    pub errors: Vec<String>,
}

/// `patchbay check-fixtures DIR`: reads every vendor's file as `serve` would, but goes on past the
/// first mistake so that one run lists them all, and warns about `.json` files no vendor reads.
pub fn check(dir: &Path) -> CheckReport {
    let mut report = CheckReport::default();
    if !dir.is_dir() {
        report
            .errors
            .push(format!("{}: not a directory", dir.display()));
        return report;
    }
    for vendor in VENDORS {
        let path = dir.join(vendor.fixture_file);
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                report.lines.push(format!(
                    "--   {} (absent: {} starts empty)",
                    path.display(),
                    vendor.name
                ));
                continue;
            }
            Err(error) => {
                report.errors.push(format!("{}: {error}", path.display()));
                continue;
            }
        };
        let file = path.display().to_string();
        match check_document(&text, vendor) {
            Ok((keys, records)) => report
                .lines
                .push(format!("ok   {file} ({keys} keys, {records} records)")),
            Err(errors) => report
                .errors
                .extend(errors.into_iter().map(|(offset, message)| {
                    let (line, column) = line_and_column(&text, offset);
                    format!("{file}:{line}:{column}: {message}")
                })),
        }
    }
    report.warnings = unread_files(dir);
    report
}

/// `.json` files in `dir` that no vendor reads: most often a misspelled name.
fn unread_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".json"))
                .filter(|name| VENDORS.iter().all(|vendor| vendor.fixture_file != name))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let expected: Vec<&str> = VENDORS.iter().map(|vendor| vendor.fixture_file).collect();
    names
        .into_iter()
        .map(|name| {
            format!(
                "{}: matches no vendor, so nothing reads it (vendor files: {})",
                dir.join(name).display(),
                expected.join(", ")
            )
        })
        .collect()
}

/// Checks one file: the number of keys and records, or every mistake as (byte offset, message).
/// The core reader stops at the first mistake, so each key and record is read on its own.
fn check_document(text: &[u8], vendor: &Vendor) -> Result<(usize, usize), Vec<(usize, String)>> {
    let document =
        patchbay_http::json::parse(text).map_err(|error| vec![(error.position, error.reason)])?;
    let Some(root) = document.as_object() else {
        return Err(vec![(
            locate(text, "$"),
            "$: a fixture document must be an object".into(),
        )]);
    };
    let mut errors = Vec::new();
    let mut note = |error: patchbay_core::CoreError| {
        let (path, message) = match error {
            patchbay_core::CoreError::InvalidFixture { path, message } => (path, message),
            other => ("$".to_string(), other.to_string()),
        };
        errors.push((locate(text, &path), format!("{path}: {message}")));
    };
    for field in root.keys() {
        if field != "keys" && field != "records" {
            note(patchbay_core::fixtures::invalid(
                format!("$.{field}"),
                "unknown field (expected `keys` and `records`)",
            ));
        }
    }
    let mut counts = [0usize; 2];
    let mut seen_keys = std::collections::HashSet::new();
    let mut seen_records = std::collections::HashSet::new();
    for (slot, field) in ["keys", "records"].into_iter().enumerate() {
        let items = match root.get(field) {
            None => continue,
            Some(serde_json::Value::Array(items)) => items,
            Some(_) => {
                note(patchbay_core::fixtures::invalid(
                    format!("$.{field}"),
                    "must be an array",
                ));
                continue;
            }
        };
        counts[slot] = items.len();
        for (index, item) in items.iter().enumerate() {
            let alone = serde_json::json!({ field: [item] });
            let own_path = format!("$.{field}[{index}]");
            match read_document(&alone, vendor.parse_record) {
                Ok(data) => {
                    let duplicate = match (data.keys.first(), data.records.first()) {
                        (Some(key), _) => (!seen_keys.insert(key.key.clone()))
                            .then(|| (format!("{own_path}.key"), "duplicate key".to_string())),
                        (None, Some(record)) => (!seen_records
                            .insert((record.tenant.clone(), record.id.clone())))
                        .then(|| {
                            (
                                own_path.clone(),
                                format!(
                                    "duplicate record {:?} in tenant {:?}",
                                    record.id, record.tenant
                                ),
                            )
                        }),
                        (None, None) => None,
                    };
                    if let Some((path, message)) = duplicate {
                        note(patchbay_core::fixtures::invalid(path, message));
                    }
                }
                Err(patchbay_core::CoreError::InvalidFixture { path, message }) => {
                    let alone_path = format!("$.{field}[0]");
                    let path = match path.strip_prefix(&alone_path) {
                        Some(rest) => format!("{own_path}{rest}"),
                        None => path,
                    };
                    note(patchbay_core::fixtures::invalid(path, message));
                }
                Err(other) => note(other),
            }
        }
    }
    if errors.is_empty() {
        Ok((counts[0], counts[1]))
    } else {
        Err(errors)
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = 1 + before.iter().filter(|byte| **byte == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let column = 1 + String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    (line, column)
}

/// The byte offset of the value at a JSON path such as `$.records[3].unique_key`, in a document
/// already known to be valid JSON; as far along the path as it exists (the record of a missing
/// field), or 0.
fn locate(text: &[u8], path: &str) -> usize {
    let mut scanner = Scanner { text, at: 0 };
    scanner.skip_space();
    let mut found = scanner.at;
    for step in path_steps(path) {
        match scanner.enter(&step) {
            Some(at) => found = at,
            None => break,
        }
    }
    found
}

enum Step {
    Field(String),
    Index(usize),
}

fn path_steps(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut rest = path.strip_prefix('$').unwrap_or(path);
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            steps.push(Step::Field(after[..end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').unwrap_or(after.len());
            match after[..end].parse() {
                Ok(index) => steps.push(Step::Index(index)),
                Err(_) => break,
            }
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            break;
        }
    }
    steps
}

/// Just enough of a JSON reader to walk to a value: strings, containers and bare scalars.
struct Scanner<'a> {
    text: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// From the start of an object or array, to the start of the member `step` names.
    fn enter(&mut self, step: &Step) -> Option<usize> {
        let (open, close) = match step {
            Step::Field(_) => (b'{', b'}'),
            Step::Index(_) => (b'[', b']'),
        };
        if self.peek() != Some(open) {
            return None;
        }
        self.at += 1;
        let mut index = 0;
        loop {
            self.skip_space();
            if self.peek() == Some(close) || self.peek().is_none() {
                return None;
            }
            let wanted = match step {
                Step::Field(name) => {
                    let key_start = self.at;
                    self.skip_value();
                    let key: Option<String> =
                        serde_json::from_slice(&self.text[key_start..self.at]).ok();
                    self.skip_space();
                    self.at += 1; // the `:`
                    self.skip_space();
                    key.as_deref() == Some(name.as_str())
                }
                Step::Index(wanted) => index == *wanted,
            };
            if wanted {
                return Some(self.at);
            }
            self.skip_value();
            self.skip_space();
            if self.peek() == Some(b',') {
                self.at += 1;
            }
            index += 1;
        }
    }

    fn skip_value(&mut self) {
        match self.peek() {
            Some(b'"') => {
                self.at += 1;
                while let Some(byte) = self.peek() {
                    self.at += if byte == b'\\' { 2 } else { 1 };
                    if byte == b'"' {
                        break;
                    }
                }
            }
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(byte) = self.peek() {
                    match byte {
                        b'"' => {
                            self.skip_value();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return;
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while self.peek().is_some_and(|byte| {
                    !matches!(byte, b',' | b'}' | b']') && !byte.is_ascii_whitespace()
                }) {
                    self.at += 1;
                }
            }
        }
    }
}

/// `patchbay fixtures export DIR`: writes the built-in demo fixtures into `dir` (created if
/// missing) for editing, refusing to replace a file there unless `replace` is set.
pub fn export(dir: &Path, replace: bool) -> Result<Vec<String>, String> {
    if !replace {
        let existing: Vec<String> = EMBEDDED
            .iter()
            .map(|(name, _)| dir.join(name))
            .filter(|path| path.exists())
            .map(|path| path.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(format!(
                "{} already there (pass --force to replace)",
                existing.join(", ")
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    EMBEDDED
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text)
                .map(|()| path.display().to_string())
                .map_err(|error| format!("{}: {error}", path.display()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_path_is_found_in_the_text() {
        let text = br#"{"keys": [], "records": [
  {"tenant": "dev", "id": "a\"]}"},
  {"tenant": "dev",
   "unique_key": "a/b"}
]}"#;
        let at = |path| line_and_column(text, locate(text, path));
        assert_eq!(at("$"), (1, 1));
        assert_eq!(at("$.records"), (1, 25));
        assert_eq!(at("$.records[1]"), (3, 3));
        assert_eq!(at("$.records[1].unique_key"), (4, 18));
        // A missing field points at its record.
        assert_eq!(at("$.records[1].provider"), (3, 3));
        assert_eq!(at("$.records[0].id"), (2, 27));
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_and_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("é\"x".as_bytes(), 3), (1, 3));
        assert_eq!(line_and_column(b"", 10), (1, 1));
    }
}

//! The benchmark's rows: the row file format (`bench/bare/bench.toml` and one `crates/<vendor>/bench.toml`
//! per adapter, unknown fields refused) and the typed rows the driver runs, in the order the table
//! shows them.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The placeholder in a header template that the row's key replaces.
pub const KEY_PLACEHOLDER: &str = "{key}";
/// The placeholder in a path, body or header that the request counter replaces (see `request.lua`).
pub const COUNTER_PLACEHOLDER: &str = "{n}";
/// The placeholder in the second request of a pair that the value captured from an answer to the
/// first replaces (see `request.lua`).
pub const CAPTURED_PLACEHOLDER: &str = "{id}";
/// The tenant that holds the extra records of the "data grows" rows: no key points at it.
pub const SCALE_TENANT: &str = "bulk";

/// One row file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFile {
    /// Which program the rows run against; patchbay unless the file says otherwise.
    #[serde(default)]
    server: FileServer,
    /// The vendor whose routes and demo data patchbay rows use, as the server's vendor table names it.
    vendor: Option<String>,
    #[serde(default)]
    row: Vec<RowSpec>,
    /// How the "data grows" database gets its extra records of this vendor.
    scale: Option<ScaleSpec>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FileServer {
    /// `patchbay-bench-bare`, the ceiling every patchbay row is compared with.
    Bare,
    #[default]
    Patchbay,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowSpec {
    name: String,
    /// `"demo"`: the vendor's demo key, asked of the running server; anything else is the key itself.
    key: Option<String>,
    /// The patchbay variants this row also runs against, each as a row of its own.
    #[serde(default)]
    also: Vec<Variant>,
    request: Vec<RequestTemplate>,
}

/// A patchbay run with other settings than the default ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// The request journal off (`PATCHBAY__CONTROL__JOURNAL_CAPACITY=0`), to price the journal.
    JournalOff,
    /// A database that also holds the scale record count of other records, to show that cost stays
    /// flat as data grows.
    Scale,
}

/// One request of a row, with `{key}` (headers) and `{n}` (path, body, headers) still in it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestTemplate {
    pub method: String,
    pub path: String,
    /// Empty: no body.
    #[serde(default)]
    pub body: String,
    /// `Name: value` each.
    #[serde(default)]
    pub headers: Vec<String>,
    /// The first request of a pair: the JSON field of its answer whose text value the second
    /// request's `{id}` takes (`"unique_key"`, `"id"`: the first such field in the body).
    #[serde(default)]
    pub capture: Option<String>,
}

/// How to fill the "data grows" database with records of one vendor: copies of one fixture record,
/// each with a new id, read by the vendor's own fixture parser.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleSpec {
    /// The id of the fixture record to copy (the first record with that id, in file order).
    pub record: String,
    /// The field of the vendor's fixture record that holds its id.
    pub id_field: String,
    /// The new ids: `{n}` becomes the copy's number, 12 digits with leading zeros.
    #[serde(default = "default_scale_id")]
    pub id: String,
}

fn default_scale_id() -> String {
    format!("{SCALE_TENANT}-{COUNTER_PLACEHOLDER}")
}

impl ScaleSpec {
    /// The id of copy number `index`.
    pub fn id_of(&self, index: usize) -> String {
        self.id
            .replace(COUNTER_PLACEHOLDER, &format!("{index:012}"))
    }
}

/// Which server a row runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Bare,
    Patchbay,
    PatchbayVariant(Variant),
}

/// Where a row's key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// The vendor's demo key, as the banner picks it: asked of the running server.
    Demo,
    Literal(String),
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub server: Server,
    /// The vendor of a patchbay row.
    pub vendor: Option<String>,
    pub key: Option<KeySource>,
    /// Sent in turn on each connection; most rows have one.
    pub requests: Vec<RequestTemplate>,
    /// For a variant, the index of the row it varies.
    pub plain: Option<usize>,
}

impl Row {
    /// The method of a row of one request: such rows are compared with the bare row of the same
    /// method. A sequence has none.
    pub fn method(&self) -> Option<&str> {
        match self.requests.as_slice() {
            [request] => Some(request.method.as_str()),
            _ => None,
        }
    }

    pub fn is_bare(&self) -> bool {
        self.server == Server::Bare
    }

    /// The requests with the key in their headers.
    pub fn requests_with_key(&self, key: Option<&str>) -> Vec<RequestTemplate> {
        self.requests
            .iter()
            .map(|request| RequestTemplate {
                headers: request
                    .headers
                    .iter()
                    .map(|header| match key {
                        Some(key) => header.replace(KEY_PLACEHOLDER, key),
                        None => header.clone(),
                    })
                    .collect(),
                ..request.clone()
            })
            .collect()
    }
}

/// Every row, in table order, and how to fill the "data grows" database.
#[derive(Debug, Default)]
pub struct Plan {
    pub rows: Vec<Row>,
    /// One entry per vendor with a scale row: (vendor, how to copy its record).
    pub scale: Vec<(String, ScaleSpec)>,
}

impl Plan {
    pub fn needs(&self, server: Server) -> bool {
        self.rows.iter().any(|row| row.server == server)
    }

    /// The vendors whose rows ask for the demo key.
    pub fn vendors_with_demo_keys(&self) -> Vec<String> {
        let mut vendors: Vec<String> = self
            .rows
            .iter()
            .filter(|row| row.key == Some(KeySource::Demo))
            .filter_map(|row| row.vendor.clone())
            .collect();
        vendors.sort();
        vendors.dedup();
        vendors
    }

    /// Keeps the bare rows and the rows whose name contains `text`; a variant whose plain row is
    /// left out loses the comparison with it.
    pub fn keep_only(self, text: &str) -> Plan {
        let kept: Vec<usize> = (0..self.rows.len())
            .filter(|&index| self.rows[index].is_bare() || self.rows[index].name.contains(text))
            .collect();
        let rows = kept
            .iter()
            .map(|&index| {
                let mut row = self.rows[index].clone();
                row.plain = row
                    .plain
                    .and_then(|plain| kept.iter().position(|&old| old == plain));
                row
            })
            .collect::<Vec<_>>();
        let scale = self
            .scale
            .into_iter()
            .filter(|(vendor, _)| {
                rows.iter().any(|row| {
                    row.server == Server::PatchbayVariant(Variant::Scale)
                        && row.vendor.as_ref() == Some(vendor)
                })
            })
            .collect();
        Plan { rows, scale }
    }
}

/// The row files under `root`: the bare handler's, then every adapter's, sorted by path so that the
/// table's order is stable.
pub fn row_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = vec![root.join("bench/bare/bench.toml")];
    let crates = root.join("crates");
    let entries =
        std::fs::read_dir(&crates).map_err(|error| format!("{}: {error}", crates.display()))?;
    let mut adapters = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| format!("{}: {error}", crates.display()))?;
        let file = entry.path().join("bench.toml");
        if file.is_file() {
            adapters.push(file);
        }
    }
    adapters.sort();
    files.extend(adapters);
    Ok(files)
}

/// Reads every row file under `root` into a plan. `known_vendor` says whether the server's vendor
/// table has a vendor of that name.
pub fn load(
    root: &Path,
    scale_records: usize,
    known_vendor: impl Fn(&str) -> bool,
) -> Result<Plan, String> {
    let mut files = Vec::new();
    for path in row_files(root)? {
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        files.push((shown, text));
    }
    plan(&files, scale_records, known_vendor)
}

/// Builds the plan from row files' text, each with the name its errors show. Rows come in file
/// order, each followed by its journal-off variant; the "data grows" variants come last, and only
/// when `scale_records` is not 0.
pub fn plan(
    files: &[(String, String)],
    scale_records: usize,
    known_vendor: impl Fn(&str) -> bool,
) -> Result<Plan, String> {
    let mut plan = Plan::default();
    let mut scale_rows = Vec::new();
    for (origin, text) in files {
        let file: RowFile = toml::from_str(text).map_err(|error| format!("{origin}: {error}"))?;
        check_file(&file, &known_vendor).map_err(|error| format!("{origin}: {error}"))?;
        let server = match file.server {
            FileServer::Bare => Server::Bare,
            FileServer::Patchbay => Server::Patchbay,
        };
        for spec in file.row {
            check_row(&spec, file.scale.is_some())
                .map_err(|error| format!("{origin}: row {:?}: {error}", spec.name))?;
            let plain = Row {
                name: spec.name.clone(),
                server,
                vendor: file.vendor.clone(),
                key: spec.key.as_deref().map(|key| match key {
                    "demo" => KeySource::Demo,
                    key => KeySource::Literal(key.to_string()),
                }),
                requests: spec.request,
                plain: None,
            };
            let plain_index = plan.rows.len();
            plan.rows.push(plain.clone());
            if spec.also.contains(&Variant::JournalOff) {
                plan.rows.push(Row {
                    name: format!("{}, journal off", spec.name),
                    server: Server::PatchbayVariant(Variant::JournalOff),
                    plain: Some(plain_index),
                    ..plain.clone()
                });
            }
            if spec.also.contains(&Variant::Scale) && scale_records > 0 {
                scale_rows.push(Row {
                    name: format!("{}, +{scale_records} records", spec.name),
                    server: Server::PatchbayVariant(Variant::Scale),
                    plain: Some(plain_index),
                    ..plain
                });
            }
        }
        if let (Some(vendor), Some(scale)) = (&file.vendor, file.scale) {
            let used = scale_rows
                .iter()
                .any(|row| row.vendor.as_ref() == Some(vendor));
            if used {
                plan.scale.push((vendor.clone(), scale));
            }
        }
    }
    plan.rows.extend(scale_rows);
    let mut names: Vec<&str> = plan.rows.iter().map(|row| row.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!("two rows are named {:?}", pair[0]));
    }
    Ok(plan)
}

fn check_file(file: &RowFile, known_vendor: &impl Fn(&str) -> bool) -> Result<(), String> {
    match (file.server, &file.vendor) {
        (FileServer::Bare, Some(_)) => {
            return Err("the bare handler's rows name no vendor".into());
        }
        (FileServer::Bare, None) if file.scale.is_some() => {
            return Err("the bare handler's rows have no `scale`".into());
        }
        (FileServer::Patchbay, None) => return Err("`vendor` is required".into()),
        (FileServer::Patchbay, Some(vendor)) if !known_vendor(vendor) => {
            return Err(format!("the server has no vendor {vendor:?}"));
        }
        _ => {}
    }
    if file.server == FileServer::Bare {
        for row in &file.row {
            if !row.also.is_empty() || row.key.as_deref() == Some("demo") {
                return Err(format!(
                    "row {:?}: the bare handler has no variants and no demo key",
                    row.name
                ));
            }
        }
    }
    Ok(())
}

fn check_row(row: &RowSpec, file_has_scale: bool) -> Result<(), String> {
    if row.name.trim().is_empty() {
        return Err("the name is empty".into());
    }
    if row.request.is_empty() {
        return Err("a row needs at least one [[row.request]]".into());
    }
    if row.also.contains(&Variant::Scale) && !file_has_scale {
        return Err("`also = [\"scale\"]` needs a [scale] section in the file".into());
    }
    match row.request.as_slice() {
        [_] => {}
        [first, second] => {
            let Some(field) = &first.capture else {
                return Err("a row of two requests is a pair: the first needs `capture`".into());
            };
            if field.is_empty()
                || !field
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
            {
                return Err(format!("`capture` {field:?} is not a JSON field name"));
            }
            if second.capture.is_some() {
                return Err("only the first request of a pair captures".into());
            }
            let uses_captured = second.path.contains(CAPTURED_PLACEHOLDER)
                || second.body.contains(CAPTURED_PLACEHOLDER)
                || second
                    .headers
                    .iter()
                    .any(|header| header.contains(CAPTURED_PLACEHOLDER));
            if !uses_captured {
                return Err(format!(
                    "the second request of a pair must use `{CAPTURED_PLACEHOLDER}`"
                ));
            }
        }
        _ => return Err("a row is one request, or a pair of two".into()),
    }
    if row.request.len() == 1 && row.request[0].capture.is_some() {
        return Err("`capture` belongs to the first request of a pair".into());
    }
    let mut uses_key = false;
    for (index, request) in row.request.iter().enumerate() {
        let at = format!("request {}", index + 1);
        if request.method.is_empty()
            || !request.method.bytes().all(|byte| byte.is_ascii_uppercase())
        {
            return Err(format!(
                "{at}: the method must be an upper-case word, not {:?}",
                request.method
            ));
        }
        if !request.path.starts_with('/') || request.path.contains(char::is_whitespace) {
            return Err(format!(
                "{at}: the path must start with `/` and hold no spaces, not {:?}",
                request.path
            ));
        }
        for header in &request.headers {
            let (name, _) = header
                .split_once(':')
                .ok_or_else(|| format!("{at}: header {header:?} is not `Name: value`"))?;
            if name.trim().is_empty() {
                return Err(format!("{at}: header {header:?} has no name"));
            }
            if header.contains('\n') {
                return Err(format!("{at}: header {header:?} spans lines"));
            }
            uses_key |= header.contains(KEY_PLACEHOLDER);
        }
        if request.path.contains(KEY_PLACEHOLDER) || request.body.contains(KEY_PLACEHOLDER) {
            return Err(format!("{at}: `{KEY_PLACEHOLDER}` goes in headers only"));
        }
    }
    match (&row.key, uses_key) {
        (None, true) => Err(format!(
            "a header uses `{KEY_PLACEHOLDER}` but the row has no `key`"
        )),
        (Some(_), false) => Err(format!(
            "`key` is given but no header uses `{KEY_PLACEHOLDER}`"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BARE: &str = r#"
server = "bare"

[[row]]
name = "bare PATCH"
[[row.request]]
method = "PATCH"
path = "/integrations/github"
body = '{"display_name":"bench"}'
headers = ["Content-Type: application/json"]
"#;

    const ACME: &str = r#"
vendor = "acme"

[[row]]
name = "acme PATCH"
key = "demo"
also = ["journal-off", "scale"]
[[row.request]]
method = "PATCH"
path = "/acme/x"
body = '{"name":"bench"}'
headers = ["Content-Type: application/json", "Authorization: Bearer {key}"]

[[row]]
name = "acme create then delete"
key = "literal-key"
[[row.request]]
method = "POST"
path = "/acme"
body = '{"name":"bench-{n}"}'
headers = ["X-Key: {key}"]
capture = "id"
[[row.request]]
method = "DELETE"
path = "/acme/{id}"
headers = ["X-Key: {key}"]

[scale]
record = "x"
id_field = "slug"
"#;

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect()
    }

    fn plan_of(list: &[(&str, &str)], scale_records: usize) -> Result<Plan, String> {
        plan(&files(list), scale_records, |vendor| vendor == "acme")
    }

    #[test]
    fn rows_come_in_file_order_with_journal_off_after_its_row_and_scale_last() {
        let plan = plan_of(&[("bare", BARE), ("acme", ACME)], 1000).expect("valid");
        let names: Vec<&str> = plan.rows.iter().map(|row| row.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "bare PATCH",
                "acme PATCH",
                "acme PATCH, journal off",
                "acme create then delete",
                "acme PATCH, +1000 records",
            ]
        );
        assert_eq!(plan.rows[0].server, Server::Bare);
        assert_eq!(plan.rows[1].server, Server::Patchbay);
        assert_eq!(
            plan.rows[2].server,
            Server::PatchbayVariant(Variant::JournalOff)
        );
        assert_eq!(plan.rows[2].plain, Some(1));
        assert_eq!(plan.rows[4].server, Server::PatchbayVariant(Variant::Scale));
        assert_eq!(plan.rows[4].plain, Some(1));
        assert_eq!(plan.rows[1].key, Some(KeySource::Demo));
        assert_eq!(
            plan.rows[3].key,
            Some(KeySource::Literal("literal-key".into()))
        );
        assert_eq!(plan.rows[1].method(), Some("PATCH"));
        assert_eq!(plan.rows[3].method(), None, "a sequence has no one method");
        assert_eq!(plan.rows[3].requests[1].body, "");
        assert_eq!(plan.scale.len(), 1);
        assert_eq!(plan.scale[0].0, "acme");
        assert_eq!(plan.scale[0].1.id_of(7), "bulk-000000000007");
        assert_eq!(plan.vendors_with_demo_keys(), ["acme"]);
    }

    #[test]
    fn no_scale_records_leaves_the_scale_rows_out() {
        let plan = plan_of(&[("bare", BARE), ("acme", ACME)], 0).expect("valid");
        assert!(plan
            .rows
            .iter()
            .all(|row| row.server != Server::PatchbayVariant(Variant::Scale)));
        assert!(plan.scale.is_empty());
    }

    #[test]
    fn the_key_goes_into_the_header_templates() {
        let plan = plan_of(&[("acme", ACME)], 0).expect("valid");
        let requests = plan.rows[0].requests_with_key(Some("k-123"));
        assert_eq!(
            requests[0].headers,
            [
                "Content-Type: application/json",
                "Authorization: Bearer k-123"
            ]
        );
        assert_eq!(requests[0].path, "/acme/x");
    }

    #[test]
    fn keep_only_keeps_bare_rows_and_renumbers_the_plain_rows() {
        let plan = plan_of(&[("bare", BARE), ("acme", ACME)], 10).expect("valid");
        let kept = plan.keep_only("PATCH");
        let names: Vec<&str> = kept.rows.iter().map(|row| row.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "bare PATCH",
                "acme PATCH",
                "acme PATCH, journal off",
                "acme PATCH, +10 records"
            ]
        );
        assert_eq!(kept.rows[2].plain, Some(1));
        assert_eq!(kept.rows[3].plain, Some(1));
        assert_eq!(kept.scale.len(), 1);
        let kept = plan_of(&[("bare", BARE), ("acme", ACME)], 10)
            .expect("valid")
            .keep_only("journal off");
        assert_eq!(kept.rows[1].plain, None, "its plain row is gone");
        assert!(kept.scale.is_empty());
    }

    #[test]
    fn mistakes_in_row_files_are_refused_with_the_file_and_row() {
        let cases: &[(&str, &str)] = &[
            ("vendor = \"acme\"\nrows = []\n", "unknown field"),
            ("[[row]]\nname = \"x\"\n[[row.request]]\nmethod = \"GET\"\npath = \"/\"\n", "`vendor` is required"),
            ("vendor = \"zeta\"\n", "no vendor \"zeta\""),
            ("vendor = \"acme\"\n[[row]]\nname = \"x\"\nrequest = []\n", "at least one"),
            ("vendor = \"acme\"\n[[row]]\nname = \"x\"\n[[row.request]]\nmethod = \"get\"\npath = \"/\"\n", "upper-case"),
            ("vendor = \"acme\"\n[[row]]\nname = \"x\"\n[[row.request]]\nmethod = \"GET\"\npath = \"x\"\n", "start with `/`"),
            ("vendor = \"acme\"\n[[row]]\nname = \"x\"\n[[row.request]]\nmethod = \"GET\"\npath = \"/\"\nheaders = [\"nocolon\"]\n", "not `Name: value`"),
            ("vendor = \"acme\"\n[[row]]\nname = \"x\"\n[[row.request]]\nmethod = \"GET\"\npath = \"/\"\nheaders = [\"A: {key}\"]\n", "has no `key`"),
            ("vendor = \"acme\"\n[[row]]\nname = \"x\"\nkey = \"demo\"\n[[row.request]]\nmethod = \"GET\"\npath = \"/\"\n", "no header uses"),
            ("vendor = \"acme\"\n[[row]]\nname = \"x\"\nalso = [\"scale\"]\n[[row.request]]\nmethod = \"GET\"\npath = \"/\"\n", "needs a [scale] section"),
            ("vendor = \"acme\"\n[[row]]\nname = \"x\"\nalso = [\"faster\"]\n[[row.request]]\nmethod = \"GET\"\npath = \"/\"\n", "unknown variant"),
            ("server = \"bare\"\nvendor = \"acme\"\n", "name no vendor"),
            ("server = \"bare\"\n[[row]]\nname = \"x\"\nalso = [\"journal-off\"]\n[[row.request]]\nmethod = \"GET\"\npath = \"/\"\n", "no variants"),
        ];
        for (text, expected) in cases {
            let error = plan_of(&[("crates/acme/bench.toml", text)], 10)
                .expect_err(&format!("should refuse {text}"));
            assert!(
                error.starts_with("crates/acme/bench.toml: ") && error.contains(expected),
                "{text}: got {error:?}, expected {expected:?}"
            );
        }
    }

    #[test]
    fn two_rows_of_the_same_name_are_refused() {
        let error = plan_of(&[("acme", ACME), ("again", ACME)], 0).expect_err("duplicate");
        assert!(error.contains("two rows are named"), "{error}");
    }

    /// The row files in this repository parse, name vendors of the server and keep today's rows.
    #[test]
    fn the_repository_row_files_parse() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let plan = load(&root, 1000, |vendor| {
            patchbay_server::vendors::find(vendor).is_some()
        })
        .expect("the row files parse");
        let names: Vec<&str> = plan.rows.iter().map(|row| row.name.as_str()).collect();
        assert_eq!(&names[..2], ["bare PATCH", "bare GET"]);
        assert!(
            names.iter().any(|name| name.ends_with(", journal off")),
            "a row prices the journal: {names:?}"
        );
        assert!(
            names
                .last()
                .is_some_and(|name| name.ends_with(", +1000 records")),
            "the data-grows row comes last: {names:?}"
        );
        for vendor in patchbay_server::vendors::names() {
            assert!(
                names.contains(&format!("{vendor} PATCH").as_str()),
                "every vendor has a PATCH row: {vendor}"
            );
        }
    }
}

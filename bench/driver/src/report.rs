//! What the driver prints on stdout: the conditions, the Markdown table, the comparison with a
//! baseline build, and each target as `ok` or `MISS`. The arithmetic (medians, percentages, target
//! checks) lives here, with its tests.

use crate::rows::{Row, Server, Variant};

/// The targets every run is checked against (bench/README.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// A PATCH row's requests/s, as a share of the bare PATCH row's.
    pub patch_vs_bare_pct: f64,
    /// A GET row's requests/s, as a share of the bare GET row's.
    pub get_vs_bare_pct: f64,
    /// Every patchbay row's p99 latency stays below this.
    pub p99_ms: f64,
    /// Spawn to the first 200 on `/_patchbay/health`.
    pub startup_ms: u128,
    pub idle_rss_mb: f64,
    /// A "data grows" row's requests/s, as a share of the same row on the plain database.
    pub scale_vs_plain_pct: f64,
    /// A row with the journal on, as a share of the same row with it off.
    pub journal_on_vs_off_pct: f64,
}

pub const TARGETS: Targets = Targets {
    patch_vs_bare_pct: 50.0,
    get_vs_bare_pct: 70.0,
    p99_ms: 5.0,
    startup_ms: 100,
    idle_rss_mb: 30.0,
    scale_vs_plain_pct: 80.0,
    journal_on_vs_off_pct: 90.0,
};

impl Targets {
    /// The share of the bare row a row of this method must reach, if there is a target for it.
    pub fn vs_bare_pct(&self, method: &str) -> Option<f64> {
        match method {
            "PATCH" => Some(self.patch_vs_bare_pct),
            "GET" => Some(self.get_vs_bare_pct),
            _ => None,
        }
    }
}

/// One measured run of one row on one server.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub requests_per_sec: f64,
    pub p99_ms: f64,
    pub non2xx: u64,
    pub socket_errors: u64,
    /// The status of the row's single request before the load, when it was not a 2xx.
    pub single_request_failure: Option<String>,
}

/// A row's samples on one build, summed up: medians of requests/s and p99, errors added up.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub requests_per_sec: f64,
    pub p99_ms: f64,
    pub non2xx: u64,
    pub socket_errors: u64,
    pub single_request_failure: Option<String>,
    pub samples: usize,
}

pub fn summarize(samples: &[Sample]) -> Option<Summary> {
    if samples.is_empty() {
        return None;
    }
    Some(Summary {
        requests_per_sec: median(
            samples
                .iter()
                .map(|sample| sample.requests_per_sec)
                .collect(),
        ),
        p99_ms: median(samples.iter().map(|sample| sample.p99_ms).collect()),
        non2xx: samples.iter().map(|sample| sample.non2xx).sum(),
        socket_errors: samples.iter().map(|sample| sample.socket_errors).sum(),
        single_request_failure: samples
            .iter()
            .find_map(|sample| sample.single_request_failure.clone()),
        samples: samples.len(),
    })
}

/// The middle value; the mean of the two middle ones for an even count; 0 for none.
pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

/// `part` as a percentage of `whole`; `None` when `whole` is not positive.
pub fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part * 100.0 / whole)
}

pub fn percent_text(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |value| format!("{value:.1}%"))
}

/// Whether `part` is at least `pct`% of `whole`.
pub fn at_least(part: f64, whole: f64, pct: f64) -> bool {
    part * 100.0 >= whole * pct
}

/// One target, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub description: String,
    pub pass: bool,
}

impl Check {
    fn new(description: String, pass: bool) -> Check {
        Check { description, pass }
    }

    pub fn line(&self) -> String {
        if self.pass {
            format!("- ok:   {}", self.description)
        } else {
            format!("- MISS: {}", self.description)
        }
    }
}

/// Startup time and idle memory of one build's first server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Startup {
    pub startup_ms: u128,
    pub idle_rss_mb: f64,
}

/// What the run was made under, printed above the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditions {
    pub date: String,
    pub git_rev: String,
    pub machine: String,
    pub threads: u32,
    pub connections: u32,
    pub duration: String,
    pub warmup: String,
    pub rounds: usize,
    pub current: Startup,
    /// The baseline binary, when comparing two builds.
    pub baseline: Option<(String, Startup)>,
}

/// Everything measured, ready to print.
pub struct Report<'a> {
    pub rows: &'a [Row],
    /// One entry per row, `None` when the row was not run.
    pub current: Vec<Option<Summary>>,
    /// The same for the baseline build; bare rows have `None`.
    pub baseline: Option<Vec<Option<Summary>>>,
    pub conditions: Conditions,
    pub targets: Targets,
}

impl Report<'_> {
    pub fn render(&self) -> String {
        let mut out = String::new();
        let conditions = &self.conditions;
        out.push_str("\n## patchbay benchmark\n\n");
        out.push_str(&format!("- date: {}\n", conditions.date));
        out.push_str(&format!("- git rev: {}\n", conditions.git_rev));
        out.push_str(&format!("- machine: {}\n", conditions.machine));
        out.push_str(&format!(
            "- load: wrk {} threads, {} connections, {} per row after a {} warm-up, loopback\n",
            conditions.threads, conditions.connections, conditions.duration, conditions.warmup
        ));
        if conditions.rounds > 1 {
            out.push_str(&format!(
                "- rounds: {} (requests/s and p99 are medians, errors are totals)\n",
                conditions.rounds
            ));
        }
        out.push_str(&format!(
            "- patchbay startup (spawn to first 200 on /_patchbay/health): {} ms\n",
            conditions.current.startup_ms
        ));
        out.push_str(&format!(
            "- patchbay idle RSS before load: {:.1} MB\n",
            conditions.current.idle_rss_mb
        ));
        if let Some((path, startup)) = &conditions.baseline {
            out.push_str(&format!(
                "- baseline: {path} (startup {} ms, idle RSS {:.1} MB)\n",
                startup.startup_ms, startup.idle_rss_mb
            ));
        }
        out.push_str("\n| row | requests/s | p99 (ms) | vs bare | errors |\n");
        out.push_str("|---|---:|---:|---:|---:|\n");
        for (index, row) in self.rows.iter().enumerate() {
            let Some(summary) = &self.current[index] else {
                continue;
            };
            out.push_str(&format!(
                "| {} | {:.0} | {:.2} | {} | {} |\n",
                row.name,
                summary.requests_per_sec,
                summary.p99_ms,
                percent_text(self.vs_bare(index)),
                errors_text(summary)
            ));
        }
        if let Some(baseline) = &self.baseline {
            out.push_str(&self.render_baseline(baseline));
        }
        out.push_str("\nTargets:\n");
        for check in self.checks() {
            out.push_str(&check.line());
            out.push('\n');
        }
        out
    }

    fn render_baseline(&self, baseline: &[Option<Summary>]) -> String {
        let mut out = format!(
            "\n### current against baseline\n\nMedians of {} rounds; each round runs each row once on each build, the order of the two flipped every round.\n\n",
            self.conditions.rounds
        );
        out.push_str("| row | baseline requests/s | current requests/s | current vs baseline | baseline p99 (ms) | current p99 (ms) | errors (baseline, current) |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
        for (index, row) in self.rows.iter().enumerate() {
            let (Some(before), Some(now)) = (&baseline[index], &self.current[index]) else {
                continue;
            };
            out.push_str(&format!(
                "| {} | {:.0} | {:.0} | {} | {:.2} | {:.2} | {}, {} |\n",
                row.name,
                before.requests_per_sec,
                now.requests_per_sec,
                percent_text(percent(now.requests_per_sec, before.requests_per_sec)),
                before.p99_ms,
                now.p99_ms,
                errors_text(before),
                errors_text(now)
            ));
        }
        out
    }

    /// The bare row a row is compared with: the first bare row of the same method.
    fn bare_of(&self, index: usize) -> Option<&Summary> {
        let method = self.rows[index].method()?;
        self.rows
            .iter()
            .position(|row| row.is_bare() && row.method() == Some(method))
            .and_then(|bare| self.current[bare].as_ref())
    }

    fn vs_bare(&self, index: usize) -> Option<f64> {
        let summary = self.current[index].as_ref()?;
        let bare = self.bare_of(index)?;
        percent(summary.requests_per_sec, bare.requests_per_sec)
    }

    /// Every target, in the order: per patchbay row (share of bare, p99, errors), then the "data
    /// grows" rows, then the journal's price, then startup and idle memory.
    pub fn checks(&self) -> Vec<Check> {
        let targets = &self.targets;
        let mut checks = Vec::new();
        for (index, row) in self.rows.iter().enumerate() {
            let Some(summary) = &self.current[index] else {
                continue;
            };
            if row.is_bare() {
                continue;
            }
            // The data-grows and journal-off rows have their own targets (below).
            let want = match row.server {
                Server::Patchbay => row.method().and_then(|method| targets.vs_bare_pct(method)),
                _ => None,
            };
            if let (Some(want), Some(bare)) = (want, self.bare_of(index)) {
                if bare.requests_per_sec > 0.0 {
                    checks.push(Check::new(
                        format!(
                            "{}: requests/s >= {want}% of bare ({})",
                            row.name,
                            percent_text(self.vs_bare(index))
                        ),
                        at_least(summary.requests_per_sec, bare.requests_per_sec, want),
                    ));
                }
            }
            checks.push(Check::new(
                format!(
                    "{}: p99 < {} ms ({:.2} ms)",
                    row.name, targets.p99_ms, summary.p99_ms
                ),
                summary.p99_ms < targets.p99_ms,
            ));
            checks.push(Check::new(
                format!(
                    "{}: no errors ({} non-2xx, {} socket)",
                    row.name, summary.non2xx, summary.socket_errors
                ),
                summary.non2xx == 0 && summary.socket_errors == 0,
            ));
        }
        for (variant_index, plain_index, variant, plain) in self.variants(Variant::Scale) {
            checks.push(Check::new(
                format!(
                    "{}: requests/s >= {}% of '{}' ({})",
                    self.rows[variant_index].name,
                    targets.scale_vs_plain_pct,
                    self.rows[plain_index].name,
                    percent_text(percent(variant.requests_per_sec, plain.requests_per_sec))
                ),
                at_least(
                    variant.requests_per_sec,
                    plain.requests_per_sec,
                    targets.scale_vs_plain_pct,
                ),
            ));
        }
        for (variant_index, plain_index, journal_off, journal_on) in
            self.variants(Variant::JournalOff)
        {
            checks.push(Check::new(
                format!(
                    "'{}' (journal on) >= {}% of '{}' ({})",
                    self.rows[plain_index].name,
                    targets.journal_on_vs_off_pct,
                    self.rows[variant_index].name,
                    percent_text(percent(
                        journal_on.requests_per_sec,
                        journal_off.requests_per_sec
                    ))
                ),
                at_least(
                    journal_on.requests_per_sec,
                    journal_off.requests_per_sec,
                    targets.journal_on_vs_off_pct,
                ),
            ));
        }
        let current = &self.conditions.current;
        checks.push(Check::new(
            format!(
                "startup < {} ms ({} ms)",
                targets.startup_ms, current.startup_ms
            ),
            current.startup_ms < targets.startup_ms,
        ));
        checks.push(Check::new(
            format!(
                "idle RSS < {} MB ({:.1} MB)",
                targets.idle_rss_mb, current.idle_rss_mb
            ),
            current.idle_rss_mb < targets.idle_rss_mb,
        ));
        checks
    }

    /// The rows of a variant that ran, with the plain row they vary:
    /// (variant index, plain index, variant summary, plain summary).
    fn variants(&self, variant: Variant) -> Vec<(usize, usize, &Summary, &Summary)> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.server == Server::PatchbayVariant(variant))
            .filter_map(|(index, row)| {
                let plain = row.plain?;
                Some((
                    index,
                    plain,
                    self.current[index].as_ref()?,
                    self.current[plain].as_ref()?,
                ))
            })
            .collect()
    }
}

/// The errors column: non-2xx answers, then socket errors and a failed single request if any.
pub fn errors_text(summary: &Summary) -> String {
    let mut text = summary.non2xx.to_string();
    if summary.socket_errors > 0 {
        text.push_str(&format!(" (+{} socket)", summary.socket_errors));
    }
    if let Some(status) = &summary.single_request_failure {
        text.push_str(&format!(" (single request: {status})"));
    }
    text
}

/// `N CPUs (model), Linux 6.1.0` from `/proc`.
pub fn machine_description() -> String {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .map(|text| text.trim().to_string())
            .unwrap_or_default()
    };
    let system = format!(
        "{} {}",
        read("/proc/sys/kernel/ostype"),
        read("/proc/sys/kernel/osrelease")
    );
    match cpu_model(&cpuinfo) {
        Some(model) => format!("{cpus} CPUs ({model}), {}", system.trim()),
        None => format!("{cpus} CPUs, {}", system.trim()),
    }
}

/// The first `model name` in `/proc/cpuinfo`.
pub fn cpu_model(cpuinfo: &str) -> Option<&str> {
    cpuinfo.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        (name.trim() == "model name").then(|| value.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::{KeySource, RequestTemplate};

    fn request(method: &str) -> RequestTemplate {
        RequestTemplate {
            method: method.into(),
            path: "/x".into(),
            body: String::new(),
            headers: Vec::new(),
            capture: None,
        }
    }

    fn row(name: &str, server: Server, method: &str, plain: Option<usize>) -> Row {
        Row {
            name: name.into(),
            server,
            vendor: (server != Server::Bare).then(|| "acme".to_string()),
            key: (server != Server::Bare).then_some(KeySource::Demo),
            requests: vec![request(method)],
            plain,
        }
    }

    fn summary(requests_per_sec: f64, p99_ms: f64) -> Option<Summary> {
        Some(Summary {
            requests_per_sec,
            p99_ms,
            non2xx: 0,
            socket_errors: 0,
            single_request_failure: None,
            samples: 1,
        })
    }

    fn rows() -> Vec<Row> {
        vec![
            row("bare PATCH", Server::Bare, "PATCH", None),
            row("bare GET", Server::Bare, "GET", None),
            row("acme PATCH", Server::Patchbay, "PATCH", None),
            row(
                "acme PATCH, journal off",
                Server::PatchbayVariant(Variant::JournalOff),
                "PATCH",
                Some(2),
            ),
            row("acme GET", Server::Patchbay, "GET", None),
            row(
                "acme PATCH, +1000 records",
                Server::PatchbayVariant(Variant::Scale),
                "PATCH",
                Some(2),
            ),
        ]
    }

    fn conditions(startup_ms: u128, idle_rss_mb: f64) -> Conditions {
        Conditions {
            date: "2026-01-01T00:00:00Z".into(),
            git_rev: "abc1234".into(),
            machine: "2 CPUs (Test CPU), Linux 6.1".into(),
            threads: 2,
            connections: 32,
            duration: "10s".into(),
            warmup: "1s".into(),
            rounds: 1,
            current: Startup {
                startup_ms,
                idle_rss_mb,
            },
            baseline: None,
        }
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(vec![7.0]), 7.0);
        assert_eq!(median(Vec::new()), 0.0);
    }

    #[test]
    fn percentages_of_nothing_are_not_available() {
        assert_eq!(percent(50.0, 200.0), Some(25.0));
        assert_eq!(percent(1.0, 0.0), None);
        assert_eq!(percent_text(Some(49.96)), "50.0%");
        assert_eq!(percent_text(Some(100.0)), "100.0%");
        assert_eq!(percent_text(None), "n/a");
        assert!(at_least(50.0, 100.0, 50.0), "exactly the target passes");
        assert!(!at_least(49.99, 100.0, 50.0));
    }

    #[test]
    fn a_summary_takes_medians_and_adds_errors_up() {
        let sample =
            |requests_per_sec: f64, p99_ms: f64, non2xx: u64, failure: Option<&str>| Sample {
                requests_per_sec,
                p99_ms,
                non2xx,
                socket_errors: 1,
                single_request_failure: failure.map(str::to_string),
            };
        let summary = summarize(&[
            sample(100.0, 3.0, 0, None),
            sample(300.0, 1.0, 2, Some("401")),
            sample(200.0, 2.0, 1, None),
        ])
        .expect("samples");
        assert_eq!(summary.requests_per_sec, 200.0);
        assert_eq!(summary.p99_ms, 2.0);
        assert_eq!(summary.non2xx, 3);
        assert_eq!(summary.socket_errors, 3);
        assert_eq!(summary.single_request_failure.as_deref(), Some("401"));
        assert_eq!(errors_text(&summary), "3 (+3 socket) (single request: 401)");
        assert_eq!(summarize(&[]), None);
    }

    #[test]
    fn the_table_and_every_target_read_as_before() {
        let rows = rows();
        let report = Report {
            rows: &rows,
            current: vec![
                summary(40000.0, 1.5),
                summary(50000.0, 1.0),
                summary(21000.0, 2.0),
                summary(22000.0, 2.1),
                summary(30000.0, 6.0),
                summary(16000.0, 2.5),
            ],
            baseline: None,
            conditions: conditions(42, 12.34),
            targets: TARGETS,
        };
        let text = report.render();
        let expected = "
## patchbay benchmark

- date: 2026-01-01T00:00:00Z
- git rev: abc1234
- machine: 2 CPUs (Test CPU), Linux 6.1
- load: wrk 2 threads, 32 connections, 10s per row after a 1s warm-up, loopback
- patchbay startup (spawn to first 200 on /_patchbay/health): 42 ms
- patchbay idle RSS before load: 12.3 MB

| row | requests/s | p99 (ms) | vs bare | errors |
|---|---:|---:|---:|---:|
| bare PATCH | 40000 | 1.50 | 100.0% | 0 |
| bare GET | 50000 | 1.00 | 100.0% | 0 |
| acme PATCH | 21000 | 2.00 | 52.5% | 0 |
| acme PATCH, journal off | 22000 | 2.10 | 55.0% | 0 |
| acme GET | 30000 | 6.00 | 60.0% | 0 |
| acme PATCH, +1000 records | 16000 | 2.50 | 40.0% | 0 |

Targets:
- ok:   acme PATCH: requests/s >= 50% of bare (52.5%)
- ok:   acme PATCH: p99 < 5 ms (2.00 ms)
- ok:   acme PATCH: no errors (0 non-2xx, 0 socket)
- ok:   acme PATCH, journal off: p99 < 5 ms (2.10 ms)
- ok:   acme PATCH, journal off: no errors (0 non-2xx, 0 socket)
- MISS: acme GET: requests/s >= 70% of bare (60.0%)
- MISS: acme GET: p99 < 5 ms (6.00 ms)
- ok:   acme GET: no errors (0 non-2xx, 0 socket)
- ok:   acme PATCH, +1000 records: p99 < 5 ms (2.50 ms)
- ok:   acme PATCH, +1000 records: no errors (0 non-2xx, 0 socket)
- MISS: acme PATCH, +1000 records: requests/s >= 80% of 'acme PATCH' (76.2%)
- ok:   'acme PATCH' (journal on) >= 90% of 'acme PATCH, journal off' (95.5%)
- ok:   startup < 100 ms (42 ms)
- ok:   idle RSS < 30 MB (12.3 MB)
";
        assert_eq!(text, expected);
    }

    #[test]
    fn errors_startup_and_memory_miss_their_targets() {
        let rows = rows()[..3].to_vec();
        let mut failing = summary(30000.0, 1.0).expect("summary");
        failing.non2xx = 5;
        failing.single_request_failure = Some("401".into());
        let report = Report {
            rows: &rows,
            current: vec![summary(0.0, 1.0), None, Some(failing)],
            baseline: None,
            conditions: conditions(100, 30.0),
            targets: TARGETS,
        };
        let lines: Vec<String> = report.checks().iter().map(Check::line).collect();
        assert_eq!(
            lines,
            [
                // No share of bare when bare measured nothing.
                "- ok:   acme PATCH: p99 < 5 ms (1.00 ms)",
                "- MISS: acme PATCH: no errors (5 non-2xx, 0 socket)",
                "- MISS: startup < 100 ms (100 ms)",
                "- MISS: idle RSS < 30 MB (30.0 MB)",
            ]
        );
        assert!(report
            .render()
            .contains("| acme PATCH | 30000 | 1.00 | n/a | 5 (single request: 401) |"));
    }

    #[test]
    fn a_baseline_shows_both_medians_and_the_share() {
        let rows = rows()[..3].to_vec();
        let mut conditions = conditions(40, 10.0);
        conditions.rounds = 3;
        conditions.baseline = Some((
            "/tmp/old/patchbay".into(),
            Startup {
                startup_ms: 45,
                idle_rss_mb: 10.5,
            },
        ));
        let report = Report {
            rows: &rows,
            current: vec![summary(40000.0, 1.5), None, summary(20400.0, 2.0)],
            baseline: Some(vec![None, None, summary(20000.0, 2.2)]),
            conditions,
            targets: TARGETS,
        };
        let text = report.render();
        assert!(text.contains("- rounds: 3 (requests/s and p99 are medians, errors are totals)\n"));
        assert!(text.contains("- baseline: /tmp/old/patchbay (startup 45 ms, idle RSS 10.5 MB)\n"));
        assert!(
            text.contains("| acme PATCH | 20000 | 20400 | 102.0% | 2.20 | 2.00 | 0, 0 |\n"),
            "{text}"
        );
        assert!(
            !text.contains("| bare PATCH | 40000 | 40000"),
            "bare rows have no baseline"
        );
    }

    #[test]
    fn the_cpu_model_is_the_first_model_name() {
        let cpuinfo = "processor\t: 0\nmodel name\t: Test CPU @ 2.0GHz\nprocessor\t: 1\nmodel name\t: Other\n";
        assert_eq!(cpu_model(cpuinfo), Some("Test CPU @ 2.0GHz"));
        assert_eq!(cpu_model("processor\t: 0\n"), None);
    }
}

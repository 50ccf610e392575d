//! `patchbay-bench`: the load benchmark. It reads the rows that `bench/bare/bench.toml` and each
//! adapter's `crates/<vendor>/bench.toml` declare, starts the release binaries (patchbay with the
//! default settings, with the request journal off and on a database that holds many more records,
//! and the bare handler), drives each row with `wrk` and `bench/request.lua`, and prints the
//! conditions, one Markdown table and the target checks. With `--baseline` it runs every patchbay
//! row against a second build as well, in alternating order, and prints the two side by side.
//! See bench/README.md.

mod http;
mod interrupt;
mod process;
mod report;
mod rows;
mod scale;
mod wrk;

use clap::Parser;
use http::Http;
use process::ServerProcess;
use report::{Conditions, Report, Sample, Startup, TARGETS};
use rows::{KeySource, Plan, Row, Server, Variant};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;
use wrk::{Load, COUNTER_STRIDE};

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("interrupted")]
    Interrupted,
    #[error("{0}")]
    Failed(String),
}

#[derive(Parser)]
#[command(
    name = "patchbay-bench",
    about = "Load benchmark: patchbay against a bare actix-web handler, with wrk"
)]
struct Cli {
    /// Measured duration of each row, in wrk's syntax (3s, 1m).
    #[arg(long, env = "BENCH_DURATION", default_value = "10s", value_parser = wrk_duration)]
    duration: String,
    /// Warm-up before each row, not measured.
    #[arg(long, env = "BENCH_WARMUP", default_value = "1s", value_parser = wrk_duration)]
    warmup: String,
    /// Open connections (wrk -c).
    #[arg(long, env = "BENCH_CONNECTIONS", default_value_t = 32)]
    connections: u32,
    /// wrk threads (wrk -t).
    #[arg(long, env = "BENCH_THREADS", default_value_t = 2)]
    threads: u32,
    /// Records added (as one more tenant) to the database of the "data grows" rows; 0 leaves them out.
    #[arg(long, env = "BENCH_SCALE_RECORDS", default_value_t = 1_000_000)]
    scale_records: usize,
    /// A second patchbay binary (an older build, say) to run every patchbay row against as well.
    #[arg(long, value_name = "PATH")]
    baseline: Option<PathBuf>,
    /// How many times each row runs (on each build); the table shows medians. Default: 1, or 3
    /// with --baseline.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    rounds: Option<u32>,
    /// Only the rows whose name contains this text (and the bare rows).
    #[arg(long, value_name = "TEXT")]
    only: Option<String>,
    /// The repository: row files, fixtures and `bench/request.lua` are found from here.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The patchbay binary to measure [default: ROOT/target/release/patchbay].
    #[arg(long, value_name = "PATH")]
    patchbay: Option<PathBuf>,
    /// The bare handler [default: ROOT/target/release/patchbay-bench-bare].
    #[arg(long, value_name = "PATH")]
    bare: Option<PathBuf>,
    /// The wrk program.
    #[arg(long, default_value = "wrk")]
    wrk: PathBuf,
}

fn wrk_duration(text: &str) -> Result<String, String> {
    wrk::parse_duration(text).map(|_| text.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(error) = interrupt::install() {
        eprintln!("patchbay-bench: {error}");
        return ExitCode::FAILURE;
    }
    match run(&cli) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(BenchError::Interrupted) => {
            eprintln!("patchbay-bench: interrupted");
            ExitCode::from(130)
        }
        Err(BenchError::Failed(message)) => {
            eprintln!("patchbay-bench: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn failed(message: impl Into<String>) -> BenchError {
    BenchError::Failed(message.into())
}

/// One patchbay binary and the servers the rows run on.
struct Build {
    /// `current` or `baseline`.
    label: &'static str,
    binary: PathBuf,
    main: ServerProcess,
    journal_off: Option<ServerProcess>,
    scale: Option<ServerProcess>,
    startup: Startup,
    /// Each vendor's demo key, as this build's server gives it.
    demo_keys: HashMap<String, String>,
}

impl Build {
    fn server_for(&self, server: Server) -> Option<&ServerProcess> {
        match server {
            Server::Bare => None,
            Server::Patchbay => Some(&self.main),
            Server::PatchbayVariant(Variant::JournalOff) => self.journal_off.as_ref(),
            Server::PatchbayVariant(Variant::Scale) => self.scale.as_ref(),
        }
    }
}

/// What every run needs at hand.
struct Bench<'a> {
    cli: &'a Cli,
    root: PathBuf,
    fixtures: PathBuf,
    temp: &'a Path,
    http: Http,
    load: Load,
    /// Runs so far, smoke requests included: each takes its own range of `{n}` values.
    counter_runs: u64,
}

impl Bench<'_> {
    fn next_counter_base(&mut self) -> u64 {
        self.counter_runs += 1;
        self.counter_runs * COUNTER_STRIDE
    }

    fn patchbay_command(&self, binary: &Path, db: &Path, journal_off: bool) -> Command {
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .arg("--bind")
            .arg("127.0.0.1:0")
            .arg("--db")
            .arg(db)
            .arg("--fixtures")
            .arg(&self.fixtures);
        if journal_off {
            command.env("PATCHBAY__CONTROL__JOURNAL_CAPACITY", "0");
        }
        command
    }

    /// Starts a patchbay and waits until its health check answers 200; returns it and its startup time.
    fn start_patchbay(
        &self,
        name: &str,
        binary: &Path,
        db: &Path,
        journal_off: bool,
    ) -> Result<(ServerProcess, Duration), BenchError> {
        let command = self.patchbay_command(binary, db, journal_off);
        let (mut server, spawned) = ServerProcess::start(name, command, self.temp)?;
        let ready = server.wait_until_answering(&self.http, "/_patchbay/health", true)?;
        eprintln!(
            "{name}: {} (pid {})",
            server.url,
            server.pid().unwrap_or_default()
        );
        Ok((server, ready - spawned))
    }

    /// The build's first server, on a quiet machine: startup time and idle memory.
    fn start_build(
        &self,
        label: &'static str,
        binary: &Path,
        plan: &Plan,
    ) -> Result<Build, BenchError> {
        eprintln!("starting patchbay ({label}: {})", binary.display());
        let (main, startup) = self.start_patchbay(
            &format!("{label}-patchbay"),
            binary,
            &self.temp.join(format!("{label}.db")),
            false,
        )?;
        interrupt::sleep(Duration::from_secs(1))?;
        let idle_rss_mb = main.rss_mb()?;
        let mut demo_keys = HashMap::new();
        for vendor in plan.vendors_with_demo_keys() {
            let key = self.http.demo_key(&main.url, &vendor)?;
            demo_keys.insert(vendor, key);
        }
        Ok(Build {
            label,
            binary: binary.to_path_buf(),
            main,
            journal_off: None,
            scale: None,
            startup: Startup {
                startup_ms: startup.as_millis(),
                idle_rss_mb,
            },
            demo_keys,
        })
    }

    /// Runs one row once on one server: a single request first (so that a row that only produces
    /// errors says why), a warm-up, then the measured run.
    fn run_row(
        &mut self,
        row: &Row,
        server: &ServerProcess,
        key: Option<&str>,
        label: &str,
    ) -> Result<Sample, BenchError> {
        let requests = row.requests_with_key(key);
        let smoke_counter = self.next_counter_base();
        let smoke = self.http.smoke(&server.url, &requests, smoke_counter);
        if !smoke.is_success() {
            eprintln!(
                "warning: row '{}'{label}: single request answered {}:\n{}\n",
                row.name,
                smoke.status_text(),
                smoke.body
            );
        }
        eprintln!(
            "row '{}'{label}: warm-up {}, then measuring {}",
            row.name, self.load.warmup, self.load.duration
        );
        let bases = (self.next_counter_base(), self.next_counter_base());
        let result =
            self.load
                .measure(&server.url, &requests, bases, &self.temp.join("wrk.out"))?;
        let sample = Sample {
            requests_per_sec: result.requests_per_sec(),
            p99_ms: result.p99_ms(),
            non2xx: result.non2xx,
            socket_errors: result.socket_errors(),
            single_request_failure: (!smoke.is_success()).then(|| smoke.status_text()),
        };
        eprintln!(
            "row '{}'{label}: {:.0} requests/s, p99 {:.2} ms",
            row.name, sample.requests_per_sec, sample.p99_ms
        );
        Ok(sample)
    }
}

fn run(cli: &Cli) -> Result<String, BenchError> {
    if cli.threads == 0 || cli.connections < cli.threads {
        return Err(failed(
            "wrk needs at least one thread and at least as many connections as threads",
        ));
    }
    let root = cli.root.clone();
    let in_root =
        |path: &Option<PathBuf>, default: &str| path.clone().unwrap_or_else(|| root.join(default));
    let current_binary = in_root(&cli.patchbay, "target/release/patchbay");
    let bare_binary = in_root(&cli.bare, "target/release/patchbay-bench-bare");
    for binary in [
        Some(&current_binary),
        Some(&bare_binary),
        cli.baseline.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if !binary.is_file() {
            return Err(failed(format!(
                "{} not found (cargo build --release -p patchbay-server -p patchbay-bench-bare)",
                binary.display()
            )));
        }
    }
    match Command::new(&cli.wrk).arg("-v").output() {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(failed(format!(
                "{} not found: install wrk (bash bench/run.sh does it)",
                cli.wrk.display()
            )));
        }
        _ => {}
    }

    let mut plan = rows::load(&root, cli.scale_records, |vendor| {
        patchbay_server::vendors::find(vendor).is_some()
    })
    .map_err(BenchError::Failed)?;
    if let Some(text) = &cli.only {
        plan = plan.keep_only(text);
    }
    let rounds = cli
        .rounds
        .map_or(if cli.baseline.is_some() { 3 } else { 1 }, |rounds| {
            rounds as usize
        });

    // Declared first, so dropped last: every server below is stopped before its files go.
    let temp = tempfile::Builder::new()
        .prefix("patchbay-bench.")
        .tempdir()
        .map_err(|error| failed(format!("cannot create a temporary directory: {error}")))?;
    let mut bench = Bench {
        cli,
        fixtures: root.join("fixtures"),
        root: root.clone(),
        temp: temp.path(),
        http: Http::new()?,
        load: Load {
            wrk: cli.wrk.clone(),
            script: root.join("bench/request.lua"),
            threads: cli.threads,
            connections: cli.connections,
            duration: cli.duration.clone(),
            warmup: cli.warmup.clone(),
        },
        counter_runs: 0,
    };

    let mut builds = vec![bench.start_build("current", &current_binary, &plan)?];
    if let Some(baseline) = &cli.baseline {
        builds.push(bench.start_build("baseline", baseline, &plan)?);
    }

    eprintln!("starting the bare handler");
    let mut bare_command = Command::new(&bare_binary);
    bare_command.arg("127.0.0.1:0");
    let (mut bare, _) = ServerProcess::start("bare", bare_command, bench.temp)?;
    bare.wait_until_answering(&bench.http, "/", false)?;
    eprintln!(
        "bare: {} (pid {})",
        bare.url,
        bare.pid().unwrap_or_default()
    );

    if plan.needs(Server::PatchbayVariant(Variant::JournalOff)) {
        for build in &mut builds {
            let (server, _) = bench.start_patchbay(
                &format!("{}-patchbay-journal-off", build.label),
                &build.binary,
                &bench.temp.join(format!("{}-journal-off.db", build.label)),
                true,
            )?;
            build.journal_off = Some(server);
        }
    }
    if plan.needs(Server::PatchbayVariant(Variant::Scale)) {
        let filled = bench.temp.join("scale-filled.db");
        let started = std::time::Instant::now();
        scale::fill(&filled, &bench.fixtures, &plan.scale, cli.scale_records)?;
        eprintln!(
            "scale database filled in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        for build in &mut builds {
            // Each build writes to a copy of its own, so both start from the same data.
            let db = bench.temp.join(format!("{}-scale.db", build.label));
            std::fs::copy(&filled, &db)
                .map_err(|error| failed(format!("{}: {error}", db.display())))?;
            let (server, _) = bench.start_patchbay(
                &format!("{}-patchbay-scale", build.label),
                &build.binary,
                &db,
                false,
            )?;
            build.scale = Some(server);
        }
    }

    let mut samples: Vec<[Vec<Sample>; 2]> = vec![[Vec::new(), Vec::new()]; plan.rows.len()];
    for round in 0..rounds {
        if rounds > 1 {
            eprintln!("round {} of {rounds}", round + 1);
        }
        for (index, row) in plan.rows.iter().enumerate() {
            if row.is_bare() {
                let sample = bench.run_row(row, &bare, None, "")?;
                samples[index][0].push(sample);
                continue;
            }
            // Baseline first in even rounds, current first in odd ones.
            let order: &[usize] = match (builds.len(), round % 2) {
                (1, _) => &[0],
                (_, 0) => &[1, 0],
                _ => &[0, 1],
            };
            for &which in order {
                let build = &builds[which];
                let server = build.server_for(row.server).ok_or_else(|| {
                    failed(format!("row '{}': its server was not started", row.name))
                })?;
                let key = match &row.key {
                    None => None,
                    Some(KeySource::Literal(key)) => Some(key.as_str()),
                    Some(KeySource::Demo) => row
                        .vendor
                        .as_ref()
                        .and_then(|vendor| build.demo_keys.get(vendor))
                        .map(String::as_str),
                };
                let label = if builds.len() > 1 {
                    format!(" [{}]", build.label)
                } else {
                    String::new()
                };
                let sample = bench.run_row(row, server, key, &label)?;
                samples[index][which].push(sample);
            }
        }
    }

    let conditions = Conditions {
        date: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        git_rev: git_rev(&bench.root),
        machine: report::machine_description(),
        threads: bench.cli.threads,
        connections: bench.cli.connections,
        duration: bench.cli.duration.clone(),
        warmup: bench.cli.warmup.clone(),
        rounds,
        current: builds[0].startup,
        baseline: cli
            .baseline
            .as_ref()
            .zip(builds.get(1))
            .map(|(path, build)| (path.display().to_string(), build.startup)),
    };
    let report = Report {
        rows: &plan.rows,
        current: samples
            .iter()
            .map(|[current, _]| report::summarize(current))
            .collect(),
        baseline: cli.baseline.as_ref().map(|_| {
            samples
                .iter()
                .map(|[_, baseline]| report::summarize(baseline))
                .collect()
        }),
        conditions,
        targets: TARGETS,
    };
    Ok(report.render())
}

fn git_rev(root: &Path) -> String {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["describe", "--always", "--dirty"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|rev| !rev.is_empty())
        .unwrap_or_else(|| "no commit".to_string())
}

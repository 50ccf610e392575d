//! Running `wrk` with `bench/request.lua` for one row, and reading the `BENCH_RESULT` line its
//! `done` hook prints.

use crate::interrupt;
use crate::process::ChildGuard;
use crate::rows::RequestTemplate;
use crate::BenchError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How `wrk` loads the server.
#[derive(Debug, Clone)]
pub struct Load {
    pub wrk: PathBuf,
    pub script: PathBuf,
    pub threads: u32,
    pub connections: u32,
    /// `wrk -d` syntax, kept as given for the report.
    pub duration: String,
    pub warmup: String,
}

/// The raw counters of one run, as `request.lua` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrkResult {
    pub requests: u64,
    pub duration_us: u64,
    pub p99_us: u64,
    /// Answers of status 400 or more (wrk's "Non-2xx or 3xx responses").
    pub non2xx: u64,
    pub connect: u64,
    pub read: u64,
    pub write: u64,
    pub timeout: u64,
}

impl WrkResult {
    /// Completed requests divided by the measured duration.
    pub fn requests_per_sec(&self) -> f64 {
        if self.duration_us == 0 {
            0.0
        } else {
            self.requests as f64 * 1e6 / self.duration_us as f64
        }
    }

    pub fn p99_ms(&self) -> f64 {
        self.p99_us as f64 / 1000.0
    }

    pub fn socket_errors(&self) -> u64 {
        self.connect + self.read + self.write + self.timeout
    }
}

/// Reads the `BENCH_RESULT` line out of `wrk`'s output. Every counter must be there.
pub fn parse_result(output: &str) -> Result<WrkResult, String> {
    let line = output
        .lines()
        .find_map(|line| line.strip_prefix("BENCH_RESULT "))
        .ok_or("no BENCH_RESULT line in wrk's output")?;
    let mut fields = std::collections::HashMap::new();
    for pair in line.split_whitespace() {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("BENCH_RESULT: {pair:?} is not name=value"))?;
        let value: u64 = value
            .parse()
            .map_err(|_| format!("BENCH_RESULT: {name}={value:?} is not a whole number"))?;
        fields.insert(name, value);
    }
    let field = |name: &str| {
        fields
            .get(name)
            .copied()
            .ok_or_else(|| format!("BENCH_RESULT: no {name}"))
    };
    Ok(WrkResult {
        requests: field("requests")?,
        duration_us: field("duration_us")?,
        p99_us: field("p99_us")?,
        non2xx: field("non2xx")?,
        connect: field("connect")?,
        read: field("read")?,
        write: field("write")?,
        timeout: field("timeout")?,
    })
}

/// A `wrk -d` duration in seconds: a whole number with an optional unit `s`, `m` or `h`.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let split = text
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a wrk duration (such as 10s, 2m)"))?;
    let scale = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => return Err(format!("{text:?} is not a wrk duration (such as 10s, 2m)")),
    };
    if number == 0 {
        return Err("a duration must be longer than 0".into());
    }
    Ok(number * scale)
}

/// The gap between the `{n}` values of two runs: each run starts its counter at a multiple of it, so
/// no two runs (and no smoke request) use the same value.
pub const COUNTER_STRIDE: u64 = 1_000_000_000;

/// The environment that tells `request.lua` the row's requests.
pub fn script_env(
    requests: &[RequestTemplate],
    threads: u32,
    counter_base: u64,
) -> Vec<(String, String)> {
    let mut env = vec![
        ("BENCH_STEPS".to_string(), requests.len().to_string()),
        ("BENCH_THREADS".to_string(), threads.to_string()),
        ("BENCH_COUNTER_BASE".to_string(), counter_base.to_string()),
    ];
    for (index, request) in requests.iter().enumerate() {
        let step = index + 1;
        env.push((format!("BENCH_METHOD_{step}"), request.method.clone()));
        env.push((format!("BENCH_PATH_{step}"), request.path.clone()));
        env.push((format!("BENCH_BODY_{step}"), request.body.clone()));
        env.push((format!("BENCH_HEADERS_{step}"), request.headers.join("\n")));
        if let Some(field) = &request.capture {
            env.push((format!("BENCH_CAPTURE_{step}"), field.clone()));
        }
    }
    env
}

impl Load {
    /// One warm-up (discarded), then one measured run of the row's requests against `base_url`.
    /// `wrk`'s own report goes to stderr, indented.
    pub fn measure(
        &self,
        base_url: &str,
        requests: &[RequestTemplate],
        counter_bases: (u64, u64),
        output_file: &Path,
    ) -> Result<WrkResult, BenchError> {
        self.run(
            base_url,
            requests,
            counter_bases.0,
            &self.warmup,
            false,
            None,
        )?;
        self.run(
            base_url,
            requests,
            counter_bases.1,
            &self.duration,
            true,
            Some(output_file),
        )?;
        let output = std::fs::read_to_string(output_file)
            .map_err(|error| BenchError::Failed(format!("{}: {error}", output_file.display())))?;
        for line in output.lines() {
            eprintln!("    {line}");
        }
        parse_result(&output).map_err(BenchError::Failed)
    }

    fn run(
        &self,
        base_url: &str,
        requests: &[RequestTemplate],
        counter_base: u64,
        duration: &str,
        latency: bool,
        output_file: Option<&Path>,
    ) -> Result<(), BenchError> {
        let mut command = Command::new(&self.wrk);
        command
            .arg("-t")
            .arg(self.threads.to_string())
            .arg("-c")
            .arg(self.connections.to_string())
            .arg("-d")
            .arg(duration);
        if latency {
            command.arg("--latency");
        }
        command
            .arg("-s")
            .arg(&self.script)
            .arg(base_url)
            .envs(script_env(requests, self.threads, counter_base))
            .stdin(Stdio::null())
            .stderr(Stdio::inherit());
        match output_file {
            Some(path) => {
                let file = std::fs::File::create(path)
                    .map_err(|error| BenchError::Failed(format!("{}: {error}", path.display())))?;
                command.stdout(file);
            }
            None => {
                command.stdout(Stdio::null());
            }
        }
        let child = command.spawn().map_err(|error| {
            BenchError::Failed(if error.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "{} not found: install wrk (bash bench/run.sh does it)",
                    self.wrk.display()
                )
            } else {
                format!("cannot start {}: {error}", self.wrk.display())
            })
        })?;
        let mut child = ChildGuard::new("wrk", child);
        // wrk stops by itself after the duration; the margin covers its start and its report.
        let seconds = parse_duration(duration).map_err(BenchError::Failed)?;
        let deadline = Instant::now() + Duration::from_secs(seconds + 30);
        loop {
            if let Some(status) = child.try_wait()? {
                if status.success() {
                    return Ok(());
                }
                return Err(BenchError::Failed(format!("wrk exited with {status}")));
            }
            interrupt::check()?;
            if Instant::now() > deadline {
                return Err(BenchError::Failed(format!(
                    "wrk did not end within 30 s of the end of its {duration} run"
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "Running 1s test @ http://127.0.0.1:4000\n  2 threads and 32 connections\n\
Requests/sec:  41234.56\n\
BENCH_RESULT requests=41500 duration_us=1006450 p99_us=2375 non2xx=3 connect=0 read=1 write=0 timeout=2\n";

    #[test]
    fn the_result_line_is_read_out_of_wrk_output() {
        let result = parse_result(OUTPUT).expect("parses");
        assert_eq!(
            result,
            WrkResult {
                requests: 41500,
                duration_us: 1006450,
                p99_us: 2375,
                non2xx: 3,
                connect: 0,
                read: 1,
                write: 0,
                timeout: 2,
            }
        );
        assert_eq!(result.socket_errors(), 3);
        assert_eq!(format!("{:.0}", result.requests_per_sec()), "41234");
        assert_eq!(format!("{:.2}", result.p99_ms()), "2.38");
    }

    #[test]
    fn a_missing_or_broken_result_is_an_error() {
        assert_eq!(
            parse_result("Requests/sec: 1\n"),
            Err("no BENCH_RESULT line in wrk's output".to_string())
        );
        let error = parse_result("BENCH_RESULT requests=1 duration_us=2\n").expect_err("missing");
        assert!(error.contains("no p99_us"), "{error}");
        let error = parse_result("BENCH_RESULT requests=x\n").expect_err("not a number");
        assert!(error.contains("not a whole number"), "{error}");
    }

    #[test]
    fn no_duration_means_no_requests_per_second() {
        let result = parse_result(
            "BENCH_RESULT requests=5 duration_us=0 p99_us=0 non2xx=0 connect=0 read=0 write=0 timeout=0",
        )
        .expect("parses");
        assert_eq!(result.requests_per_sec(), 0.0);
    }

    #[test]
    fn durations_follow_wrk() {
        assert_eq!(parse_duration("10s"), Ok(10));
        assert_eq!(parse_duration("10"), Ok(10));
        assert_eq!(parse_duration("2m"), Ok(120));
        assert_eq!(parse_duration("1h"), Ok(3600));
        assert!(parse_duration("1.5s").is_err());
        assert!(parse_duration("10ms").is_err());
        assert!(parse_duration("s").is_err());
        assert!(parse_duration("0s").is_err());
    }

    #[test]
    fn the_script_environment_numbers_the_steps_from_one() {
        let requests = vec![
            RequestTemplate {
                method: "POST".into(),
                path: "/x".into(),
                body: "{\"name\":\"{n}\"}".into(),
                headers: vec!["A: 1".into(), "B: 2".into()],
                capture: Some("id".into()),
            },
            RequestTemplate {
                method: "DELETE".into(),
                path: "/x/{id}".into(),
                body: String::new(),
                headers: vec![],
                capture: None,
            },
        ];
        let env = script_env(&requests, 2, 3 * COUNTER_STRIDE);
        let get = |name: &str| {
            env.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(get("BENCH_STEPS"), Some("2"));
        assert_eq!(get("BENCH_THREADS"), Some("2"));
        assert_eq!(get("BENCH_COUNTER_BASE"), Some("3000000000"));
        assert_eq!(get("BENCH_METHOD_1"), Some("POST"));
        assert_eq!(get("BENCH_HEADERS_1"), Some("A: 1\nB: 2"));
        assert_eq!(get("BENCH_PATH_2"), Some("/x/{id}"));
        assert_eq!(get("BENCH_CAPTURE_1"), Some("id"));
        assert_eq!(get("BENCH_CAPTURE_2"), None);
        assert_eq!(get("BENCH_BODY_2"), Some(""));
    }
}

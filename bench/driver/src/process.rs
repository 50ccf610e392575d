//! Child processes: a guard that kills and reaps its child however the driver ends (error, panic,
//! signal), and the servers the rows run against: started, waited for, measured.

use crate::http::Http;
use crate::interrupt;
use crate::BenchError;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to print its address and to answer.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a starting server is looked at: the startup time overstates the real one by at most
/// this much.
const POLL_EVERY: Duration = Duration::from_millis(2);

/// Owns a child process: dropping it kills the child and waits for it, so that none outlives the
/// driver and none is left a zombie.
pub struct ChildGuard {
    name: String,
    child: Option<Child>,
}

impl ChildGuard {
    pub fn new(name: impl Into<String>, child: Child) -> ChildGuard {
        ChildGuard {
            name: name.into(),
            child: Some(child),
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The exit status if the child has ended.
    pub fn try_wait(&mut self) -> Result<Option<ExitStatus>, BenchError> {
        match self.child.as_mut() {
            Some(child) => child.try_wait().map_err(|error| {
                BenchError::Failed(format!("cannot look at {}: {error}", self.name))
            }),
            None => Ok(None),
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // An already-ended child refuses the kill; the wait reaps it either way.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A running server and where its output goes.
pub struct ServerProcess {
    pub name: String,
    pub url: String,
    child: ChildGuard,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl ServerProcess {
    /// Spawns `command` with its output in `log_dir` and waits for the `listening on URL` line it
    /// prints once bound. Returns the server and the moment it was spawned.
    pub fn start(
        name: &str,
        mut command: Command,
        log_dir: &Path,
    ) -> Result<(ServerProcess, Instant), BenchError> {
        let stdout = log_dir.join(format!("{name}.out"));
        let stderr = log_dir.join(format!("{name}.err"));
        let create = |path: &Path| {
            std::fs::File::create(path)
                .map_err(|error| BenchError::Failed(format!("{}: {error}", path.display())))
        };
        command
            .stdin(Stdio::null())
            .stdout(create(&stdout)?)
            .stderr(create(&stderr)?);
        let spawned = Instant::now();
        let child = command.spawn().map_err(|error| {
            BenchError::Failed(format!(
                "cannot start {name} ({}): {error}",
                command.get_program().to_string_lossy()
            ))
        })?;
        let mut server = ServerProcess {
            name: name.to_string(),
            url: String::new(),
            child: ChildGuard::new(name, child),
            stdout,
            stderr,
        };
        let deadline = spawned + START_TIMEOUT;
        loop {
            let printed = std::fs::read_to_string(&server.stdout).unwrap_or_default();
            if let Some(url) = listening_url(&printed) {
                server.url = url;
                return Ok((server, spawned));
            }
            server.still_running("printing its address")?;
            if Instant::now() > deadline {
                return Err(server.failure("did not print its address within 30 s"));
            }
            interrupt::check()?;
            std::thread::sleep(POLL_EVERY);
        }
    }

    /// Waits until `path` answers: with 200 when `want_ok`, with anything at all otherwise.
    pub fn wait_until_answering(
        &mut self,
        http: &Http,
        path: &str,
        want_ok: bool,
    ) -> Result<Instant, BenchError> {
        let url = format!("{}{path}", self.url);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            match http.status(&url) {
                Some(200) => return Ok(Instant::now()),
                Some(_) if !want_ok => return Ok(Instant::now()),
                _ => {}
            }
            self.still_running(&format!("answering {path}"))?;
            if Instant::now() > deadline {
                return Err(self.failure(&format!(
                    "did not answer {} on {path} within 30 s",
                    if want_ok { "200" } else { "at all" }
                )));
            }
            interrupt::check()?;
            std::thread::sleep(POLL_EVERY);
        }
    }

    /// Resident memory (`VmRSS`) in MB.
    pub fn rss_mb(&self) -> Result<f64, BenchError> {
        let pid = self
            .child
            .pid()
            .ok_or_else(|| BenchError::Failed(format!("{} has no process", self.name)))?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .map_err(|error| BenchError::Failed(format!("/proc/{pid}/status: {error}")))?;
        vm_rss_kb(&status)
            .map(|kb| kb as f64 / 1024.0)
            .ok_or_else(|| BenchError::Failed(format!("/proc/{pid}/status has no VmRSS")))
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.pid()
    }

    fn still_running(&mut self, doing: &str) -> Result<(), BenchError> {
        match self.child.try_wait()? {
            Some(status) => Err(self.failure(&format!("exited ({status}) before {doing}"))),
            None => Ok(()),
        }
    }

    /// An error naming the server, with the end of what it printed.
    pub fn failure(&self, message: &str) -> BenchError {
        let mut text = format!("{}: {message}", self.name);
        for path in [&self.stdout, &self.stderr] {
            let printed = std::fs::read_to_string(path).unwrap_or_default();
            if printed.trim().is_empty() {
                continue;
            }
            let lines: Vec<&str> = printed.lines().collect();
            let file_name = path.file_name().map(|name| name.to_string_lossy());
            text.push_str(&format!(
                "\n--- {} (last 20 lines)",
                file_name.unwrap_or_default()
            ));
            for line in &lines[lines.len().saturating_sub(20)..] {
                text.push('\n');
                text.push_str(line);
            }
        }
        BenchError::Failed(text)
    }
}

/// The URL in the first `listening on http://...` line.
pub fn listening_url(printed: &str) -> Option<String> {
    printed
        .lines()
        .find(|line| line.contains("listening on"))?
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .map(|url| url.trim_end_matches('/').to_string())
}

/// `VmRSS` in kB from the text of `/proc/PID/status`.
pub fn vm_rss_kb(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_comes_from_the_listening_line() {
        let banner = "patchbay 0.1.0 listening on http://127.0.0.1:41234\n  database  x.db\n";
        assert_eq!(
            listening_url(banner),
            Some("http://127.0.0.1:41234".to_string())
        );
        assert_eq!(
            listening_url("listening on http://127.0.0.1:9/\n"),
            Some("http://127.0.0.1:9".to_string())
        );
        assert_eq!(listening_url("patchbay 0.1.0 starting\n"), None);
        assert_eq!(listening_url("listening on\n"), None);
    }

    #[test]
    fn resident_memory_is_read_from_proc_status() {
        let status = "Name:\tpatchbay\nVmPeak:\t  100000 kB\nVmRSS:\t   12800 kB\nThreads:\t9\n";
        assert_eq!(vm_rss_kb(status), Some(12800));
        assert_eq!(vm_rss_kb("Name:\tx\n"), None);
    }

    #[test]
    fn the_guard_kills_and_reaps_its_child() {
        let child = Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep starts");
        let pid = child.id();
        drop(ChildGuard::new("sleep", child));
        // Reaped: no /proc entry is left, not even a zombie's.
        assert!(!Path::new(&format!("/proc/{pid}")).exists());
    }
}

//! The server under test: the `patchbay` binary as a child process on 127.0.0.1 with its own
//! database directory, and what `/proc` says of it (resident memory, descriptors) and of its files.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How to start the server.
#[derive(Default)]
pub struct Start {
    pub open_keys: bool,
    /// Where the database goes (a small tmpfs, say); default a fresh temporary directory.
    pub db_dir: Option<PathBuf>,
    /// Give the server a stderr whose reading end is closed.
    pub close_stderr: bool,
}

pub struct Server {
    child: Child,
    pub port: u16,
    db: PathBuf,
    log: PathBuf,
    dir: Option<tempfile::TempDir>,
    start: Start,
    pub ready_in: Duration,
}

/// The binary: `PATCHBAY_BIN`, else the release build, else the debug build.
fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("PATCHBAY_BIN") {
        return PathBuf::from(path);
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let release = target.join("release/patchbay");
    if release.exists() {
        release
    } else {
        target.join("debug/patchbay")
    }
}

fn command(db: &Path, log: &Path, start: &Start) -> Command {
    let mut command = Command::new(binary());
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(db)
        .args([
            "--fixtures",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures"),
        ])
        .env("PATCHBAY__SERVER__WORKERS", "2")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    if start.open_keys {
        command.arg("--open-keys");
    }
    if start.close_stderr {
        command.stderr(Stdio::piped());
    } else if let Ok(file) = std::fs::File::create(log) {
        command.stderr(file);
    }
    command
}

impl Server {
    pub async fn start(start: Start) -> Server {
        let (dir, db_dir) = match &start.db_dir {
            Some(path) => (None, path.clone()),
            None => {
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().to_path_buf();
                (Some(dir), path)
            }
        };
        let db = db_dir.join("patchbay.db");
        let log = std::env::temp_dir().join(format!("patchbay-hostile-{}.log", std::process::id()));
        Server::launch(start, dir, db, log).await
    }

    async fn launch(
        start: Start,
        dir: Option<tempfile::TempDir>,
        db: PathBuf,
        log: PathBuf,
    ) -> Server {
        let launched = Instant::now();
        let mut child = command(&db, &log, &start)
            .spawn()
            .expect("the binary starts");
        if start.close_stderr {
            drop(child.stderr.take());
        }
        let stdout = child.stdout.take().expect("stdout");
        let port = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let port = lines.by_ref().find_map(|line| {
                let line = line.ok()?;
                let (_, url) = line.split_once("listening on http://127.0.0.1:")?;
                url.trim().parse::<u16>().ok()
            });
            // Keep reading so that the server never blocks on a full stdout.
            std::thread::spawn(move || lines.for_each(drop));
            port
        })
        .await
        .expect("joined")
        .expect("the banner names the port");
        Server {
            child,
            port,
            db,
            log,
            dir,
            start,
            ready_in: launched.elapsed(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn status_field(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map_or(0, |kb| kb * 1024)
    }

    /// Resident memory now, in bytes.
    pub fn rss(&self) -> u64 {
        self.status_field("VmRSS:")
    }

    /// The most resident memory so far, in bytes.
    pub fn peak_rss(&self) -> u64 {
        self.status_field("VmHWM:")
    }

    /// Open file descriptors.
    pub fn fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .map(|entries| entries.count())
            .unwrap_or(0)
    }

    /// The database's files on disk (database, WAL, shared memory), in bytes.
    pub fn disk(&self) -> u64 {
        ["", "-wal", "-shm"]
            .iter()
            .filter_map(|suffix| {
                let mut path = self.db.clone().into_os_string();
                path.push(suffix);
                std::fs::metadata(path).ok()
            })
            .map(|metadata| metadata.len())
            .sum()
    }

    /// Lines the server wrote to stderr so far.
    pub fn log_lines(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .map(|text| text.lines().count())
            .unwrap_or(0)
    }

    /// SIGTERM, then how long the process took to exit (`None`: still running after 15 s).
    pub async fn terminate(&mut self) -> Option<Duration> {
        let sent = Instant::now();
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        while sent.elapsed() < Duration::from_secs(15) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(sent.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }

    /// Stops the server and hands back its database path (and the directory that holds it).
    pub async fn stop(mut self) -> (PathBuf, Option<tempfile::TempDir>) {
        self.terminate().await;
        (self.db.clone(), self.dir.take())
    }

    /// Stops the server and starts it again on the same database.
    pub async fn restart(mut self) -> Server {
        self.terminate().await;
        let start = std::mem::take(&mut self.start);
        let (dir, db, log) = (self.dir.take(), self.db.clone(), self.log.clone());
        Server::launch(start, dir, db, log).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts the server on `db` expecting it to refuse: its exit code (`None`: it kept running).
pub async fn start_expecting_exit(db: &Path) -> Option<i32> {
    let log =
        std::env::temp_dir().join(format!("patchbay-hostile-exit-{}.log", std::process::id()));
    let mut child = command(db, &log, &Start::default())
        .spawn()
        .expect("the binary starts");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(Some(status)) = child.try_wait() {
            return status.code();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Sends `count` malformed requests, one connection each, waiting for each answer.
pub async fn send_garbage(port: u16, count: usize) {
    tokio::task::spawn_blocking(move || {
        for _ in 0..count {
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = stream.write_all(
                    b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                );
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
    })
    .await
    .expect("joined");
}

/// Free bytes on the file system holding `dir` (from `df`).
pub fn free_bytes(dir: &Path) -> u64 {
    Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(dir)
        .output()
        .ok()
        .and_then(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .nth(1)
                .and_then(|line| line.trim().parse().ok())
        })
        .unwrap_or(0)
}

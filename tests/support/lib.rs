//! Test support for the black-box suite: start the real patchbay server on port 0 with a fresh
//! temporary database and the repository's fixtures, and talk to it over HTTP.

use patchbay_server::{Application, Overrides, Settings};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A running server and what a test needs to drive it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    handle: actix_web::dev::ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: Option<TempDir>,
}

/// How a vendor's clients present an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHeader {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// The key alone as the value of this header (`x-api-key: <key>`).
    Plain(&'static str),
}

impl KeyHeader {
    /// The header that carries `key`, as the vendor's clients write it.
    pub fn carrying(self, key: &str) -> (&'static str, String) {
        match self {
            KeyHeader::Bearer => ("authorization", format!("Bearer {key}")),
            KeyHeader::Plain(name) => (name, key.to_string()),
        }
    }
}

/// The headers a vendor's official client sends: its key, what it adds to every request, and
/// what it adds to a request with a body.
#[derive(Debug, Clone, Copy)]
pub struct Client {
    pub key_header: KeyHeader,
    pub every_request: &'static [(&'static str, &'static str)],
    pub with_body: &'static [(&'static str, &'static str)],
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON; panics with the raw text if it is not JSON (a test failure).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

fn settings(db: &Path) -> Settings {
    let config = repo_root().join("config/test.toml");
    let overrides = Overrides {
        db: Some(db.to_string_lossy().into_owned()),
        fixtures: Some(repo_root().join("fixtures").to_string_lossy().into_owned()),
        ..Overrides::default()
    };
    Settings::load(Some(&config), &overrides).expect("test settings load")
}

/// A server on a fresh database in a new temporary directory.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("patchbay.db");
    let mut app = spawn_with(settings(&db)).await;
    app._dir = Some(dir);
    app
}

/// A server on a given database file (to test what survives a restart).
pub async fn spawn_app_on(db: &Path) -> TestApp {
    spawn_with(settings(db)).await
}

/// A server with settings adjusted by the test.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut settings = settings(&dir.path().join("patchbay.db"));
    adjust(&mut settings);
    let mut app = spawn_with(settings).await;
    app._dir = Some(dir);
    app
}

async fn spawn_with(settings: Settings) -> TestApp {
    let db_path = PathBuf::from(&settings.store.db);
    let app = Application::build(settings)
        .await
        .expect("the server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let task = tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        db_path,
        handle,
        task,
        _dir: None,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Stops the server gracefully and waits until the store has flushed.
    pub async fn stop(self) -> Option<TempDir> {
        self.handle.stop(true).await;
        self.task.await.expect("server task").expect("server ran");
        self._dir
    }

    /// A request as `client` sends it, with `key` and the body as given.
    pub async fn call(
        &self,
        client: &Client,
        method: Method,
        path: &str,
        key: &str,
        body: Option<&[u8]>,
    ) -> Reply {
        let (name, value) = client.key_header.carrying(key);
        let mut headers = vec![(name, value.as_str())];
        headers.extend_from_slice(client.every_request);
        if body.is_some() {
            headers.extend_from_slice(client.with_body);
        }
        self.send(method, path, &headers, body.map(<[u8]>::to_vec))
            .await
    }

    /// A PATCH of a JSON body as `client` sends it.
    pub async fn patch_json(&self, client: &Client, path: &str, key: &str, body: &Value) -> Reply {
        let body = serde_json::to_vec(body).expect("JSON");
        self.call(client, Method::PATCH, path, key, Some(&body))
            .await
    }

    /// A GET as `client` sends it.
    pub async fn get_as(&self, client: &Client, path: &str, key: &str) -> Reply {
        self.call(client, Method::GET, path, key, None).await
    }

    /// A PATCH with exactly these headers, for tests of what clients should not send.
    pub async fn patch_with_headers(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        self.send(Method::PATCH, path, headers, Some(body.to_vec()))
            .await
    }

    /// Sends a request with optional JSON body and headers; never panics on a status.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request
            .send()
            .await
            .expect("the request reaches the server");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("the body can be read");
        Reply {
            status,
            headers,
            text,
        }
    }
}

/// Seeded byte-level mutations of valid request bodies, for robustness tests: every run sends the
/// same bodies, so a failure reproduces.
pub struct Mutator {
    random: fastrand::Rng,
    seeds: Vec<Vec<u8>>,
    alphabet: Vec<u8>,
}

impl Mutator {
    /// `seeds`: valid bodies to start from; `alphabet`: the bytes insertions and replacements use.
    pub fn new(seed: u64, seeds: &[&[u8]], alphabet: &[u8]) -> Mutator {
        assert!(
            !seeds.is_empty() && !alphabet.is_empty(),
            "something to mutate"
        );
        Mutator {
            random: fastrand::Rng::with_seed(seed),
            seeds: seeds.iter().map(|body| body.to_vec()).collect(),
            alphabet: alphabet.to_vec(),
        }
    }

    /// A number below `bound` from the same generator (to pick a target, say).
    pub fn below(&mut self, bound: usize) -> usize {
        self.random.usize(..bound)
    }

    /// One of the seed bodies with one to five random deletions, insertions or replacements.
    pub fn next_body(&mut self) -> Vec<u8> {
        let pick = self.below(self.seeds.len());
        let mut body = self.seeds[pick].clone();
        for _ in 0..=self.below(5) {
            let byte = {
                let index = self.below(self.alphabet.len());
                self.alphabet[index]
            };
            if body.is_empty() {
                body.push(byte);
                continue;
            }
            let at = self.below(body.len());
            match self.below(3) {
                0 => {
                    body.remove(at);
                }
                1 => body.insert(at, byte),
                _ => body[at] = byte,
            }
        }
        body
    }
}

//! The `patchbay` binary itself: what `serve` prints, that an acknowledged write survives
//! `kill -9`, that SIGTERM stops it cleanly, and `check-fixtures`' exit codes.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const KEY: &str = "6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A running `patchbay serve`, its base URL and everything it printed on stdout at start.
struct Served {
    child: Child,
    url: String,
    banner: Vec<String>,
}

fn serve(db: &Path) -> Served {
    serve_logging(db, "warn", Stdio::null())
}

/// `serve` with a log level and where its log (stderr) goes.
fn serve_logging(db: &Path, level: &str, log: Stdio) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(db)
        .arg("--fixtures")
        .arg(repo_root().join("fixtures"))
        .env("PATCHBAY__LOG__LEVEL", level)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("patchbay starts");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut banner = Vec::new();
    // The address, the database, one line per vendor, the control API.
    while banner.len() < 3 + patchbay_server::vendors::VENDORS.len() {
        let line = received
            .recv_timeout(Duration::from_secs(10))
            .expect("the banner is printed within 10 s");
        banner.push(line);
    }
    let url = banner[0]
        .split("listening on ")
        .nth(1)
        .expect("first line names the address")
        .trim()
        .to_string();
    Served { child, url, banner }
}

async fn patch(client: &reqwest::Client, url: &str, body: &Value) -> reqwest::StatusCode {
    client
        .patch(format!("{url}/integrations/github"))
        .bearer_auth(KEY)
        .json(body)
        .send()
        .await
        .expect("PATCH reaches the server")
        .status()
}

async fn read(client: &reqwest::Client, url: &str) -> Value {
    let response = client
        .get(format!("{url}/_patchbay/state/nango?tenant=dev"))
        .send()
        .await
        .expect("state");
    let state: Value = response.json().await.expect("JSON");
    state["records"]
        .as_array()
        .and_then(|records| {
            records
                .iter()
                .find(|record| record["unique_key"] == "github")
        })
        .cloned()
        .expect("github")
}

#[test]
fn serve_prints_the_address_each_vendors_base_url_and_a_demo_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut served = serve(&dir.path().join("p.db"));
    assert!(served.banner[0].starts_with(&format!(
        "patchbay {} listening on http://127.0.0.1:",
        env!("CARGO_PKG_VERSION")
    )));
    let nango = served
        .banner
        .iter()
        .find(|line| line.trim_start().starts_with("nango"))
        .expect("a nango line");
    assert!(
        nango.contains(&format!("SDK base URL {}", served.url)),
        "{nango}"
    );
    assert!(nango.ends_with(&format!("demo key {KEY}")), "{nango}");
    for vendor in patchbay_server::vendors::VENDORS {
        assert!(
            served
                .banner
                .iter()
                .any(|line| line.trim_start().starts_with(vendor.name)),
            "a line for {}",
            vendor.name
        );
    }
    let control = served.banner.last().expect("a last line");
    assert_eq!(
        control.trim(),
        format!(
            "control   {}/_patchbay/openapi.json  open keys off",
            served.url
        )
    );
    served.child.kill().expect("kill");
    served.child.wait().expect("wait");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_write_survives_kill_9() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.db");
    let client = reqwest::Client::new();
    let mut served = serve(&db);
    for index in 0..100 {
        let body =
            json!({"display_name": format!("write {index}"), "custom": {format!("k{index}"): "v"}});
        assert_eq!(
            patch(&client, &served.url, &body).await,
            reqwest::StatusCode::OK
        );
    }
    served.child.kill().expect("SIGKILL");
    served.child.wait().expect("reaped");

    let mut served = serve(&db);
    let record = read(&client, &served.url).await;
    assert_eq!(record["display_name"], "write 99");
    assert_eq!(
        record["custom"].as_object().map(|custom| custom.len()),
        Some(100)
    );
    served.child.kill().expect("kill");
    served.child.wait().expect("wait");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut served = serve(&dir.path().join("p.db"));
    let status = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", served.child.id())])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = served.child.try_wait().expect("try_wait") {
            assert!(exit.success(), "exit status {exit:?}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn check_fixtures_exits_zero_on_the_demo_data_and_non_zero_on_a_mistake() {
    let ok = Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .arg("check-fixtures")
        .arg(repo_root().join("fixtures"))
        .output()
        .expect("runs");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("nango.json (5 keys, 57 records)"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("nango.json"), r#"{"keys": [{"key": "k"}]}"#).expect("write");
    let bad = Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .arg("check-fixtures")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("nango.json:1:11: $.keys[0].tenant: is required"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_name_vendor_and_tenant_but_never_keys_or_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log_path = dir.path().join("patchbay.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut served = serve_logging(&dir.path().join("p.db"), "debug", Stdio::from(log));
    let client = reqwest::Client::new();
    let secret = "very-secret-client-value-42";
    let body = json!({"credentials": {"type": "OAUTH2", "client_id": "id", "client_secret": secret, "webhook_secret": secret}});
    assert_eq!(
        patch(&client, &served.url, &body).await,
        reqwest::StatusCode::OK
    );
    let unknown = client
        .patch(format!("{}/integrations/github", served.url))
        .bearer_auth("11111111-2222-4333-8444-555555555555")
        .json(&json!({"display_name": secret}))
        .send()
        .await
        .expect("sent");
    assert_eq!(unknown.status(), reqwest::StatusCode::UNAUTHORIZED);
    let status = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", served.child.id())])
        .status()
        .expect("kill runs");
    assert!(status.success());
    served.child.wait().expect("stopped");
    let text = std::fs::read_to_string(&log_path).expect("log");
    assert!(
        text.contains("request served"),
        "a line per request at debug: {text}"
    );
    assert!(
        text.contains("vendor")
            && text.contains("nango")
            && text.contains("tenant")
            && text.contains("dev"),
        "{text}"
    );
    assert!(text.contains("request_id"), "{text}");
    for forbidden in [secret, KEY, "11111111-2222-4333-8444-555555555555"] {
        assert!(
            !text.contains(forbidden),
            "{forbidden:?} leaked into the log:\n{text}"
        );
    }
}

#[test]
fn started_outside_the_checkout_serve_loads_the_demo_data_built_into_the_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db", ":memory:"])
        .current_dir(dir.path())
        .env("PATCHBAY__LOG__LEVEL", "warn")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("patchbay starts");
    let stdout = child.stdout.take().expect("stdout");
    let banner: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .take(3 + patchbay_server::vendors::VENDORS.len())
        .collect();
    child.kill().expect("kill");
    child.wait().expect("wait");
    for vendor in patchbay_server::vendors::VENDORS {
        let line = banner
            .iter()
            .find(|line| line.trim_start().starts_with(vendor.name))
            .unwrap_or_else(|| panic!("a line for {}: {banner:?}", vendor.name));
        assert!(
            !line.contains("no keys"),
            "{} has its demo key: {line}",
            vendor.name
        );
    }
    assert!(banner
        .iter()
        .any(|line| line.ends_with(&format!("demo key {KEY}"))));
}

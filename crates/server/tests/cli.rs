//! The `patchbay` binary as a user runs it: `serve --help`, settings refused before anything is
//! loaded, JSON logs, shell completions, `check-fixtures`, `fixtures export`, the built-in demo
//! data from a directory outside the checkout, and who may reach the control API.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Output, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_patchbay");
const NANGO_DEMO_KEY: &str = "6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f";
const VENDORS: [&str; 5] = ["nango", "langdock", "nylas", "composio", "puretalk"];

fn repo_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// The binary, with no `PATCHBAY*` variable of the caller's environment leaking in.
fn patchbay(dir: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command.current_dir(dir).env_remove("RUST_LOG");
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("PATCHBAY") {
            command.env_remove(name);
        }
    }
    command
}

fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// A running `patchbay serve` on a free port, stopped when dropped.
struct Served {
    child: Child,
    base: String,
    stderr: Option<ChildStderr>,
}

impl Served {
    fn start(command: &mut Command) -> Served {
        let mut child = command
            .args(["--bind", "127.0.0.1:0", "--db", ":memory:"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let mut first_line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut first_line)
            .expect("banner");
        let stderr = child.stderr.take();
        let base = first_line
            .trim()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{first_line:?}");
        Served {
            child,
            base,
            stderr,
        }
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut request = reqwest::Client::new().get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let reply = request.send().await.expect("reachable");
        let status = reply.status().as_u16();
        (status, reply.json().await.unwrap_or(Value::Null))
    }

    /// Everything the server logged, once it is stopped.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut logged = String::new();
        if let Some(mut stderr) = self.stderr.take() {
            let _ = stderr.read_to_string(&mut logged);
        }
        logged
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_help_shows_defaults_and_environment_variables() {
    let (code, help, _) = run(patchbay(Path::new(".")).args(["serve", "--help"]));
    assert_eq!(code, 0);
    for expected in [
        "[default: 127.0.0.1:8080]",
        "[env: PATCHBAY__SERVER__BIND",
        "[default: patchbay.db]",
        "[env: PATCHBAY__STORE__DB",
        "[default: fixtures]",
        "[env: PATCHBAY__FIXTURES__DIR",
        "[env: PATCHBAY__CONTROL__OPEN_KEYS",
        "[env: PATCHBAY__CONTROL__ADMIN_TOKEN]",
        "[default: info]",
        "[env: PATCHBAY__LOG__LEVEL",
        "[default: full]",
        "[possible values: full, compact, json]",
    ] {
        assert!(
            help.contains(expected),
            "{expected:?} missing from:\n{help}"
        );
    }
}

#[test]
fn the_admin_token_variable_is_never_echoed_by_help() {
    let (_, help, _) = run(patchbay(Path::new("."))
        .args(["serve", "--help"])
        .env("PATCHBAY__CONTROL__ADMIN_TOKEN", "s3cret-admin"));
    assert!(!help.contains("s3cret-admin"), "{help}");
}

#[test]
fn unknown_values_are_refused_with_the_valid_ones() {
    let here = Path::new(".");
    let (code, _, error) = run(patchbay(here).args(["serve", "--log-format", "xml"]));
    assert_eq!(code, 2);
    assert!(
        error.contains("[possible values: full, compact, json]"),
        "{error}"
    );
    let (code, _, error) = run(patchbay(here).args(["serve", "--log-level", "verbose"]));
    assert_eq!(code, 1);
    assert!(
        error.contains(
            "\"verbose\" is not a level; use one of trace, debug, info, warn, error, off"
        ),
        "{error}"
    );
    let (code, _, error) = run(patchbay(here)
        .arg("serve")
        .env("PATCHBAY__LOG__FORMAT", "jsonl"));
    assert_eq!(code, 2);
    assert!(
        error.contains("possible values: full, compact, json"),
        "{error}"
    );
    let (code, _, error) = run(patchbay(here)
        .arg("serve")
        .env("PATCHBAY__STORE__SYNCHRONOUS", "sometimes"));
    assert_eq!(code, 1);
    assert!(
        error.contains("store.synchronous \"sometimes\" is not one of: off, normal, full, extra"),
        "{error}"
    );
}

#[test]
fn a_bad_bind_fails_before_fixtures_or_database_are_touched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = dir.path().join("broken");
    std::fs::create_dir(&fixtures).expect("mkdir");
    std::fs::write(fixtures.join("nango.json"), "{not json").expect("write");
    let (code, _, error) = run(patchbay(dir.path()).args([
        "serve",
        "--bind",
        "localhost-8080",
        "--fixtures",
        "broken",
        "--db",
        "here.db",
    ]));
    assert_eq!(code, 1);
    assert!(error.contains("server.bind \"localhost-8080\""), "{error}");
    assert!(!error.contains("nango.json"), "{error}");
    assert!(!dir.path().join("here.db").exists());
}

#[test]
fn a_fixtures_directory_named_on_purpose_must_exist() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, error) = run(patchbay(dir.path()).args(["serve", "--fixtures", "my-fixtures"]));
    assert_eq!(code, 1);
    assert!(
        error.contains("fixtures.dir \"my-fixtures\": no such directory"),
        "{error}"
    );
}

#[tokio::test]
async fn json_logs_are_one_json_object_per_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let served = Served::start(patchbay(dir.path()).args(["serve", "--log-format", "json"]));
    let logged = served.stop();
    let lines: Vec<&str> = logged.lines().collect();
    assert!(!lines.is_empty(), "nothing logged");
    for line in &lines {
        let entry: Value = serde_json::from_str(line).unwrap_or_else(|_| panic!("{line:?}"));
        assert!(entry["level"].is_string() && entry["fields"]["message"].is_string());
    }
    assert!(logged.contains("\"vendor\":\"nango\""), "{logged}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script, error) = run(patchbay(Path::new(".")).args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {error}");
        assert!(script.contains("check-fixtures"), "{shell}");
        assert!(script.contains("log-format"), "{shell}");
    }
    let (code, _, error) = run(patchbay(Path::new(".")).args(["completions", "tcsh"]));
    assert_eq!(code, 2);
    assert!(
        error.contains("possible values: bash, elvish, fish, powershell, zsh"),
        "{error}"
    );
}

#[test]
fn the_shipped_fixtures_pass_check_fixtures() {
    let report = patchbay_server::fixtures::check(&repo_fixtures());
    assert_eq!(report.errors, Vec::<String>::new());
    assert_eq!(report.warnings, Vec::<String>::new());
    assert!(
        report
            .lines
            .iter()
            .any(|line| line.starts_with("ok") && line.contains("nango.json (5 keys, 57 records)")),
        "{report:?}"
    );
}

#[test]
fn check_fixtures_names_file_line_column_and_json_path_of_a_mistake() {
    let dir = tempfile::tempdir().expect("tempdir");
    let document = json!({"keys": [], "records": [{"tenant": "dev", "unique_key": "a/b", "provider": "github"}]});
    std::fs::write(dir.path().join("nango.json"), document.to_string()).expect("write");
    let errors = patchbay_server::fixtures::check(dir.path()).errors;
    assert_eq!(errors.len(), 1);
    assert!(errors[0].ends_with("nango.json:1:52: $.records[0].unique_key: must match ^[a-zA-Z0-9~:.@ _-]+$ (at most 255 characters)"), "{errors:?}");
    std::fs::write(dir.path().join("nango.json"), "{\"keys\": [}").expect("write");
    let errors = patchbay_server::fixtures::check(dir.path()).errors;
    assert!(
        errors[0].ends_with("nango.json:1:11: expected value"),
        "{errors:?}"
    );
}

#[test]
fn check_fixtures_reports_every_mistake_in_one_run_and_warns_of_unread_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nango = r#"{
  "keys": [
    {"key": "k1", "tenant": "dev"},
    {"key": "k1", "tenant": "prod"}
  ],
  "records": [
    {"tenant": "dev", "unique_key": "a/b", "provider": "github"},
    {"tenant": "dev", "unique_key": "ok", "provider": "github"},
    {"tenant": "dev", "unique_key": "ok", "provider": "github"},
    {"tenant": "dev", "unique_key": "c", "provider": "github", "colour": "red"}
  ],
  "extra": 1
}"#;
    std::fs::write(dir.path().join("nango.json"), nango).expect("write");
    std::fs::write(dir.path().join("nylas.json"), "[]").expect("write");
    std::fs::write(dir.path().join("nagno.json"), "{}").expect("write");
    let (code, stdout, stderr) = run(patchbay(dir.path()).args(["check-fixtures", "."]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("error: "))
        .collect();
    let expected = [
        "./nango.json:12:12: $.extra: unknown field",
        "./nango.json:4:13: $.keys[1].key: duplicate key",
        "./nango.json:7:37: $.records[0].unique_key: must match",
        "./nango.json:9:5: $.records[2]: duplicate record \"ok\" in tenant \"dev\"",
        "./nango.json:10:74: $.records[3].colour: unknown field",
        "./nylas.json:1:1: $: a fixture document must be an object",
    ];
    assert_eq!(errors.len(), expected.len(), "{stderr}");
    for (error, expected) in errors.iter().zip(expected) {
        assert!(error.starts_with(expected), "{error:?} is not {expected:?}");
    }
    assert!(stderr.contains("6 errors"), "{stderr}");
    assert!(
        stderr.contains(
            "warning: ./nagno.json: matches no vendor, so nothing reads it (vendor files: "
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains("--   ./composio.json (absent: composio starts empty)"),
        "{stdout}"
    );
}

#[test]
fn fixtures_export_writes_the_built_in_demo_data_and_keeps_edits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, stdout, error) = run(patchbay(dir.path()).args(["fixtures", "export", "mine"]));
    assert_eq!(code, 0, "{error}");
    for vendor in VENDORS {
        let name = format!("{vendor}.json");
        assert!(stdout.contains(&format!("wrote mine/{name}")), "{stdout}");
        let exported = std::fs::read(dir.path().join("mine").join(&name)).expect("exported");
        let shipped = std::fs::read(repo_fixtures().join(&name)).expect("shipped");
        assert!(exported == shipped, "{name} differs from the repository's");
    }
    std::fs::write(dir.path().join("mine/nango.json"), "{}").expect("edit");
    let (code, _, error) = run(patchbay(dir.path()).args(["fixtures", "export", "mine"]));
    assert_eq!(code, 1);
    assert!(error.contains("mine/nango.json"), "{error}");
    assert!(error.contains("--force"), "{error}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine/nango.json")).expect("kept"),
        "{}"
    );
    let (code, _, error) =
        run(patchbay(dir.path()).args(["fixtures", "export", "mine", "--force"]));
    assert_eq!(code, 0, "{error}");
    let (code, stdout, _) = run(patchbay(dir.path()).args(["check-fixtures", "mine"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("nango.json (5 keys, 57 records)"),
        "{stdout}"
    );
}

/// Started outside the checkout, with no fixtures directory, every vendor serves its demo data.
#[tokio::test]
async fn serve_from_an_empty_directory_serves_every_vendors_demo_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let served = Served::start(patchbay(dir.path()).arg("serve"));
    for vendor in VENDORS {
        let shipped: Value = serde_json::from_slice(
            &std::fs::read(repo_fixtures().join(format!("{vendor}.json"))).expect("shipped"),
        )
        .expect("JSON");
        let (status, state) = served
            .get(&format!("/_patchbay/state/{vendor}"), None)
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            state["records"].as_array().map(Vec::len),
            shipped["records"].as_array().map(Vec::len),
            "{vendor}"
        );
        assert!(state["records"]
            .as_array()
            .is_some_and(|records| !records.is_empty()));
    }
    let (status, integrations) = served.get("/integrations", Some(NANGO_DEMO_KEY)).await;
    assert_eq!(status, 200);
    assert!(integrations["data"]
        .as_array()
        .is_some_and(|data| !data.is_empty()));
}

#[tokio::test]
async fn health_is_open_while_the_rest_of_the_control_api_needs_the_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let served = Served::start(
        patchbay(dir.path())
            .arg("serve")
            .env("PATCHBAY__CONTROL__ADMIN_TOKEN", "s3cret-admin"),
    );
    let (status, health) = served.get("/_patchbay/health", None).await;
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
    assert_eq!(served.get("/_patchbay/requests", None).await.0, 401);
    assert_eq!(
        served
            .get("/_patchbay/requests", Some("s3cret-admin"))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn clients_of_an_allowed_network_need_no_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let served = Served::start(
        patchbay(dir.path())
            .arg("serve")
            .env("PATCHBAY__CONTROL__ADMIN_TOKEN", "s3cret-admin")
            .env(
                "PATCHBAY__CONTROL__ALLOW_NETWORKS",
                "10.0.0.0/8,127.0.0.0/8",
            ),
    );
    assert_eq!(served.get("/_patchbay/requests", None).await.0, 200);
    let elsewhere = Served::start(
        patchbay(dir.path())
            .arg("serve")
            .env("PATCHBAY__CONTROL__ADMIN_TOKEN", "s3cret-admin")
            .env("PATCHBAY__CONTROL__ALLOW_NETWORKS", "10.0.0.0/8"),
    );
    assert_eq!(elsewhere.get("/_patchbay/requests", None).await.0, 401);
}

#[test]
fn a_malformed_network_is_refused_at_start() {
    let (code, _, error) = run(patchbay(Path::new("."))
        .arg("serve")
        .env("PATCHBAY__CONTROL__ALLOW_NETWORKS", "10.0.0.0/33"));
    assert_eq!(code, 1);
    assert!(error.contains("allow_networks"), "{error}");
}

#[test]
fn health_exits_zero_only_while_the_server_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let served = Served::start(
        patchbay(dir.path())
            .arg("serve")
            .env("PATCHBAY__CONTROL__ADMIN_TOKEN", "s3cret-admin"),
    );
    let base = served.base.clone();
    let (code, _, error) = run(patchbay(dir.path()).args(["health", "--url", &base]));
    assert_eq!(code, 0, "{error}");
    drop(served);
    let (code, _, error) = run(patchbay(dir.path()).args(["health", "--url", &base]));
    assert_eq!(code, 1);
    assert!(
        error.starts_with(&format!("patchbay: health {base}: ")),
        "{error}"
    );
}

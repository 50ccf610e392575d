//! The hostile-load suite: replays, against the real `patchbay` binary started as a child process on
//! 127.0.0.1, each kind of flood an adversary with no key (or a made-up one) can send, and asserts
//! the bound the server must keep: resident memory (VmRSS) under 300 MB over its idle figure, open
//! file descriptors, disk, and normal requests still answering within 100 ms.
//!
//! Opt-in (every test is `#[ignore]`): `tests/hostile/run.sh`, small figures by default (a few
//! minutes on two cores), the full sizes with `HOSTILE_SCALE=full`. `PATCHBAY_BIN` picks the binary
//! (default: `target/release/patchbay`, else `target/debug/patchbay`). Linux only (`/proc`).

mod server;

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use server::{Server, Start};
use std::time::{Duration, Instant};

/// Memory a flood may add over the idle figure, at most.
const RSS_BOUND: u64 = 300 * 1024 * 1024;
/// The longest a normal request may take beside a flood.
const NORMAL_ANSWER: Duration = Duration::from_millis(100);

/// `full` when `HOSTILE_SCALE=full`: the sizes of the original report.
fn full() -> bool {
    std::env::var("HOSTILE_SCALE").is_ok_and(|scale| scale == "full")
}

/// `small` in CI, `big` by hand.
fn scaled(small: usize, big: usize) -> usize {
    if full() {
        big
    } else {
        small
    }
}

const NANGO_KEY: &str = "6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f";
const COMPOSIO_KEY: &str = "ak_demo0project0full01";

/// Sends `count` requests built by `make`, `parallel` at a time, ignoring their answers.
async fn flood<F>(count: usize, parallel: usize, make: F)
where
    F: Fn(usize) -> reqwest::RequestBuilder,
{
    use futures_util::StreamExt;
    futures_util::stream::iter(0..count)
        .map(|index| {
            let request = make(index);
            async move {
                let _ = request.send().await.map(|response| response.bytes());
            }
        })
        .buffer_unordered(parallel)
        .for_each(|()| async {})
        .await;
}

/// A Nango GET with the demo key answers 200 within [`NORMAL_ANSWER`] (best of three, so that one
/// scheduling hiccup of a shared machine does not decide).
async fn assert_normal_requests_answer(server: &Server, client: &Client, row: &str) {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let response = client
            .get(server.url("/integrations/github"))
            .bearer_auth(NANGO_KEY)
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        let took = started.elapsed();
        if let Ok(response) = response {
            if response.status() == StatusCode::OK {
                best = best.min(took);
            }
        }
    }
    println!("{row}: normal request {best:?}");
    assert!(
        best < NORMAL_ANSWER,
        "{row}: a normal request took {best:?}"
    );
}

fn assert_rss_bound(server: &Server, idle: u64, row: &str) {
    let rss = server.rss();
    println!(
        "{row}: RSS {} MB (idle {} MB), peak {} MB",
        rss / 1_048_576,
        idle / 1_048_576,
        server.peak_rss() / 1_048_576
    );
    assert!(
        rss.saturating_sub(idle) < RSS_BOUND,
        "{row}: RSS {rss} is more than 300 MB over the idle {idle}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn keyless_megabyte_patches_leave_memory_bounded() {
    // Journal row: bounded by the journal's byte budget.
    let server = Server::start(Start::default()).await;
    let client = Client::new();
    let idle = server.rss();
    let body = vec![b'x'; 1_048_000];
    flood(scaled(300, 15_000), 8, |_| {
        client
            .patch(server.url("/integrations/github"))
            .header("content-type", "application/json")
            .body(body.clone())
    })
    .await;
    assert_rss_bound(&server, idle, "keyless 1 MB PATCHes");
    assert_normal_requests_answer(&server, &client, "keyless 1 MB PATCHes").await;
    let cleared = client
        .delete(server.url("/_patchbay/requests"))
        .send()
        .await
        .expect("clear");
    assert!(cleared.status().is_success());
    assert_rss_bound(&server, idle, "after a journal clear");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn reading_a_full_journal_is_bounded() {
    // Journal row: reading is paged and streamed.
    let server = Server::start(Start::default()).await;
    let client = Client::new();
    let idle = server.rss();
    let body = format!("{{\"display_name\":\"{}\"}}", "n".repeat(1_000_000));
    flood(scaled(100, 3_000), 8, |_| {
        client
            .patch(server.url("/integrations/github"))
            .bearer_auth(NANGO_KEY)
            .header("content-type", "application/json")
            .body(body.clone())
    })
    .await;
    let started = Instant::now();
    let read = client
        .get(server.url("/_patchbay/requests"))
        .send()
        .await
        .expect("journal");
    assert!(read.status().is_success());
    let bytes = read.bytes().await.expect("journal body").len();
    let took = started.elapsed();
    println!("journal read: {bytes} bytes in {took:?}");
    assert!(
        took < Duration::from_secs(5),
        "reading the journal took {took:?}"
    );
    assert!(
        server.peak_rss().saturating_sub(idle) < RSS_BOUND,
        "peak RSS {} while reading the journal",
        server.peak_rss()
    );
    assert_normal_requests_answer(&server, &client, "journal read").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn records_with_megabyte_names_leave_memory_bounded() {
    // Record cache row: the cache is weighed in bytes.
    let server = Server::start(Start {
        open_keys: true,
        ..Start::default()
    })
    .await;
    let client = Client::new();
    let idle = server.rss();
    let name = "n".repeat(1_000_000);
    flood(scaled(100, 3_000), 8, |index| {
        client
            .post(server.url("/api/v3/auth_configs"))
            .header("x-api-key", format!("ak_hostile{index:012}"))
            .json(&json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_composio_managed_auth", "name": name}}))
    })
    .await;
    assert_rss_bound(&server, idle, "records with 1 MB names");
    assert_normal_requests_answer(&server, &client, "records with 1 MB names").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn open_keys_are_capped_shaped_and_cheap_to_reload() {
    // Figures first, assertions at the end, so that an older build still prints every figure.
    let server = Server::start(Start {
        open_keys: true,
        ..Start::default()
    })
    .await;
    let client = Client::new();
    let idle = server.rss();
    let disk_before = server.disk();
    // 100 KB keys are no Composio key: refused, nothing stored.
    let long = format!("ak_{}", "k".repeat(100_000));
    flood(scaled(200, 20_000), 8, |_| {
        client
            .get(server.url("/api/v3/auth_configs"))
            .header("x-api-key", long.clone())
    })
    .await;
    let refused = client
        .get(server.url("/api/v3/auth_configs"))
        .header("x-api-key", format!("ak_{}", "k".repeat(130_000)))
        .send()
        .await
        .expect("long key")
        .status();
    println!("a 130,000-character Composio key: {refused}");
    let copy = client
        .get(server.url("/integrations/github"))
        .bearer_auth(NANGO_KEY.to_uppercase())
        .send()
        .await
        .expect("upper-case copy")
        .status();
    println!("an upper-case copy of a fixture key: {copy}");
    // On a 404 route, no tenant.
    flood(scaled(500, 5_000), 8, |_| {
        client
            .get(server.url("/integrations/github/no/such/route"))
            .bearer_auth(uuid::Uuid::new_v4().to_string())
    })
    .await;
    let after_404s = nango_open_tenants(&server, &client).await;
    println!("open tenants after new keys on a 404 route: {after_404s}");
    // Well-formed keys on a served route, each a new tenant, up to the cap.
    let tenants = scaled(2_000, 20_000);
    flood(tenants, 8, |_| {
        client
            .get(server.url("/integrations/github"))
            .bearer_auth(uuid::Uuid::new_v4().to_string())
    })
    .await;
    let open = nango_open_tenants(&server, &client).await;
    let disk_full = server.disk();
    println!(
        "open keys: {open} tenants after {tenants} new keys; disk {} -> {} KB",
        disk_before / 1024,
        disk_full / 1024
    );
    assert_rss_bound(&server, idle, "open keys");
    assert_normal_requests_answer(&server, &client, "open keys").await;
    // Reloading the open tenants at start stays cheap.
    let server = server.restart().await;
    println!(
        "restart with {open} open tenants: ready in {:?}",
        server.ready_in
    );
    // A reset gives the space back.
    let reset = client
        .post(server.url("/_patchbay/reset"))
        .json(&json!({}))
        .send()
        .await
        .expect("reset");
    assert!(reset.status().is_success());
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after_reset = server.disk();
    println!("disk after reset: {} KB", after_reset / 1024);
    assert_eq!(refused, StatusCode::UNAUTHORIZED, "a 130,000-character key");
    assert_eq!(
        copy,
        StatusCode::UNAUTHORIZED,
        "an upper-case copy of a fixture key"
    );
    assert_eq!(after_404s, 0, "tenants created by requests to a 404 route");
    assert!(open <= tenants.min(10_000), "{open} open tenants");
    assert!(
        after_reset < disk_before + 4 * 1024 * 1024,
        "the reset left {after_reset} bytes on disk (from {disk_before})"
    );
    assert!(
        server.ready_in < Duration::from_secs(3),
        "start took {:?}",
        server.ready_in
    );
}

/// Nango's open tenants, from the admin view.
async fn nango_open_tenants(server: &Server, client: &Client) -> usize {
    let state: Value = client
        .get(server.url("/_patchbay/state/nango"))
        .send()
        .await
        .expect("state")
        .json()
        .await
        .expect("state json");
    state["keys"]
        .as_array()
        .map(|keys| keys.iter().filter(|key| key["label"] == "open key").count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn chunked_bodies_that_never_finish_are_cut_off() {
    use std::io::Write;
    // The default body deadline (30 s), so that the row also runs against older builds.
    let server = Server::start(Start::default()).await;
    let client = Client::new();
    let idle = server.rss();
    let count = scaled(500, 20_000);
    let port = server.port;
    let head = format!(
        "PATCH /integrations/github HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {NANGO_KEY}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{{\"a\":\r\n"
    );
    let stalled = tokio::task::spawn_blocking(move || {
        (0..count)
            .filter_map(|_| {
                let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
                stream.write_all(head.as_bytes()).ok()?;
                Some(stream)
            })
            .collect::<Vec<_>>()
    })
    .await
    .expect("joined");
    println!(
        "stalled uploads: {} connected, fds {}",
        stalled.len(),
        server.fds()
    );
    assert_normal_requests_answer(&server, &client, "stalled uploads").await;
    tokio::time::sleep(Duration::from_secs(33)).await;
    let fds = server.fds();
    println!("stalled uploads: fds {fds} after the deadline");
    assert!(
        fds < 200,
        "{fds} descriptors still open after the body deadline"
    );
    assert_rss_bound(&server, idle, "stalled uploads");
    drop(stalled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn composio_credentials_are_masked_in_the_journal() {
    // Journal masking row.
    let server = Server::start(Start::default()).await;
    let client = Client::new();
    let secrets = [
        "app-key-SECRET1",
        "passphrase-SECRET2",
        "consumer-key-SECRET3",
        "generic-SECRET4",
    ];
    let listed: Value = client
        .get(server.url("/api/v3/auth_configs"))
        .header("x-api-key", COMPOSIO_KEY)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let id = listed["items"][0]["id"]
        .as_str()
        .unwrap_or("ac_missing")
        .to_string();
    let _ = client
        .patch(server.url(&format!("/api/v3/auth_configs/{id}")))
        .header("x-api-key", COMPOSIO_KEY)
        .json(&json!({"type": "custom", "credentials": {
            "app_key": secrets[0], "passphrase": secrets[1],
            "consumer_key": secrets[2], "generic_api_key": secrets[3]}}))
        .send()
        .await
        .expect("patch");
    let journal = client
        .get(server.url("/_patchbay/requests"))
        .send()
        .await
        .expect("journal")
        .text()
        .await
        .expect("text");
    for secret in secrets {
        assert!(!journal.contains(secret), "the journal shows {secret}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn a_small_disk_degrades_and_recovers() {
    // An 8 MB tmpfs (`HOSTILE_TMPFS`, mounted by run.sh when it runs as root); without one the row
    // says so and stops.
    let Ok(dir) = std::env::var("HOSTILE_TMPFS") else {
        println!("small disk: skipped, no HOSTILE_TMPFS (run.sh mounts one as root)");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let server = Server::start(Start {
        db_dir: Some(dir.clone()),
        ..Start::default()
    })
    .await;
    let client = Client::new();
    // Fill the disk beside the database, leaving a little room.
    let filler = dir.join("filler");
    let free = server::free_bytes(&dir);
    std::fs::write(&filler, vec![0u8; free.saturating_sub(600 * 1024) as usize]).expect("filler");
    let mut failures = 0;
    for index in 0..400 {
        let reply = client
            .patch(server.url("/integrations/github"))
            .bearer_auth(NANGO_KEY)
            .json(&json!({"custom": {"padding": format!("{index}-{}", "d".repeat(20_000))}}))
            .send()
            .await
            .expect("patch");
        if reply.status().is_server_error() {
            failures += 1;
        }
    }
    let health: Value = client
        .get(server.url("/_patchbay/health"))
        .send()
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    println!("small disk: {failures} writes failed, health {health}");
    assert!(failures > 0, "the disk never filled");
    assert_eq!(health["status"], "degraded");
    std::fs::remove_file(&filler).expect("free the disk");
    let reply = client
        .patch(server.url("/integrations/github"))
        .bearer_auth(NANGO_KEY)
        .json(&json!({"display_name": "after"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(
        reply.status(),
        StatusCode::OK,
        "writes recover by themselves"
    );
    let health: Value = client
        .get(server.url("/_patchbay/health"))
        .send()
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    assert_eq!(health["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn a_damaged_page_refuses_the_start_with_exit_code_3() {
    let server = Server::start(Start::default()).await;
    let (db, dir) = server.stop().await;
    let mut bytes = std::fs::read(&db).expect("read");
    for start in (4096..bytes.len()).step_by(8192) {
        let end = (start + 4096).min(bytes.len());
        bytes[start..end].fill(0x5a);
    }
    std::fs::write(&db, bytes).expect("write");
    let code = server::start_expecting_exit(&db).await;
    println!("damaged page: exit code {code:?}");
    assert_eq!(code, Some(3));
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn many_fault_rules_are_capped() {
    // Fault rules row: a count cap and a 4xx naming it.
    let server = Server::start(Start::default()).await;
    let client = Client::new();
    let idle = server.rss();
    let rules = scaled(2_000, 100_000);
    let mut refused = 0;
    for index in 0..rules {
        let reply = client
            .post(server.url("/_patchbay/faults"))
            .json(&json!({"kind": "status", "vendor": "nylas", "path": format!("/never/{index}"), "status": 503}))
            .send()
            .await
            .expect("fault");
        if reply.status().is_client_error() {
            refused += 1;
        }
    }
    println!("fault rules: {refused} of {rules} refused");
    assert_rss_bound(&server, idle, "fault rules");
    assert_normal_requests_answer(&server, &client, "fault rules").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn sigterm_stops_the_server_with_stderr_a_closed_pipe() {
    let mut server = Server::start(Start {
        close_stderr: true,
        ..Start::default()
    })
    .await;
    let client = Client::new();
    // Lines to write on the closed stderr: a malformed request each.
    server::send_garbage(server.port, 50).await;
    let _ = client.get(server.url("/_patchbay/health")).send().await;
    let stopped_in = server.terminate().await;
    println!("SIGTERM with a closed stderr: stopped in {stopped_in:?}");
    assert!(
        stopped_in.is_some_and(|took| took < Duration::from_secs(6)),
        "not stopped within the shutdown timeout: {stopped_in:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "hostile-load suite: tests/hostile/run.sh"]
async fn malformed_requests_do_not_flood_the_log() {
    let server = Server::start(Start::default()).await;
    // The start's own lines reach the log a moment after the banner.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.log_lines();
    server::send_garbage(server.port, scaled(500, 5_000)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let lines = server.log_lines() - before;
    println!("malformed requests: {lines} log lines");
    assert!(lines <= 5, "{lines} log lines for malformed requests");
}

//! The dashboard's routes: the page and its assets under the control API's access rules, browsers
//! sent from `/` to it, and the live journal stream (`GET /_patchbay/requests/stream`): its
//! filters, its replay after an id, and its cap on viewers.

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::nango;
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::Value;
use std::time::Duration;

/// A stream's server-sent events as they come: `(event name, data)`, comments left out.
struct Events {
    chunks:
        std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<actix_web::web::Bytes>>>>,
    pending: String,
}

impl Events {
    async fn open(app: &TestApp, query: &str, headers: &[(&str, &str)]) -> Events {
        let mut request = app
            .client
            .get(app.url(&format!("/_patchbay/requests/stream?{query}")));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the stream answers");
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().ok(),
            Some("text/event-stream")
        );
        Events {
            chunks: Box::pin(response.bytes_stream()),
            pending: String::new(),
        }
    }

    /// The next event, or `None` when none comes within two seconds.
    async fn next(&mut self) -> Option<(String, Value)> {
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let block: String = self.pending.drain(..end + 2).collect();
                let mut name = None;
                let mut data = None;
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event: ") {
                        name = Some(value.to_string());
                    } else if let Some(value) = line.strip_prefix("data: ") {
                        data = Some(serde_json::from_str(value).expect("JSON data"));
                    }
                }
                if let (Some(name), Some(data)) = (name, data) {
                    return Some((name, data));
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(2), self.chunks.next())
                .await
                .ok()??
                .expect("the stream reads");
            self.pending.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The paths of the next `count` request events.
    async fn paths(&mut self, count: usize) -> Vec<String> {
        let mut paths = Vec::new();
        while paths.len() < count {
            let (name, data) = self.next().await.expect("an event");
            assert_eq!(name, "request", "{data}");
            paths.push(
                data["path"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{data}"))
                    .to_string(),
            );
        }
        paths
    }
}

async fn nango_get(app: &TestApp, path: &str) {
    nango::get_path(app, path, nango::keys::DEV_FULL).await;
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_a_policy_that_forbids_other_origins() {
    let app = spawn_app().await;
    for (path, kind) in [
        ("/_patchbay/ui", "text/html"),
        ("/_patchbay/ui/app.js", "text/javascript"),
        ("/_patchbay/ui/app.css", "text/css"),
    ] {
        let reply = app.send(Method::GET, path, &[], None).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply
                .header("content-type")
                .is_some_and(|value| value.starts_with(kind)),
            "{path}: {:?}",
            reply.header("content-type")
        );
        let policy = reply.header("content-security-policy").unwrap_or_default();
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
        assert!(policy.contains("connect-src 'self'"), "{path}: {policy}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    let page = app.send(Method::GET, "/_patchbay/ui", &[], None).await;
    assert!(page.text.contains("/_patchbay/ui/app.js"));
    app.stop().await;
}

#[tokio::test]
async fn the_dashboard_and_its_stream_need_the_admin_token_when_one_is_set() {
    let app = spawn_app_with(|settings| settings.control.admin_token = "ui-admin".into()).await;
    for path in ["/_patchbay/ui", "/_patchbay/requests/stream"] {
        let refused = app.send(Method::GET, path, &[], None).await;
        assert_eq!(refused.status, 401, "{path}");
        assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
    }
    let page = app
        .send(
            Method::GET,
            "/_patchbay/ui",
            &[("authorization", "Bearer ui-admin")],
            None,
        )
        .await;
    assert_eq!(page.status, 200);
    let mut events = Events::open(&app, "", &[("authorization", "Bearer ui-admin")]).await;
    nango_get(&app, "/integrations/github").await;
    assert_eq!(events.paths(1).await, ["/integrations/github"]);
    drop(events);
    app.stop().await;
}

#[tokio::test]
async fn a_browser_at_the_root_is_sent_to_the_dashboard_and_other_clients_are_not() {
    let app = spawn_app().await;
    let browser = app
        .send(
            Method::GET,
            "/",
            &[(
                "accept",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            )],
            None,
        )
        .await;
    // reqwest follows the redirect: the answer is the page.
    assert_eq!(browser.status, 200);
    assert!(browser.text.contains("<title>patchbay</title>"));
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let redirect = no_redirects
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("an answer");
    assert_eq!(redirect.status(), 303);
    assert_eq!(redirect.headers()["location"], "/_patchbay/ui");
    for accept in ["*/*", "application/json"] {
        let other = app
            .send(Method::GET, "/", &[("accept", accept)], None)
            .await;
        assert_eq!(other.status, 404, "{accept}");
        assert_eq!(other.json()["error"]["message"], "no route GET /");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_stream_sends_new_entries_that_match_its_filters() {
    let app = spawn_app().await;
    nango_get(&app, "/integrations/github").await;
    let mut errors = Events::open(&app, "vendor=nango&status=4xx&path=/integrations/*", &[]).await;
    let mut everything = Events::open(&app, "", &[]).await;
    nango_get(&app, "/integrations/github").await;
    nango_get(&app, "/integrations/missing").await;
    nango_get(&app, "/integrations").await;
    assert_eq!(
        everything.paths(3).await,
        [
            "/integrations/github",
            "/integrations/missing",
            "/integrations"
        ],
        "new entries only, oldest first"
    );
    let (name, entry) = errors.next().await.expect("an event");
    assert_eq!(name, "request");
    assert_eq!(entry["path"], "/integrations/missing");
    assert_eq!(entry["status"], 404);
    assert_eq!(entry["vendor"], "nango");
    assert_eq!(entry["tenant"], "dev");
    assert!(entry["id"].as_u64().is_some());
    assert!(errors.next().await.is_none(), "nothing else matches");
    drop((errors, everything));
    app.stop().await;
}

#[tokio::test]
async fn after_an_id_the_journal_is_replayed_first_and_a_reconnect_misses_nothing() {
    let app = spawn_app().await;
    for path in [
        "/integrations/one",
        "/integrations/two",
        "/integrations/three",
    ] {
        nango_get(&app, path).await;
    }
    let mut replay = Events::open(&app, "after=0&limit=2", &[]).await;
    assert_eq!(
        replay.paths(3).await,
        [
            "/integrations/one",
            "/integrations/two",
            "/integrations/three"
        ],
        "the whole backlog, oldest first, read `limit` entries a page"
    );
    nango_get(&app, "/integrations/four").await;
    assert_eq!(replay.paths(1).await, ["/integrations/four"]);
    drop(replay);

    let entries = crate::control::journal(&app, "").await;
    let second = entries[1]["id"].as_u64().expect("an id").to_string();
    let mut resumed = Events::open(&app, "", &[("last-event-id", second.as_str())]).await;
    assert_eq!(
        resumed.paths(2).await,
        ["/integrations/three", "/integrations/four"]
    );
    drop(resumed);
    app.stop().await;
}

#[tokio::test]
async fn a_stream_with_a_bad_filter_is_refused_in_the_envelope() {
    let app = spawn_app().await;
    for query in ["status=9xx", "vendor=nobody", "colour=red", "after=x"] {
        let reply = app
            .send(
                Method::GET,
                &format!("/_patchbay/requests/stream?{query}"),
                &[],
                None,
            )
            .await;
        assert_eq!(reply.status, 400, "{query}");
        assert!(reply.json()["error"]["message"].is_string(), "{query}");
    }
    app.stop().await;
}

#[tokio::test]
async fn viewers_past_the_cap_get_503_until_one_leaves() {
    let app = spawn_app_with(|settings| {
        settings.ui.stream_viewers = 1;
        settings.ui.stream_heartbeat_secs = 1;
    })
    .await;
    let first = Events::open(&app, "", &[]).await;
    let refused = app
        .send(Method::GET, "/_patchbay/requests/stream", &[], None)
        .await;
    assert_eq!(refused.status, 503);
    assert!(refused.json()["error"]["message"]
        .as_str()
        .is_some_and(|message| message.contains("ui.stream_viewers")));
    drop(first);
    // The server learns that the viewer left when a heartbeat finds its connection closed.
    let mut status = 0;
    for _ in 0..50 {
        let response = app
            .client
            .get(app.url("/_patchbay/requests/stream"))
            .send()
            .await
            .expect("an answer");
        status = response.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200, "the seat came free");
    app.stop().await;
}

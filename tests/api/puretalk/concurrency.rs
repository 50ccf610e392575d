//! Concurrent PATCHes of one integration are serialised: each answer shows its own write, and the
//! stored `data` is the one of the write that committed last.

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_patches_are_serialised() {
    let app = spawn_app().await;
    let calls = (0..50).map(|index| {
        let app = &app;
        async move {
            let api_key = format!("key-{index:02}");
            let reply = patch(app, ids::HUBSPOT, keys::ACME, &api_key_body(&api_key)).await;
            assert_eq!(reply.status, StatusCode::OK);
            let body = reply.json();
            assert_eq!(body["results"]["data"]["api_key"], api_key.as_str());
            (
                body["results"]["updated_at"]
                    .as_str()
                    .expect("updated_at")
                    .to_string(),
                api_key,
            )
        }
    });
    let mut writes = futures_util::future::join_all(calls).await;
    // By time, not by text: DRF leaves the fraction out when the microseconds are zero, so
    // `…:13Z` is later than `…:12.999000Z` but earlier than `…:13.002000Z`.
    writes.sort_by_key(|(at, _)| chrono::DateTime::parse_from_rfc3339(at).expect("a DRF datetime"));
    let distinct: std::collections::BTreeSet<&String> = writes.iter().map(|(at, _)| at).collect();
    assert_eq!(distinct.len(), 50, "every write has its own updated_at");
    let (last_at, last_key) = writes.last().expect("writes").clone();
    let read = get(&app, ids::HUBSPOT, keys::ACME).await.json();
    assert_eq!(read["results"]["data"]["api_key"], last_key.as_str());
    assert_eq!(read["results"]["updated_at"], last_at.as_str());
}

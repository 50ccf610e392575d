//! GET of the collection: the page body, newest first, the filters, the `limit` caps of each
//! version, `next_cursor` paging across every page boundary, and cursors that stay correct while
//! configs are created and deleted between pages.

use super::*;
use crate::helpers::*;
use serde_json::json;

/// proj_demo's enabled fixture configs, newest first.
pub const ENABLED_NEWEST_FIRST: [&str; 4] = [ids::NOTION, ids::LINEAR, ids::SLACK, ids::GITHUB];

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

#[tokio::test]
async fn the_default_list_is_one_page_of_enabled_configs_newest_first() {
    let app = spawn_app().await;
    let reply = list(&app, keys::DEMO, "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    request_id(&reply);
    let body = reply.json();
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    // LIFECYCLE.md §2.3: the page's keys, and a one-page result's next_cursor null.
    assert_eq!(
        keys,
        [
            "items",
            "next_cursor",
            "total_pages",
            "current_page",
            "total_items"
        ]
    );
    assert_eq!(item_ids(&reply), strings(&ENABLED_NEWEST_FIRST));
    assert_eq!(body["next_cursor"], Value::Null);
    assert_eq!(body["total_pages"], 1);
    assert_eq!(body["current_page"], 1);
    assert_eq!(body["total_items"], 4);
    // Each item is the config as GET shows it.
    for item in body["items"].as_array().expect("items") {
        let id = item["id"].as_str().expect("id");
        assert_eq!(*item, read(&app, id).await);
    }
}

#[tokio::test]
async fn a_disabled_config_drops_out_of_the_default_list_but_stays_readable() {
    let app = spawn_app().await;
    assert!(!item_ids(&list(&app, keys::DEMO, "").await).contains(&ids::GMAIL.to_string()));
    // LIFECYCLE.md §2.3: show_disabled defaults to false.
    let all = item_ids(&list(&app, keys::DEMO, "show_disabled=true").await);
    assert_eq!(
        all,
        strings(&[
            ids::NOTION,
            ids::GMAIL,
            ids::LINEAR,
            ids::SLACK,
            ids::GITHUB
        ])
    );
    assert_eq!(
        item_ids(&list(&app, keys::DEMO, "show_disabled=false").await).len(),
        4
    );
    assert_eq!(read(&app, ids::GMAIL).await["status"], "DISABLED");
}

#[tokio::test]
async fn the_filters_narrow_the_list_and_its_total() {
    let app = spawn_app().await;
    let table: &[(&str, &[&str])] = &[
        ("toolkit_slug=github", &[ids::GITHUB]),
        ("toolkit_slug=github%2Cslack", &[ids::SLACK, ids::GITHUB]),
        ("toolkit_slug=gmail", &[]),
        ("toolkit_slug=gmail&show_disabled=true", &[ids::GMAIL]),
        ("is_composio_managed=true", &[ids::NOTION, ids::SLACK]),
        ("is_composio_managed=false", &[ids::LINEAR, ids::GITHUB]),
        ("search=slack", &[ids::SLACK]),
        ("search=OAUTH%20app", &[ids::GITHUB]),
        ("search=ac_lNr0", &[ids::LINEAR]),
        ("search=nothing-matches", &[]),
        (
            "deprecated_app_id=x&deprecated_status=y&unknown=z",
            &ENABLED_NEWEST_FIRST,
        ),
    ];
    for (query, expected) in table {
        let reply = list(&app, keys::DEMO, query).await;
        assert_eq!(item_ids(&reply), strings(expected), "{query}");
        assert_eq!(reply.json()["total_items"], expected.len(), "{query}");
    }
}

#[tokio::test]
async fn next_cursor_pages_through_every_boundary() {
    let app = spawn_app().await;
    for limit in 1..=5 {
        let (ids, pages) = every_page(&app, keys::DEMO, &format!("limit={limit}")).await;
        assert_eq!(ids, strings(&ENABLED_NEWEST_FIRST), "limit {limit}");
        assert_eq!(pages, 4usize.div_ceil(limit), "limit {limit}");
    }
    let first = list(&app, keys::DEMO, "limit=3").await.json();
    assert_eq!(first["total_pages"], 2);
    assert_eq!(first["current_page"], 1);
    assert_eq!(first["total_items"], 4);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let second = list(
        &app,
        keys::DEMO,
        &format!("limit=3&cursor={}", encode(&cursor)),
    )
    .await;
    assert_eq!(item_ids(&second), strings(&[ids::GITHUB]));
    let second = second.json();
    assert_eq!(second["current_page"], 2);
    assert_eq!(second["total_pages"], 2);
    assert_eq!(second["total_items"], 4);
    assert_eq!(second["next_cursor"], Value::Null);
    // LIFECYCLE.md §2.3: the cursor is base64 of the page and the limit (and, here, the position).
    let decoded = base64_json(&cursor);
    assert_eq!(decoded["page"], 2);
    assert_eq!(decoded["limit"], 3);
    // Without a limit the next page keeps the cursor's.
    let next = list(&app, keys::DEMO, &format!("cursor={}", encode(&cursor))).await;
    assert_eq!(item_ids(&next), strings(&[ids::GITHUB]));
    // A limit on the next page wins.
    let first = list(&app, keys::DEMO, "limit=1").await.json();
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let next = list(
        &app,
        keys::DEMO,
        &format!("limit=2&cursor={}", encode(cursor)),
    )
    .await;
    assert_eq!(item_ids(&next), strings(&[ids::LINEAR, ids::SLACK]));
}

/// A standard-alphabet base64 text decoded and read as JSON (the suite has no base64 crate).
fn base64_json(text: &str) -> Value {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for byte in text.bytes().filter(|byte| *byte != b'=') {
        let value = ALPHABET
            .iter()
            .position(|letter| *letter == byte)
            .unwrap_or_else(|| panic!("{text} is not base64"));
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    serde_json::from_slice(&bytes).expect("JSON")
}

#[tokio::test]
async fn a_cursor_stays_correct_while_configs_are_created_and_deleted_between_pages() {
    let app = spawn_app().await;
    let first = list(&app, keys::DEMO, "limit=2").await;
    assert_eq!(item_ids(&first), strings(&[ids::NOTION, ids::LINEAR]));
    let cursor = first.json()["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    // New configs sort before the cursor (newest first); deleting one already seen shifts nothing.
    for index in 0..3 {
        created(
            &app,
            keys::DEMO,
            &managed("github", &format!("new {index}")),
        )
        .await;
    }
    assert_eq!(
        delete(&app, ids::LINEAR, keys::DEMO).await.status,
        StatusCode::OK
    );
    let second = list(
        &app,
        keys::DEMO,
        &format!("limit=2&cursor={}", encode(&cursor)),
    )
    .await;
    assert_eq!(item_ids(&second), strings(&[ids::SLACK, ids::GITHUB]));
    assert_eq!(second.json()["total_items"], 6);
    assert_eq!(second.json()["next_cursor"], Value::Null);

    // Deleting one not yet seen takes it out of the pages still to come, and nothing else moves.
    let first = list(&app, keys::DEMO, "limit=4").await;
    let seen = item_ids(&first);
    let cursor = first.json()["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    assert_eq!(
        delete(&app, ids::GITHUB, keys::DEMO).await.status,
        StatusCode::OK
    );
    let rest = item_ids(
        &list(
            &app,
            keys::DEMO,
            &format!("limit=4&cursor={}", encode(&cursor)),
        )
        .await,
    );
    // Newest first: three new configs, Notion, then Slack and GitHub on the second page.
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[3], ids::NOTION);
    assert_eq!(rest, strings(&[ids::SLACK]));
}

#[tokio::test]
async fn the_limit_caps_differ_between_v3_and_v3_1() {
    let app = spawn_app().await;
    // LIFECYCLE.md §2.3: max 50 on v3.1, 1000 on v3.
    let reply = list(&app, keys::DEMO, "limit=51").await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&["Error in query.limit: Number must be less than or equal to 50"]),
    );
    assert_eq!(item_ids(&list(&app, keys::DEMO, "limit=50").await).len(), 4);
    let v3 = "/api/v3/auth_configs";
    assert_eq!(
        item_ids(&list_at(&app, v3, keys::DEMO, "limit=1000").await).len(),
        4
    );
    let reply = list_at(&app, v3, keys::DEMO, "limit=1001").await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&["Error in query.limit: Number must be less than or equal to 1000"]),
    );
    // The Python client sends a float limit as `2.0`.
    assert_eq!(
        item_ids(&list(&app, keys::DEMO, "limit=2.0").await).len(),
        2
    );
    for (query, error) in [
        (
            "limit=0",
            "Error in query.limit: Number must be greater than or equal to 1",
        ),
        (
            "limit=1.5",
            "Error in query.limit: Expected integer, received float",
        ),
        (
            "limit=many",
            "Error in query.limit: Expected number, received nan",
        ),
        (
            "cursor=bm90IGEgY3Vyc29y",
            "Error in query.cursor: Invalid cursor",
        ),
        (
            "show_disabled=1",
            "Error in query.show_disabled: Expected boolean, received string",
        ),
        (
            "is_composio_managed=yes",
            "Error in query.is_composio_managed: Expected boolean, received string",
        ),
    ] {
        let reply = list(&app, keys::DEMO, query).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.json()["error"]["errors"], json!([error]), "{query}");
        assert_eq!(reply.json()["error"]["code"], 10400, "{query}");
    }
}

#[tokio::test]
async fn v3_items_carry_deprecated_params_and_v3_1_items_do_not() {
    let app = spawn_app().await;
    let v3 = list_at(&app, "/api/v3/auth_configs", keys::DEMO, "limit=1")
        .await
        .json();
    assert_eq!(
        v3["items"][0]["deprecated_params"],
        json!({"default_connector_id": null})
    );
    let v31 = list(&app, keys::DEMO, "limit=1").await.json();
    assert!(v31["items"][0].get("deprecated_params").is_none());
    let prefixed = list_at(
        &app,
        "/composio/api/v3.1/auth_configs",
        keys::DEMO,
        "limit=1",
    )
    .await;
    assert_eq!(prefixed.json()["items"], v31["items"]);
}

#[tokio::test]
async fn listing_needs_a_key_with_read_permission() {
    let app = spawn_app().await;
    assert_eq!(
        item_ids(&list(&app, keys::DEMO_READ_ONLY, "").await).len(),
        4
    );
    let reply = app.send(Method::GET, CONFIGS, &[], None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["error"]["code"], 801);
    let reply = list(&app, "ak_unknown0Project0Key1UbOz", "").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.json()["error"]["message"],
        "Invalid API key: ak_**UbOz"
    );
}

use super::{control, fresh_nango_key};
use crate::helpers::{spawn_app, spawn_app_with};
use crate::nango;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn without_open_keys_an_unknown_key_gets_nangos_401() {
    let app = spawn_app().await;
    let reply = nango::get_path(&app, "/integrations/github", &fresh_nango_key()).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json()["error"]["code"], "unknown_account");
}

#[tokio::test]
async fn an_open_key_gets_its_own_copy_of_the_template_tenant_on_first_use() {
    let app = spawn_app_with(|settings| settings.control.open_keys = true).await;
    let key = fresh_nango_key();
    let reply = nango::get_path(&app, "/integrations/github", &key).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["data"]["unique_key"], "github");

    let state = control(
        &app,
        Method::GET,
        &format!("/_patchbay/state/nango?key={key}"),
        None,
    )
    .await;
    assert_eq!(state.status, 200);
    let state = state.json();
    let tenant = state["keys"][0]["tenant"]
        .as_str()
        .expect("a tenant")
        .to_string();
    assert!(tenant.starts_with("open-"), "{tenant}");
    assert!(
        !tenant.contains(&key),
        "the tenant name does not reveal the key"
    );
    assert_eq!(state["keys"][0]["label"], "open key");
    let dev = control(&app, Method::GET, "/_patchbay/state/nango?tenant=dev", None).await;
    let ids = |value: &serde_json::Value| {
        let mut ids: Vec<String> = value["records"]
            .as_array()
            .expect("records")
            .iter()
            .map(|record| record["unique_key"].as_str().expect("key").to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(
        ids(&state),
        ids(&dev.json()),
        "a copy of the first key's tenant"
    );
}

#[tokio::test]
async fn an_open_key_that_is_not_well_formed_is_refused_and_creates_nothing() {
    let app = spawn_app_with(|settings| settings.control.open_keys = true).await;
    let reply = nango::get_path(&app, "/integrations/github", "not-a-uuid").await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json()["error"]["code"], "invalid_secret_key_format");
    let state = control(&app, Method::GET, "/_patchbay/state/nango", None)
        .await
        .json();
    assert!(state["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .all(|key| key["label"] != "open key"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_open_tenants_stay_isolated_under_concurrent_writes() {
    let app =
        std::sync::Arc::new(spawn_app_with(|settings| settings.control.open_keys = true).await);
    let (first, second) = (fresh_nango_key(), fresh_nango_key());
    let mut tasks = Vec::new();
    for round in 0..20 {
        for (key, name) in [(&first, "first"), (&second, "second")] {
            let (app, key) = (app.clone(), key.clone());
            tasks.push(tokio::spawn(async move {
                let body = json!({"custom": {format!("{name}_{round}"): "x"}});
                let reply = nango::patch(&app, "github", &key, &body).await;
                assert_eq!(reply.status, 200, "{}", reply.text);
            }));
        }
    }
    for task in tasks {
        task.await.expect("a PATCH task");
    }
    for (key, mine, theirs) in [(&first, "first", "second"), (&second, "second", "first")] {
        let state = control(
            &app,
            Method::GET,
            &format!("/_patchbay/state/nango?key={key}"),
            None,
        )
        .await
        .json();
        let github = state["records"]
            .as_array()
            .expect("records")
            .iter()
            .find(|record| record["unique_key"] == "github")
            .cloned()
            .expect("github");
        let custom = github["custom"].as_object().expect("custom");
        for round in 0..20 {
            assert!(
                custom.contains_key(&format!("{mine}_{round}")),
                "{mine}_{round} lost"
            );
            assert!(
                !custom.contains_key(&format!("{theirs}_{round}")),
                "{theirs} leaked in"
            );
        }
    }
    // The fixture tenant saw none of it.
    let dev = nango::get_path(&app, "/integrations/github", nango::keys::DEV_FULL).await;
    assert_eq!(dev.status, 200);
    let dev_state = control(&app, Method::GET, "/_patchbay/state/nango?tenant=dev", None)
        .await
        .json();
    let dev_github = dev_state["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|record| record["unique_key"] == "github")
        .cloned()
        .expect("github");
    assert!(!dev_github["custom"].to_string().contains("first_"));
}

/// Open keys are bounded by bytes (`control.open_keys_bytes`): once the budget is spent, a new key
/// gets the vendor's 401 as without open keys, the keys already made keep working, and a reset that
/// removes the open tenants gives the budget back.
#[tokio::test]
async fn open_keys_stop_at_their_byte_budget_until_a_reset() {
    let app = spawn_app_with(|settings| {
        settings.control.open_keys = true;
        // Room for a few UUID keys (each holds a few hundred bytes), not for many.
        settings.control.open_keys_bytes = 1_000;
    })
    .await;
    let mut admitted = Vec::new();
    let mut refused = None;
    for _ in 0..20 {
        let key = fresh_nango_key();
        let reply = nango::get_path(&app, "/integrations/github", &key).await;
        match reply.status.as_u16() {
            200 => admitted.push(key),
            401 => {
                assert_eq!(reply.json()["error"]["code"], "unknown_account");
                refused = Some(key);
                break;
            }
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    assert!(!admitted.is_empty(), "the budget admits some keys");
    let refused = refused.expect("the budget runs out before 20 keys");
    for key in &admitted {
        let reply = nango::get_path(&app, "/integrations/github", key).await;
        assert_eq!(reply.status, 200, "an admitted key keeps working");
    }
    let reset = control(
        &app,
        Method::POST,
        "/_patchbay/reset",
        Some(&json!({"vendor": "nango"})),
    )
    .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    let reply = nango::get_path(&app, "/integrations/github", &refused).await;
    assert_eq!(
        reply.status, 200,
        "after the reset the budget is free again"
    );
}

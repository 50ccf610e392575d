use super::{control, fresh_nango_key};
use crate::helpers::{spawn_app, spawn_app_with};
use crate::nango;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn resetting_one_tenant_restores_its_fixtures_and_leaves_the_other_alone() {
    let app = spawn_app().await;
    let rename = json!({"display_name": "changed"});
    assert_eq!(
        nango::patch(&app, "github", nango::keys::DEV_FULL, &rename)
            .await
            .status,
        200
    );
    assert_eq!(
        nango::patch(&app, "github", nango::keys::PROD_UPDATE, &rename)
            .await
            .status,
        200
    );

    let reply = control(
        &app,
        Method::POST,
        "/_patchbay/reset",
        Some(&json!({"vendor": "nango", "tenant": "dev"})),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["reset"], json!({"vendor": "nango", "tenant": "dev"}));
    assert!(body["records_written"].as_u64() > Some(0));

    assert_eq!(
        nango::stored(&app, "dev", "github").await["display_name"],
        serde_json::Value::Null
    );
    assert_eq!(
        nango::stored(&app, "prod", "github").await["display_name"],
        "changed"
    );
}

#[tokio::test]
async fn resetting_a_vendor_drops_open_and_seeded_tenants_and_restores_the_fixture_keys() {
    let app = spawn_app_with(|settings| settings.control.open_keys = true).await;
    let key = fresh_nango_key();
    assert_eq!(
        nango::patch(&app, "github", &key, &json!({})).await.status,
        200
    );
    let reply = control(
        &app,
        Method::POST,
        "/_patchbay/reset",
        Some(&json!({"vendor": "nango"})),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let state = control(&app, Method::GET, "/_patchbay/state/nango", None)
        .await
        .json();
    assert!(state["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .all(|entry| entry["key"] != key.as_str()));
    assert!(state["records"]
        .as_array()
        .expect("records")
        .iter()
        .all(|record| record["tenant"] == "dev" || record["tenant"] == "prod"));
    // The fixture keys work again, and the open key makes a fresh tenant on its next use.
    assert_eq!(
        nango::patch(&app, "github", nango::keys::DEV_FULL, &json!({}))
            .await
            .status,
        200
    );
    assert_eq!(
        nango::patch(&app, "github", &key, &json!({})).await.status,
        200
    );
}

#[tokio::test]
async fn resetting_by_key_restores_an_open_tenant_to_a_fresh_copy() {
    let app = spawn_app_with(|settings| settings.control.open_keys = true).await;
    let key = fresh_nango_key();
    let reply = nango::patch(&app, "github", &key, &json!({"display_name": "mine"})).await;
    assert_eq!(reply.status, 200);
    let reply = control(
        &app,
        Method::POST,
        "/_patchbay/reset",
        Some(&json!({"key": key})),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["reset"]["vendor"], "nango");
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
    assert_eq!(
        github["display_name"],
        serde_json::Value::Null,
        "as in the fixtures"
    );
    assert_eq!(state["keys"][0]["key"], key.as_str(), "the open key stays");
}

#[tokio::test]
async fn resetting_everything_undoes_every_write() {
    let app = spawn_app().await;
    let rename = json!({"display_name": "changed"});
    assert_eq!(
        nango::patch(&app, "github", nango::keys::PROD_UPDATE, &rename)
            .await
            .status,
        200
    );
    let reply = control(&app, Method::POST, "/_patchbay/reset", None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json()["reset"],
        json!({"vendor": null, "tenant": null})
    );
    assert_eq!(
        nango::stored(&app, "prod", "github").await["display_name"],
        "GitHub (prod)"
    );
}

#[tokio::test]
async fn reset_refuses_unclear_requests_with_a_message() {
    let app = spawn_app().await;
    for (body, status, needle) in [
        (json!({"vendor": "acme"}), 404, "unknown vendor"),
        (json!({"tenant": "dev"}), 400, "`tenant` needs `vendor`"),
        (
            json!({"vendor": "nango", "tenant": "nobody"}),
            404,
            "no such tenant",
        ),
        (
            json!({"vendor": "nango", "tenant": "dev", "key": "x"}),
            400,
            "not both",
        ),
        (json!({"key": "no-such-key"}), 404, "no key"),
        (
            json!({"vendor": "nango", "colour": "red"}),
            400,
            "unknown field `colour`",
        ),
        (json!({"vendor": 3}), 400, "invalid type"),
    ] {
        let reply = control(&app, Method::POST, "/_patchbay/reset", Some(&body)).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text);
        let message = reply.json()["error"]["message"]
            .as_str()
            .expect("a message")
            .to_string();
        assert!(message.contains(needle), "{body}: {message}");
    }
    let reply = app
        .send(
            Method::POST,
            "/_patchbay/reset",
            &[("content-type", "application/json")],
            Some(b"{\"vendor\":".to_vec()),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"]["message"]
        .as_str()
        .expect("message")
        .contains("not valid JSON"));
}

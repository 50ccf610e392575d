//! `GET /integrations/v1/get`: the workspace's integrations in the documented item shape
//! `{id,name,description,authType,buildByLangdock,actions:[{id,name,description}]}`, oldest first,
//! unpaged; either scope lists; workspaces never see each other's. Facts: LIFECYCLE.md §4.3;
//! VENDORS.md §4 ("accepts ASSISTANT_API or INTEGRATION_API").

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_list_answers_the_documented_shape_oldest_first() {
    let app = spawn_app().await;
    let reply = list(&app, keys::ACME_FULL).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert_eq!(body.as_object().map(|top| top.len()), Some(1), "{body}");
    let items = body["integrations"].as_array().expect("integrations");
    for item in items {
        let keys: Vec<&String> = item.as_object().expect("an item").keys().collect();
        assert_eq!(
            keys,
            [
                "id",
                "name",
                "description",
                "authType",
                "buildByLangdock",
                "actions"
            ]
        );
    }
    assert_eq!(
        body,
        json!({"integrations": [
            {"id": ids::CRM, "name": "Internal CRM",
             "description": "Reads and updates customers in the internal CRM",
             "authType": "API_KEY", "buildByLangdock": false,
             "actions": [
                {"id": "c2b3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e", "name": "Get customer", "description": "Fetches a customer by id"},
                {"id": "d3c4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f", "name": "Update customer", "description": "Changes a customer's fields"}
             ]},
            {"id": ids::TICKETING, "name": "Ticketing", "description": "Creates and triages support tickets",
             "authType": "OAUTH", "buildByLangdock": true,
             "actions": [{"id": "e4d5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70", "name": "Create ticket", "description": "Opens a new ticket"}]},
            {"id": ids::STATUS_PAGE, "name": "Status Page", "description": "", "authType": "NONE",
             "buildByLangdock": false, "actions": []}
        ]})
    );
    // Nothing secret, nothing the item shape does not have.
    for hidden in [
        "demo-ticketing-client-secret",
        "iconUrl",
        "color",
        "slug",
        "order",
    ] {
        assert!(!reply.text.contains(hidden), "{hidden}: {}", reply.text);
    }
}

#[tokio::test]
async fn either_scope_lists_and_neither_is_a_403() {
    let app = spawn_app().await;
    let full = list(&app, keys::ACME_FULL).await;
    let assistant = list(&app, keys::ACME_ASSISTANT).await;
    assert_eq!(assistant.status, StatusCode::OK, "{}", assistant.text);
    assert_eq!(assistant.json(), full.json());
    assert_eq!(list(&app, keys::GLOBEX).await.status, StatusCode::OK);
    assert_error(
        &list(&app, keys::GLOBEX_NO_SCOPES).await,
        403,
        "The provided API key does not have the required scope: ASSISTANT_API or INTEGRATION_API",
    );
    assert_error(
        &list(&app, keys::UNKNOWN).await,
        401,
        "The provided API key is invalid.",
    );
    let reply = app
        .send(reqwest::Method::GET, "/integrations/v1/get", &[], None)
        .await;
    assert_error(&reply, 401, "The provided API key is invalid.");
}

#[tokio::test]
async fn each_workspace_lists_only_its_own_creates_included() {
    let app = spawn_app().await;
    let created = create(&app, keys::GLOBEX, &json!({"name": "Globex only"})).await;
    let id = created.json()["integration"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        listed_ids(&list(&app, keys::GLOBEX).await),
        [
            ids::GLOBEX_ERP,
            "3a4b5c6d-7e8f-4091-a2b3-c4d5e6f70819",
            id.as_str()
        ]
    );
    let acme = listed_ids(&list(&app, keys::ACME_FULL).await);
    assert_eq!(acme, [ids::CRM, ids::TICKETING, ids::STATUS_PAGE]);
    // The other workspace's new integration is theirs: 403, as for any of theirs.
    assert_error(
        &get(&app, &id, keys::ACME_FULL).await,
        403,
        "No access to this integration",
    );
    assert_error(
        &patch(&app, &id, keys::ACME_FULL, &json!({"name": "hijack"})).await,
        403,
        "No access to this integration",
    );
    assert_eq!(stored(&app, "globex", &id).await["name"], "Globex only");
}

#[tokio::test]
async fn a_created_integration_is_listed_last_as_a_custom_one() {
    let app = spawn_app().await;
    let created = create(
        &app,
        keys::ACME_FULL,
        &json!({"name": "New one", "description": "made here"}),
    )
    .await;
    let id = created.json()["integration"]["id"].clone();
    let body = list(&app, keys::ACME_FULL).await.json();
    let items = body["integrations"].as_array().expect("integrations");
    assert_eq!(items.len(), 4);
    assert_eq!(
        items[3],
        json!({"id": id, "name": "New one", "description": "made here", "authType": "NONE",
               "buildByLangdock": false, "actions": []})
    );
}

#[tokio::test]
async fn the_list_shows_every_update_and_auth_update() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::STATUS_PAGE,
        keys::ACME_FULL,
        &json!({"name": "Status", "description": "Uptime"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = patch_auth(
        &app,
        ids::STATUS_PAGE,
        keys::ACME_FULL,
        &json!({"authType": "API_KEY"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let body = list(&app, keys::ACME_FULL).await.json();
    let item = body["integrations"]
        .as_array()
        .expect("integrations")
        .iter()
        .find(|item| item["id"] == ids::STATUS_PAGE)
        .cloned()
        .expect("listed");
    assert_eq!(item["name"], "Status");
    assert_eq!(item["description"], "Uptime");
    assert_eq!(item["authType"], "API_KEY");
    // An update does not reorder the list (it is by creation).
    assert_eq!(
        listed_ids(&list(&app, keys::ACME_FULL).await),
        [ids::CRM, ids::TICKETING, ids::STATUS_PAGE]
    );
}

#[tokio::test]
async fn every_prefix_lists_the_same_and_a_query_changes_nothing() {
    let app = spawn_app().await;
    let native = list(&app, keys::ACME_FULL).await.json();
    for path in [
        "/api/public/integrations/v1/get",
        "/langdock/integrations/v1/get",
        "/integrations/v1/get?page=2&limit=1",
        "/integrations/v1/get?%00=%zz",
    ] {
        let reply = app.get_as(&CLIENT, path, keys::ACME_FULL).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
        assert_eq!(reply.json(), native, "{path}");
    }
}

#[tokio::test]
async fn an_empty_workspace_lists_nothing() {
    let app = spawn_app().await;
    let reply = app
        .send(
            reqwest::Method::POST,
            "/_patchbay/seed",
            &[("content-type", "application/json")],
            Some(
                serde_json::to_vec(&json!({"langdock": {"keys": [
                    {"key": "sk-empty0workspace0key00000000001", "tenant": "empty"}
                ], "records": []}}))
                .expect("JSON"),
            ),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.text);
    let reply = list(&app, "sk-empty0workspace0key00000000001").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.text, r#"{"integrations":[]}"#);
}

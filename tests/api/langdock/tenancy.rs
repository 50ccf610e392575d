//! Workspaces are tenants: a key sees only its workspace's integrations, and an integration of
//! another workspace answers 403 (VENDORS.md §8 "Langdock": "No access to this integration").

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn another_workspaces_integration_is_a_403_and_stays_untouched() {
    let app = spawn_app().await;
    let reply = patch(&app, ids::CRM, keys::GLOBEX, &json!({"name": "hijack"})).await;
    assert_error(&reply, 403, "No access to this integration");
    assert_error(
        &get(&app, ids::CRM, keys::GLOBEX).await,
        403,
        "No access to this integration",
    );
    let reply = patch(
        &app,
        ids::GLOBEX_ERP,
        keys::ACME_FULL,
        &json!({"name": "hijack"}),
    )
    .await;
    assert_error(&reply, 403, "No access to this integration");
    assert_eq!(stored(&app, "acme", ids::CRM).await["name"], "Internal CRM");
    assert_eq!(
        stored(&app, "globex", ids::GLOBEX_ERP).await["name"],
        "Globex ERP"
    );
}

#[tokio::test]
async fn each_workspace_updates_only_its_own() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::GLOBEX_ERP,
        keys::GLOBEX,
        &json!({"name": "ERP v2"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        get(&app, ids::GLOBEX_ERP, keys::GLOBEX).await.json()["integration"]["name"],
        "ERP v2"
    );
    assert_eq!(
        get(&app, ids::CRM, keys::ACME_FULL).await.json()["integration"]["name"],
        "Internal CRM"
    );
}

#[tokio::test]
async fn an_id_no_workspace_holds_is_a_404_for_every_workspace() {
    let app = spawn_app().await;
    for key in [keys::ACME_FULL, keys::GLOBEX] {
        assert_error(
            &get(&app, ids::MISSING, key).await,
            404,
            "Integration not found",
        );
    }
}

//! Accounts are tenants: a key sees only its account's integrations; another account's integration
//! does not exist for it (404, as Puretalk documents no 403).

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn another_accounts_integration_is_a_404_and_stays_untouched() {
    let app = spawn_app().await;
    let reply = patch(&app, ids::HUBSPOT, keys::GLOBEX, &api_key_body("hijack")).await;
    assert_error(&reply, 404, "Integration not found");
    assert_error(
        &get(&app, ids::HUBSPOT, keys::GLOBEX).await,
        404,
        "Integration not found",
    );
    assert_error(
        &get(&app, ids::GLOBEX_HUBSPOT, keys::ACME).await,
        404,
        "Integration not found",
    );
    assert_eq!(
        stored(&app, "acme", ids::HUBSPOT).await["data"]["api_key"],
        "pat-na1-demo-hubspot-key-0001"
    );
}

#[tokio::test]
async fn each_account_updates_only_its_own() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::GLOBEX_HUBSPOT,
        keys::GLOBEX,
        &api_key_body("globex-new"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        get(&app, ids::GLOBEX_HUBSPOT, keys::GLOBEX).await.json()["results"]["data"]["api_key"],
        "globex-new"
    );
    assert_eq!(
        get(&app, ids::HUBSPOT, keys::ACME).await.json()["results"]["data"]["api_key"],
        "pat-na1-demo-hubspot-key-0001"
    );
}

//! A key's application is its tenant: a credential of another application is a 404, whatever the
//! id, and writes never cross applications.

use super::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn another_applications_credential_is_a_404_and_stays_untouched() {
    let app = spawn_app().await;
    let before = stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await;
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        keys::PROD,
        &json!({"name": "hijacked"}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        &format!("Credential \"{}\" not found", ids::DEV_GOOGLE_CONNECTOR),
    );
    let reply = get(&app, "google", ids::DEV_GOOGLE_CONNECTOR, keys::PROD).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await,
        before
    );
}

#[tokio::test]
async fn the_same_name_in_two_applications_are_two_credentials() {
    let app = spawn_app().await;
    let dev_before = stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await;
    let prod_data = json!({"client_id": "prod-rotated", "client_secret": "prod-rotated-secret"});
    let reply = patch(
        &app,
        "google",
        ids::PROD_GOOGLE_CONNECTOR,
        keys::PROD,
        &json!({"credential_data": prod_data}),
    )
    .await;
    assert_eq!(credential(&reply)["name"], "Google connector override");
    assert_eq!(
        stored(&app, "app-prod", ids::PROD_GOOGLE_CONNECTOR).await["credential_data"],
        prod_data
    );
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await,
        dev_before
    );
    // A name is unique per connector of one application: prod's name does not block dev.
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        keys::DEV,
        &json!({"name": "Google connector override"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn each_application_has_its_own_connectors() {
    let app = spawn_app().await;
    let providers = |items: Vec<Value>| -> Vec<String> {
        items
            .iter()
            .map(|item| item["provider"].as_str().expect("provider").to_string())
            .collect()
    };
    let (prod, _, _) = page(&get_path(&app, CONNECTORS, keys::PROD).await);
    assert_eq!(providers(prod), ["google", "microsoft"]);
    // app-dev's zoom connector is no obstacle to app-prod's.
    connector(
        &post(&app, CONNECTORS, keys::PROD, &connector_body("zoom")).await,
        reqwest::StatusCode::CREATED,
    );
    let dev_before = state(&app, "app-dev").await;
    deleted(&delete(&app, &connector_path("google"), keys::PROD).await);
    assert_eq!(state(&app, "app-dev").await, dev_before);
    assert_eq!(
        connector(
            &get_path(&app, &connector_path("google"), keys::DEV).await,
            StatusCode::OK
        )["active_credential_id"],
        ids::DEV_GOOGLE_CONNECTOR
    );
    assert_error(
        &get_path(&app, &connector_path("imap"), keys::PROD).await,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        "Connector \"imap\" not found",
    );
    let (prod, _, _) = page(&get_path(&app, CONNECTORS, keys::PROD).await);
    assert_eq!(providers(prod), ["microsoft", "zoom"]);
}

#[tokio::test]
async fn a_second_key_of_an_application_sees_what_the_first_created() {
    let app = spawn_app().await;
    let created = created_credential(
        &post(
            &app,
            &creds_list_path("google"),
            keys::DEV,
            &credential_body("Shared"),
        )
        .await,
    );
    let id = created["id"].as_str().expect("id");
    assert_eq!(
        credential(&get(&app, "google", id, keys::DEV_SECOND).await),
        created
    );
    deleted(&delete(&app, &creds_path("google", id), keys::DEV_SECOND).await);
    assert_eq!(
        get(&app, "google", id, keys::DEV).await.status,
        StatusCode::NOT_FOUND
    );
}

//! A key sees, creates and deletes only its own tenant's records, even where two tenants use the
//! same unique key.

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_same_unique_key_in_two_tenants_are_two_records() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "github",
        keys::PROD_UPDATE,
        &json!({"display_name": "changed in prod"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let dev = get_path(&app, "/integrations/github", keys::DEV_FULL)
        .await
        .json();
    assert_eq!(dev["data"]["display_name"], "GitHub (User OAuth)");
    assert_eq!(dev["data"]["updated_at"], "2025-01-06T09:00:00.000Z");
    let prod = get_path(&app, "/integrations/github", keys::PROD_UPDATE)
        .await
        .json();
    assert_eq!(prod["data"]["display_name"], "changed in prod");
}

#[tokio::test]
async fn a_key_cannot_reach_another_tenants_integration() {
    let app = spawn_app().await;
    // slack-prod exists only in dev.
    let reply = patch(
        &app,
        "slack-prod",
        keys::PROD_UPDATE,
        &json!({"display_name": "hijack"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        error("not_found", "Integration \"slack-prod\" does not exist")
    );
    assert_eq!(
        get_path(&app, "/integrations/slack-prod", keys::PROD_UPDATE)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let dev = get_path(&app, "/integrations/slack-prod", keys::DEV_FULL)
        .await
        .json();
    assert_eq!(dev["data"]["display_name"], "Slack (production)");
}

#[tokio::test]
async fn renaming_checks_conflicts_only_inside_the_tenant() {
    let app = spawn_app().await;
    // hubspot exists only in prod, so dev may take the name.
    let reply = patch(
        &app,
        "github",
        keys::DEV_FULL,
        &json!({"unique_key": "hubspot"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        get_path(&app, "/integrations/hubspot", keys::PROD_UPDATE)
            .await
            .json()["data"]["provider"],
        "hubspot"
    );
    assert_eq!(
        get_path(&app, "/integrations/hubspot", keys::DEV_FULL)
            .await
            .json()["data"]["provider"],
        "github"
    );
}

#[tokio::test]
async fn the_same_key_may_be_created_in_two_environments() {
    let app = spawn_app().await;
    // The duplicate check sees only the environment's own integrations (LIFECYCLE.md §1.2 step 4).
    let body = json!({"provider": "algolia", "unique_key": "shared-name"});
    for key in [keys::DEV_FULL, keys::PROD_UPDATE] {
        let reply = create(&app, key, &body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    // hubspot is prod's; dev may create its own.
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "hubspot", "unique_key": "hubspot", "credentials": {"type": "OAUTH2", "client_id": "dev", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        delete(&app, "shared-name", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get_path(&app, "/integrations/shared-name", keys::PROD_UPDATE)
            .await
            .status,
        StatusCode::OK,
        "prod's is another integration"
    );
    assert_eq!(
        stored(&app, "dev", "hubspot").await["credentials"]["client_id"],
        "dev"
    );
    assert_eq!(
        stored(&app, "prod", "hubspot").await["credentials"]["client_id"],
        "prod-hubspot-client"
    );
}

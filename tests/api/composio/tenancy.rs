//! Projects are tenants: a key never sees another project's auth configs; state survives a restart.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_key_never_sees_another_projects_auth_configs() {
    let app = spawn_app().await;
    let reply = get(&app, ids::GITHUB, keys::STAGING).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    let reply = patch(
        &app,
        ids::GITHUB,
        keys::STAGING,
        &json!({"type": "custom", "name": "x"}),
    )
    .await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    let reply = get(&app, ids::STAGING_GITHUB, keys::DEMO).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    assert_eq!(
        read(&app, ids::GITHUB).await["name"],
        "GitHub (own OAuth app)"
    );
    assert_eq!(
        get(&app, ids::STAGING_GITHUB, keys::STAGING).await.json()["name"],
        "GitHub (staging app)"
    );
}

#[tokio::test]
async fn an_update_in_one_project_leaves_the_other_untouched() {
    let app = spawn_app().await;
    let before = stored(&app, "proj_staging", ids::STAGING_GITHUB).await;
    let reply = patch(
        &app,
        ids::STAGING_GITHUB,
        keys::STAGING,
        &json!({"type": "custom", "name": "staging renamed"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        stored(&app, "proj_staging", ids::STAGING_GITHUB).await["name"],
        "staging renamed"
    );
    assert_ne!(before["name"], "staging renamed");
    assert_eq!(
        stored(&app, "proj_demo", ids::GITHUB).await["name"],
        "GitHub (own OAuth app)"
    );
}

#[tokio::test]
async fn updates_survive_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let body = json!({"type": "custom", "name": "persisted", "credentials": {"client_secret": "persisted-secret-0009"}});
    assert_eq!(
        patch(&app, ids::GITHUB, keys::DEMO, &body).await.status,
        StatusCode::OK
    );
    let before = read(&app, ids::GITHUB).await;
    let dir = app.stop().await;

    let app = spawn_app_on(&db).await;
    let after = read(&app, ids::GITHUB).await;
    assert_eq!(after, before);
    assert_eq!(after["name"], "persisted");
    assert_eq!(after["credentials"]["client_secret"], "****0009");
    app.stop().await;
    drop(dir);
}

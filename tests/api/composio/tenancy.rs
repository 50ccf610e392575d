//! Projects are tenants: a key never sees, lists, changes or deletes another project's auth configs;
//! creates, status changes and deletes survive a restart.

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

#[tokio::test]
async fn a_created_config_belongs_to_its_project_only() {
    let app = spawn_app().await;
    let id = created(&app, keys::DEMO, &managed("github", "demo only")).await;
    let reply = get(&app, &id, keys::STAGING).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    assert!(!item_ids(&list(&app, keys::STAGING, "show_disabled=true").await).contains(&id));
    let reply = set_status(&app, &id, "DISABLED", keys::STAGING).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    let reply = delete(&app, &id, keys::STAGING).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    assert_eq!(read(&app, &id).await["status"], "ENABLED");
    assert!(item_ids(&list(&app, keys::DEMO, "").await).contains(&id));
    // The staging project lists only its own two fixtures.
    let staging = item_ids(&list(&app, keys::STAGING, "show_disabled=true").await);
    assert_eq!(staging.len(), 2, "{staging:?}");
    assert!(staging.contains(&ids::STAGING_GITHUB.to_string()));
    assert_eq!(stored_all(&app, "proj_staging").await.len(), 2);
}

#[tokio::test]
async fn creates_status_changes_and_deletes_survive_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let id = created(&app, keys::DEMO, &managed("slack", "persisted create")).await;
    assert_eq!(
        set_status(&app, &id, "DISABLED", keys::DEMO).await.status,
        StatusCode::OK
    );
    assert_eq!(
        delete(&app, ids::LINEAR, keys::DEMO).await.status,
        StatusCode::OK
    );
    let before = read(&app, &id).await;
    let listed_before = list(&app, keys::DEMO, "show_disabled=true").await.json();
    let dir = app.stop().await;

    let app = spawn_app_on(&db).await;
    assert_eq!(read(&app, &id).await, before);
    assert_eq!(before["status"], "DISABLED");
    assert_error(
        &get(&app, ids::LINEAR, keys::DEMO).await,
        StatusCode::NOT_FOUND,
        not_found,
    );
    assert_eq!(
        list(&app, keys::DEMO, "show_disabled=true").await.json(),
        listed_before
    );
    // The id is still taken by its config: a new create gets another.
    assert_ne!(
        created(&app, keys::DEMO, &managed("slack", "after restart")).await,
        id
    );
    app.stop().await;
    drop(dir);
}

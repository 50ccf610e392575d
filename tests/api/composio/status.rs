//! `PATCH .../{nanoid}/{ENABLED|DISABLED}`: no body, the 200 `{success, message}`, the status read
//! back through GET and the list, and the refusals.

use super::*;
use crate::helpers::*;

#[tokio::test]
async fn disabling_and_enabling_flip_the_status_and_the_default_list() {
    let app = spawn_app().await;
    let before = read(&app, ids::GITHUB).await;
    let reply = set_status(&app, ids::GITHUB, "DISABLED", keys::DEMO).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    request_id(&reply);
    // LIFECYCLE.md §2.7: the newer model is `{success, message}`.
    assert_eq!(
        reply.text,
        r#"{"success":true,"message":"Auth config disabled successfully"}"#
    );
    let disabled = read(&app, ids::GITHUB).await;
    assert_eq!(disabled["status"], "DISABLED");
    assert!(disabled["last_updated_at"].as_str() > before["last_updated_at"].as_str());
    assert_eq!(disabled["name"], before["name"]);
    assert_eq!(disabled["credentials"], before["credentials"]);
    assert!(!item_ids(&list(&app, keys::DEMO, "").await).contains(&ids::GITHUB.to_string()));
    assert!(
        item_ids(&list(&app, keys::DEMO, "show_disabled=true").await)
            .contains(&ids::GITHUB.to_string())
    );
    // Setting the status a config already has is a success.
    let reply = set_status(&app, ids::GITHUB, "DISABLED", keys::DEMO).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = set_status(&app, ids::GITHUB, "ENABLED", keys::DEMO).await;
    assert_eq!(
        reply.text,
        r#"{"success":true,"message":"Auth config enabled successfully"}"#
    );
    assert_eq!(read(&app, ids::GITHUB).await["status"], "ENABLED");
    assert!(item_ids(&list(&app, keys::DEMO, "").await).contains(&ids::GITHUB.to_string()));
    // The fixture's disabled config can be enabled too, on v3 and under the prefix.
    let path = format!("/composio/api/v3/auth_configs/{}/ENABLED", ids::GMAIL);
    let reply = app
        .call(&CLIENT, Method::PATCH, &path, keys::DEMO, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(read(&app, ids::GMAIL).await["status"], "ENABLED");
}

#[tokio::test]
async fn a_status_other_than_enabled_or_disabled_is_a_400_and_changes_nothing() {
    let app = spawn_app().await;
    for status in ["enabled", "Disabled", "ACTIVE", "%20ENABLED"] {
        let reply = set_status(&app, ids::GITHUB, status, keys::DEMO).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{status}: {}",
            reply.text
        );
        assert_eq!(reply.json()["error"]["code"], 10400, "{status}");
        assert_eq!(
            reply.json()["error"]["slug"],
            "Http_ValidationError",
            "{status}"
        );
    }
    let reply = set_status(&app, ids::GITHUB, "enabled", keys::DEMO).await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&[
            "Error in path.status: Invalid enum value. Expected 'ENABLED' | 'DISABLED', received 'enabled'",
        ]),
    );
    assert_eq!(read(&app, ids::GITHUB).await["status"], "ENABLED");
}

#[tokio::test]
async fn a_status_change_needs_write_permission_and_a_config_of_the_project() {
    let app = spawn_app().await;
    let reply = set_status(&app, ids::GITHUB, "DISABLED", keys::DEMO_READ_ONLY).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);
    let reply = set_status(&app, ids::GITHUB, "DISABLED", keys::STAGING).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    let reply = set_status(&app, "ac_000000000000", "DISABLED", keys::DEMO).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    let path = format!("{}/DISABLED", config_path(ids::GITHUB));
    let reply = app.send(Method::PATCH, &path, &[], None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    assert_eq!(read(&app, ids::GITHUB).await["status"], "ENABLED");
}

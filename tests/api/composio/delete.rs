//! DELETE: the 200 `{success, message}` (with `revoke_job_id` when asked), the config gone from
//! every route and list, and the refusals that delete nothing.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_delete_answers_success_and_the_config_is_gone_everywhere() {
    let app = spawn_app().await;
    let reply = delete(&app, ids::GITHUB, keys::DEMO).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    request_id(&reply);
    // LIFECYCLE.md §2.6: the newest docs show `{success, message}`; no revoke job unless asked.
    assert_eq!(
        reply.text,
        r#"{"success":true,"message":"Auth config deleted successfully"}"#
    );
    // LIFECYCLE.md §2.6: "does not exist or was already deleted" is the 404 302.
    assert_error(
        &get(&app, ids::GITHUB, keys::DEMO).await,
        StatusCode::NOT_FOUND,
        not_found,
    );
    assert_error(
        &delete(&app, ids::GITHUB, keys::DEMO).await,
        StatusCode::NOT_FOUND,
        not_found,
    );
    let reply = patch(
        &app,
        ids::GITHUB,
        keys::DEMO,
        &json!({"type": "custom", "name": "x"}),
    )
    .await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    let reply = set_status(&app, ids::GITHUB, "DISABLED", keys::DEMO).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    let listed = item_ids(&list(&app, keys::DEMO, "show_disabled=true").await);
    assert!(!listed.contains(&ids::GITHUB.to_string()), "{listed:?}");
    assert_eq!(stored(&app, "proj_demo", ids::GITHUB).await, Value::Null);
    // The project's other configs are untouched.
    assert_eq!(
        read(&app, ids::SLACK).await["name"],
        "Slack (Composio managed)"
    );
}

#[tokio::test]
async fn revoke_on_delete_adds_a_revoke_job_id() {
    let app = spawn_app().await;
    let path = format!("{}?revoke_on_delete=true", config_path(ids::GITHUB));
    let reply = delete_at(&app, &path, keys::DEMO).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let body = reply.json();
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["success", "message", "revoke_job_id"]);
    assert_eq!(body["success"], true);
    // LIFECYCLE.md §2.6: the job id looks like `pj_1a2b3c4d5e6f`.
    let job = body["revoke_job_id"].as_str().expect("a job id");
    assert!(job.starts_with("pj_") && job.len() == 15, "{job}");
    let path = format!("{}?revoke_on_delete=false", config_path(ids::SLACK));
    let reply = delete_at(&app, &path, keys::DEMO).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(reply.json().get("revoke_job_id").is_none());
}

#[tokio::test]
async fn a_refused_delete_deletes_nothing() {
    let app = spawn_app().await;
    let path = format!("{}?revoke_on_delete=maybe", config_path(ids::GITHUB));
    let reply = delete_at(&app, &path, keys::DEMO).await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&["Error in query.revoke_on_delete: Expected boolean, received string"]),
    );
    let reply = delete(&app, ids::GITHUB, keys::DEMO_READ_ONLY).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);
    assert_eq!(
        reply.json()["error"]["slug"],
        "APIKey_InsufficientPermissions"
    );
    let reply = app
        .send(Method::DELETE, &config_path(ids::GITHUB), &[], None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    // Another project's config is not found, and stays.
    let reply = delete(&app, ids::GITHUB, keys::STAGING).await;
    assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    assert_eq!(stored_all(&app, "proj_demo").await.len(), 5);
    assert_eq!(read(&app, ids::GITHUB).await["id"], ids::GITHUB);
}

#[tokio::test]
async fn a_created_config_can_be_deleted_on_every_version_and_prefix() {
    let app = spawn_app().await;
    for prefix in [
        "/api/v3",
        "/api/v3.1",
        "/composio/api/v3",
        "/composio/api/v3.1",
    ] {
        let id = created(&app, keys::DEMO, &managed("slack", prefix)).await;
        let reply = delete_at(&app, &format!("{prefix}/auth_configs/{id}"), keys::DEMO).await;
        assert_eq!(reply.status, StatusCode::OK, "{prefix}: {}", reply.text);
        assert_eq!(
            get(&app, &id, keys::DEMO).await.status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(stored_all(&app, "proj_demo").await.len(), 5);
}

//! `DELETE /integrations/{uniqueKey}`: `{"success":true}`, the 404 that names no key, then the key
//! gone everywhere and free to be created again; nothing else of the environment changes.
//! Facts: LIFECYCLE.md §1.1 and §1.4.

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn gone(unique_key: &str) -> Value {
    error(
        "not_found",
        &format!("Integration \"{unique_key}\" does not exist"),
    )
}

#[tokio::test]
async fn a_delete_answers_success_and_the_key_is_gone_everywhere() {
    let app = spawn_app().await;
    let before = listed_keys(&list(&app, keys::DEV_FULL).await);
    let reply = delete(&app, "slack-prod", keys::DEV_FULL).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(reply.text, r#"{"success":true}"#);

    let read = get_path(&app, "/integrations/slack-prod", keys::DEV_FULL).await;
    assert_eq!(read.status, StatusCode::NOT_FOUND);
    assert_eq!(read.json(), gone("slack-prod"));
    let reply = patch(
        &app,
        "slack-prod",
        keys::DEV_FULL,
        &json!({"display_name": "x"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json(), gone("slack-prod"));
    // DELETE's own 404 does not name the key.
    let reply = delete(&app, "slack-prod", keys::DEV_FULL).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        error("not_found", "Integration does not exist")
    );
    let after = listed_keys(&list(&app, keys::DEV_FULL).await);
    let expected: Vec<String> = before
        .into_iter()
        .filter(|unique_key| unique_key != "slack-prod")
        .collect();
    assert_eq!(
        after, expected,
        "only the deleted integration left the list"
    );
    assert_eq!(stored(&app, "dev", "slack-prod").await, Value::Null);
}

#[tokio::test]
async fn a_deleted_key_may_be_created_again_as_a_new_integration() {
    let app = spawn_app().await;
    assert_eq!(
        delete(&app, "github", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "github", "unique_key": "github", "credentials": {"type": "OAUTH2", "client_id": "again", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let data = reply.json()["data"].clone();
    assert_ne!(
        data["created_at"], "2025-01-06T09:00:00.000Z",
        "a new row, not the fixture's"
    );
    let read = get_path(
        &app,
        "/integrations/github?include=credentials",
        keys::DEV_FULL,
    )
    .await;
    assert_eq!(read.json()["data"]["credentials"]["client_id"], "again");
    assert_eq!(read.json()["data"]["created_at"], data["created_at"]);
}

#[tokio::test]
async fn a_delete_leaves_the_rest_of_the_environment_and_other_environments_alone() {
    let app = spawn_app().await;
    let dev_before = tenant_state(&app, "dev").await;
    let prod_before = tenant_state(&app, "prod").await;
    // Deleting does not look at connections (linear has 3): LIFECYCLE.md §1.4.
    assert_eq!(
        delete(&app, "linear", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    assert_eq!(
        delete(&app, "github", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    let dev_after = tenant_state(&app, "dev").await;
    let expected: Vec<Value> = dev_before
        .as_array()
        .expect("records")
        .iter()
        .filter(|record| record["unique_key"] != "linear" && record["unique_key"] != "github")
        .cloned()
        .collect();
    assert_eq!(dev_after, Value::Array(expected));
    assert_eq!(
        tenant_state(&app, "prod").await,
        prod_before,
        "prod's github is another integration"
    );
    assert_eq!(
        get_path(&app, "/integrations/github", keys::PROD_UPDATE)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_key_cannot_delete_another_environments_integration() {
    let app = spawn_app().await;
    // hubspot exists only in prod.
    let reply = delete(&app, "hubspot", keys::DEV_FULL).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        error("not_found", "Integration does not exist")
    );
    assert_eq!(
        get_path(&app, "/integrations/hubspot", keys::PROD_UPDATE)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn without_the_delete_scope_a_delete_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let before = tenant_state(&app, "dev").await;
    for key in [keys::DEV_LIST_ONLY, keys::DEV_READ_ONLY] {
        let reply = delete(&app, "github", key).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(
            reply.json(),
            error(
                "forbidden",
                "Insufficient scope. Required: environment:integrations:delete"
            )
        );
    }
    assert_eq!(tenant_state(&app, "dev").await, before);
    let reply = delete(&app, "hubspot", keys::PROD_NO_SCOPES).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

/// `requireEmptyQuery`, then the path parameter, then the service (LIFECYCLE.md §1.4).
#[tokio::test]
async fn the_query_then_the_path_are_checked_before_anything_is_deleted() {
    let app = spawn_app().await;
    let before = tenant_state(&app, "dev").await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let send = |path: &'static str| {
        let (app, bearer) = (&app, bearer.clone());
        async move {
            app.send(
                Method::DELETE,
                path,
                &[("authorization", bearer.as_str())],
                None,
            )
            .await
        }
    };
    let reply = send("/integrations/github?force=true").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_query_params", "errors": [{"code": "unrecognized_keys", "message": "Unrecognized key: \"force\"", "path": []}]}})
    );
    let pattern = "Invalid string: must match pattern /^[a-zA-Z0-9~:.@ _-]+$/";
    let reply = send("/integrations/a%2Fb").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_uri_params", "errors": [{"code": "invalid_format", "message": pattern, "path": ["uniqueKey"]}]}})
    );
    // Both: the query first.
    let reply = send("/integrations/a%2Fb?x=1").await;
    assert_eq!(reply.json()["error"]["code"], "invalid_query_params");
    assert_eq!(tenant_state(&app, "dev").await, before);
}

/// express.json parses a DELETE's body (and the content type is checked) before auth; a
/// well-formed body is then ignored.
#[tokio::test]
async fn a_deletes_body_is_parsed_but_ignored() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let reply = app
        .send(
            Method::DELETE,
            "/integrations/github",
            &[("content-type", "application/json")],
            Some(b"{".to_vec()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"]["code"], "invalid_json");
    let reply = app
        .send(
            Method::DELETE,
            "/integrations/github",
            &[("authorization", &bearer), ("content-type", "text/plain")],
            Some(b"x".to_vec()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        get_path(&app, "/integrations/github", keys::DEV_FULL)
            .await
            .status,
        StatusCode::OK
    );
    let reply = app
        .send(
            Method::DELETE,
            "/integrations/github",
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            Some(br#"{"anything":["goes"]}"#.to_vec()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json(), json!({"success": true}));
}

#[tokio::test]
async fn the_nango_prefix_serves_delete() {
    let app = spawn_app().await;
    let reply = app
        .call(
            &LIFECYCLE_CLIENT,
            Method::DELETE,
            "/nango/integrations/stripe",
            keys::DEV_FULL,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        get_path(&app, "/integrations/stripe", keys::DEV_FULL)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

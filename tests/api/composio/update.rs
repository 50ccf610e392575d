//! PATCH: the 200 `{success, message}`, the true-PATCH merge rule read back through GET, both API
//! versions and the `/composio` prefix.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_patch_answers_200_with_success_and_a_message_and_a_request_id() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::GITHUB,
        keys::DEMO,
        &json!({"type": "custom", "name": "New"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    // LIFECYCLE.md §2.5: the newer docs show `{success, message}`; the SDKs read nothing from it.
    assert_eq!(
        reply.text,
        r#"{"success":true,"message":"Auth config updated successfully"}"#
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));
    request_id(&reply);
}

#[tokio::test]
async fn both_api_versions_and_the_prefix_serve_the_same_record() {
    let app = spawn_app().await;
    let paths = [
        "/api/v3/auth_configs/",
        "/api/v3.1/auth_configs/",
        "/composio/api/v3/auth_configs/",
        "/composio/api/v3.1/auth_configs/",
    ];
    for (index, prefix) in paths.iter().enumerate() {
        let name = format!("name {index}");
        let path = format!("{prefix}{}", ids::GITHUB);
        let body = serde_json::to_vec(&json!({"type": "custom", "name": name})).expect("JSON");
        let reply = patch_raw(
            &app,
            &path,
            &[
                ("x-api-key", keys::DEMO),
                ("content-type", "application/json"),
            ],
            &body,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
        for read_prefix in paths {
            let reply = app
                .send(
                    Method::GET,
                    &format!("{read_prefix}{}", ids::GITHUB),
                    &[("x-api-key", keys::DEMO)],
                    None,
                )
                .await;
            assert_eq!(reply.json()["name"], name.as_str(), "{read_prefix}");
        }
    }
}

/// One row of the merge table over HTTP: the request, then what GET shows for some fields.
struct Row {
    name: &'static str,
    id: &'static str,
    body: Value,
    expect: Value,
}

#[tokio::test]
async fn the_merge_table_over_http() {
    let rows = vec![
        Row {
            name: "omitted fields are kept",
            id: ids::GITHUB,
            body: json!({"type": "custom", "name": "Renamed"}),
            expect: json!({
                "name": "Renamed",
                "credentials": {"client_id": "Iv1.demo0github0client", "client_secret": "****0001", "scopes": ["repo", "read:user"]},
                "tool_access_config": {"tools_for_connected_account_creation": ["GITHUB_CREATE_AN_ISSUE"], "tools_available_for_execution": ["GITHUB_CREATE_AN_ISSUE", "GITHUB_LIST_REPOSITORY_ISSUES"]},
                "restrict_to_following_tools": ["GITHUB_CREATE_AN_ISSUE", "GITHUB_LIST_REPOSITORY_ISSUES"]
            }),
        },
        Row {
            name: "credentials merge key by key: only the secret rotates",
            id: ids::GITHUB,
            body: json!({"type": "custom", "credentials": {"client_secret": "rotated-client-secret-7777"}}),
            expect: json!({"name": "GitHub (own OAuth app)", "credentials": {"client_id": "Iv1.demo0github0client", "client_secret": "****7777", "scopes": ["repo", "read:user"]}}),
        },
        Row {
            name: "\"\" and [] clear credential keys",
            id: ids::GITHUB,
            body: json!({"type": "custom", "credentials": {"scopes": [], "client_id": ""}}),
            expect: json!({"credentials": {"client_secret": "****0001"}}),
        },
        Row {
            name: "the execution list and restrict_to_following_tools move together",
            id: ids::GITHUB,
            body: json!({"type": "custom", "tool_access_config": {"tools_available_for_execution": []}}),
            expect: json!({
                "tool_access_config": {"tools_for_connected_account_creation": ["GITHUB_CREATE_AN_ISSUE"], "tools_available_for_execution": []},
                "restrict_to_following_tools": []
            }),
        },
        Row {
            name: "restrict_to_following_tools moves the execution list",
            id: ids::GITHUB,
            body: json!({"type": "custom", "restrict_to_following_tools": ["GITHUB_STAR_A_REPOSITORY"]}),
            expect: json!({
                "tool_access_config": {"tools_for_connected_account_creation": ["GITHUB_CREATE_AN_ISSUE"], "tools_available_for_execution": ["GITHUB_STAR_A_REPOSITORY"]},
                "restrict_to_following_tools": ["GITHUB_STAR_A_REPOSITORY"]
            }),
        },
        Row {
            name: "proxy_config null clears it",
            id: ids::LINEAR,
            body: json!({"type": "custom", "proxy_config": null}),
            expect: json!({"proxy_config": null, "shared_credentials": {"generic_api_key": "****0001", "workspace": "patchbay-demo"}}),
        },
        Row {
            name: "proxy_config is replaced whole, its auth key redacted",
            id: ids::LINEAR,
            body: json!({"type": "custom", "proxy_config": {"proxy_url": "https://proxy2.patchbay.local", "proxy_auth_key": "new-proxy-auth-key-5555"}}),
            expect: json!({"proxy_config": {"proxy_url": "https://proxy2.patchbay.local", "proxy_auth_key": "****5555"}}),
        },
        Row {
            name: "shared_credentials is replaced whole",
            id: ids::LINEAR,
            body: json!({"type": "custom", "shared_credentials": {"workspace": "other"}}),
            expect: json!({"shared_credentials": {"workspace": "other"}}),
        },
        Row {
            name: "default scopes merge into credentials; user_scopes kept",
            id: ids::SLACK,
            body: json!({"type": "default", "scopes": "chat:write"}),
            expect: json!({"credentials": {"scopes": "chat:write", "user_scopes": ["search:read"]}}),
        },
        Row {
            name: "default scopes \"\" clears them",
            id: ids::SLACK,
            body: json!({"type": "default", "scopes": ""}),
            expect: json!({"credentials": {"user_scopes": ["search:read"]}}),
        },
        Row {
            name: "is_enabled_for_tool_router is set",
            id: ids::SLACK,
            body: json!({"type": "default", "is_enabled_for_tool_router": false}),
            expect: json!({"is_enabled_for_tool_router": false, "name": "Slack (Composio managed)"}),
        },
        Row {
            name: "unknown keys are ignored",
            id: ids::GMAIL,
            body: json!({"type": "custom", "status": "ENABLED", "toolkit": "x", "whatever": [1]}),
            expect: json!({"status": "DISABLED", "toolkit": {"slug": "gmail", "logo": "https://logos.composio.dev/api/gmail"}}),
        },
    ];
    for row in rows {
        // Each row starts from the fixtures.
        let app = spawn_app().await;
        let before = read(&app, row.id).await;
        let reply = patch(&app, row.id, keys::DEMO, &row.body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", row.name, reply.text);
        let after = read(&app, row.id).await;
        for (field, expected) in row.expect.as_object().expect("object") {
            let actual = after.get(field).cloned().unwrap_or(Value::Null);
            assert_eq!(&actual, expected, "{}: {field}", row.name);
        }
        assert!(
            after["last_updated_at"].as_str() > before["last_updated_at"].as_str(),
            "{}: last_updated_at moves",
            row.name
        );
        assert_eq!(after["created_at"], before["created_at"], "{}", row.name);
    }
}

#[tokio::test]
async fn secrets_are_stored_in_clear_and_only_redacted_on_read() {
    let app = spawn_app().await;
    let body = json!({"type": "custom", "credentials": {"client_secret": "s3cr3t"}, "shared_credentials": {"api_key": "sk-live-123456789"}});
    assert_eq!(
        patch(&app, ids::GITHUB, keys::DEMO, &body).await.status,
        StatusCode::OK
    );
    let record = stored(&app, "proj_demo", ids::GITHUB).await;
    assert_eq!(record["credentials"]["client_secret"], "s3cr3t");
    assert_eq!(record["shared_credentials"]["api_key"], "sk-live-123456789");
    let read = get(&app, ids::GITHUB, keys::DEMO).await;
    assert!(
        !read.text.contains("s3cr3t") && !read.text.contains("sk-live-123456789"),
        "{}",
        read.text
    );
    assert_eq!(read.json()["credentials"]["client_secret"], "****");
    assert_eq!(read.json()["shared_credentials"]["api_key"], "****6789");
}

#[tokio::test]
async fn a_type_that_differs_from_the_stored_one_is_a_400_301_and_writes_nothing() {
    let app = spawn_app().await;
    let before = stored(&app, "proj_demo", ids::SLACK).await;
    let reply = patch(
        &app,
        ids::SLACK,
        keys::DEMO,
        &json!({"type": "custom", "name": "x"}),
    )
    .await;
    // VENDORS.md §8: a type mismatch is Auth_Config_ValidationError, code 301.
    assert_error(&reply, StatusCode::BAD_REQUEST, |reply| {
        envelope(
            reply,
            "Auth config type mismatch: ac_sLk4Vb8nRw2E is a default auth config and cannot be updated with type \"custom\"",
            301,
            "Auth_Config_ValidationError",
            None,
            None,
        )
    });
    assert_eq!(stored(&app, "proj_demo", ids::SLACK).await, before);
}

#[tokio::test]
async fn an_unknown_id_is_a_404_302() {
    let app = spawn_app().await;
    for id in [
        "ac_000000000000",
        "ac_gHc7Qm2xLp9t",
        "nope",
        "ac_gHc7Qm2xLp9T%20",
    ] {
        let reply = patch(&app, id, keys::DEMO, &json!({"type": "custom"})).await;
        assert_error(&reply, StatusCode::NOT_FOUND, not_found);
        let reply = get(&app, id, keys::DEMO).await;
        assert_error(&reply, StatusCode::NOT_FOUND, not_found);
    }
}

#[tokio::test]
async fn the_body_is_validated_before_the_id_is_looked_up() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "ac_000000000000",
        keys::DEMO,
        &json!({"type": "nope"}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&[
            "Error in payload.type: Invalid discriminator value. Expected 'custom' | 'default'",
        ]),
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_get_composios_404() {
    let app = spawn_app().await;
    let cases = [
        (Method::PUT, "/api/v3/auth_configs/ac_gHc7Qm2xLp9T"),
        (Method::POST, "/api/v3.1/auth_configs/ac_gHc7Qm2xLp9T"),
        (Method::GET, "/api/v3/toolkits"),
        (Method::PUT, "/api/v3.1/auth_configs"),
        (Method::DELETE, "/api/v3.1/auth_configs"),
        (
            Method::GET,
            "/api/v3.1/auth_configs/ac_gHc7Qm2xLp9T/ENABLED",
        ),
        (Method::GET, "/api/v3"),
        (Method::GET, "/composio"),
        (Method::GET, "/composio/anything"),
        (Method::PATCH, "/composio/api/v3.1/auth_configs/a/b/c"),
    ];
    for (method, path) in cases {
        let reply = app
            .send(method.clone(), path, &[("x-api-key", keys::DEMO)], None)
            .await;
        let message = format!("Route not found: {method} {path}");
        assert_error(&reply, StatusCode::NOT_FOUND, |reply| {
            envelope(reply, &message, 10404, "Http_NotFound", None, None)
        });
    }
}

//! `GET /integrations`: the environment's integrations in `integrationToPublicApi`'s shape, by
//! provider then by creation, no query parameters at all, the `...:list` scope, the connect
//! session 401s, and other environments never listed. Facts: LIFECYCLE.md §1.1 and §1.3.

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_list_is_ordered_by_provider_then_creation() {
    let app = spawn_app().await;
    let reply = list(&app, keys::DEV_FULL).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let body = reply.json();
    let top: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(top, ["data"]);
    // aws-sigv4, github, github-app, github-app-oauth, linear, slack, stripe.
    assert_eq!(
        listed_keys(&reply),
        [
            "aws",
            "github",
            "github-app",
            "github-app-oauth",
            "linear",
            "slack-prod",
            "stripe"
        ]
    );
    for item in body["data"].as_array().expect("data") {
        let keys: Vec<&String> = item.as_object().expect("an item").keys().collect();
        assert_eq!(keys, PUBLIC_KEYS, "{item}");
    }
    assert!(!reply.text.contains("secret"), "never credentials");
    // The same item as GET answers.
    let github = get_path(&app, "/integrations/github", keys::DEV_FULL)
        .await
        .json();
    assert_eq!(body["data"][1], github["data"]);
}

#[tokio::test]
async fn prods_fifty_integrations_keep_provider_then_creation_order() {
    let app = spawn_app().await;
    let reply = list(&app, keys::PROD_UPDATE).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let data = reply.json()["data"].as_array().expect("data").clone();
    assert_eq!(data.len(), 50);
    let order: Vec<(String, String)> = data
        .iter()
        .map(|item| {
            (
                item["provider"].as_str().expect("provider").to_string(),
                item["created_at"].as_str().expect("created_at").to_string(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(data[0]["provider"], "algolia");
}

#[tokio::test]
async fn created_deleted_and_renamed_integrations_move_in_the_list() {
    let app = spawn_app().await;
    // Two github integrations after the fixture's: both after it, newest last.
    for unique_key in ["gh-b", "gh-a"] {
        let reply = create(
            &app,
            keys::DEV_FULL,
            &json!({"provider": "github", "unique_key": unique_key, "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s"}}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "algolia", "unique_key": "search"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        delete(&app, "linear", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
    // A rename keeps the provider and the creation time, so the place (LIFECYCLE.md §1.6).
    let reply = patch(
        &app,
        "slack-prod",
        keys::DEV_FULL,
        &json!({"unique_key": "slack-renamed"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        listed_keys(&list(&app, keys::DEV_FULL).await),
        [
            "search",
            "aws",
            "github",
            "gh-b",
            "gh-a",
            "github-app",
            "github-app-oauth",
            "slack-renamed",
            "stripe"
        ]
    );
}

#[tokio::test]
async fn the_list_takes_no_query_parameters() {
    let app = spawn_app().await;
    // `@nangohq/types` declares `connect_session_token`, but the server refuses it too.
    for (query, message) in [
        (
            "?connect_session_token=x",
            "Unrecognized key: \"connect_session_token\"",
        ),
        ("?page=2&limit=10", "Unrecognized keys: \"page\", \"limit\""),
        ("?a=1&a=2", "Unrecognized key: \"a\""),
    ] {
        let reply = get_path(&app, &format!("/integrations{query}"), keys::DEV_FULL).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(
            reply.json(),
            json!({"error": {"code": "invalid_query_params", "errors": [{"code": "unrecognized_keys", "message": message, "path": []}]}}),
            "{query}"
        );
    }
}

#[tokio::test]
async fn the_list_needs_a_list_scope() {
    let app = spawn_app().await;
    let forbidden = error(
        "forbidden",
        "Insufficient scope. Required one of: environment:integrations:list or environment:integrations:list_credentials",
    );
    // `...:read` does not grant the list (LIFECYCLE.md §1.1).
    for key in [keys::DEV_READ_ONLY, keys::PROD_NO_SCOPES] {
        let reply = list(&app, key).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{key}");
        assert_eq!(reply.json(), forbidden);
    }
    let reply = list(&app, keys::DEV_LIST_ONLY).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        listed_keys(&reply),
        listed_keys(&list(&app, keys::DEV_FULL).await)
    );
}

#[tokio::test]
async fn the_list_authenticates_secret_keys_and_refuses_connect_session_tokens() {
    let app = spawn_app().await;
    let auth_error = |code: &str, message: &str| json!({"error": {"message": message, "code": code, "payload": {}}});
    let reply = app.send(Method::GET, "/integrations", &[], None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.json(),
        auth_error(
            "missing_auth_header",
            "Authentication failed. The request is missing the Authorization header."
        )
    );
    for (token, code, message) in [
        (
            "not-a-uuid".to_string(),
            "invalid_secret_key_format",
            "Authentication failed. The provided secret key is not a UUID v4.",
        ),
        (
            keys::UNKNOWN.to_string(),
            "unknown_account",
            "Authentication failed. The provided authorization header does not match any account.",
        ),
        // `nango_connect_session_` + 64 lowercase hex digits is the token's format (LIFECYCLE.md §1.1).
        (
            "nango_connect_session_abc".to_string(),
            "invalid_connect_session_token_format",
            "Authentication failed. The provided connect session token is not following correct format: nango_connect_session_RANDOM)",
        ),
        (
            format!("nango_connect_session_{}", "A".repeat(64)),
            "invalid_connect_session_token_format",
            "Authentication failed. The provided connect session token is not following correct format: nango_connect_session_RANDOM)",
        ),
        (
            format!("nango_connect_session_{}", "0af9".repeat(16)),
            "unknown_connect_session_token",
            "Authentication failed. The provided connect session token does not match any account.",
        ),
    ] {
        let reply = list(&app, &token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token}");
        assert_eq!(reply.json(), auth_error(code, message), "{token}");
    }
    // Only the list takes connect session tokens: elsewhere one is just not a UUID.
    let token = format!("nango_connect_session_{}", "0af9".repeat(16));
    let reply = get_path(&app, "/integrations/github", &token).await;
    assert_eq!(reply.json()["error"]["code"], "invalid_secret_key_format");
}

#[tokio::test]
async fn the_list_checks_the_body_and_content_type_like_every_route() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    // The SDK's list sends no Content-Type; a JSON one (as getIntegration sends) is fine too.
    let reply = get_path(&app, "/integrations", keys::DEV_FULL).await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = app
        .send(
            Method::GET,
            "/integrations",
            &[("authorization", &bearer), ("content-type", "text/plain")],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(reply.json()["error"]["code"], "invalid_content_type");
    let reply = app
        .send(
            Method::GET,
            "/integrations",
            &[("content-type", "application/json")],
            Some(b"[1,".to_vec()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"]["code"], "invalid_json");
}

#[tokio::test]
async fn other_environments_are_never_listed() {
    let app = spawn_app().await;
    let prod = listed_keys(&list(&app, keys::PROD_UPDATE).await);
    assert!(prod.contains(&"hubspot".to_string()));
    let dev = listed_keys(&list(&app, keys::DEV_FULL).await);
    assert!(!dev.contains(&"hubspot".to_string()));
    // A create in dev does not reach prod's list.
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "algolia", "unique_key": "dev-only"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(listed_keys(&list(&app, keys::PROD_UPDATE).await), prod);
    // Nor do another tenant's integrations when the tenant has none of its own.
    let seeded_key = "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
    let seed = json!({"nango": {"keys": [{"key": seeded_key, "tenant": "empty"}]}});
    let reply = app
        .send(
            Method::POST,
            "/_patchbay/seed",
            &[("content-type", "application/json")],
            Some(serde_json::to_vec(&seed).expect("JSON")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = list(&app, seeded_key).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text, r#"{"data":[]}"#);
}

/// One integration whose provider the catalogue lacks fails the whole list (LIFECYCLE.md §1.3),
/// while GET of that one answers `Unknown provider`.
#[tokio::test]
async fn an_integration_of_an_unknown_provider_fails_the_whole_list() {
    let app = spawn_app().await;
    let seeded_key = "8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f";
    let seed = json!({"nango": {
        "keys": [{"key": seeded_key, "tenant": "legacy"}],
        "records": [
            {"tenant": "legacy", "unique_key": "known", "provider": "stripe"},
            {"tenant": "legacy", "unique_key": "retired", "provider": "no-longer-offered"},
        ],
    }});
    let reply = app
        .send(
            Method::POST,
            "/_patchbay/seed",
            &[("content-type", "application/json")],
            Some(serde_json::to_vec(&seed).expect("JSON")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = list(&app, seeded_key).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        reply.json(),
        error("server_error", "Failed to list integrations")
    );
    let reply = get_path(&app, "/integrations/retired", seeded_key).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        error("not_found", "Unknown provider no-longer-offered")
    );
    // Deleting it mends the list.
    assert_eq!(
        delete(&app, "retired", seeded_key).await.status,
        StatusCode::OK
    );
    assert_eq!(listed_keys(&list(&app, seeded_key).await), ["known"]);
}

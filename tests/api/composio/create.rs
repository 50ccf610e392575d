//! POST: the 201 `{toolkit, auth_config}` of both variants, the stored config read back, and every
//! refusal (key, permission, body, toolkit, managed app, scheme, credentials) storing nothing.

use super::*;
use crate::helpers::*;
use serde_json::json;

fn is_new_id(id: &str) -> bool {
    id.strip_prefix("ac_").is_some_and(|rest| {
        rest.len() == 12
            && rest
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
    })
}

#[tokio::test]
async fn a_managed_create_answers_201_in_composios_shape_and_reads_back() {
    let app = spawn_app().await;
    let reply = create(&app, keys::DEMO, &json!({"toolkit": {"slug": "github"}})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    request_id(&reply);
    let body = reply.json();
    let id = body["auth_config"]["id"].as_str().expect("id").to_string();
    // LIFECYCLE.md §2.2: the 201 in the docs' key order; ids are `ac_` + 12 nanoid characters.
    assert!(is_new_id(&id), "{id}");
    assert_eq!(
        reply.text,
        format!(
            r#"{{"toolkit":{{"slug":"github"}},"auth_config":{{"id":"{id}","auth_scheme":"OAUTH2","is_composio_managed":true,"restrict_to_following_tools":[]}}}}"#
        )
    );
    let config = read(&app, &id).await;
    assert_eq!(config["type"], "default");
    assert_eq!(config["status"], "ENABLED");
    assert_eq!(config["no_of_connections"], 0);
    assert_eq!(config["is_composio_managed"], true);
    assert_eq!(config["credentials"], json!({}));
    assert_eq!(
        config["toolkit"]["logo"],
        "https://logos.composio.dev/api/github"
    );
    assert_eq!(config["created_at"], config["last_updated_at"]);
    let name = config["name"].as_str().expect("name");
    let suffix = name
        .strip_prefix("github-")
        .expect("named after the toolkit");
    assert!(
        suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_lowercase()),
        "{name}"
    );
    assert!(uuid::Uuid::parse_str(config["uuid"].as_str().expect("uuid")).is_ok());
    assert_ne!(
        created(&app, keys::DEMO, &managed("github", "again")).await,
        id
    );
}

#[tokio::test]
async fn a_custom_create_takes_auth_scheme_in_camel_case_and_keeps_its_settings() {
    let app = spawn_app().await;
    let body = json!({"toolkit": {"slug": "github"}, "auth_config": {
        "type": "use_custom_auth", "authScheme": "OAUTH2", "name": "Own app",
        "credentials": {"client_id": "own-client", "client_secret": "own-client-secret-0077", "scopes": ["repo"]},
        "proxy_config": {"proxy_url": "https://proxy.example.com", "proxy_auth_key": "proxy-auth-key-0001"},
        "tool_access_config": {"tools_for_connected_account_creation": ["GITHUB_CREATE_AN_ISSUE"], "tools_available_for_execution": ["GITHUB_STAR_A_REPOSITORY"]},
        "shared_credentials": {"generic_api_key": "shared-api-key-00000042"},
        "is_enabled_for_tool_router": true
    }});
    let reply = create(&app, keys::DEMO, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.json()["auth_config"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        reply.json(),
        json!({"toolkit": {"slug": "github"}, "auth_config": {
            "id": id, "auth_scheme": "OAUTH2", "is_composio_managed": false,
            "restrict_to_following_tools": ["GITHUB_STAR_A_REPOSITORY"]
        }})
    );
    let config = read(&app, &id).await;
    assert_eq!(config["type"], "custom");
    assert_eq!(config["name"], "Own app");
    assert_eq!(config["auth_scheme"], "OAUTH2");
    assert_eq!(
        config["credentials"],
        json!({"client_id": "own-client", "client_secret": "****0077", "scopes": ["repo"]})
    );
    assert_eq!(
        config["proxy_config"],
        json!({"proxy_url": "https://proxy.example.com", "proxy_auth_key": "****0001"})
    );
    assert_eq!(
        config["shared_credentials"],
        json!({"generic_api_key": "****0042"})
    );
    assert_eq!(config["is_enabled_for_tool_router"], true);
    assert_eq!(
        config["restrict_to_following_tools"],
        json!(["GITHUB_STAR_A_REPOSITORY"])
    );
    // The secrets are stored in clear: the admin view shows them.
    let record = stored(&app, "proj_demo", &id).await;
    assert_eq!(
        record["credentials"]["client_secret"],
        "own-client-secret-0077"
    );
    // A created config is updated like any other.
    let reply = patch(
        &app,
        &id,
        keys::DEMO,
        &json!({"type": "custom", "credentials": {"client_secret": "rotated-secret-0099"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        read(&app, &id).await["credentials"]["client_id"],
        "own-client"
    );
}

#[tokio::test]
async fn every_version_and_the_prefix_create_and_v3_reads_carry_deprecated_params() {
    let app = spawn_app().await;
    for path in [
        "/api/v3/auth_configs",
        "/api/v3.1/auth_configs",
        "/composio/api/v3/auth_configs",
        "/composio/api/v3.1/auth_configs",
    ] {
        let reply = create_at(&app, path, keys::DEMO, &managed("notion", path)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{path}: {}", reply.text);
        let id = reply.json()["auth_config"]["id"]
            .as_str()
            .expect("id")
            .to_string();
        // LIFECYCLE.md §2.3: v3 items end with deprecated_params; v3.1 has none.
        let v3 = app
            .get_as(&CLIENT, &format!("/api/v3/auth_configs/{id}"), keys::DEMO)
            .await
            .json();
        let keys: Vec<&String> = v3.as_object().expect("object").keys().collect();
        assert_eq!(
            keys.last().map(|key| key.as_str()),
            Some("deprecated_params")
        );
        assert_eq!(
            v3["deprecated_params"],
            json!({"default_connector_id": null})
        );
        let v31 = read(&app, &id).await;
        assert!(v31.get("deprecated_params").is_none(), "{v31}");
        assert_eq!(v31["name"], path);
    }
}

#[tokio::test]
async fn a_create_without_a_key_or_permission_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let before = stored_all(&app, "proj_demo").await.len();
    let body = serde_json::to_vec(&managed("github", "x")).expect("JSON");
    let reply = app
        .send(
            Method::POST,
            CONFIGS,
            &[("content-type", "application/json")],
            Some(body),
        )
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, |reply| {
        envelope(
            reply,
            "No API key provided",
            801,
            "APIKey_InvalidAPIKey",
            Some("Pass your API key in the x-api-key header."),
            None,
        )
    });
    let reply = create(&app, keys::DEMO_READ_ONLY, &managed("github", "x")).await;
    assert_error(&reply, StatusCode::FORBIDDEN, |reply| {
        envelope(
            reply,
            "API key does not have required permissions",
            802,
            "APIKey_InsufficientPermissions",
            Some("Check your API key permissions in the dashboard."),
            None,
        )
    });
    assert_eq!(stored_all(&app, "proj_demo").await.len(), before);
}

#[tokio::test]
async fn a_create_body_that_fails_the_schema_is_a_400_naming_each_path() {
    let app = spawn_app().await;
    let reply = create(
        &app,
        keys::DEMO,
        &json!({"auth_config": {"type": "custom"}}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&[
            "Error in payload.toolkit: Required",
            "Error in payload.auth_config.type: Invalid discriminator value. Expected 'use_composio_managed_auth' | 'use_custom_auth'",
        ]),
    );
    // The Python client's `auth_scheme` goes out as `authScheme`; the snake-case key is not read.
    let reply = create(
        &app,
        keys::DEMO,
        &json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_custom_auth", "auth_scheme": "OAUTH2"}}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&["Error in payload.auth_config.authScheme: Required"]),
    );
    let with_key = [
        ("x-api-key", keys::DEMO),
        ("content-type", "application/json"),
    ];
    let reply = app
        .send(
            Method::POST,
            CONFIGS,
            &with_key,
            Some(br#"{"toolkit":"#.to_vec()),
        )
        .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&[
            "Error in payload: Malformed JSON: EOF while parsing a value in JSON at position 11",
        ]),
    );
    let reply = app.send(Method::POST, CONFIGS, &with_key, None).await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&["Error in payload: Required"]),
    );
    let text_plain = [("x-api-key", keys::DEMO), ("content-type", "text/plain")];
    let reply = app
        .send(
            Method::POST,
            CONFIGS,
            &text_plain,
            Some(br#"{"toolkit":{"slug":"github"}}"#.to_vec()),
        )
        .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        validation(&["Error in payload: Content-Type must be application/json"]),
    );
    assert_eq!(stored_all(&app, "proj_demo").await.len(), 5);
}

#[tokio::test]
async fn an_unknown_toolkit_is_a_404_and_a_toolkit_without_a_managed_app_a_306() {
    let app = spawn_app().await;
    let reply = create(
        &app,
        keys::DEMO,
        &json!({"toolkit": {"slug": "no-such-toolkit"}}),
    )
    .await;
    // LIFECYCLE.md §2.2: the docs declare 404 for an unknown toolkit (code and slug are patchbay's).
    assert_error(&reply, StatusCode::NOT_FOUND, |reply| {
        envelope(
            reply,
            "Toolkit \"no-such-toolkit\" not found",
            10404,
            "Toolkit_NotFound",
            None,
            None,
        )
    });
    let reply = create(&app, keys::DEMO, &json!({"toolkit": {"slug": "pinecone"}})).await;
    // LIFECYCLE.md §2.2 [obs]: 400 306 with this message.
    assert_error(&reply, StatusCode::BAD_REQUEST, |reply| {
        envelope(
            reply,
            "Default auth config not found for toolkit \"pinecone\". Composio does not have managed credentials for this toolkit.",
            306,
            "Auth_Config_DefaultAuthConfigNotFound",
            None,
            None,
        )
    });
    let reply = create(
        &app,
        keys::DEMO,
        &json!({"toolkit": {"slug": "pinecone"}, "auth_config": {"type": "use_custom_auth", "authScheme": "API_KEY"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.json()["auth_config"]["auth_scheme"], "API_KEY");
}

#[tokio::test]
async fn a_custom_config_needs_a_scheme_the_toolkit_offers_and_its_oauth_client() {
    let app = spawn_app().await;
    let reply = create(
        &app,
        keys::DEMO,
        &json!({"toolkit": {"slug": "shopify"}, "auth_config": {"type": "use_custom_auth", "authScheme": "OAUTH2", "credentials": {"client_secret": "s"}}}),
    )
    .await;
    // LIFECYCLE.md §2.2 [obs]: the 301 names the missing field and the toolkit.
    assert_error(&reply, StatusCode::BAD_REQUEST, |reply| {
        envelope(
            reply,
            "Missing required field \"Client id\" for auth scheme \"OAUTH2\" in toolkit \"shopify\" (Client id of the app)",
            301,
            "Auth_Config_ValidationError",
            None,
            None,
        )
    });
    let reply = create(
        &app,
        keys::DEMO,
        &json!({"toolkit": {"slug": "gmail"}, "auth_config": {"type": "use_custom_auth", "authScheme": "API_KEY"}}),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, |reply| {
        envelope(
            reply,
            "Auth scheme \"API_KEY\" is not supported by toolkit \"gmail\"",
            301,
            "Auth_Config_ValidationError",
            None,
            None,
        )
    });
    assert_eq!(stored_all(&app, "proj_demo").await.len(), 5);
}

#[tokio::test]
async fn a_toolkit_slug_matches_without_case_and_is_stored_as_composio_writes_it() {
    let app = spawn_app().await;
    let reply = create(&app, keys::DEMO, &json!({"toolkit": {"slug": "GitHub"}})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.json()["toolkit"]["slug"], "github");
}

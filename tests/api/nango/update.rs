//! PATCH semantics: the 200 shape, the merge rules, and the service-level refusals.
//! Facts: VENDORS.md §1 "Service semantics" and "200 response".

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_patch_answers_the_public_integration_in_nangos_key_order() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "github",
        keys::DEV_FULL,
        &json!({"display_name": "GitHub via patchbay", "forward_webhooks": false}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let body = reply.json();
    let keys = data_keys(&body);
    assert_eq!(
        keys,
        [
            "unique_key",
            "provider",
            "display_name",
            "logo",
            "forward_webhooks",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(body["data"]["created_at"], "2025-01-06T09:00:00.000Z");
    assert!(body["data"]["updated_at"].as_str().expect("updated_at") > "2025-01-06T09:00:00.000Z");
    assert_eq!(
        without_timestamps(body),
        json!({"data": {
            "unique_key": "github",
            "provider": "github",
            "display_name": "GitHub via patchbay",
            "logo": app.url("/images/template-logos/github.svg"),
            "forward_webhooks": false,
        }})
    );
}

#[tokio::test]
async fn an_empty_patch_still_bumps_updated_at_and_falls_back_to_the_providers_name() {
    let app = spawn_app().await;
    let first = patch(&app, "github", keys::DEV_FULL, &json!({}))
        .await
        .json();
    let second = patch(&app, "github", keys::DEV_FULL, &json!({}))
        .await
        .json();
    assert_eq!(
        first["data"]["display_name"], "GitHub (User OAuth)",
        "display_name null falls back"
    );
    assert_eq!(first["data"]["forward_webhooks"], true);
    assert!(first["data"]["updated_at"].as_str() > Some("2025-01-06T09:00:00.000Z"));
    assert!(
        second["data"]["updated_at"].as_str() > first["data"]["updated_at"].as_str(),
        "updated_at moves on every PATCH"
    );
}

#[tokio::test]
async fn the_logo_url_resolves_to_an_svg() {
    let app = spawn_app().await;
    let logo = patch(&app, "github", keys::DEV_FULL, &json!({}))
        .await
        .json()["data"]["logo"]
        .as_str()
        .map(str::to_string);
    let response = app
        .client
        .get(logo.expect("logo"))
        .send()
        .await
        .expect("logo request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.text().await.expect("svg").starts_with("<svg"));
}

#[tokio::test]
async fn a_public_url_setting_makes_the_logo_absolute_on_that_host() {
    let app =
        spawn_app_with(|settings| settings.server.public_url = "https://api.example.test/".into())
            .await;
    let body = patch(&app, "github", keys::DEV_FULL, &json!({}))
        .await
        .json();
    assert_eq!(
        body["data"]["logo"],
        "https://api.example.test/images/template-logos/github.svg"
    );
}

#[tokio::test]
async fn renaming_moves_the_integration_to_its_new_key() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "github",
        keys::DEV_FULL,
        &json!({"unique_key": "github-renamed"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["data"]["unique_key"], "github-renamed");
    assert_eq!(
        get_path(&app, "/integrations/github-renamed", keys::DEV_FULL)
            .await
            .status,
        StatusCode::OK
    );
    let old = get_path(&app, "/integrations/github", keys::DEV_FULL).await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    assert_eq!(
        old.json(),
        error("not_found", "Integration \"github\" does not exist")
    );
}

#[tokio::test]
async fn renaming_onto_a_used_key_is_a_400_not_a_409() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "github",
        keys::DEV_FULL,
        &json!({"unique_key": "slack-prod", "display_name": "lost"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        error(
            "invalid_body",
            "uniqueKey is already used by another integration"
        )
    );
    let after = get_path(&app, "/integrations/github", keys::DEV_FULL)
        .await
        .json();
    assert_eq!(
        after["data"]["display_name"], "GitHub (User OAuth)",
        "a refused PATCH changes nothing"
    );
}

#[tokio::test]
async fn an_integration_with_connections_cannot_be_renamed_but_can_keep_its_key() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "linear",
        keys::DEV_FULL,
        &json!({"unique_key": "linear-2"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        error(
            "invalid_body",
            "Can't rename an integration with active connections"
        )
    );
    let reply = patch(
        &app,
        "linear",
        keys::DEV_FULL,
        &json!({"unique_key": "linear"}),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "renaming to the same key does nothing"
    );
}

#[tokio::test]
async fn credentials_must_match_the_providers_auth_mode() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "stripe",
        keys::DEV_FULL,
        &json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        error(
            "invalid_body",
            "incompatible credentials auth type and provider auth"
        )
    );
    let reply = patch(
        &app,
        "github-app",
        keys::DEV_FULL,
        &json!({"credentials": {"type": "OAUTH2", "client_id": "i", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn credentials_are_replaced_whole_and_never_echoed_by_patch() {
    let app = spawn_app().await;
    let body = json!({"credentials": {"type": "OAUTH2", "client_id": "new-id", "client_secret": "new-secret", "webhook_secret": "whsec"}});
    let reply = patch(&app, "github", keys::DEV_FULL, &body).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        !reply.text.contains("new-secret") && !reply.text.contains("credentials"),
        "{}",
        reply.text
    );
    assert_data_keys(&reply.json(), &PUBLIC_KEYS);
    let read = get_path(
        &app,
        "/integrations/github?include=credentials",
        keys::DEV_FULL,
    )
    .await
    .json();
    // Scopes left out keep the stored scopes; the webhook secret is stored and shown.
    assert_eq!(
        read["data"]["credentials"],
        json!({"type": "OAUTH2", "client_id": "new-id", "client_secret": "new-secret", "scopes": "repo,user", "webhook_secret": "whsec"})
    );
    let body = json!({"credentials": {"type": "OAUTH2", "client_id": "id3", "client_secret": "s3", "scopes": "", "webhook_secret": ""}});
    patch(&app, "github", keys::DEV_FULL, &body).await;
    let read = get_path(
        &app,
        "/integrations/github?include=credentials",
        keys::DEV_FULL,
    )
    .await
    .json();
    // `oauth_scopes || null`: empty scopes read back as null.
    assert_eq!(
        read["data"]["credentials"],
        json!({"type": "OAUTH2", "client_id": "id3", "client_secret": "s3", "scopes": null, "webhook_secret": null})
    );
}

#[tokio::test]
async fn app_and_custom_credentials_are_stored_in_their_own_shapes() {
    let app = spawn_app().await;
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nnew\n-----END RSA PRIVATE KEY-----";
    let reply = patch(&app, "github-app", keys::DEV_FULL, &json!({"credentials": {"type": "APP", "app_id": "99", "app_link": "https://github.com/apps/x", "private_key": pem}})).await;
    assert_eq!(reply.status, StatusCode::OK);
    let read = get_path(
        &app,
        "/integrations/github-app?include=credentials",
        keys::DEV_FULL,
    )
    .await
    .json();
    // Nango stores an APP private key base64-encoded and GET shows the stored value.
    let encoded =
        "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpuZXcKLS0tLS1FTkQgUlNBIFBSSVZBVEUgS0VZLS0tLS0=";
    assert_eq!(
        read["data"]["credentials"],
        json!({"type": "APP", "app_id": "99", "private_key": encoded, "app_link": "https://github.com/apps/x"})
    );
    let custom = json!({"type": "CUSTOM", "client_id": "c", "client_secret": "s", "app_id": "7", "app_link": "https://l", "private_key": pem});
    assert_eq!(
        patch(
            &app,
            "github-app-oauth",
            keys::DEV_FULL,
            &json!({"credentials": custom})
        )
        .await
        .status,
        StatusCode::OK
    );
    let read = get_path(
        &app,
        "/integrations/github-app-oauth?include=credentials",
        keys::DEV_FULL,
    )
    .await
    .json();
    assert_eq!(read["data"]["credentials"], custom);
    let record = stored(&app, "dev", "github-app-oauth").await;
    assert_eq!(
        record["custom"],
        json!({"app_id": "7", "private_key": pem}),
        "CUSTOM also puts app_id and private_key into custom"
    );
}

#[tokio::test]
async fn integration_config_is_validated_against_the_provider_and_merged() {
    let app = spawn_app().await;
    let reply = patch(&app, "aws", keys::DEV_FULL, &json!({"integration_config": {"region": "eu-west-1", "stsEndpoint": "https://sts.example.com"}})).await;
    assert_eq!(reply.status, StatusCode::OK);
    let record = stored(&app, "dev", "aws").await;
    assert_eq!(
        record["custom"],
        json!({"service": "s3", "region": "eu-west-1", "stsEndpoint": "https://sts.example.com"})
    );
    let reply = patch(
        &app,
        "aws",
        keys::DEV_FULL,
        &json!({"integration_config": {"stsEndpoint": ""}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        stored(&app, "dev", "aws").await["custom"],
        json!({"service": "s3", "region": "eu-west-1"}),
        "\"\" clears an optional field"
    );
    let reply = patch(
        &app,
        "aws",
        keys::DEV_FULL,
        &json!({"integration_config": {"nope": "1", "region": "", "stsEndpoint": "ftp://x"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        error("invalid_body", "Unknown field nope, Region is required, STS endpoint must be a valid http or https URL")
    );
    let reply = patch(
        &app,
        "github",
        keys::DEV_FULL,
        &json!({"integration_config": {"a": "b"}}),
    )
    .await;
    assert_eq!(
        reply.json(),
        error(
            "invalid_body",
            "This provider does not accept integration configuration"
        )
    );
    let reply = patch(&app, "aws", keys::DEV_FULL, &json!({"custom": {"a": "b"}})).await;
    assert_eq!(
        reply.json(),
        error(
            "invalid_body",
            "This provider uses integration_config; set its values there instead of custom"
        )
    );
    assert_eq!(
        patch(
            &app,
            "github",
            keys::DEV_FULL,
            &json!({"integration_config": {}})
        )
        .await
        .status,
        StatusCode::OK,
        "an empty integration_config is ignored"
    );
}

#[tokio::test]
async fn custom_is_shallow_merged() {
    let app = spawn_app().await;
    patch(
        &app,
        "slack-prod",
        keys::DEV_FULL,
        &json!({"custom": {"team": "T1"}}),
    )
    .await;
    let record = stored(&app, "dev", "slack-prod").await;
    assert_eq!(
        record["custom"],
        json!({"webhookSecret": "demo-slack-webhook-secret", "team": "T1"})
    );
}

#[tokio::test]
async fn unknown_integrations_are_a_404() {
    let app = spawn_app().await;
    let reply = patch(&app, "does-not-exist", keys::DEV_FULL, &json!({})).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        error("not_found", "Integration \"does-not-exist\" does not exist")
    );
    // Keys are case-sensitive.
    assert_eq!(
        patch(&app, "GitHub", keys::DEV_FULL, &json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_nango_prefix_serves_the_same_routes() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let reply = app
        .send(
            Method::PATCH,
            "/nango/integrations/github",
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            Some(b"{\"display_name\":\"P\"}".to_vec()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["data"]["display_name"], "P");
    let reply = app
        .send(Method::PUT, "/nango/integrations/github", &[], None)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        error("not_found", "No route PUT /nango/integrations/github")
    );
    // The lifecycle's routes are under the prefix too: without a key, Nango's 401.
    for (method, path) in [
        (Method::DELETE, "/nango/integrations/github"),
        (Method::GET, "/nango/integrations"),
        (Method::POST, "/nango/integrations"),
        (Method::POST, "/nango/integrations/quickstart"),
    ] {
        let reply = app.send(method.clone(), path, &[], None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(reply.json()["error"]["code"], "missing_auth_header");
    }
    for (method, path) in [
        (Method::PUT, "/integrations"),
        (Method::DELETE, "/integrations"),
        (Method::PATCH, "/nango/integrations"),
    ] {
        let reply = app.send(method.clone(), path, &[], None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(
            reply.json(),
            error("not_found", &format!("No route {method} {path}"))
        );
    }
    let reply = app
        .send(Method::GET, "/nango/anything/else", &[], None)
        .await;
    assert_eq!(reply.json()["error"]["code"], "not_found");
}

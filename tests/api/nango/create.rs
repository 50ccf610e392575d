//! `POST /integrations`: the 200 in `integrationToPublicApi`'s shape, the zod messages of the strict
//! body, every row of the create error table, and the order the checks run in.
//! Facts: LIFECYCLE.md §1.1 and §1.2, VENDORS.md §1 "Routing and middleware order".

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn invalid_body(errors: Value) -> Value {
    json!({"error": {"code": "invalid_body", "errors": errors}})
}

fn key_exists() -> Value {
    invalid_body(
        json!([{"code": "invalid_string", "message": "Unique key already exists", "path": ["uniqueKey"]}]),
    )
}

fn invalid_provider() -> Value {
    invalid_body(
        json!([{"code": "invalid_string", "message": "Invalid provider", "path": ["provider"]}]),
    )
}

/// A `Date.toISOString()` of the last few seconds.
fn is_now(stamp: &Value) -> bool {
    let Some(text) = stamp.as_str() else {
        return false;
    };
    let Ok(parsed) = chrono::DateTime::parse_from_rfc3339(text) else {
        return false;
    };
    let age = chrono::Utc::now().signed_duration_since(parsed);
    text.ends_with('Z')
        && age < chrono::Duration::seconds(30)
        && age > -chrono::Duration::seconds(5)
}

#[tokio::test]
async fn a_create_answers_200_with_the_public_integration() {
    let app = spawn_app().await;
    // Nango's own test: `{provider:'algolia', unique_key:'foobar'}` (LIFECYCLE.md §1.2).
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "algolia", "unique_key": "foobar"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let body = reply.json();
    assert_data_keys(&body, &PUBLIC_KEYS);
    assert!(is_now(&body["data"]["created_at"]), "{body}");
    assert_eq!(
        body["data"]["created_at"], body["data"]["updated_at"],
        "one timestamp at creation"
    );
    assert_eq!(
        without_timestamps(body),
        json!({"data": {
            "unique_key": "foobar", "provider": "algolia", "display_name": "Algolia",
            "logo": app.url("/images/template-logos/algolia.svg"), "forward_webhooks": true,
        }})
    );
    let read = get_path(&app, "/integrations/foobar", keys::DEV_FULL).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(
        read.json(),
        reply.json(),
        "GET reads back what POST answered"
    );
}

#[tokio::test]
async fn oauth_credentials_are_stored_and_never_echoed() {
    let app = spawn_app().await;
    let body = json!({
        "provider": "github", "unique_key": "gh-new", "display_name": "Mine", "forward_webhooks": false,
        "credentials": {"type": "OAUTH2", "client_id": "new-client", "client_secret": "new-secret-1234", "scopes": "repo,user", "webhook_secret": "hook-secret"},
    });
    let reply = create(&app, keys::DEV_FULL, &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(!reply.text.contains("new-secret-1234"), "{}", reply.text);
    assert!(!reply.text.contains("hook-secret"));
    assert_eq!(reply.json()["data"]["display_name"], "Mine");
    assert_eq!(reply.json()["data"]["forward_webhooks"], false);
    let read = get_path(
        &app,
        "/integrations/gh-new?include=credentials",
        keys::DEV_FULL,
    )
    .await;
    assert_eq!(
        read.json()["data"]["credentials"],
        json!({"type": "OAUTH2", "client_id": "new-client", "client_secret": "new-secret-1234", "scopes": "repo,user", "webhook_secret": "hook-secret"})
    );
    // Without a webhook secret, GET shows null (LIFECYCLE.md §1.2, Nango's own test).
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "github", "unique_key": "gh-plain", "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(reply.json()["data"]["display_name"], "GitHub (User OAuth)");
    let read = get_path(
        &app,
        "/integrations/gh-plain?include=credentials",
        keys::DEV_FULL,
    )
    .await;
    assert_eq!(
        read.json()["data"]["credentials"],
        json!({"type": "OAUTH2", "client_id": "c", "client_secret": "s", "scopes": null, "webhook_secret": null})
    );
}

#[tokio::test]
async fn oauth_credentials_without_scopes_get_the_providers_default_scopes() {
    let app = spawn_app().await;
    // salesforce's and jira's `default_scopes` (LIFECYCLE.md §1.2 step 9, §1.6).
    for (provider, scopes) in [
        ("salesforce", json!("offline_access")),
        ("jira", json!("offline_access")),
        ("github", Value::Null),
    ] {
        let unique_key = format!("{provider}-defaults");
        let reply = create(
            &app,
            keys::DEV_FULL,
            &json!({"provider": provider, "unique_key": unique_key, "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s"}}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let read = get_path(
            &app,
            &format!("/integrations/{unique_key}?include=credentials"),
            keys::DEV_FULL,
        )
        .await;
        assert_eq!(
            read.json()["data"]["credentials"]["scopes"],
            scopes,
            "{provider}"
        );
    }
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "salesforce", "unique_key": "sf-own", "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s", "scopes": "api"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let read = get_path(
        &app,
        "/integrations/sf-own?include=credentials",
        keys::DEV_FULL,
    )
    .await;
    assert_eq!(read.json()["data"]["credentials"]["scopes"], "api");
}

#[tokio::test]
async fn app_and_custom_credentials_are_stored_as_nango_stores_them() {
    let app = spawn_app().await;
    let private_key = "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----";
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "github-app", "unique_key": "app-new", "credentials": {"type": "APP", "app_id": "42", "app_link": "https://github.com/apps/x", "private_key": private_key}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let read = get_path(
        &app,
        "/integrations/app-new?include=credentials",
        keys::DEV_FULL,
    )
    .await;
    // An APP private key is stored base64-encoded, and GET shows what is stored.
    assert_eq!(
        read.json()["data"]["credentials"],
        json!({"type": "APP", "app_id": "42",
               "private_key": "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQphYmMKLS0tLS1FTkQgUlNBIFBSSVZBVEUgS0VZLS0tLS0=",
               "app_link": "https://github.com/apps/x"})
    );
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "github-app-oauth", "unique_key": "custom-new", "credentials": {"type": "CUSTOM", "client_id": "ci", "client_secret": "cs", "app_id": "7", "app_link": "https://github.com/apps/y", "private_key": private_key}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json()["data"]["display_name"], "GitHub App OAuth");
    let read = get_path(
        &app,
        "/integrations/custom-new?include=credentials",
        keys::DEV_FULL,
    )
    .await;
    assert_eq!(read.json()["data"]["credentials"]["type"], "CUSTOM");
    assert_eq!(read.json()["data"]["credentials"]["client_secret"], "cs");
    // CUSTOM also copies the app id and the private key (as sent: a Known quirk) into `custom`.
    assert_eq!(
        stored(&app, "dev", "custom-new").await["custom"],
        json!({"app_id": "7", "private_key": private_key})
    );
}

#[tokio::test]
async fn providers_without_integration_credentials_are_created_without_them() {
    let app = spawn_app().await;
    // Only OAUTH1, OAUTH2, APP and CUSTOM need credentials (LIFECYCLE.md §1.2 step 3).
    for (provider, unique_key) in [
        ("stripe", "stripe-2"),
        ("algolia", "algolia-2"),
        ("netsuite-tba", "netsuite-2"),
        ("aws-sigv4", "aws-2"),
        ("private-api-generic", "private-2"),
    ] {
        let reply = create(
            &app,
            keys::DEV_FULL,
            &json!({"provider": provider, "unique_key": unique_key}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{provider}: {}", reply.text);
        let read = get_path(
            &app,
            &format!("/integrations/{unique_key}?include=credentials"),
            keys::DEV_FULL,
        )
        .await;
        assert_eq!(
            read.json()["data"]["credentials"],
            Value::Null,
            "{provider}"
        );
    }
}

#[tokio::test]
async fn integration_config_is_resolved_in_create_mode_and_merged_into_custom() {
    let app = spawn_app().await;
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "private-api-generic", "unique_key": "billing", "integration_config": {"baseUrl": "https://billing.example.com", "keyLabel": "X-Key"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    // `credentials_label` follows `logo` for a provider with an integration_config and a keyLabel.
    assert_data_keys(
        &reply.json(),
        &[
            "unique_key",
            "provider",
            "display_name",
            "logo",
            "credentials_label",
            "forward_webhooks",
            "created_at",
            "updated_at",
        ],
    );
    assert_eq!(
        reply.json()["data"]["credentials_label"],
        json!({"apiKey": "X-Key"})
    );
    assert_eq!(
        stored(&app, "dev", "billing").await["custom"],
        json!({"baseUrl": "https://billing.example.com", "keyLabel": "X-Key"})
    );
    // An empty field takes the schema's default (stsMode).
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "aws-sigv4", "unique_key": "aws-new", "integration_config": {"region": "eu-west-1", "service": "s3", "stsMode": ""}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        stored(&app, "dev", "aws-new").await["custom"],
        json!({"service": "s3", "region": "eu-west-1", "stsMode": "builtin"})
    );
    // `custom` is merged for a provider without a schema.
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "stripe", "unique_key": "stripe-custom", "custom": {"note": "n", "tier": "gold"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        stored(&app, "dev", "stripe-custom").await["custom"],
        json!({"note": "n", "tier": "gold"})
    );
}

/// Every row of `sendCreateIntegrationError` that a create can reach (LIFECYCLE.md §1.2).
#[tokio::test]
async fn every_row_of_the_create_error_table() {
    let app = spawn_app().await;
    let before = tenant_state(&app, "dev").await;
    let oauth = json!({"type": "OAUTH2", "client_id": "c", "client_secret": "s"});
    let cases = [
        (
            "invalid_provider",
            json!({"provider": "invalid", "unique_key": "x"}),
            invalid_provider(),
        ),
        (
            "integration_exists (a fixture key)",
            json!({"provider": "github", "unique_key": "github", "credentials": oauth}),
            key_exists(),
        ),
        (
            "incompatible_credentials",
            json!({"provider": "stripe", "unique_key": "x", "credentials": oauth}),
            error(
                "invalid_body",
                "incompatible credentials auth type and provider auth",
            ),
        ),
        (
            "incompatible_credentials (APP for an OAUTH2 provider)",
            json!({"provider": "github", "unique_key": "x", "credentials": {"type": "APP", "app_id": "1", "app_link": "l", "private_key": "-----BEGIN RSA PRIVATE KEY-----\nk\n-----END RSA PRIVATE KEY-----"}}),
            error(
                "invalid_body",
                "incompatible credentials auth type and provider auth",
            ),
        ),
        (
            "missing_credentials (OAUTH2)",
            json!({"provider": "github", "unique_key": "x"}),
            error("invalid_body", "Missing credentials"),
        ),
        (
            "missing_credentials (OAUTH1)",
            json!({"provider": "twitter", "unique_key": "x"}),
            error("invalid_body", "Missing credentials"),
        ),
        (
            "missing_credentials (APP)",
            json!({"provider": "github-app", "unique_key": "x"}),
            error("invalid_body", "Missing credentials"),
        ),
        (
            "missing_credentials (CUSTOM)",
            json!({"provider": "github-app-oauth", "unique_key": "x"}),
            error("invalid_body", "Missing credentials"),
        ),
        (
            "invalid_integration_config: every problem, unknown fields first, joined",
            json!({"provider": "aws-sigv4", "unique_key": "x", "integration_config": {"stsEndpoint": "ftp://sts.example.com", "bogus": "1", "region": "nowhere", "stsMode": "other"}}),
            error(
                "invalid_body",
                "Unknown field bogus, Service is required, Region has an invalid format, STS mode must be one of: builtin, custom, STS endpoint must be an http(s) URL",
            ),
        ),
        (
            "invalid_integration_config: not a URL",
            json!({"provider": "private-api-generic", "unique_key": "x", "integration_config": {"baseUrl": "not a url"}}),
            error("invalid_body", "Base URL must be a valid URL"),
        ),
        (
            "invalid_integration_config: a provider without a schema",
            json!({"provider": "github", "unique_key": "x", "credentials": oauth, "integration_config": {"a": "b"}}),
            error(
                "invalid_body",
                "This provider does not accept integration configuration",
            ),
        ),
        (
            "invalid_integration_config: custom where the provider has a schema",
            json!({"provider": "private-api-generic", "unique_key": "x", "integration_config": {"baseUrl": "https://a.example.com"}, "custom": {"a": "b"}}),
            error(
                "invalid_body",
                "This provider uses integration_config; set its values there instead of custom",
            ),
        ),
    ];
    for (name, body, expected) in cases {
        let reply = create(&app, keys::DEV_FULL, &body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{name}: {}",
            reply.text
        );
        assert_eq!(reply.json(), expected, "{name}");
    }
    assert_eq!(
        tenant_state(&app, "dev").await,
        before,
        "a refused create stores nothing"
    );
    assert_eq!(
        get_path(&app, "/integrations/x", keys::DEV_FULL)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// The zod message table of the create body (LIFECYCLE.md §1.2).
#[tokio::test]
async fn the_body_is_strict_with_zods_messages() {
    let app = spawn_app().await;
    let undefined = "Invalid input: expected string, received undefined";
    let cases = [
        (
            json!({}),
            json!([
                {"code": "invalid_type", "message": undefined, "path": ["provider"]},
                {"code": "invalid_type", "message": undefined, "path": ["unique_key"]},
            ]),
        ),
        (
            json!({"provider": "git hub", "unique_key": "k"}),
            json!([{"code": "invalid_format", "message": "Invalid string: must match pattern /^[a-zA-Z0-9_-]+$/", "path": ["provider"]}]),
        ),
        (
            json!({"provider": 1, "unique_key": "k"}),
            json!([{"code": "invalid_type", "message": "Invalid input: expected string, received number", "path": ["provider"]}]),
        ),
        (
            json!({"provider": "p".repeat(256), "unique_key": "k"}),
            json!([{"code": "too_big", "message": "Too big: expected string to have <=255 characters", "path": ["provider"]}]),
        ),
        (
            json!({"provider": "github", "unique_key": ""}),
            json!([{"code": "invalid_format", "message": "Invalid string: must match pattern /^[a-zA-Z0-9~:.@ _-]+$/", "path": ["unique_key"]}]),
        ),
        (
            json!({"provider": "github", "unique_key": null}),
            json!([{"code": "invalid_type", "message": "Invalid input: expected string, received null", "path": ["unique_key"]}]),
        ),
        (
            json!({"provider": "github", "unique_key": "k", "foo": 1, "bar": 2}),
            json!([{"code": "unrecognized_keys", "message": "Unrecognized keys: \"foo\", \"bar\"", "path": []}]),
        ),
        (
            json!({"provider": "github", "unique_key": "k", "integration_config": {"a": "x".repeat(8193)}}),
            json!([{"code": "too_big", "message": "Too big: expected string to have <=8192 characters", "path": ["integration_config", "a"]}]),
        ),
        (
            json!({"provider": "github", "unique_key": "k", "custom": {"a": 1}}),
            json!([{"code": "invalid_type", "message": "Invalid input: expected string, received number", "path": ["custom", "a"]}]),
        ),
        // Nango's own test: the catalogue check comes later, so `invalid` passes here.
        (
            json!({"provider": "invalid", "unique_key": "1832_@$ùé&", "display_name": false, "credentials": {"authType": "INVALID"}}),
            json!([
                {"code": "invalid_format", "message": "Invalid string: must match pattern /^[a-zA-Z0-9~:.@ _-]+$/", "path": ["unique_key"]},
                {"code": "invalid_type", "message": "Invalid input: expected string, received boolean", "path": ["display_name"]},
                {"code": "invalid_union", "message": "invalid credentials object", "path": ["credentials", "type"]},
            ]),
        ),
        // Everything bad at once: schema order, then unrecognized_keys.
        (
            json!({"zzz": 1, "custom": 1, "integration_config": 1, "credentials": 1, "forward_webhooks": 1, "display_name": 1, "unique_key": 1, "provider": 1}),
            json!([
                {"code": "invalid_type", "message": "Invalid input: expected string, received number", "path": ["provider"]},
                {"code": "invalid_type", "message": "Invalid input: expected string, received number", "path": ["unique_key"]},
                {"code": "invalid_type", "message": "Invalid input: expected string, received number", "path": ["display_name"]},
                {"code": "invalid_type", "message": "Invalid input: expected boolean, received number", "path": ["forward_webhooks"]},
                {"code": "invalid_type", "message": "invalid credentials object", "path": ["credentials"]},
                {"code": "invalid_type", "message": "Invalid input: expected record, received number", "path": ["integration_config"]},
                {"code": "invalid_type", "message": "Invalid input: expected record, received number", "path": ["custom"]},
                {"code": "unrecognized_keys", "message": "Unrecognized key: \"zzz\"", "path": []},
            ]),
        ),
    ];
    for (body, errors) in cases {
        let reply = create(&app, keys::DEV_FULL, &body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.json(), invalid_body(errors), "{body}");
    }
    // No body and no content type: `req.body` is undefined.
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let reply = app
        .send(
            Method::POST,
            "/integrations",
            &[("authorization", &bearer)],
            None,
        )
        .await;
    assert_eq!(
        reply.json(),
        invalid_body(
            json!([{"code": "invalid_type", "message": "Invalid input: expected object, received undefined", "path": []}])
        )
    );
}

/// Nango's order: express.json and the content type before auth, auth, scope, query, body, the
/// provider and credential checks, then the duplicate check, then integration_config and custom.
#[tokio::test]
async fn the_checks_run_in_nangos_order() {
    let app = spawn_app().await;
    let send = |headers: Vec<(&'static str, String)>, path: &'static str, body: &'static [u8]| {
        let app = &app;
        async move {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(name, value)| (*name, value.as_str()))
                .collect();
            app.send(Method::POST, path, &headers, Some(body.to_vec()))
                .await
        }
    };
    let json_type = ("content-type", "application/json".to_string());
    // Bad JSON, without a key: invalid_json before auth.
    let reply = send(vec![json_type.clone()], "/integrations", b"{").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"]["code"], "invalid_json");
    // A text body, without a key: 415 before auth.
    let reply = send(
        vec![("content-type", "text/plain".into())],
        "/integrations",
        b"x",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A bad body and a query, with a key without the scope: 403.
    let list_only = ("authorization", format!("Bearer {}", keys::DEV_LIST_ONLY));
    let reply = send(
        vec![list_only, json_type.clone()],
        "/integrations?x=1",
        b"{\"foo\":1}",
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.json(),
        error(
            "forbidden",
            "Insufficient scope. Required: environment:integrations:create"
        )
    );
    // A bad body and a query: the query first.
    let full = ("authorization", format!("Bearer {}", keys::DEV_FULL));
    let reply = send(
        vec![full.clone(), json_type.clone()],
        "/integrations?x=1",
        b"{\"foo\":1}",
    )
    .await;
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "invalid_query_params", "errors": [{"code": "unrecognized_keys", "message": "Unrecognized key: \"x\"", "path": []}]}})
    );
    // A taken key with an unknown provider, or without the credentials its provider needs: the
    // provider checks come before the duplicate check.
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "invalid", "unique_key": "github"}),
    )
    .await;
    assert_eq!(reply.json(), invalid_provider());
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "github", "unique_key": "github"}),
    )
    .await;
    assert_eq!(reply.json(), error("invalid_body", "Missing credentials"));
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "stripe", "unique_key": "github", "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(
        reply.json(),
        error(
            "invalid_body",
            "incompatible credentials auth type and provider auth"
        )
    );
    // A taken key with a bad integration_config or custom: the duplicate check comes first.
    for body in [
        json!({"provider": "aws-sigv4", "unique_key": "aws", "integration_config": {"bogus": "1"}}),
        json!({"provider": "aws-sigv4", "unique_key": "aws", "custom": {"a": "b"}}),
        json!({"provider": "stripe", "unique_key": "stripe", "integration_config": {"a": "b"}}),
    ] {
        let reply = create(&app, keys::DEV_FULL, &body).await;
        assert_eq!(reply.json(), key_exists(), "{body}");
    }
    // Keys are exact and case-sensitive.
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "stripe", "unique_key": "Stripe"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn without_the_create_scope_a_create_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let body = json!({"provider": "algolia", "unique_key": "refused"});
    for (key, tenant) in [
        (keys::DEV_LIST_ONLY, "dev"),
        (keys::DEV_READ_ONLY, "dev"),
        (keys::PROD_NO_SCOPES, "prod"),
    ] {
        let before = tenant_state(&app, tenant).await;
        let reply = create(&app, key, &body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{key}");
        assert_eq!(
            reply.json(),
            error(
                "forbidden",
                "Insufficient scope. Required: environment:integrations:create"
            )
        );
        assert_eq!(tenant_state(&app, tenant).await, before);
    }
    // The prod key's explicit scopes include create.
    let reply = create(&app, keys::PROD_UPDATE, &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn a_created_integration_is_served_by_every_route() {
    let app = spawn_app().await;
    let reply = create(
        &app,
        keys::DEV_FULL,
        &json!({"provider": "notion", "unique_key": "wiki", "credentials": {"type": "OAUTH2", "client_id": "c", "client_secret": "s"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let created = reply.json()["data"].clone();
    // notion receives webhooks (LIFECYCLE.md §1.6).
    let read = get_path(&app, "/integrations/wiki?include=webhook", keys::DEV_FULL).await;
    assert_eq!(
        read.json()["data"]["webhook_url"],
        app.url("/webhook/dev/notion")
    );
    let reply = patch(
        &app,
        "wiki",
        keys::DEV_FULL,
        &json!({"display_name": "Wiki"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let patched = reply.json()["data"].clone();
    assert_eq!(patched["created_at"], created["created_at"]);
    assert!(
        patched["updated_at"].as_str() > created["updated_at"].as_str(),
        "{patched}"
    );
    assert!(listed_keys(&list(&app, keys::DEV_FULL).await).contains(&"wiki".to_string()));
    assert_eq!(
        delete(&app, "wiki", keys::DEV_FULL).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_nango_prefix_serves_create() {
    let app = spawn_app().await;
    let reply = app
        .call(
            &LIFECYCLE_CLIENT,
            Method::POST,
            "/nango/integrations",
            keys::DEV_FULL,
            Some(br#"{"provider":"algolia","unique_key":"prefixed"}"#),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        get_path(&app, "/integrations/prefixed", keys::DEV_FULL)
            .await
            .status,
        StatusCode::OK
    );
}

/// `POST /integrations/quickstart` (LIFECYCLE.md §1.5): patchbay holds none of Nango's developer
/// apps, so every well-formed quickstart for an OAuth or APP provider finds none.
#[tokio::test]
async fn a_quickstart_checks_like_nango_and_finds_no_developer_app() {
    let app = spawn_app().await;
    let before = tenant_state(&app, "dev").await;
    let quickstart = |body: Value| {
        let app = &app;
        async move {
            let body = serde_json::to_vec(&body).expect("JSON");
            app.call(
                &LIFECYCLE_CLIENT,
                Method::POST,
                "/integrations/quickstart",
                keys::DEV_FULL,
                Some(&body),
            )
            .await
        }
    };
    let no_app = error(
        "invalid_body",
        "No Nango-provided developer app is configured for this provider",
    );
    for provider in ["github", "twitter", "github-app"] {
        let reply = quickstart(json!({"provider": provider, "unique_key": "quick"})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.json(), no_app, "{provider}");
    }
    for provider in ["algolia", "github-app-oauth", "netsuite-tba"] {
        let reply = quickstart(json!({"provider": provider, "unique_key": "quick"})).await;
        assert_eq!(
            reply.json(),
            error(
                "invalid_body",
                "Quickstart is only available for providers that require a developer app"
            ),
            "{provider}"
        );
    }
    // Check order: provider, auth mode, then the duplicate check, then the developer app.
    let reply = quickstart(json!({"provider": "nope", "unique_key": "github"})).await;
    assert_eq!(reply.json(), invalid_provider());
    let reply = quickstart(json!({"provider": "slack", "unique_key": "github"})).await;
    assert_eq!(reply.json(), key_exists());
    // The body is the base schema only: credentials and the rest are unrecognized.
    let reply =
        quickstart(json!({"provider": "slack", "unique_key": "q", "credentials": {}})).await;
    assert_eq!(
        reply.json(),
        invalid_body(
            json!([{"code": "unrecognized_keys", "message": "Unrecognized key: \"credentials\"", "path": []}])
        )
    );
    let reply = app
        .call(
            &LIFECYCLE_CLIENT,
            Method::POST,
            "/integrations/quickstart",
            keys::DEV_LIST_ONLY,
            Some(b"{}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .call(
            &LIFECYCLE_CLIENT,
            Method::POST,
            "/integrations/quickstart?a=1",
            keys::DEV_FULL,
            Some(b"{}"),
        )
        .await;
    assert_eq!(reply.json()["error"]["code"], "invalid_query_params");
    assert_eq!(tenant_state(&app, "dev").await, before, "nothing stored");
}

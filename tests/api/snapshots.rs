//! Each vendor's replies pinned whole, as its SDKs see them: the error envelopes (401 without a key
//! and with a wrong one, 403 where the vendor has scopes, 404 for an unknown id and for an unknown
//! route, 400 for bad JSON and for a validation error, 413) and the GET of a fixture record, with
//! the status and the headers that matter. Request ids are checked (UUID v4, the header's value in
//! the body) and then redacted; the test server's address is written as `http://[patchbay]`.
//! Facts: VENDORS.md §1 to §5 and §8.

use crate::helpers::{spawn_app, Reply, TestApp};
use crate::{composio, langdock, nango, nylas, puretalk};
use reqwest::Method;
use serde_json::{json, Value};

/// What a snapshot pins of a reply: its status, content type, whether it carries a request id
/// header, and its JSON body.
fn pinned(app: &TestApp, reply: &Reply) -> Value {
    let mut pinned = json!({
        "status": reply.status.as_u16(),
        "content-type": reply.header("content-type"),
    });
    let header_id = reply.header("x-request-id");
    if let Some(id) = header_id {
        let uuid = uuid::Uuid::parse_str(id).unwrap_or_else(|_| panic!("{id} is not a UUID"));
        assert_eq!(uuid.get_version_num(), 4, "a UUID v4: {id}");
        pinned["x-request-id"] = "[uuid]".into();
    }
    // Absolute links (Nango's logos) carry the test server's port.
    let body: Value = serde_json::from_str(&reply.text.replace(&app.address, "http://[patchbay]"))
        .unwrap_or_else(|error| panic!("body is not JSON ({error}): {:?}", reply.text));
    for body_id in [&body["request_id"], &body["error"]["request_id"]] {
        if !body_id.is_null() {
            assert_eq!(
                body_id.as_str(),
                header_id,
                "the body's request id is the header's"
            );
        }
    }
    pinned["body"] = body;
    pinned
}

/// `insta::assert_json_snapshot!` of [`pinned`], with the request ids redacted.
macro_rules! assert_reply_snapshot {
    ($app:expr, $reply:expr, @$snapshot:literal) => {
        insta::assert_json_snapshot!(pinned($app, $reply), {
            ".body.request_id" => "[request id]",
            ".body.error.request_id" => "[request id]",
        }, @$snapshot)
    };
}

/// A body just over the default 1 MiB limit, as `{"<field>": "xxx..."}`.
fn oversized(field: &str) -> Value {
    json!({ field: "x".repeat(1024 * 1024 + 1) })
}

#[tokio::test]
async fn nangos_replies() {
    let app = spawn_app().await;
    let github = "/integrations/github";
    let json_body = ("content-type", "application/json");

    let reply = nango::patch_raw(&app, github, &[json_body], b"{}").await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "message": "Authentication failed. The request is missing the Authorization header.",
          "code": "missing_auth_header",
          "payload": {}
        }
      }
    }
    "#);
    let reply = nango::patch(&app, "github", nango::keys::UNKNOWN, &json!({})).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "message": "Authentication failed. The provided authorization header does not match any account.",
          "code": "unknown_account",
          "payload": {}
        }
      }
    }
    "#);
    let reply = nango::patch(
        &app,
        "github",
        nango::keys::DEV_READ_ONLY,
        &json!({"display_name": "x"}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 403,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "forbidden",
          "message": "Insufficient scope. Required: environment:integrations:update"
        }
      }
    }
    "#);
    let reply = nango::patch(&app, "nope", nango::keys::DEV_FULL, &json!({})).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "not_found",
          "message": "Integration \"nope\" does not exist"
        }
      }
    }
    "#);
    let reply = app
        .call(
            &nango::CLIENT,
            Method::PUT,
            github,
            nango::keys::DEV_FULL,
            None,
        )
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "not_found",
          "message": "No route PUT /integrations/github"
        }
      }
    }
    "#);
    let bearer = format!("Bearer {}", nango::keys::DEV_FULL);
    let with_key = [("authorization", bearer.as_str()), json_body];
    let reply = nango::patch_raw(&app, github, &with_key, br#"{"display_name":"#).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "invalid_json",
          "message": "EOF while parsing a value in JSON at position 16"
        }
      }
    }
    "#);
    let reply = nango::patch(
        &app,
        "github",
        nango::keys::DEV_FULL,
        &json!({"display_name": "", "foo": 1}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "invalid_body",
          "errors": [
            {
              "code": "too_small",
              "message": "Too small: expected string to have >=1 characters",
              "path": [
                "display_name"
              ]
            },
            {
              "code": "unrecognized_keys",
              "message": "Unrecognized key: \"foo\"",
              "path": []
            }
          ]
        }
      }
    }
    "#);
    let reply = nango::patch(
        &app,
        "github",
        nango::keys::DEV_FULL,
        &oversized("display_name"),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 413,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "payload_too_large",
          "message": "The request body is larger than the limit of 1048576 bytes"
        }
      }
    }
    "#);
    let reply = nango::get_path(&app, "/integrations/slack-prod", nango::keys::DEV_FULL).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "data": {
          "unique_key": "slack-prod",
          "provider": "slack",
          "display_name": "Slack (production)",
          "logo": "http://[patchbay]/images/template-logos/slack.svg",
          "forward_webhooks": false,
          "created_at": "2025-01-07T10:15:30.120Z",
          "updated_at": "2025-02-01T08:00:00.000Z"
        }
      }
    }
    "#);
}

/// Nango's create, list, delete and quickstart replies (LIFECYCLE.md §1.2 to §1.5).
#[tokio::test]
async fn nangos_lifecycle_replies() {
    let app = spawn_app().await;
    let create = |body: Value| {
        let app = &app;
        async move {
            let body = serde_json::to_vec(&body).expect("JSON");
            app.call(
                &nango::CLIENT,
                Method::POST,
                "/integrations",
                nango::keys::DEV_FULL,
                Some(&body),
            )
            .await
        }
    };
    let reply = create(json!({"provider": "algolia", "unique_key": "foobar"})).await;
    let body = reply.json();
    assert_eq!(
        body["data"]["created_at"], body["data"]["updated_at"],
        "one timestamp at creation"
    );
    insta::assert_json_snapshot!(pinned(&app, &reply), {
        ".body.data.created_at" => "[now]",
        ".body.data.updated_at" => "[now]",
    }, @r#"
    {
      "status": 200,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "data": {
          "unique_key": "foobar",
          "provider": "algolia",
          "display_name": "Algolia",
          "logo": "http://[patchbay]/images/template-logos/algolia.svg",
          "forward_webhooks": true,
          "created_at": "[now]",
          "updated_at": "[now]"
        }
      }
    }
    "#);
    let reply = create(json!({"provider": "algolia", "unique_key": "foobar"})).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "invalid_body",
          "errors": [
            {
              "code": "invalid_string",
              "message": "Unique key already exists",
              "path": [
                "uniqueKey"
              ]
            }
          ]
        }
      }
    }
    "#);
    let reply = create(json!({"provider": "invalid", "unique_key": "x"})).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "invalid_body",
          "errors": [
            {
              "code": "invalid_string",
              "message": "Invalid provider",
              "path": [
                "provider"
              ]
            }
          ]
        }
      }
    }
    "#);
    let reply = create(json!({"provider": "github", "unique_key": "x"})).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "invalid_body",
          "message": "Missing credentials"
        }
      }
    }
    "#);
    let reply = create(json!({})).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "invalid_body",
          "errors": [
            {
              "code": "invalid_type",
              "message": "Invalid input: expected string, received undefined",
              "path": [
                "provider"
              ]
            },
            {
              "code": "invalid_type",
              "message": "Invalid input: expected string, received undefined",
              "path": [
                "unique_key"
              ]
            }
          ]
        }
      }
    }
    "#);
    let reply = app
        .call(
            &nango::CLIENT,
            Method::POST,
            "/integrations",
            nango::keys::DEV_LIST_ONLY,
            Some(b"{}"),
        )
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 403,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "forbidden",
          "message": "Insufficient scope. Required: environment:integrations:create"
        }
      }
    }
    "#);
    let reply = app
        .call(
            &nango::CLIENT,
            Method::POST,
            "/integrations/quickstart",
            nango::keys::DEV_FULL,
            Some(br#"{"provider":"github","unique_key":"quick"}"#),
        )
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "invalid_body",
          "message": "No Nango-provided developer app is configured for this provider"
        }
      }
    }
    "#);
    let reply = nango::get_path(&app, "/integrations", nango::keys::DEV_READ_ONLY).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 403,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "forbidden",
          "message": "Insufficient scope. Required one of: environment:integrations:list or environment:integrations:list_credentials"
        }
      }
    }
    "#);
    let reply = nango::get_path(&app, "/integrations?page=2", nango::keys::DEV_FULL).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "invalid_query_params",
          "errors": [
            {
              "code": "unrecognized_keys",
              "message": "Unrecognized key: \"page\"",
              "path": []
            }
          ]
        }
      }
    }
    "#);
    let session = format!("nango_connect_session_{}", "0".repeat(64));
    let reply = nango::get_path(&app, "/integrations", &session).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "message": "Authentication failed. The provided connect session token does not match any account.",
          "code": "unknown_connect_session_token",
          "payload": {}
        }
      }
    }
    "#);
    let delete = |path: &'static str| {
        let app = &app;
        async move {
            app.call(
                &nango::CLIENT,
                Method::DELETE,
                path,
                nango::keys::DEV_FULL,
                None,
            )
            .await
        }
    };
    let reply = delete("/integrations/foobar").await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "success": true
      }
    }
    "#);
    let reply = delete("/integrations/foobar").await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "error": {
          "code": "not_found",
          "message": "Integration does not exist"
        }
      }
    }
    "#);
    // The list of dev's fixtures: by provider, then by creation.
    let reply = nango::get_path(&app, "/integrations", nango::keys::DEV_FULL).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json; charset=utf-8",
      "body": {
        "data": [
          {
            "unique_key": "aws",
            "provider": "aws-sigv4",
            "display_name": "AWS (SigV4)",
            "logo": "http://[patchbay]/images/template-logos/aws-sigv4.svg",
            "forward_webhooks": true,
            "created_at": "2025-01-12T12:00:00.000Z",
            "updated_at": "2025-01-12T12:00:00.000Z"
          },
          {
            "unique_key": "github",
            "provider": "github",
            "display_name": "GitHub (User OAuth)",
            "logo": "http://[patchbay]/images/template-logos/github.svg",
            "forward_webhooks": true,
            "created_at": "2025-01-06T09:00:00.000Z",
            "updated_at": "2025-01-06T09:00:00.000Z"
          },
          {
            "unique_key": "github-app",
            "provider": "github-app",
            "display_name": "GitHub App",
            "logo": "http://[patchbay]/images/template-logos/github-app.svg",
            "forward_webhooks": true,
            "created_at": "2025-01-09T12:00:00.000Z",
            "updated_at": "2025-01-09T12:00:00.000Z"
          },
          {
            "unique_key": "github-app-oauth",
            "provider": "github-app-oauth",
            "display_name": "GitHub App OAuth",
            "logo": "http://[patchbay]/images/template-logos/github-app-oauth.svg",
            "forward_webhooks": true,
            "created_at": "2025-01-10T12:00:00.000Z",
            "updated_at": "2025-01-10T12:00:00.000Z"
          },
          {
            "unique_key": "linear",
            "provider": "linear",
            "display_name": "Linear",
            "logo": "http://[patchbay]/images/template-logos/linear.svg",
            "forward_webhooks": true,
            "created_at": "2025-01-08T12:00:00.000Z",
            "updated_at": "2025-01-08T12:00:00.000Z"
          },
          {
            "unique_key": "slack-prod",
            "provider": "slack",
            "display_name": "Slack (production)",
            "logo": "http://[patchbay]/images/template-logos/slack.svg",
            "forward_webhooks": false,
            "created_at": "2025-01-07T10:15:30.120Z",
            "updated_at": "2025-02-01T08:00:00.000Z"
          },
          {
            "unique_key": "stripe",
            "provider": "stripe",
            "display_name": "Stripe",
            "logo": "http://[patchbay]/images/template-logos/stripe.svg",
            "forward_webhooks": true,
            "created_at": "2025-01-11T12:00:00.000Z",
            "updated_at": "2025-01-11T12:00:00.000Z"
          }
        ]
      }
    }
    "#);
}

#[tokio::test]
async fn langdocks_replies() {
    let app = spawn_app().await;
    let crm = format!("/integrations/v1/{}", langdock::ids::CRM);

    let reply = app
        .send(
            Method::PATCH,
            &crm,
            &[("content-type", "application/json")],
            Some(b"{}".to_vec()),
        )
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json",
      "body": {
        "message": "The provided API key is invalid."
      }
    }
    "#);
    let reply = langdock::patch(
        &app,
        langdock::ids::CRM,
        langdock::keys::UNKNOWN,
        &json!({}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json",
      "body": {
        "message": "The provided API key is invalid."
      }
    }
    "#);
    let reply = langdock::patch(
        &app,
        langdock::ids::CRM,
        langdock::keys::ACME_ASSISTANT,
        &json!({"name": "x"}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 403,
      "content-type": "application/json",
      "body": {
        "message": "The provided API key does not have the required scope: INTEGRATION_API"
      }
    }
    "#);
    let reply = langdock::patch(
        &app,
        langdock::ids::MISSING,
        langdock::keys::ACME_FULL,
        &json!({}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json",
      "body": {
        "message": "Integration not found"
      }
    }
    "#);
    let reply = app
        .call(
            &langdock::CLIENT,
            Method::DELETE,
            &crm,
            langdock::keys::ACME_FULL,
            None,
        )
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json",
      "body": {
        "message": "No route DELETE /integrations/v1/550e8400-e29b-41d4-a716-446655440000"
      }
    }
    "#);
    let reply = langdock::patch_raw(&app, &crm, langdock::keys::ACME_FULL, br#"{"name":"#).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "body": {
        "message": "Invalid JSON in request body: EOF while parsing a value in JSON at position 8"
      }
    }
    "#);
    let reply = langdock::patch(
        &app,
        langdock::ids::CRM,
        langdock::keys::ACME_FULL,
        &json!({"name": "x".repeat(41)}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "body": {
        "message": "Invalid request body: name must be at most 40 characters"
      }
    }
    "#);
    let reply = langdock::patch(
        &app,
        langdock::ids::CRM,
        langdock::keys::ACME_FULL,
        &oversized("description"),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 413,
      "content-type": "application/json",
      "body": {
        "message": "Request body is larger than the limit of 1048576 bytes"
      }
    }
    "#);
    let reply = langdock::get(&app, langdock::ids::CRM, langdock::keys::ACME_FULL).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json",
      "body": {
        "integration": {
          "id": "550e8400-e29b-41d4-a716-446655440000",
          "name": "Internal CRM",
          "description": "Reads and updates customers in the internal CRM",
          "authType": "API_KEY",
          "authTestCode": "const response = await ld.request({ url: 'https://crm.example.com/api/me', headers: { Authorization: 'Bearer ' + data.auth.api_key } });\nreturn response.json;",
          "authFields": [
            {
              "id": "b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
              "slug": "api_key",
              "label": "API Key",
              "type": "PASSWORD",
              "description": "",
              "placeholder": null,
              "required": true
            }
          ],
          "oauthClient": null,
          "actions": [
            {
              "id": "c2b3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
              "name": "Get customer",
              "slug": "get_customer",
              "description": "Fetches a customer by id",
              "order": 0
            },
            {
              "id": "d3c4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f",
              "name": "Update customer",
              "slug": "update_customer",
              "description": "Changes a customer's fields",
              "order": 1
            }
          ],
          "triggers": []
        }
      }
    }
    "#);
}

#[tokio::test]
async fn puretalks_replies() {
    let app = spawn_app().await;
    let hubspot = puretalk::path(puretalk::ids::HUBSPOT);
    let new_key = puretalk::api_key_body("snapshot-key");

    let reply = app
        .send(
            Method::PATCH,
            &hubspot,
            &[("content-type", "application/json")],
            Some(serde_json::to_vec(&new_key).expect("JSON")),
        )
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json",
      "body": {
        "err": true,
        "msg": "Authentication credentials were not provided."
      }
    }
    "#);
    let reply = puretalk::patch(
        &app,
        puretalk::ids::HUBSPOT,
        puretalk::keys::UNKNOWN,
        &new_key,
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json",
      "body": {
        "err": true,
        "msg": "Invalid API key."
      }
    }
    "#);
    let reply = puretalk::patch(&app, puretalk::ids::MISSING, puretalk::keys::ACME, &new_key).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json",
      "body": {
        "err": true,
        "msg": "Integration not found"
      }
    }
    "#);
    let reply = app
        .call(
            &puretalk::CLIENT,
            Method::DELETE,
            &hubspot,
            puretalk::keys::ACME,
            None,
        )
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json",
      "body": {
        "err": true,
        "msg": "Not found."
      }
    }
    "#);
    let reply = puretalk::patch_raw(&app, &hubspot, puretalk::keys::ACME, br#"{"data":"#).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "body": {
        "err": true,
        "msg": "JSON parse error - EOF while parsing a value in JSON at position 8"
      }
    }
    "#);
    let reply = puretalk::patch(
        &app,
        puretalk::ids::HUBSPOT,
        puretalk::keys::ACME,
        &puretalk::api_key_body(""),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "body": {
        "err": true,
        "msg": "data.api_key: This field may not be blank."
      }
    }
    "#);
    let reply = puretalk::patch(
        &app,
        puretalk::ids::HUBSPOT,
        puretalk::keys::ACME,
        &json!({"data": oversized("api_key")}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 413,
      "content-type": "application/json",
      "body": {
        "err": true,
        "msg": "Request body is larger than the limit of 1048576 bytes."
      }
    }
    "#);
    let reply = puretalk::get(&app, puretalk::ids::HUBSPOT, puretalk::keys::ACME).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json",
      "body": {
        "msg": "Integrations retrieved successfully",
        "err": false,
        "results": {
          "integration_id": "123e4567-e89b-12d3-a456-426614174000",
          "app_name": "hubspot",
          "friendly_app_name": "HubSpot",
          "logo": "https://cdn.puretalk.ai/ruth-connect/logos/hubspot.png",
          "data": {
            "api_key": "pat-na1-demo-hubspot-key-0001"
          },
          "tools": [
            "create_contact",
            "update_deal",
            "log_call"
          ],
          "is_custom_tool": false,
          "created_at": "2025-01-06T09:00:00Z",
          "updated_at": "2025-01-06T09:00:00Z"
        }
      }
    }
    "#);
}

#[tokio::test]
async fn composios_replies() {
    let app = spawn_app().await;
    let github = composio::config_path(composio::ids::GITHUB);
    let custom = json!({"type": "custom", "name": "x"});

    let reply = composio::patch_raw(
        &app,
        &github,
        &[("content-type", "application/json")],
        br#"{"type":"custom"}"#,
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "No API key provided",
          "code": 801,
          "slug": "APIKey_InvalidAPIKey",
          "status": 401,
          "request_id": "[request id]",
          "suggested_fix": "Pass your API key in the x-api-key header."
        }
      }
    }
    "#);
    let reply = composio::patch(
        &app,
        composio::ids::GITHUB,
        "ak_unknown0Project0Key1UbOz",
        &custom,
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Invalid API key: ak_**UbOz",
          "code": 801,
          "slug": "APIKey_InvalidAPIKey",
          "status": 401,
          "request_id": "[request id]",
          "suggested_fix": "Please check you are using a valid key."
        }
      }
    }
    "#);
    let reply = composio::patch(
        &app,
        composio::ids::GITHUB,
        composio::keys::DEMO_READ_ONLY,
        &custom,
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 403,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "API key does not have required permissions",
          "code": 802,
          "slug": "APIKey_InsufficientPermissions",
          "status": 403,
          "request_id": "[request id]",
          "suggested_fix": "Check your API key permissions in the dashboard."
        }
      }
    }
    "#);
    let reply = composio::patch(&app, "ac_123456789012", composio::keys::DEMO, &custom).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Auth config not found",
          "code": 302,
          "slug": "Auth_Config_NotFound",
          "status": 404,
          "request_id": "[request id]",
          "suggested_fix": "Verify the auth config ID, or create the auth config first."
        }
      }
    }
    "#);
    let reply = app
        .call(
            &composio::CLIENT,
            Method::PUT,
            &github,
            composio::keys::DEMO,
            None,
        )
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Route not found: PUT /api/v3.1/auth_configs/ac_gHc7Qm2xLp9T",
          "code": 10404,
          "slug": "Http_NotFound",
          "status": 404,
          "request_id": "[request id]"
        }
      }
    }
    "#);
    let with_key = [
        ("x-api-key", composio::keys::DEMO),
        ("content-type", "application/json"),
    ];
    let reply = composio::patch_raw(&app, &github, &with_key, br#"{"type":"#).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Validation error while processing request",
          "code": 10400,
          "slug": "Http_ValidationError",
          "status": 400,
          "request_id": "[request id]",
          "suggested_fix": "Please check the payload.",
          "errors": [
            "Error in payload: Malformed JSON: EOF while parsing a value in JSON at position 8"
          ]
        }
      }
    }
    "#);
    let reply = composio::patch(
        &app,
        composio::ids::GITHUB,
        composio::keys::DEMO,
        &json!({"name": "no type"}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Validation error while processing request",
          "code": 10400,
          "slug": "Http_ValidationError",
          "status": 400,
          "request_id": "[request id]",
          "suggested_fix": "Please check the payload.",
          "errors": [
            "Error in payload.type: Invalid discriminator value. Expected 'custom' | 'default'"
          ]
        }
      }
    }
    "#);
    let mut too_big = oversized("name");
    too_big["type"] = "custom".into();
    let reply = composio::patch(&app, composio::ids::GITHUB, composio::keys::DEMO, &too_big).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 413,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Request body is larger than the limit of 1048576 bytes",
          "code": 10413,
          "slug": "Http_PayloadTooLarge",
          "status": 413,
          "request_id": "[request id]"
        }
      }
    }
    "#);
    let reply = composio::get(&app, composio::ids::GITHUB, composio::keys::DEMO).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "id": "ac_gHc7Qm2xLp9T",
        "uuid": "5b0c7e0a-1f3d-4c2b-9a8e-0d1c2b3a4f01",
        "type": "custom",
        "toolkit": {
          "slug": "github",
          "logo": "https://logos.composio.dev/api/github"
        },
        "name": "GitHub (own OAuth app)",
        "status": "ENABLED",
        "no_of_connections": 3,
        "tool_access_config": {
          "tools_for_connected_account_creation": [
            "GITHUB_CREATE_AN_ISSUE"
          ],
          "tools_available_for_execution": [
            "GITHUB_CREATE_AN_ISSUE",
            "GITHUB_LIST_REPOSITORY_ISSUES"
          ]
        },
        "auth_scheme": "OAUTH2",
        "is_composio_managed": false,
        "credentials": {
          "client_id": "Iv1.demo0github0client",
          "client_secret": "****0001",
          "scopes": [
            "repo",
            "read:user"
          ]
        },
        "created_by": "demo@patchbay.local",
        "created_at": "2025-03-03T09:00:00.000Z",
        "last_updated_at": "2025-03-03T09:00:00.000Z",
        "restrict_to_following_tools": [
          "GITHUB_CREATE_AN_ISSUE",
          "GITHUB_LIST_REPOSITORY_ISSUES"
        ],
        "shared_credentials": {},
        "is_enabled_for_tool_router": false
      }
    }
    "#);
}

/// [`pinned`] with Composio's generated values replaced once checked: a new config's id (`ac_` + 12),
/// a revoke job's id (`pj_` + 12) and a list's `next_cursor` (when there is one).
fn pinned_composio(app: &TestApp, reply: &Reply) -> Value {
    let mut pinned = pinned(app, reply);
    let body = &mut pinned["body"];
    for (pointer, prefix, placeholder) in [
        ("/auth_config/id", "ac_", "[ac_ id]"),
        ("/revoke_job_id", "pj_", "[pj_ id]"),
    ] {
        if let Some(value) = body.pointer_mut(pointer) {
            let text = value.as_str().unwrap_or_default();
            assert!(text.starts_with(prefix) && text.len() == 15, "{text}");
            *value = placeholder.into();
        }
    }
    if let Some(cursor) = body
        .get_mut("next_cursor")
        .filter(|cursor| cursor.is_string())
    {
        *cursor = "[cursor]".into();
    }
    pinned
}

macro_rules! assert_composio_snapshot {
    ($app:expr, $reply:expr, @$snapshot:literal) => {
        insta::assert_json_snapshot!(pinned_composio($app, $reply), {
            ".body.error.request_id" => "[request id]",
        }, @$snapshot)
    };
}

#[tokio::test]
async fn composios_lifecycle_replies() {
    let app = spawn_app().await;
    let key = composio::keys::DEMO;
    let reply = composio::list(&app, key, "limit=1").await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "items": [
          {
            "id": "ac_nTn9Hs2jWq8F",
            "uuid": "5b0c7e0a-1f3d-4c2b-9a8e-0d1c2b3a4f05",
            "type": "default",
            "toolkit": {
              "slug": "notion",
              "logo": "https://logos.composio.dev/api/notion"
            },
            "name": "Notion",
            "status": "ENABLED",
            "no_of_connections": 0,
            "tool_access_config": {
              "tools_for_connected_account_creation": [],
              "tools_available_for_execution": []
            },
            "auth_scheme": "OAUTH2",
            "is_composio_managed": true,
            "credentials": {},
            "created_at": "2025-03-07T09:45:00.000Z",
            "last_updated_at": "2025-03-07T09:45:00.000Z",
            "restrict_to_following_tools": [],
            "shared_credentials": {},
            "is_enabled_for_tool_router": false
          }
        ],
        "next_cursor": "[cursor]",
        "total_pages": 4,
        "current_page": 1,
        "total_items": 4
      }
    }
    "#);
    let reply = composio::list_at(
        &app,
        "/api/v3/auth_configs",
        key,
        "limit=1&toolkit_slug=slack",
    )
    .await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "items": [
          {
            "id": "ac_sLk4Vb8nRw2E",
            "uuid": "5b0c7e0a-1f3d-4c2b-9a8e-0d1c2b3a4f02",
            "type": "default",
            "toolkit": {
              "slug": "slack",
              "logo": "https://logos.composio.dev/api/slack"
            },
            "name": "Slack (Composio managed)",
            "status": "ENABLED",
            "no_of_connections": 12,
            "tool_access_config": {
              "tools_for_connected_account_creation": [],
              "tools_available_for_execution": []
            },
            "auth_scheme": "OAUTH2",
            "is_composio_managed": true,
            "credentials": {
              "scopes": [
                "chat:write",
                "channels:read"
              ],
              "user_scopes": [
                "search:read"
              ]
            },
            "created_by": "demo@patchbay.local",
            "created_at": "2025-03-04T10:30:00.000Z",
            "last_updated_at": "2025-04-01T08:00:00.000Z",
            "restrict_to_following_tools": [],
            "shared_credentials": {},
            "is_enabled_for_tool_router": true,
            "deprecated_params": {
              "default_connector_id": null
            }
          }
        ],
        "next_cursor": null,
        "total_pages": 1,
        "current_page": 1,
        "total_items": 1
      }
    }
    "#);
    let custom = json!({"toolkit": {"slug": "github"}, "auth_config": {
        "type": "use_custom_auth", "authScheme": "OAUTH2", "name": "Snapshot",
        "credentials": {"client_id": "c", "client_secret": "s"}
    }});
    let reply = composio::create(&app, key, &custom).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 201,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "toolkit": {
          "slug": "github"
        },
        "auth_config": {
          "id": "[ac_ id]",
          "auth_scheme": "OAUTH2",
          "is_composio_managed": false,
          "restrict_to_following_tools": []
        }
      }
    }
    "#);
    let reply = composio::set_status(&app, composio::ids::SLACK, "DISABLED", key).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "success": true,
        "message": "Auth config disabled successfully"
      }
    }
    "#);
    let reply = composio::delete(&app, composio::ids::SLACK, key).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "success": true,
        "message": "Auth config deleted successfully"
      }
    }
    "#);
    let path = format!(
        "{}?revoke_on_delete=true",
        composio::config_path(composio::ids::GITHUB)
    );
    let reply = composio::delete_at(&app, &path, key).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "success": true,
        "message": "Auth config deleted successfully",
        "revoke_job_id": "[pj_ id]"
      }
    }
    "#);
    let reply = composio::create(&app, key, &json!({"toolkit": {"slug": "nope"}})).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Toolkit \"nope\" not found",
          "code": 10404,
          "slug": "Toolkit_NotFound",
          "status": 404,
          "request_id": "[request id]"
        }
      }
    }
    "#);
    let reply = composio::create(&app, key, &json!({"toolkit": {"slug": "pinecone"}})).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Default auth config not found for toolkit \"pinecone\". Composio does not have managed credentials for this toolkit.",
          "code": 306,
          "slug": "Auth_Config_DefaultAuthConfigNotFound",
          "status": 400,
          "request_id": "[request id]"
        }
      }
    }
    "#);
    let shopify = json!({"toolkit": {"slug": "shopify"}, "auth_config": {"type": "use_custom_auth", "authScheme": "OAUTH2"}});
    let reply = composio::create(&app, key, &shopify).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Missing required field \"Client id\" for auth scheme \"OAUTH2\" in toolkit \"shopify\" (Client id of the app)",
          "code": 301,
          "slug": "Auth_Config_ValidationError",
          "status": 400,
          "request_id": "[request id]"
        }
      }
    }
    "#);
    let reply = composio::create(&app, key, &json!({"auth_config": {"type": "default"}})).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Validation error while processing request",
          "code": 10400,
          "slug": "Http_ValidationError",
          "status": 400,
          "request_id": "[request id]",
          "suggested_fix": "Please check the payload.",
          "errors": [
            "Error in payload.toolkit: Required",
            "Error in payload.auth_config.type: Invalid discriminator value. Expected 'use_composio_managed_auth' | 'use_custom_auth'"
          ]
        }
      }
    }
    "#);
    let reply = composio::list(&app, key, "limit=51&cursor=x").await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Validation error while processing request",
          "code": 10400,
          "slug": "Http_ValidationError",
          "status": 400,
          "request_id": "[request id]",
          "suggested_fix": "Please check the payload.",
          "errors": [
            "Error in query.limit: Number must be less than or equal to 50",
            "Error in query.cursor: Invalid cursor"
          ]
        }
      }
    }
    "#);
    let reply = composio::set_status(&app, composio::ids::LINEAR, "enabled", key).await;
    assert_composio_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json",
      "x-request-id": "[uuid]",
      "body": {
        "error": {
          "message": "Validation error while processing request",
          "code": 10400,
          "slug": "Http_ValidationError",
          "status": 400,
          "request_id": "[request id]",
          "suggested_fix": "Please check the payload.",
          "errors": [
            "Error in path.status: Invalid enum value. Expected 'ENABLED' | 'DISABLED', received 'enabled'"
          ]
        }
      }
    }
    "#);
}

#[tokio::test]
async fn nylass_replies() {
    let app = spawn_app().await;
    let google = nylas::ids::DEV_GOOGLE_CONNECTOR;
    let path = nylas::creds_path("google", google);

    let reply = nylas::patch_raw(
        &app,
        &path,
        &[("content-type", "application/json")],
        br#"{"name":"x"}"#,
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.authentication_error",
          "message": "Unauthorized"
        }
      }
    }
    "#);
    let reply = nylas::patch(
        &app,
        "google",
        google,
        nylas::keys::UNKNOWN,
        &json!({"name": "x"}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 401,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "code": "token.unauthorized_access",
          "type": "token.unauthorized_access",
          "message": "Bearer token invalid"
        }
      }
    }
    "#);
    let reply = nylas::patch(
        &app,
        "google",
        nylas::ids::UNKNOWN,
        nylas::keys::DEV,
        &json!({"name": "x"}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.not_found_error",
          "message": "Credential \"0f0e0d0c-0b0a-4908-8706-050403020100\" not found"
        }
      }
    }
    "#);
    let reply = app
        .call(&nylas::CLIENT, Method::PUT, &path, nylas::keys::DEV, None)
        .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.not_found_error",
          "message": "Resource not found: no route PUT /v3/connectors/google/creds/a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"
        }
      }
    }
    "#);
    let bearer = format!("Bearer {}", nylas::keys::DEV);
    let with_key = [
        ("authorization", bearer.as_str()),
        ("content-type", "application/json"),
    ];
    let reply = nylas::patch_raw(&app, &path, &with_key, br#"{"name":"#).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.invalid_request_payload",
          "message": "Invalid JSON payload format: EOF while parsing a value in JSON at position 8"
        }
      }
    }
    "#);
    let reply = nylas::patch(
        &app,
        "google",
        google,
        nylas::keys::DEV,
        &json!({"name": 1}),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.invalid_request_error",
          "message": "Invalid request body: field \"name\" must be a string, got number"
        }
      }
    }
    "#);
    let reply = nylas::patch(&app, "google", google, nylas::keys::DEV, &oversized("name")).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 413,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.invalid_request_error",
          "message": "The request body is larger than the limit of 1048576 bytes"
        }
      }
    }
    "#);
    let reply = nylas::get(&app, "google", google, nylas::keys::DEV).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "data": {
          "id": "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601",
          "name": "Google connector override",
          "created_at": 1736154000,
          "updated_at": 1736154000
        }
      }
    }
    "#);
}

/// The lifecycle's replies: connectors and credentials created, listed, refused and deleted. A new
/// credential's id and a new record's seconds are redacted. Facts: LIFECYCLE.md §3.2 (statuses,
/// bodies), §3.5 (the errors patchbay chose).
#[tokio::test]
async fn nylass_lifecycle_replies() {
    let app = spawn_app().await;
    let send = |method: Method, path: &'static str, body: Option<Value>| {
        let app = &app;
        async move {
            let body = body.map(|body| serde_json::to_vec(&body).expect("JSON"));
            app.call(
                &nylas::CLIENT,
                method,
                path,
                nylas::keys::PROD,
                body.as_deref(),
            )
            .await
        }
    };
    macro_rules! assert_lifecycle_snapshot {
        ($reply:expr, @$snapshot:literal) => {
            insta::assert_json_snapshot!(pinned(&app, $reply), {
                ".body.request_id" => "[request id]",
                ".body.data.id" => "[new id]",
                ".body.data.active_credential_id" => "[new id]",
                ".body.data.created_at" => "[seconds]",
                ".body.data.updated_at" => "[seconds]",
            }, @$snapshot)
        };
    }

    let reply = send(Method::GET, "/v3/connectors?limit=1&offset=1", None).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "data": [
          {
            "name": "Microsoft Connector",
            "provider": "microsoft",
            "settings": {},
            "scope": [
              "Mail.Read"
            ],
            "active_credential_id": "09d7c8ba-b1c4-4fd6-8a57-18293a4b5c67"
          }
        ],
        "limit": 1,
        "offset": 1
      }
    }
    "#);
    let reply = send(
        Method::POST,
        "/v3/connectors",
        Some(
            json!({"provider": "zoom", "settings": {"client_id": "z", "client_secret": "hidden"}}),
        ),
    )
    .await;
    assert_lifecycle_snapshot!(&reply, @r#"
    {
      "status": 201,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "data": {
          "name": "Zoom Connector",
          "provider": "zoom",
          "settings": {},
          "scope": [],
          "active_credential_id": "[new id]"
        }
      }
    }
    "#);
    let reply = send(
        Method::POST,
        "/v3/connectors",
        Some(json!({"provider": "zoom", "settings": {"client_id": "z", "client_secret": "s"}})),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.invalid_request_error",
          "message": "A connector for provider zoom already exists"
        }
      }
    }
    "#);
    let reply = send(Method::GET, "/v3/connectors/imap", None).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 404,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.not_found_error",
          "message": "Connector \"imap\" not found"
        }
      }
    }
    "#);
    let reply = send(
        Method::POST,
        "/v3/connectors/google/creds",
        Some(json!({"name": "Override", "credential_type": "connector", "credential_data": {"client_id": "i", "client_secret": "hidden"}})),
    )
    .await;
    assert_lifecycle_snapshot!(&reply, @r#"
    {
      "status": 201,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "data": {
          "id": "[new id]",
          "name": "Override",
          "created_at": "[seconds]",
          "updated_at": "[seconds]"
        }
      }
    }
    "#);
    let reply = send(
        Method::POST,
        "/v3/connectors/google/creds",
        Some(json!({"name": "Override", "credential_type": "connector", "credential_data": {"client_id": "other", "client_secret": "s"}})),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.invalid_request_error",
          "message": "A credential named \"Override\" already exists for connector google"
        }
      }
    }
    "#);
    let reply = send(
        Method::GET,
        "/v3/connectors/google/creds?limit=1&order_by=asc",
        None,
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "data": [
          {
            "id": "f8c6b7a9-a0b3-4ec5-9f46-0718293a4b56",
            "name": "Google connector override",
            "created_at": 1735689600,
            "updated_at": 1735776000
          }
        ],
        "limit": 1,
        "offset": 0
      }
    }
    "#);
    let reply = send(
        Method::GET,
        "/v3/connectors/google/creds?sort_by=name",
        None,
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.invalid_request_error",
          "message": "Invalid query parameter \"sort_by\": must be created_at or updated_at"
        }
      }
    }
    "#);
    let reply = send(
        Method::DELETE,
        "/v3/connectors/google/creds/f8c6b7a9-a0b3-4ec5-9f46-0718293a4b56",
        None,
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.invalid_request_error",
          "message": "Credential \"f8c6b7a9-a0b3-4ec5-9f46-0718293a4b56\" is the active credential of connector google and cannot be deleted"
        }
      }
    }
    "#);
    let reply = send(
        Method::PATCH,
        "/v3/connectors/google",
        Some(json!({"active_credential_id": "0f0e0d0c-0b0a-4908-8706-050403020100"})),
    )
    .await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 400,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]",
        "error": {
          "type": "api.invalid_request_error",
          "message": "Credential \"0f0e0d0c-0b0a-4908-8706-050403020100\" is not a credential of connector google"
        }
      }
    }
    "#);
    let reply = send(Method::DELETE, "/v3/connectors/microsoft", None).await;
    assert_reply_snapshot!(&app, &reply, @r#"
    {
      "status": 200,
      "content-type": "application/json; charset=utf-8",
      "x-request-id": "[uuid]",
      "body": {
        "request_id": "[request id]"
      }
    }
    "#);
}

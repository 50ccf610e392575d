//! `PATCH /integrations/v1/{integrationId}/auth`: `authType` required and one of the documented
//! types, `authFields` with their limits and unique slugs, `authTestCode`, `oauthClient` only for
//! the OAuth types (its secret write-only); every violation in one 400; the key, scope, id and
//! workspace rules of the update. Facts: LIFECYCLE.md §4.5; VENDORS.md §8 "Langdock".

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

const NO_SCOPE: &str = "The provided API key does not have the required scope: INTEGRATION_API";

#[tokio::test]
async fn an_auth_update_answers_the_integration_as_get_shows_it() {
    let app = spawn_app().await;
    let before = stored(&app, "acme", ids::STATUS_PAGE).await;
    let reply = patch_auth(
        &app,
        ids::STATUS_PAGE,
        keys::ACME_FULL,
        &json!({
            "authType": "API_KEY",
            "authFields": [
                {"slug": "api_key", "label": "API Key", "type": "PASSWORD", "required": true,
                 "description": "Your key", "placeholder": "sk-..."},
                {"id": "chosen-by-the-client", "slug": "region", "label": "Region", "type": "TEXT"}
            ],
            "authTestCode": "return ld.request({url: 'https://status.example.com/me'});"
        }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    let integration = &body["integration"];
    let fields = integration["authFields"].as_array().expect("authFields");
    let field_ids: Vec<&str> = fields
        .iter()
        .map(|field| field["id"].as_str().expect("an id"))
        .collect();
    for id in &field_ids {
        assert!(uuid::Uuid::try_parse(id).is_ok(), "{id}: generated");
    }
    assert_ne!(field_ids[0], field_ids[1]);
    assert_eq!(
        body,
        json!({"integration": {
            "id": ids::STATUS_PAGE, "name": "Status Page", "description": "", "authType": "API_KEY",
            "authTestCode": "return ld.request({url: 'https://status.example.com/me'});",
            "authFields": [
                {"id": field_ids[0], "slug": "api_key", "label": "API Key", "type": "PASSWORD",
                 "description": "Your key", "placeholder": "sk-...", "required": true},
                {"id": field_ids[1], "slug": "region", "label": "Region", "type": "TEXT",
                 "description": "", "placeholder": null, "required": false}
            ],
            "oauthClient": null, "actions": [], "triggers": []
        }})
    );
    assert_eq!(
        get(&app, ids::STATUS_PAGE, keys::ACME_FULL).await.json(),
        body
    );
    let after = stored(&app, "acme", ids::STATUS_PAGE).await;
    assert!(after["updatedAt"].as_str() > before["updatedAt"].as_str());
    assert_eq!(after["createdAt"], before["createdAt"]);
}

#[tokio::test]
async fn fields_not_sent_are_kept() {
    let app = spawn_app().await;
    let before = get(&app, ids::CRM, keys::ACME_FULL).await.json();
    let reply = patch_auth(
        &app,
        ids::CRM,
        keys::ACME_FULL,
        &json!({"authType": "SERVICE_ACCOUNT"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let mut expected = before.clone();
    expected["integration"]["authType"] = json!("SERVICE_ACCOUNT");
    assert_eq!(reply.json(), expected);
    // `null` clears the test code; `[]` empties the fields.
    let reply = patch_auth(
        &app,
        ids::CRM,
        keys::ACME_FULL,
        &json!({"authType": "API_KEY", "authTestCode": null, "authFields": []}),
    )
    .await;
    assert_eq!(reply.json()["integration"]["authTestCode"], Value::Null);
    assert_eq!(reply.json()["integration"]["authFields"], json!([]));
    assert_eq!(
        reply.json()["integration"]["actions"],
        before["integration"]["actions"]
    );
    assert_eq!(
        stored(&app, "acme", ids::CRM).await["iconUrl"],
        "https://cdn.example.com/icons/crm.png"
    );
}

#[tokio::test]
async fn the_oauth_client_secret_is_write_only_and_goes_with_a_non_oauth_type() {
    let app = spawn_app().await;
    let reply = patch_auth(
        &app,
        ids::STATUS_PAGE,
        keys::ACME_FULL,
        &json!({"authType": "OAUTH", "oauthClient": {
            "clientId": "status-client", "clientSecret": "status-client-secret-0001",
            "authUrl": "https://status.example.com/oauth/authorize"
        }}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(
        !reply.text.contains("status-client-secret-0001"),
        "{}",
        reply.text
    );
    assert_eq!(
        reply.json()["integration"]["oauthClient"],
        json!({"clientId": "status-client", "authUrl": "https://status.example.com/oauth/authorize"})
    );
    assert_eq!(
        stored(&app, "acme", ids::STATUS_PAGE).await["oauthClient"]["clientSecret"],
        "status-client-secret-0001"
    );
    // A client sent again without its secret keeps the stored one (the client cannot read it).
    let reply = patch_auth(
        &app,
        ids::STATUS_PAGE,
        keys::ACME_FULL,
        &json!({"authType": "OAUTH_DCR", "oauthClient": {"clientId": "status-client-2"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        stored(&app, "acme", ids::STATUS_PAGE).await["oauthClient"],
        json!({"clientId": "status-client-2", "clientSecret": "status-client-secret-0001"})
    );
    // A type without an OAuth client drops it, secret included.
    let reply = patch_auth(
        &app,
        ids::TICKETING,
        keys::ACME_FULL,
        &json!({"authType": "NONE"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json()["integration"]["oauthClient"], Value::Null);
    let record = stored(&app, "acme", ids::TICKETING).await;
    assert_eq!(record["oauthClient"], Value::Null);
    assert!(!record.to_string().contains("demo-ticketing-client-secret"));
}

#[tokio::test]
async fn every_violation_is_reported_in_one_400_and_nothing_changes() {
    let app = spawn_app().await;
    let before = stored(&app, "acme", ids::CRM).await;
    let one_of = "authType must be one of NONE, API_KEY, SERVICE_ACCOUNT, OAUTH, OAUTH_DCR";
    let types = "TEXT, MULTI_LINE_TEXT, PASSWORD, NUMBER, EMBEDDING_MODEL";
    let cases: Vec<(Value, String)> = vec![
        (json!({}), "authType is required".into()),
        (json!({"authType": "BASIC"}), one_of.into()),
        (json!({"authType": "api_key"}), one_of.into()),
        (json!({"authType": null}), one_of.into()),
        (
            json!({"authType": "API_KEY", "authFields": "api_key"}),
            "authFields must be an array".into(),
        ),
        (
            json!({"authType": "API_KEY", "authFields": [null]}),
            "authFields[0] must be an object".into(),
        ),
        (
            json!({"authType": "API_KEY", "authFields": [{"label": "L", "type": "TEXT"}]}),
            "authFields[0].slug is required".into(),
        ),
        (
            json!({"authType": "API_KEY", "authFields": [{"slug": "s".repeat(101), "label": "l".repeat(101), "type": "BOOLEAN"}]}),
            format!("authFields[0].slug must be at most 100 characters; authFields[0].label must be at most 100 characters; authFields[0].type must be one of {types}"),
        ),
        (
            json!({"authType": "API_KEY", "authFields": [{"slug": "a", "label": "A", "type": "TEXT",
                   "description": "d".repeat(501), "placeholder": "p".repeat(201), "required": 1}]}),
            "authFields[0].description must be at most 500 characters; authFields[0].placeholder must be at most 200 characters; authFields[0].required must be a boolean".into(),
        ),
        (
            json!({"authType": "API_KEY", "authFields": [
                {"slug": "key", "label": "Key", "type": "PASSWORD"},
                {"slug": "key", "label": "Key again", "type": "TEXT"}
            ]}),
            "authFields[1].slug must be unique within the integration".into(),
        ),
        (
            json!({"authType": "API_KEY", "authTestCode": "c".repeat(1001)}),
            "authTestCode must be at most 1000 characters".into(),
        ),
        (
            json!({"authType": "API_KEY", "authTestCode": ["code"]}),
            "authTestCode must be a string".into(),
        ),
        (
            json!({"authType": "API_KEY", "oauthClient": {"clientId": "c"}}),
            "oauthClient is only allowed when authType is OAUTH or OAUTH_DCR".into(),
        ),
        (
            json!({"authType": "OAUTH", "oauthClient": []}),
            "oauthClient must be an object".into(),
        ),
        (
            json!({"authType": "OAUTH", "oauthClient": {"clientSecret": false}}),
            "oauthClient.clientSecret must be a string".into(),
        ),
        (
            json!({"authType": "NONE", "authFields": [{}, {"slug": 1, "label": "", "type": "TEXT"}], "authTestCode": 1}),
            "authFields[0].slug is required; authFields[0].label is required; authFields[0].type is required; \
             authFields[1].slug must be a string; authFields[1].label must not be empty; authTestCode must be a string"
                .into(),
        ),
    ];
    for (body, problems) in cases {
        let reply = patch_auth(&app, ids::CRM, keys::ACME_FULL, &body).await;
        assert_error(&reply, 400, &format!("Invalid request body: {problems}"));
    }
    let path = format!("/integrations/v1/{}/auth", ids::CRM);
    for body in [&b"[]"[..], b"\"API_KEY\"", b"null"] {
        let reply = patch_raw(&app, &path, keys::ACME_FULL, body).await;
        assert_error(&reply, 400, "Invalid request body: expected a JSON object");
    }
    for body in [&b""[..], b" "] {
        let reply = patch_raw(&app, &path, keys::ACME_FULL, body).await;
        assert_error(
            &reply,
            400,
            "Invalid JSON in request body: Unexpected end of JSON input",
        );
    }
    let reply = patch_raw(&app, &path, keys::ACME_FULL, b"{\"authType\": }").await;
    let text = reply.json()["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(
        reply.status == StatusCode::BAD_REQUEST
            && text.starts_with("Invalid JSON in request body: ")
            && text.ends_with("in JSON at position 13"),
        "{text}"
    );
    assert_eq!(stored(&app, "acme", ids::CRM).await, before);
}

#[tokio::test]
async fn the_limits_are_inclusive_and_count_utf16_units() {
    let app = spawn_app().await;
    let reply = patch_auth(
        &app,
        ids::CRM,
        keys::ACME_FULL,
        &json!({"authType": "API_KEY", "authTestCode": "😀".repeat(500),
                "authFields": [{"slug": "s".repeat(100), "label": "😀".repeat(50), "type": "EMBEDDING_MODEL",
                                "description": "d".repeat(500), "placeholder": "p".repeat(200)}]}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = patch_auth(
        &app,
        ids::CRM,
        keys::ACME_FULL,
        &json!({"authType": "API_KEY", "authTestCode": format!("{}c", "😀".repeat(500))}),
    )
    .await;
    assert_error(
        &reply,
        400,
        "Invalid request body: authTestCode must be at most 1000 characters",
    );
}

#[tokio::test]
async fn the_key_scope_id_and_workspace_rules_are_the_updates() {
    let app = spawn_app().await;
    let body = json!({"authType": "NONE"});
    assert_error(
        &patch_auth(&app, ids::CRM, keys::UNKNOWN, &body).await,
        401,
        "The provided API key is invalid.",
    );
    assert_error(
        &patch_auth(&app, ids::CRM, keys::ACME_ASSISTANT, &body).await,
        403,
        NO_SCOPE,
    );
    assert_error(
        &patch_auth(&app, "not-a-uuid", keys::ACME_FULL, &body).await,
        400,
        "Invalid integration ID",
    );
    assert_error(
        &patch_auth(&app, ids::MISSING, keys::ACME_FULL, &body).await,
        404,
        "Integration not found",
    );
    assert_error(
        &patch_auth(&app, ids::CRM, keys::GLOBEX, &body).await,
        403,
        "No access to this integration",
    );
    // The order: key, scope, id, body, then the lookup.
    let reply = patch_raw(
        &app,
        "/integrations/v1/nope/auth",
        keys::ACME_ASSISTANT,
        b"{",
    )
    .await;
    assert_error(&reply, 403, NO_SCOPE);
    let reply = patch_raw(&app, "/integrations/v1/nope/auth", keys::ACME_FULL, b"{").await;
    assert_error(&reply, 400, "Invalid integration ID");
    let reply = patch_auth(&app, ids::MISSING, keys::ACME_FULL, &json!({})).await;
    assert_error(&reply, 400, "Invalid request body: authType is required");
    assert_eq!(stored(&app, "acme", ids::CRM).await["authType"], "API_KEY");
    // An upper-case id finds the record.
    let reply = patch_auth(&app, &ids::CRM.to_uppercase(), keys::ACME_FULL, &body).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["integration"]["id"], ids::CRM);
}

#[tokio::test]
async fn every_prefix_serves_the_auth_update_and_it_survives_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    for (prefix, auth_type) in [
        ("/api/public", "OAUTH_DCR"),
        ("/langdock", "SERVICE_ACCOUNT"),
    ] {
        let body = serde_json::to_vec(&json!({"authType": auth_type})).expect("JSON");
        let reply = patch_raw(
            &app,
            &format!("{prefix}/integrations/v1/{}/auth", ids::GLOBEX_ERP),
            keys::GLOBEX,
            &body,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{prefix}: {}", reply.text);
        assert_eq!(
            get(&app, ids::GLOBEX_ERP, keys::GLOBEX).await.json()["integration"]["authType"],
            auth_type
        );
    }
    let before = stored(&app, "globex", ids::GLOBEX_ERP).await;
    let dir = app.stop().await;
    let app = spawn_app_on(&db).await;
    assert_eq!(stored(&app, "globex", ids::GLOBEX_ERP).await, before);
    assert_eq!(before["authType"], "SERVICE_ACCOUNT");
    app.stop().await;
    drop(dir);
}

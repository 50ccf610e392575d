//! `POST /integrations/v1/create`: the documented 201 `{integration:{id,name,description,createdAt}}`,
//! the name and description rules (every violation in one 400), the key and scope, every prefix,
//! and persistence. Facts: LIFECYCLE.md §4.2; VENDORS.md §4 and §8 "Langdock".

use super::*;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

const NO_SCOPE: &str = "The provided API key does not have the required scope: INTEGRATION_API";

fn is_lower_case_uuid_v4(id: &str) -> bool {
    uuid::Uuid::try_parse(id).is_ok_and(|uuid| uuid.get_version_num() == 4)
        && id.len() == 36
        && id == id.to_lowercase()
}

#[tokio::test]
async fn the_docs_example_answers_201_with_the_documented_fields() {
    let app = spawn_app().await;
    let started = chrono::Utc::now() - chrono::Duration::seconds(1);
    let reply = create(
        &app,
        keys::ACME_FULL,
        &json!({"name": "My Custom Integration", "description": "Connects to my internal company API for data retrieval"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    let keys: Vec<&String> = body["integration"]
        .as_object()
        .expect("integration")
        .keys()
        .collect();
    assert_eq!(keys, ["id", "name", "description", "createdAt"]);
    assert_eq!(body.as_object().map(|top| top.len()), Some(1), "{body}");
    let id = body["integration"]["id"].as_str().expect("id");
    assert!(is_lower_case_uuid_v4(id), "{id}");
    assert_eq!(body["integration"]["name"], "My Custom Integration");
    assert_eq!(
        body["integration"]["description"],
        "Connects to my internal company API for data retrieval"
    );
    let created_at = body["integration"]["createdAt"]
        .as_str()
        .expect("createdAt");
    // JavaScript's toISOString: milliseconds and Z.
    assert_eq!(created_at.len(), 24, "{created_at}");
    assert!(created_at.ends_with('Z'), "{created_at}");
    let parsed = chrono::DateTime::parse_from_rfc3339(created_at).expect("ISO 8601");
    assert!(parsed >= started, "{created_at}");

    // A custom integration with nothing configured yet.
    let read = get(&app, id, keys::ACME_FULL).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(
        read.json(),
        json!({"integration": {
            "id": id, "name": "My Custom Integration",
            "description": "Connects to my internal company API for data retrieval",
            "authType": "NONE", "authTestCode": null, "authFields": [], "oauthClient": null,
            "actions": [], "triggers": []
        }})
    );
    let record = stored(&app, "acme", id).await;
    assert_eq!(record["buildByLangdock"], false);
    assert_eq!(record["createdAt"], created_at);
    assert_eq!(record["updatedAt"], created_at);
}

#[tokio::test]
async fn the_description_defaults_to_empty_and_unknown_keys_are_ignored() {
    let app = spawn_app().await;
    let reply = create(
        &app,
        keys::GLOBEX,
        &json!({"name": "Bare", "iconUrl": "not a url", "color": 5, "authType": "OAUTH", "id": ids::CRM}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let integration = &reply.json()["integration"];
    assert_eq!(integration["description"], "");
    assert_ne!(integration["id"], ids::CRM);
    let id = integration["id"].as_str().expect("id");
    let record = stored(&app, "globex", id).await;
    assert_eq!(record["authType"], "NONE");
    assert!(record.get("iconUrl").is_none(), "{record}");
    assert!(record.get("color").is_none(), "{record}");
}

#[tokio::test]
async fn every_rule_is_reported_in_one_400_and_nothing_is_stored() {
    let app = spawn_app().await;
    let before = workspace(&app, "acme").await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "name is required"),
        (json!({"description": "only"}), "name is required"),
        (json!({"name": ""}), "name must not be empty"),
        (json!({"name": 40}), "name must be a string"),
        (json!({"name": null}), "name must be a string"),
        (
            json!({"name": "n".repeat(41)}),
            "name must be at most 40 characters",
        ),
        (
            json!({"name": format!("{}a", "😀".repeat(20))}),
            "name must be at most 40 characters",
        ),
        (
            json!({"name": "ok", "description": "d".repeat(91)}),
            "description must be at most 90 characters",
        ),
        (
            json!({"name": "ok", "description": null}),
            "description must be a string",
        ),
        (
            json!({"name": "n".repeat(41), "description": ["d"]}),
            "name must be at most 40 characters; description must be a string",
        ),
        (
            json!({"description": 1}),
            "name is required; description must be a string",
        ),
    ];
    for (body, problems) in cases {
        let reply = create(&app, keys::ACME_FULL, &body).await;
        assert_error(&reply, 400, &format!("Invalid request body: {problems}"));
    }
    for body in [&b"[]"[..], b"\"x\"", b"null", b"7"] {
        let reply = post_raw(&app, "/integrations/v1/create", keys::ACME_FULL, body).await;
        assert_error(&reply, 400, "Invalid request body: expected a JSON object");
    }
    let reply = post_raw(&app, "/integrations/v1/create", keys::ACME_FULL, b"").await;
    assert_error(
        &reply,
        400,
        "Invalid JSON in request body: Unexpected end of JSON input",
    );
    assert_eq!(workspace(&app, "acme").await, before);
}

#[tokio::test]
async fn the_limits_are_inclusive_and_count_utf16_units() {
    let app = spawn_app().await;
    let (name, description) = ("😀".repeat(20), "d".repeat(90));
    let reply = create(
        &app,
        keys::ACME_FULL,
        &json!({"name": name, "description": description}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.json()["integration"]["name"], name);
}

#[tokio::test]
async fn a_create_needs_a_known_key_with_integration_api() {
    let app = spawn_app().await;
    let before = (
        workspace(&app, "acme").await,
        workspace(&app, "globex").await,
    );
    let body = json!({"name": "x"});
    assert_error(
        &create(&app, keys::UNKNOWN, &body).await,
        401,
        "The provided API key is invalid.",
    );
    let reply = app
        .send(
            reqwest::Method::POST,
            "/integrations/v1/create",
            &[("content-type", "application/json")],
            Some(b"{\"name\":\"x\"}".to_vec()),
        )
        .await;
    assert_error(&reply, 401, "The provided API key is invalid.");
    assert_error(
        &create(&app, keys::ACME_ASSISTANT, &body).await,
        403,
        NO_SCOPE,
    );
    assert_error(
        &create(&app, keys::GLOBEX_NO_SCOPES, &body).await,
        403,
        NO_SCOPE,
    );
    // The key and the scope come before the body.
    let reply = post_raw(&app, "/integrations/v1/create", keys::UNKNOWN, b"{").await;
    assert_error(&reply, 401, "The provided API key is invalid.");
    let reply = post_raw(&app, "/integrations/v1/create", keys::ACME_ASSISTANT, b"{").await;
    assert_error(&reply, 403, NO_SCOPE);
    assert_eq!(
        (
            workspace(&app, "acme").await,
            workspace(&app, "globex").await
        ),
        before
    );
}

#[tokio::test]
async fn names_need_not_be_unique_and_each_create_gets_its_own_id() {
    let app = spawn_app().await;
    let first = create(&app, keys::ACME_FULL, &json!({"name": "Internal CRM"})).await;
    let second = create(&app, keys::ACME_FULL, &json!({"name": "Internal CRM"})).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_ne!(
        first.json()["integration"]["id"],
        second.json()["integration"]["id"]
    );
}

#[tokio::test]
async fn every_prefix_creates_in_the_same_workspace() {
    let app = spawn_app().await;
    for prefix in ["/api/public", "/langdock"] {
        let body = serde_json::to_vec(&json!({"name": format!("Via {prefix}")})).expect("JSON");
        let reply = post_raw(
            &app,
            &format!("{prefix}/integrations/v1/create"),
            keys::ACME_FULL,
            &body,
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{prefix}: {}",
            reply.text
        );
        let id = reply.json()["integration"]["id"]
            .as_str()
            .expect("id")
            .to_string();
        let read = get(&app, &id, keys::ACME_FULL).await;
        assert_eq!(read.json()["integration"]["name"], format!("Via {prefix}"));
    }
}

#[tokio::test]
async fn a_created_integration_is_updated_like_any_other() {
    let app = spawn_app().await;
    let reply = create(&app, keys::ACME_FULL, &json!({"name": "Fresh"})).await;
    let id = reply.json()["integration"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let reply = patch(
        &app,
        &id,
        keys::ACME_FULL,
        &json!({"description": "Now described", "color": "#abc"}),
    )
    .await;
    assert_eq!(
        reply.json(),
        json!({"integration": {"id": id, "name": "Fresh", "description": "Now described"}})
    );
    let record = stored(&app, "acme", &id).await;
    assert_eq!(record["color"], "#abc");
    assert!(record["updatedAt"].as_str() > record["createdAt"].as_str());
}

#[tokio::test]
async fn a_created_integration_survives_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let reply = create(
        &app,
        keys::GLOBEX,
        &json!({"name": "Kept", "description": "across restarts"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let created = reply.json()["integration"].clone();
    let id = created["id"].as_str().expect("id").to_string();
    let before = stored(&app, "globex", &id).await;
    let listed = list(&app, keys::GLOBEX).await.json();
    let dir = app.stop().await;

    let app = spawn_app_on(&db).await;
    assert_eq!(stored(&app, "globex", &id).await, before);
    assert_eq!(list(&app, keys::GLOBEX).await.json(), listed);
    let read = get(&app, &id, keys::GLOBEX).await.json();
    assert_eq!(read["integration"]["name"], "Kept");
    assert_eq!(read["integration"]["description"], "across restarts");
    app.stop().await;
    drop(dir);
}

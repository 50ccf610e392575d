//! `DELETE /integrations/v1/{integrationId}/actions/{actionId}`: 200
//! `{"message":"Action deleted","id"}`, 400 for ids that are not UUIDs, 401, 403 (scope, or another
//! workspace's integration), 404 `Integration or action not found`; the rest of the integration
//! stays. Creating and replacing actions are not served. Facts: LIFECYCLE.md §4.6.

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const GET_CUSTOMER: &str = "c2b3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e";
const UPDATE_CUSTOMER: &str = "d3c4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f";
const CREATE_TICKET: &str = "e4d5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70";
const NOT_FOUND: &str = "Integration or action not found";

async fn delete_action(app: &TestApp, integration: &str, action: &str, key: &str) -> Reply {
    app.call(
        &CLIENT,
        Method::DELETE,
        &format!("/integrations/v1/{integration}/actions/{action}"),
        key,
        None,
    )
    .await
}

#[tokio::test]
async fn a_delete_answers_the_documented_body_and_the_action_is_gone() {
    let app = spawn_app().await;
    let before = get(&app, ids::CRM, keys::ACME_FULL).await.json();
    let reply = delete_action(&app, ids::CRM, GET_CUSTOMER, keys::ACME_FULL).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(
        reply.text,
        format!(r#"{{"message":"Action deleted","id":"{GET_CUSTOMER}"}}"#)
    );
    let after = get(&app, ids::CRM, keys::ACME_FULL).await.json();
    let mut expected = before.clone();
    expected["integration"]["actions"] = json!([before["integration"]["actions"][1].clone()]);
    assert_eq!(after, expected);
    let listed = list(&app, keys::ACME_FULL).await.json();
    assert_eq!(
        listed["integrations"][0]["actions"],
        json!([{"id": UPDATE_CUSTOMER, "name": "Update customer", "description": "Changes a customer's fields"}])
    );
    // Once gone, a 404.
    assert_error(
        &delete_action(&app, ids::CRM, GET_CUSTOMER, keys::ACME_FULL).await,
        404,
        NOT_FOUND,
    );
}

#[tokio::test]
async fn each_documented_error() {
    let app = spawn_app().await;
    let before = (
        workspace(&app, "acme").await,
        workspace(&app, "globex").await,
    );
    assert_error(
        &delete_action(&app, ids::CRM, GET_CUSTOMER, keys::UNKNOWN).await,
        401,
        "The provided API key is invalid.",
    );
    assert_error(
        &delete_action(&app, ids::CRM, GET_CUSTOMER, keys::ACME_ASSISTANT).await,
        403,
        "The provided API key does not have the required scope: INTEGRATION_API",
    );
    for (integration, action) in [
        ("not-a-uuid", GET_CUSTOMER),
        (ids::CRM, "not-a-uuid"),
        (ids::CRM, "create"),
        ("x", "y"),
    ] {
        assert_error(
            &delete_action(&app, integration, action, keys::ACME_FULL).await,
            400,
            "Invalid integration or action ID",
        );
    }
    assert_error(
        &delete_action(&app, ids::CRM, GET_CUSTOMER, keys::GLOBEX).await,
        403,
        "No access to this integration",
    );
    // An action of another integration of the same workspace is not this one's.
    assert_error(
        &delete_action(&app, ids::CRM, CREATE_TICKET, keys::ACME_FULL).await,
        404,
        NOT_FOUND,
    );
    assert_error(
        &delete_action(&app, ids::MISSING, GET_CUSTOMER, keys::ACME_FULL).await,
        404,
        NOT_FOUND,
    );
    assert_error(
        &delete_action(&app, ids::STATUS_PAGE, ids::MISSING, keys::ACME_FULL).await,
        404,
        NOT_FOUND,
    );
    assert_eq!(
        (
            workspace(&app, "acme").await,
            workspace(&app, "globex").await
        ),
        before
    );
}

#[tokio::test]
async fn an_upper_case_id_finds_the_action_and_every_prefix_serves_it() {
    let app = spawn_app().await;
    let reply = delete_action(
        &app,
        &ids::CRM.to_uppercase(),
        &UPDATE_CUSTOMER.to_uppercase(),
        keys::ACME_FULL,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json()["id"], UPDATE_CUSTOMER);
    let reply = app
        .call(
            &CLIENT,
            Method::DELETE,
            &format!(
                "/api/public/integrations/v1/{}/actions/{CREATE_TICKET}",
                ids::TICKETING
            ),
            keys::ACME_FULL,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = app
        .call(
            &CLIENT,
            Method::DELETE,
            &format!(
                "/langdock/integrations/v1/{}/actions/{GET_CUSTOMER}",
                ids::CRM
            ),
            keys::ACME_FULL,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        get(&app, ids::CRM, keys::ACME_FULL).await.json()["integration"]["actions"],
        json!([])
    );
}

#[tokio::test]
async fn a_delete_survives_a_restart_and_moves_updated_at() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let before = stored(&app, "acme", ids::TICKETING).await;
    let reply = delete_action(&app, ids::TICKETING, CREATE_TICKET, keys::ACME_FULL).await;
    assert_eq!(reply.status, StatusCode::OK);
    let after = stored(&app, "acme", ids::TICKETING).await;
    assert!(after["updatedAt"].as_str() > before["updatedAt"].as_str());
    assert_eq!(after["oauthClient"], before["oauthClient"]);
    let dir = app.stop().await;
    let app = spawn_app_on(&db).await;
    assert_eq!(stored(&app, "acme", ids::TICKETING).await, after);
    app.stop().await;
    drop(dir);
}

#[tokio::test]
async fn creating_or_replacing_an_action_and_triggers_are_langdocks_404() {
    let app = spawn_app().await;
    let before = workspace(&app, "acme").await;
    let body = br#"{"name":"New action"}"#;
    for (method, path) in [
        (
            Method::POST,
            format!("/integrations/v1/{}/actions/create", ids::CRM),
        ),
        (
            Method::PUT,
            format!("/integrations/v1/{}/actions/{GET_CUSTOMER}", ids::CRM),
        ),
        (
            Method::GET,
            format!("/integrations/v1/{}/actions/{GET_CUSTOMER}", ids::CRM),
        ),
        (
            Method::POST,
            format!("/integrations/v1/{}/triggers/create", ids::TICKETING),
        ),
        (
            Method::PUT,
            format!(
                "/integrations/v1/{}/triggers/f5e6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7081",
                ids::TICKETING
            ),
        ),
        (
            Method::DELETE,
            format!(
                "/integrations/v1/{}/triggers/f5e6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7081",
                ids::TICKETING
            ),
        ),
    ] {
        let reply = app
            .call(&CLIENT, method.clone(), &path, keys::ACME_FULL, Some(body))
            .await;
        assert_error(&reply, 404, &format!("No route {method} {path}"));
    }
    assert_eq!(workspace(&app, "acme").await, before);
}

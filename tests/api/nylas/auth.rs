//! `Authorization: Bearer <NYLAS_API_KEY>`: no usable token is `api.authentication_error`, a
//! token that is no key is the observed `token.unauthorized_access`. Facts: VENDORS.md §3 "Error
//! envelope" and §8 "Nylas".

use super::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn path() -> String {
    creds_path("google", ids::DEV_GOOGLE_CONNECTOR)
}

#[tokio::test]
async fn a_request_without_authorization_is_unauthorized() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        &path(),
        &[("content-type", "application/json")],
        b"{}",
    )
    .await;
    assert_error(
        &reply,
        StatusCode::UNAUTHORIZED,
        "api.authentication_error",
        "Unauthorized",
    );
    let reply = app.send(Method::GET, &path(), &[], None).await;
    assert_error(
        &reply,
        StatusCode::UNAUTHORIZED,
        "api.authentication_error",
        "Unauthorized",
    );
}

#[tokio::test]
async fn a_header_without_a_bearer_token_is_unauthorized() {
    let app = spawn_app().await;
    for header in [
        "",
        "Bearer",
        "Bearer ",
        "Basic abc",
        keys::DEV,
        "Token nyk_v0_x",
    ] {
        let reply = patch_raw(
            &app,
            &path(),
            &[
                ("authorization", header),
                ("content-type", "application/json"),
            ],
            b"{}",
        )
        .await;
        assert_error(
            &reply,
            StatusCode::UNAUTHORIZED,
            "api.authentication_error",
            "Unauthorized",
        );
    }
}

#[tokio::test]
async fn an_unknown_key_gets_the_observed_bearer_token_invalid_body() {
    let app = spawn_app().await;
    // Observed: {"request_id":...,"error":{"code":"token.unauthorized_access","type":"token.unauthorized_access","message":"Bearer token invalid"}}
    for key in [
        keys::UNKNOWN,
        "not-a-nylas-key",
        "6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
    ] {
        let reply = patch(
            &app,
            "google",
            ids::DEV_GOOGLE_CONNECTOR,
            key,
            &json!({"name": "x"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{key}");
        let body = envelope(&reply);
        assert_eq!(
            body,
            json!({"request_id": body["request_id"], "error": {"code": "token.unauthorized_access", "type": "token.unauthorized_access", "message": "Bearer token invalid"}})
        );
    }
}

#[tokio::test]
async fn keys_are_matched_exactly() {
    let app = spawn_app().await;
    let reply = get(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        &keys::DEV.to_uppercase(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        envelope(&reply)["error"]["type"],
        "token.unauthorized_access"
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let reply = app
        .send(
            Method::GET,
            &path(),
            &[("authorization", &format!("bearer {}", keys::DEV))],
            None,
        )
        .await;
    assert_eq!(credential(&reply)["id"], ids::DEV_GOOGLE_CONNECTOR);
}

#[tokio::test]
async fn auth_is_checked_before_the_provider_and_the_body() {
    let app = spawn_app().await;
    let reply = patch_raw(
        &app,
        &creds_path("inbox", "nope"),
        &[("authorization", &format!("Bearer {}", keys::UNKNOWN))],
        b"{not json",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        envelope(&reply)["error"]["type"],
        "token.unauthorized_access"
    );
}

#[tokio::test]
async fn every_key_of_an_application_sees_its_credentials() {
    let app = spawn_app().await;
    let updated = credential(
        &patch(
            &app,
            "google",
            ids::DEV_GOOGLE_CONNECTOR,
            keys::DEV,
            &json!({"name": "Shared"}),
        )
        .await,
    );
    let read = credential(&get(&app, "google", ids::DEV_GOOGLE_CONNECTOR, keys::DEV_SECOND).await);
    assert_eq!(read, updated);
}

#[tokio::test]
async fn a_non_ascii_authorization_header_is_an_invalid_token_not_a_crash() {
    let app = spawn_app().await;
    let response = app
        .client
        .request(Method::PATCH, app.url(&path()))
        .header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").expect("opaque bytes"),
        )
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let header = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_string();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["request_id"], header);
    assert_eq!(body["error"]["type"], "token.unauthorized_access");
}

#[tokio::test]
async fn every_lifecycle_route_checks_the_key_first_and_writes_nothing_without_one() {
    let app = spawn_app().await;
    let before = state(&app, "app-dev").await;
    let routes = [
        (Method::GET, CONNECTORS.to_string()),
        (Method::POST, CONNECTORS.to_string()),
        (Method::GET, connector_path("google")),
        (Method::PATCH, connector_path("google")),
        (Method::PUT, connector_path("google")),
        (Method::DELETE, connector_path("google")),
        (Method::GET, creds_list_path("google")),
        (Method::POST, creds_list_path("google")),
        (
            Method::DELETE,
            creds_path("google", ids::DEV_GOOGLE_SERVICE),
        ),
        // Auth comes before the provider and the query.
        (Method::DELETE, connector_path("inbox")),
        (Method::GET, format!("{}?limit=0", creds_list_path("inbox"))),
    ];
    for (method, path) in routes {
        let body = Some(br#"{"provider":"imap"}"#.to_vec());
        let reply = app.send(method.clone(), &path, &[], body.clone()).await;
        assert_error(
            &reply,
            StatusCode::UNAUTHORIZED,
            "api.authentication_error",
            "Unauthorized",
        );
        let unknown = format!("Bearer {}", keys::UNKNOWN);
        let reply = app
            .send(method, &path, &[("authorization", &unknown)], body)
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            envelope(&reply)["error"]["type"],
            "token.unauthorized_access"
        );
    }
    assert_eq!(state(&app, "app-dev").await, before);
}

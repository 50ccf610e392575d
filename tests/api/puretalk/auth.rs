//! `X-API-KEY`: missing or unknown keys are a 401, checked before the id and the body.
//! Facts: VENDORS.md §5 (header name) and §8 "Puretalk" (401 in `{err, msg}`).

use super::*;
use crate::helpers::*;
use reqwest::{Method, StatusCode};

const MISSING: &str = "Authentication credentials were not provided.";
const INVALID: &str = "Invalid API key.";

#[tokio::test]
async fn a_missing_or_empty_key_is_a_401() {
    let app = spawn_app().await;
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("x-api-key", "")],
        vec![("x-api-key", "   ")],
        vec![(
            "authorization",
            "Bearer pt-acme-demo-key-000000000000000000001",
        )],
    ];
    for headers in cases {
        for method in [Method::PATCH, Method::GET] {
            let reply = app
                .send(
                    method,
                    &path(ids::HUBSPOT),
                    &headers,
                    Some(br#"{"data":{"api_key":"x"}}"#.to_vec()),
                )
                .await;
            assert_error(&reply, 401, MISSING);
        }
    }
    assert_eq!(
        stored(&app, "acme", ids::HUBSPOT).await["data"]["api_key"],
        "pat-na1-demo-hubspot-key-0001"
    );
}

#[tokio::test]
async fn an_unknown_key_is_a_401() {
    let app = spawn_app().await;
    let reply = patch(&app, ids::HUBSPOT, keys::UNKNOWN, &api_key_body("x")).await;
    assert_error(&reply, 401, INVALID);
    assert_error(&get(&app, ids::HUBSPOT, keys::UNKNOWN).await, 401, INVALID);
    // The header name is case-insensitive; the value is not.
    let reply = app
        .send(
            Method::GET,
            &path(ids::HUBSPOT),
            &[("X-Api-Key", &keys::ACME.to_uppercase())],
            None,
        )
        .await;
    assert_error(&reply, 401, INVALID);
}

#[tokio::test]
async fn any_key_of_the_account_may_read_and_update() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        ids::HUBSPOT,
        keys::ACME_SECOND,
        &api_key_body("from-second"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = app
        .send(
            Method::GET,
            &path(ids::HUBSPOT),
            &[("X-API-KEY", keys::ACME)],
            None,
        )
        .await;
    assert_eq!(reply.json()["results"]["data"]["api_key"], "from-second");
}

#[tokio::test]
async fn auth_comes_before_the_id_and_the_body() {
    let app = spawn_app().await;
    let reply = patch_raw(&app, &path("not-a-uuid"), keys::UNKNOWN, b"{").await;
    assert_error(&reply, 401, INVALID);
}

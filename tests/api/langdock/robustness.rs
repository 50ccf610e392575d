//! No input to Langdock's routes (create, list, update, auth update, an action's delete) gets a 5xx or anything but
//! Langdock's `{"message"}` envelope, and a refused request changes nothing stored: malformed
//! bodies, wrong types, oversized bodies, odd ids and a seeded mutation run over valid bodies. The
//! envelope check is the cross-vendor table's (`crate::robustness`).

use super::*;
use crate::helpers::*;
use crate::robustness;
use reqwest::{Method, StatusCode};

/// Malformed and odd bodies, of JSON in general and of each route's shape.
fn bodies() -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "{",
        "}",
        "[1,2",
        "nul",
        "123",
        "true",
        "\"str\"",
        "[]",
        "null",
        "{\"name\":\"a\",\"name\":\"b\"}",
        "{\"name\":\"\\ud800\"}",
        "{\"name\":\"a\\u0000b\"}",
        "{\"name\":1e999}",
        "{\"name\":{\"nested\":[{}]},\"description\":[]}",
        "{\"authType\":\"OAUTH\",\"oauthClient\":{\"clientSecret\":{\"deep\":true}}}",
        "{\"authType\":\"API_KEY\",\"authFields\":[{\"slug\":{},\"label\":[],\"type\":null,\"required\":\"no\"}]}",
        "{\"authType\":\"API_KEY\",\"authFields\":[[],1,\"x\",null,true]}",
        "{\"authType\":[\"NONE\"],\"authTestCode\":{\"code\":1}}",
        "{\"iconUrl\":\"http://[::1\",\"color\":\"#\\u0000\\u0000\\u0000\"}",
        "{\"iconUrl\":\"https://\\u00e9.example.com/\\ud83d\\ude00.png\"}",
    ]
    .map(|body| body.as_bytes().to_vec())
    .into();
    bodies.push(b"\xef\xbb\xbf{}".to_vec());
    bodies.push(format!("{{\"name\":\"{}\"}}", "n".repeat(200_000)).into_bytes());
    bodies.push(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes());
    bodies.push(vec![0u8; 4096]);
    bodies.push((0..=255u8).collect());
    bodies
}

/// Every route a body goes to (create, update, auth update), each of a fixture or an unknown id.
fn routes() -> Vec<(Method, String)> {
    vec![
        (Method::POST, "/integrations/v1/create".into()),
        (Method::PATCH, format!("/integrations/v1/{}", ids::CRM)),
        (Method::PATCH, format!("/integrations/v1/{}/auth", ids::CRM)),
        (
            Method::PATCH,
            format!("/integrations/v1/{}/auth", ids::MISSING),
        ),
        (Method::GET, "/integrations/v1/get".into()),
    ]
}

fn short(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(60).collect()
}

/// Sends one request with the full key, checks Langdock's envelope, and that a refusal left acme
/// as it was (`before`); a success may change it (then the new state is returned).
async fn send_checked(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
    before: Value,
    what: &str,
) -> Value {
    let bearer = format!("Bearer {}", keys::ACME_FULL);
    let mut all = vec![("authorization", bearer.as_str())];
    all.extend_from_slice(headers);
    let reply = app.send(method, path, &all, body).await;
    robustness::case("langdock").assert_well_formed(&reply, what);
    let after = workspace(app, "acme").await;
    if !reply.status.is_success() {
        assert_eq!(after, before, "{what}: a refused request changed acme");
    }
    after
}

#[tokio::test]
async fn malformed_bodies_to_every_route_get_langdocks_envelope() {
    let app = spawn_app().await;
    let mut state = workspace(&app, "acme").await;
    for body in bodies() {
        for (method, path) in routes() {
            for content_type in ["application/json", "text/plain"] {
                let what = format!("{method} {path} {:?} as {content_type}", short(&body));
                state = send_checked(
                    &app,
                    method.clone(),
                    &path,
                    &[("content-type", content_type)],
                    Some(body.clone()),
                    state,
                    &what,
                )
                .await;
            }
        }
    }
    assert_eq!(
        get(&app, ids::CRM, keys::ACME_FULL).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn seeded_mutations_of_valid_bodies_never_get_a_5xx() {
    let app = spawn_app().await;
    let seeds: &[&[u8]] = &[
        br#"{"name":"Mutated","description":"from a seed"}"#,
        br##"{"name":"N","iconUrl":"https://cdn.example.com/i.png","color":"#abcdef"}"##,
        br#"{"authType":"API_KEY","authFields":[{"slug":"k","label":"K","type":"PASSWORD","required":true}],"authTestCode":"return 1;"}"#,
        br#"{"authType":"OAUTH","oauthClient":{"clientId":"c","clientSecret":"s"}}"#,
    ];
    let mut mutator = Mutator::new(20_261_203, seeds, b"{}[]\",:\\0aZ -\x00\xff\xc3");
    let routes = routes();
    let mut state = workspace(&app, "acme").await;
    for _ in 0..300 {
        let body = mutator.next_body();
        let (method, path) = routes[mutator.below(routes.len() - 1)].clone();
        let what = format!("{method} {path} {:?}", short(&body));
        state = send_checked(
            &app,
            method,
            &path,
            &[("content-type", "application/json")],
            Some(body),
            state,
            &what,
        )
        .await;
    }
}

#[tokio::test]
async fn bad_ids_are_a_400_never_a_5xx() {
    let app = spawn_app().await;
    let state = workspace(&app, "acme").await;
    for id in [
        "x",
        "%00",
        "%FF%FE",
        "550e8400-e29b-41d4-a716-4466554400000",
        "{550e8400-e29b-41d4-a716-446655440000}",
        "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
        "550e8400-e29b-41d4-a716-44665544000%20",
        &"9".repeat(5000),
    ] {
        for path in [
            format!("/integrations/v1/{id}"),
            format!("/integrations/v1/{id}/auth"),
            format!("/api/public/integrations/v1/{id}/auth"),
        ] {
            let what = format!("PATCH {}", short(path.as_bytes()));
            let reply = patch_raw(&app, &path, keys::ACME_FULL, br#"{"authType":"NONE"}"#).await;
            robustness::case("langdock").assert_well_formed(&reply, &what);
            assert!(
                matches!(reply.status.as_u16(), 400 | 404),
                "{what}: {} {}",
                reply.status,
                reply.text
            );
            let reply = app.get_as(&CLIENT, &path, keys::ACME_FULL).await;
            robustness::case("langdock").assert_well_formed(&reply, &what);
        }
        for path in [
            format!("/integrations/v1/{id}/actions/{id}"),
            format!("/integrations/v1/{}/actions/{id}", ids::CRM),
        ] {
            let what = format!("DELETE {}", short(path.as_bytes()));
            let reply = app
                .call(&CLIENT, Method::DELETE, &path, keys::ACME_FULL, None)
                .await;
            robustness::case("langdock").assert_well_formed(&reply, &what);
            assert!(
                matches!(reply.status.as_u16(), 400 | 404),
                "{what}: {} {}",
                reply.status,
                reply.text
            );
        }
    }
    assert_eq!(workspace(&app, "acme").await, state);
}

#[tokio::test]
async fn a_body_over_the_limit_is_langdocks_413_on_every_route() {
    let app = spawn_app_with(|settings| settings.server.body_limit = 1024).await;
    let state = workspace(&app, "acme").await;
    let body = format!("{{\"name\":\"{}\"}}", "x".repeat(4096)).into_bytes();
    for (method, path) in routes() {
        for key in [keys::ACME_FULL, keys::UNKNOWN] {
            let bearer = format!("Bearer {key}");
            let reply = app
                .send(
                    method.clone(),
                    &path,
                    &[
                        ("authorization", &bearer),
                        ("content-type", "application/json"),
                    ],
                    Some(body.clone()),
                )
                .await;
            if method == Method::GET {
                // The list reads no body.
                assert!(reply.status.is_success() || reply.status.is_client_error());
                continue;
            }
            assert_error(
                &reply,
                413,
                "Request body is larger than the limit of 1024 bytes",
            );
        }
    }
    assert_eq!(workspace(&app, "acme").await, state);
}

//! No input to the lifecycle's routes (create, quickstart, list, delete) gets a 5xx or anything but
//! Nango's envelope, and a refused request changes nothing stored: malformed bodies, odd queries,
//! odd headers and a seeded mutation run over valid create bodies. The envelope check is the
//! cross-vendor table's (`crate::robustness`).

use super::*;
use crate::helpers::*;
use crate::robustness;
use reqwest::{Method, StatusCode};

/// Malformed and odd bodies, of JSON in general and of the create body's shape.
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
        "{\"provider\":\"github\",\"provider\":\"algolia\",\"unique_key\":\"dup-keys\"}",
        "{\"provider\":\"\\ud800\",\"unique_key\":\"k\"}",
        "{\"provider\":\"algolia\",\"unique_key\":\"a\\u0000b\"}",
        "{\"provider\":\"algolia\",\"unique_key\":\"\\u00e9t\\u00e9\"}",
        "{\"provider\":\"algolia\",\"unique_key\":\"k\",\"forward_webhooks\":1e999}",
        "{\"provider\":\"github\",\"unique_key\":\"k\",\"credentials\":{\"type\":\"OAUTH2\",\"client_id\":{},\"client_secret\":[]}}",
        "{\"provider\":\"aws-sigv4\",\"unique_key\":\"k\",\"integration_config\":{\"\":\"\"}}",
        "{\"provider\":\"private-api-generic\",\"unique_key\":\"k\",\"integration_config\":{\"baseUrl\":\"http://[::1\"}}",
        "{\"provider\":\"private-api-generic\",\"unique_key\":\"k\",\"integration_config\":{\"baseUrl\":\"http://\\u0000\"}}",
        "{\"provider\":\"stripe\",\"unique_key\":\"k\",\"custom\":{\"a\":{\"b\":[{\"c\":null}]}}}",
    ]
    .map(|body| body.as_bytes().to_vec())
    .into();
    bodies.push(b"\xef\xbb\xbf{}".to_vec());
    bodies.push(
        format!(
            "{{\"provider\":\"algolia\",\"unique_key\":\"{}\"}}",
            "k".repeat(200_000)
        )
        .into_bytes(),
    );
    bodies.push(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes());
    bodies.push(vec![0u8; 4096]);
    bodies.push((0..=255u8).collect());
    bodies
}

/// Sends one request with the full key and checks Nango's envelope; a refusal must leave dev as it
/// was (`before`), a success may change it (then the new state is returned).
async fn send_checked(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
    before: Value,
    what: &str,
) -> Value {
    let bearer = format!("Bearer {}", keys::DEV_FULL);
    let mut all = vec![("authorization", bearer.as_str())];
    all.extend_from_slice(headers);
    let reply = app.send(method, path, &all, body).await;
    robustness::case("nango").assert_well_formed(&reply, what);
    let after = tenant_state(app, "dev").await;
    if !reply.status.is_success() {
        assert_eq!(after, before, "{what}: a refused request changed dev");
    }
    after
}

fn short(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(60).collect()
}

#[tokio::test]
async fn malformed_bodies_to_every_lifecycle_route_get_nangos_envelope() {
    let app = spawn_app().await;
    let mut state = tenant_state(&app, "dev").await;
    let routes = [
        (Method::POST, "/integrations"),
        (Method::POST, "/integrations/quickstart"),
        (Method::GET, "/integrations"),
        (Method::DELETE, "/integrations/does-not-exist"),
    ];
    for body in bodies() {
        for (method, path) in &routes {
            for content_type in ["application/json", "text/plain"] {
                let what = format!("{method} {path} {:?} as {content_type}", short(&body));
                state = send_checked(
                    &app,
                    method.clone(),
                    path,
                    &[("content-type", content_type)],
                    Some(body.clone()),
                    state,
                    &what,
                )
                .await;
            }
        }
    }
    // Some of the odd bodies are valid creates; nothing else was touched.
    assert_eq!(
        get_path(&app, "/integrations/github", keys::DEV_FULL)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_nangos_413_on_every_lifecycle_route() {
    let app = spawn_app().await;
    let body = format!(
        "{{\"provider\":\"algolia\",\"unique_key\":\"big\",\"display_name\":\"{}\"}}",
        "x".repeat(2 * 1024 * 1024)
    )
    .into_bytes();
    let state = tenant_state(&app, "dev").await;
    for (method, path) in [
        (Method::POST, "/integrations"),
        (Method::POST, "/integrations/quickstart"),
        (Method::GET, "/integrations"),
        (Method::DELETE, "/integrations/github"),
    ] {
        let bearer = format!("Bearer {}", keys::DEV_FULL);
        let reply = app
            .send(
                method.clone(),
                path,
                &[
                    ("authorization", &bearer),
                    ("content-type", "application/json"),
                ],
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{method} {path}"
        );
        robustness::case("nango").assert_well_formed(&reply, path);
        assert_eq!(reply.json()["error"]["code"], "payload_too_large");
    }
    assert_eq!(tenant_state(&app, "dev").await, state);
}

#[tokio::test]
async fn odd_queries_get_nangos_invalid_query_params_and_change_nothing() {
    let app = spawn_app().await;
    let state = tenant_state(&app, "dev").await;
    let queries = [
        "?a",
        "?a=1&a=2",
        "?%00=1",
        "?%FF=%FF",
        "?include=credentials",
        "?a%20b=c",
        "?x=%zz",
        "?a[b]=1",
    ];
    let create_body = br#"{"provider":"algolia","unique_key":"queried"}"#;
    for query in queries {
        for (method, path, body) in [
            (Method::POST, "/integrations", Some(create_body.to_vec())),
            (
                Method::POST,
                "/integrations/quickstart",
                Some(create_body.to_vec()),
            ),
            (Method::GET, "/integrations", None),
            (Method::DELETE, "/integrations/github", None),
        ] {
            let full_path = format!("{path}{query}");
            let what = format!("{method} {full_path}");
            let bearer = format!("Bearer {}", keys::DEV_FULL);
            let reply = app
                .send(
                    method,
                    &full_path,
                    &[
                        ("authorization", &bearer),
                        ("content-type", "application/json"),
                    ],
                    body,
                )
                .await;
            robustness::case("nango").assert_well_formed(&reply, &what);
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{what}");
            assert_eq!(
                reply.json()["error"]["code"],
                "invalid_query_params",
                "{what}: {}",
                reply.text
            );
        }
    }
    assert_eq!(
        tenant_state(&app, "dev").await,
        state,
        "nothing was written"
    );
}

#[tokio::test]
async fn odd_headers_get_nangos_envelope_on_every_lifecycle_route() {
    let app = spawn_app().await;
    let mut state = tenant_state(&app, "dev").await;
    let header_sets: Vec<Vec<(&str, &str)>> = vec![
        vec![("content-type", "application/json; charset=latin-1")],
        vec![("content-type", "")],
        vec![
            ("content-type", "application/json"),
            ("content-encoding", "gzip"),
        ],
        vec![("content-type", "multipart/form-data; boundary=x")],
        vec![("origin", "https://evil.example.com")],
        vec![("content-type", "application/jsonx")],
    ];
    let body = br#"{"provider":"algolia","unique_key":"headers"}"#;
    for headers in &header_sets {
        for (method, path) in [
            (Method::POST, "/integrations"),
            (Method::POST, "/integrations/quickstart"),
            (Method::GET, "/integrations"),
            (Method::DELETE, "/integrations/does-not-exist"),
        ] {
            let what = format!("{method} {path} {headers:?}");
            state = send_checked(
                &app,
                method,
                path,
                headers,
                Some(body.to_vec()),
                state,
                &what,
            )
            .await;
        }
    }
    // Odd ways of presenting the key, without the full key's header.
    for authorization in [
        "Bearer Bearer x",
        "bearer 6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
        "Basic 6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
        "Bearer nango_connect_session_",
        "Bearer  6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
    ] {
        for (method, path) in [
            (Method::POST, "/integrations"),
            (Method::GET, "/integrations"),
            (Method::DELETE, "/integrations/github"),
        ] {
            let reply = app
                .send(
                    method.clone(),
                    path,
                    &[
                        ("authorization", authorization),
                        ("content-type", "application/json"),
                    ],
                    Some(body.to_vec()),
                )
                .await;
            let what = format!("{method} {path} {authorization:?}");
            robustness::case("nango").assert_well_formed(&reply, &what);
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{what}: {}",
                reply.text
            );
        }
    }
    assert_eq!(tenant_state(&app, "dev").await, state);
}

#[tokio::test]
async fn a_seeded_mutation_run_over_create_bodies_never_gets_a_5xx() {
    let app = spawn_app().await;
    let seeds: &[&[u8]] = &[
        br#"{"provider":"algolia","unique_key":"m1","display_name":"x","forward_webhooks":true}"#,
        br#"{"provider":"github","unique_key":"m2","credentials":{"type":"OAUTH2","client_id":"a","client_secret":"b","scopes":"r,w"}}"#,
        br#"{"provider":"aws-sigv4","unique_key":"m3","integration_config":{"service":"s3","region":"eu-west-1"}}"#,
        br#"{"provider":"stripe","unique_key":"m4","custom":{"a":"b"}}"#,
        br#"{"provider":"github-app","unique_key":"m5","credentials":{"type":"APP","app_id":"1","app_link":"l","private_key":"-----BEGIN RSA PRIVATE KEY-----\nk\n-----END RSA PRIVATE KEY-----"}}"#,
    ];
    let alphabet = b"{}[]\",:01truefalsnul\\ \xff\x00ae-";
    let mut mutator = Mutator::new(0x5eed_11fe_c7c1_e001, seeds, alphabet);
    let mut state = tenant_state(&app, "dev").await;
    for round in 0..300 {
        let body = mutator.next_body();
        let path = if mutator.below(4) == 0 {
            "/integrations/quickstart"
        } else {
            "/integrations"
        };
        let what = format!("round {round} {path} {:?}", String::from_utf8_lossy(&body));
        state = send_checked(
            &app,
            Method::POST,
            path,
            &[("content-type", "application/json")],
            Some(body),
            state,
            &what,
        )
        .await;
        // Every few rounds a delete of what a round may have created.
        if round % 10 == 9 {
            let target = format!("/integrations/m{}", 1 + mutator.below(5));
            state = send_checked(
                &app,
                Method::DELETE,
                &target,
                &[],
                None,
                state,
                &format!("round {round} DELETE {target}"),
            )
            .await;
        }
    }
}

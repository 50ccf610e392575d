//! No input makes Langdock's routes answer 5xx or anything but Langdock's JSON: a corpus of
//! malformed bodies, odd ids and odd headers, plus a seeded mutation run over valid bodies.

use super::*;
use crate::helpers::*;
use reqwest::Method;
use serde_json::Value;

/// Asserts a reply is a 2xx or 4xx with a JSON body in Langdock's shape.
fn assert_well_formed(reply: &Reply, what: &str) {
    assert!(
        reply.status.is_success() || reply.status.is_client_error(),
        "{what}: status {} body {}",
        reply.status,
        reply.text
    );
    let body: Value = serde_json::from_str(&reply.text)
        .unwrap_or_else(|_| panic!("{what}: not JSON: {:?}", reply.text));
    if reply.status.is_client_error() {
        assert!(body["message"].is_string(), "{what}: no message in {body}");
        assert_eq!(
            body.as_object().map(|object| object.len()),
            Some(1),
            "{what}: {body}"
        );
    } else {
        assert!(
            body["integration"]["id"].is_string(),
            "{what}: no integration in {body}"
        );
    }
    assert_eq!(
        reply.header("x-patchbay-version"),
        Some(env!("CARGO_PKG_VERSION")),
        "{what}"
    );
}

#[tokio::test]
async fn malformed_bodies_get_langdocks_envelope() {
    let app = spawn_app().await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_object = format!("{}{}", "{\"a\":".repeat(3000), "}".repeat(3000));
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"{".to_vec(),
        b"}".to_vec(),
        b"[1,2".to_vec(),
        b"{\"name\":\"\xff\xfe\"}".to_vec(),
        b"\xef\xbb\xbf{}".to_vec(),
        b"{\"name\":\"a\\u0000b\"}".to_vec(),
        b"{\"name\":\"\\ud800\"}".to_vec(),
        b"{\"color\":1e999}".to_vec(),
        b"{\"name\":\"x\",\"name\":\"y\"}".to_vec(),
        b"{\"name\":{},\"description\":[],\"iconUrl\":1,\"color\":true}".to_vec(),
        b"{\"iconUrl\":\"http://\\u0000\"}".to_vec(),
        b"{\"name\":\"\\u00e9t\\u00e9\"}".to_vec(),
        deep.into_bytes(),
        deep_object.into_bytes(),
        vec![0u8; 4096],
        (0..=255u8).collect(),
        format!("{{\"name\":\"{}\"}}", "x".repeat(200_000)).into_bytes(),
    ];
    for body in bodies {
        let what = format!(
            "body {:?}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        let reply = patch_raw(
            &app,
            &format!("/integrations/v1/{}", ids::CRM),
            keys::ACME_FULL,
            &body,
        )
        .await;
        assert_well_formed(&reply, &what);
    }
    // The whole corpus was refused or valid; the record is still readable.
    assert_eq!(
        get(&app, ids::CRM, keys::ACME_FULL).await.status.as_u16(),
        200
    );
}

#[tokio::test]
async fn a_huge_body_is_a_413_not_a_dropped_connection() {
    let app = spawn_app().await;
    let body = format!("{{\"description\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let reply = patch_raw(
        &app,
        &format!("/integrations/v1/{}", ids::CRM),
        keys::ACME_FULL,
        body.as_bytes(),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 413);
    assert_well_formed(&reply, "2 MiB body");
}

#[tokio::test]
async fn odd_path_ids_get_langdocks_envelope() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::ACME_FULL);
    let long = "a".repeat(5000);
    let ids = [
        "%00",
        "%FF",
        "%C3%28",
        ".%2E.",
        "a%2Fb",
        "a%20b",
        "%25",
        "%",
        "%zz",
        "%E2%80%8B",
        "\u{e9}",
        long.as_str(),
        "550e8400-e29b-41d4-a716-446655440000%00",
        "550E8400-E29B-41D4-A716-446655440000",
    ];
    for id in ids {
        for method in [
            Method::PATCH,
            Method::GET,
            Method::DELETE,
            Method::POST,
            Method::PUT,
        ] {
            let reply = app
                .send(
                    method.clone(),
                    &format!("/integrations/v1/{id}"),
                    &[
                        ("authorization", &bearer),
                        ("content-type", "application/json"),
                    ],
                    Some(b"{}".to_vec()),
                )
                .await;
            assert_well_formed(
                &reply,
                &format!("{method} id {:?}", &id[..id.len().min(20)]),
            );
        }
    }
}

#[tokio::test]
async fn odd_headers_get_langdocks_envelope() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", keys::ACME_FULL);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("authorization", "Bearer Bearer x")],
        vec![(
            "authorization",
            "Bearer sk-acme0integration0api0full0001 extra",
        )],
        vec![
            ("authorization", &bearer),
            ("content-type", "application/json; charset=latin-1"),
        ],
        vec![("authorization", &bearer), ("content-type", "")],
        vec![
            ("authorization", &bearer),
            ("content-type", "application/json"),
            ("content-encoding", "gzip"),
        ],
        vec![
            ("authorization", &bearer),
            ("content-type", "multipart/form-data; boundary=x"),
        ],
        vec![
            ("authorization", &bearer),
            ("origin", "https://evil.example.com"),
        ],
    ];
    for headers in cases {
        let reply = app
            .send(
                Method::PATCH,
                &format!("/integrations/v1/{}", ids::CRM),
                &headers,
                Some(b"{}".to_vec()),
            )
            .await;
        assert_well_formed(&reply, &format!("{headers:?}"));
    }
}

#[tokio::test]
async fn a_seeded_mutation_run_never_gets_a_5xx() {
    let app = spawn_app().await;
    let seeds: [&[u8]; 3] = [
        br#"{"name":"Updated Integration Name","description":"New description for the integration"}"#,
        br##"{"iconUrl":"https://cdn.example.com/i.png","color":"#a1b2c3"}"##,
        br#"{"name":"x","unknown":[1,{"a":null}]}"#,
    ];
    let alphabet = b"{}[]\",:01truefalsnul\\ \xff\x00ae-#/";
    let mut rng = Mutator::new(0x1a4d_0c4b_5eed_0002, &seeds, alphabet);
    for round in 0..400 {
        let body = rng.next_body();
        let id = if rng.below(2) == 0 {
            ids::CRM
        } else {
            ids::GLOBEX_ERP
        };
        let reply = patch_raw(
            &app,
            &format!("/integrations/v1/{id}"),
            keys::ACME_FULL,
            &body,
        )
        .await;
        assert_well_formed(
            &reply,
            &format!("round {round} body {:?}", String::from_utf8_lossy(&body)),
        );
    }
}

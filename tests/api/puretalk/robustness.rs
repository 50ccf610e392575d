//! No input makes Puretalk's routes answer 5xx or anything but Puretalk's JSON: a corpus of
//! malformed bodies, odd ids and odd headers, plus a seeded mutation run over valid bodies.

use super::*;
use crate::helpers::*;
use reqwest::Method;
use serde_json::Value;

/// Asserts a reply is a 2xx or 4xx with a JSON body in Puretalk's shape.
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
        assert_eq!(body["err"], true, "{what}: {body}");
        assert!(body["msg"].is_string(), "{what}: {body}");
        assert_eq!(
            body.as_object().map(|object| object.len()),
            Some(2),
            "{what}: {body}"
        );
    } else {
        assert_eq!(body["err"], false, "{what}: {body}");
        assert!(
            body["results"]["integration_id"].is_string(),
            "{what}: {body}"
        );
    }
    assert_eq!(
        reply.header("x-patchbay-version"),
        Some(env!("CARGO_PKG_VERSION")),
        "{what}"
    );
}

#[tokio::test]
async fn malformed_bodies_get_puretalks_envelope() {
    let app = spawn_app().await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_object = format!("{}{}", "{\"data\":".repeat(3000), "}".repeat(3000));
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"{".to_vec(),
        b"}".to_vec(),
        b"[1,2".to_vec(),
        b"{\"data\":{\"api_key\":\"\xff\xfe\"}}".to_vec(),
        b"\xef\xbb\xbf{}".to_vec(),
        b"{\"data\":{\"api_key\":\"a\\u0000b\"}}".to_vec(),
        b"{\"data\":{\"api_key\":\"\\ud800\"}}".to_vec(),
        b"{\"data\":{\"api_key\":1e999}}".to_vec(),
        b"{\"data\":{\"api_key\":\"x\",\"api_key\":\"y\"}}".to_vec(),
        b"{\"data\":{\"api_key\":{}},\"extra\":[]}".to_vec(),
        deep.into_bytes(),
        deep_object.into_bytes(),
        vec![0u8; 4096],
        (0..=255u8).collect(),
        format!("{{\"data\":{{\"api_key\":\"{}\"}}}}", "x".repeat(200_000)).into_bytes(),
        format!(
            "{{\"data\":{{\"api_key\":\"{}\"}}}}",
            "x".repeat(2 * 1024 * 1024)
        )
        .into_bytes(),
    ];
    for body in bodies {
        let what = format!(
            "body {:?}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        let reply = patch_raw(&app, &path(ids::HUBSPOT), keys::ACME, &body).await;
        assert_well_formed(&reply, &what);
    }
    assert_eq!(
        get(&app, ids::HUBSPOT, keys::ACME).await.status.as_u16(),
        200
    );
}

#[tokio::test]
async fn odd_path_ids_get_puretalks_envelope() {
    let app = spawn_app().await;
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
        "123e4567-e89b-12d3-a456-426614174000%00",
        "123e4567-e89b-12d3-a456-426614174000/x",
        "",
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
                    &path(id),
                    &[
                        ("x-api-key", keys::ACME),
                        ("content-type", "application/json"),
                    ],
                    Some(br#"{"data":{"api_key":"odd"}}"#.to_vec()),
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
async fn odd_headers_get_puretalks_envelope() {
    let app = spawn_app().await;
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("x-api-key", "pt-acme-demo-key-000000000000000000001, other")],
        vec![
            ("x-api-key", keys::ACME),
            ("content-type", "application/json; charset=latin-1"),
        ],
        vec![("x-api-key", keys::ACME), ("content-type", "")],
        vec![
            ("x-api-key", keys::ACME),
            ("content-type", "application/json"),
            ("content-encoding", "gzip"),
        ],
        vec![
            ("x-api-key", keys::ACME),
            ("content-type", "multipart/form-data; boundary=x"),
        ],
        vec![
            ("x-api-key", keys::ACME),
            ("x-api-key", keys::GLOBEX),
            ("content-type", "application/json"),
        ],
    ];
    for headers in cases {
        let reply = app
            .send(
                Method::PATCH,
                &path(ids::HUBSPOT),
                &headers,
                Some(br#"{"data":{"api_key":"h"}}"#.to_vec()),
            )
            .await;
        assert_well_formed(&reply, &format!("{headers:?}"));
    }
}

#[tokio::test]
async fn a_seeded_mutation_run_never_gets_a_5xx() {
    let app = spawn_app().await;
    let seeds: [&[u8]; 3] = [
        br#"{"data":{"api_key":"123e4567-e89b-12d3-a456-426614174000"}}"#,
        br#"{"data":{"api_key":"k","other":[1,2]},"extra":null}"#,
        br#"{"data":{}}"#,
    ];
    let alphabet = b"{}[]\",:01truefalsnul\\ \xff\x00ae-";
    let mut rng = Mutator::new(0x9e37_79b9_7f4a_7c15, &seeds, alphabet);
    for round in 0..400 {
        let body = rng.next_body();
        let id = if rng.below(2) == 0 {
            ids::HUBSPOT
        } else {
            ids::GLOBEX_HUBSPOT
        };
        let reply = patch_raw(&app, &path(id), keys::ACME, &body).await;
        assert_well_formed(
            &reply,
            &format!("round {round} body {:?}", String::from_utf8_lossy(&body)),
        );
    }
}

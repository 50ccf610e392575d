//! No input makes Nango's routes answer 5xx or anything but Nango's JSON envelope: a corpus of
//! malformed bodies, odd ids and odd headers, plus a seeded mutation run over valid bodies.

use crate::helpers::*;
use reqwest::Method;
use serde_json::Value;

/// Asserts a reply is a 2xx or 4xx with a JSON body in Nango's shape.
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
        assert!(
            body["error"]["code"].is_string(),
            "{what}: no error.code in {body}"
        );
    } else {
        assert!(
            body["data"]["unique_key"].is_string(),
            "{what}: no data in {body}"
        );
    }
    assert_eq!(
        reply.header("x-patchbay-version"),
        Some(env!("CARGO_PKG_VERSION")),
        "{what}"
    );
}

#[tokio::test]
async fn malformed_bodies_get_nangos_envelope() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", nango_keys::DEV_FULL);
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"{".to_vec(),
        b"}".to_vec(),
        b"[1,2".to_vec(),
        b"{\"display_name\":\"\xff\xfe\"}".to_vec(),
        b"\xef\xbb\xbf{}".to_vec(),
        b"{\"display_name\":\"a\\u0000b\"}".to_vec(),
        b"{\"display_name\":\"\\ud800\"}".to_vec(),
        b"{\"forward_webhooks\":1e999}".to_vec(),
        b"{\"display_name\":\"x\",\"display_name\":\"y\"}".to_vec(),
        b"{\"credentials\":{\"type\":\"OAUTH2\",\"client_id\":{},\"client_secret\":[]}}".to_vec(),
        b"{\"integration_config\":{\"\":\"\"}}".to_vec(),
        b"{\"unique_key\":\"\\u00e9t\\u00e9\"}".to_vec(),
        deep.into_bytes(),
        vec![0u8; 4096],
        (0..=255u8).collect(),
    ];
    for body in bodies {
        let what = format!(
            "body {:?}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        let reply = nango_patch_raw(
            &app,
            "/integrations/github",
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            &body,
        )
        .await;
        assert_well_formed(&reply, &what);
    }
}

#[tokio::test]
async fn odd_path_ids_get_nangos_envelope() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", nango_keys::DEV_FULL);
    let long = "a".repeat(5000);
    // (Dot segments are resolved by the client before sending, so they never reach a vendor route.)
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
        "~:.@_-",
    ];
    for id in ids {
        for method in [Method::PATCH, Method::GET] {
            let reply = app
                .send(
                    method.clone(),
                    &format!("/integrations/{id}"),
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
async fn odd_headers_get_nangos_envelope() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", nango_keys::DEV_FULL);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("authorization", "Bearer Bearer x")],
        vec![(
            "authorization",
            "bearer 6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
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
    ];
    for headers in cases {
        let reply = nango_patch_raw(&app, "/integrations/github", &headers, b"{}").await;
        assert_well_formed(&reply, &format!("{headers:?}"));
    }
}

#[tokio::test]
async fn a_seeded_mutation_run_never_gets_a_5xx() {
    let app = spawn_app().await;
    let bearer = format!("Bearer {}", nango_keys::DEV_FULL);
    let seeds: [&[u8]; 4] = [
        br#"{"display_name":"x","forward_webhooks":true}"#,
        br#"{"credentials":{"type":"OAUTH2","client_id":"a","client_secret":"b","scopes":"r,w"}}"#,
        br#"{"integration_config":{"region":"eu-west-1"},"custom":{"a":"b"}}"#,
        br#"{"unique_key":"renamed-key","display_name":"y"}"#,
    ];
    let alphabet = b"{}[]\",:01truefalsnul\\ \xff\x00ae-";
    let mut rng = Mutator::new(0x5eed_cafe_f00d_0001, &seeds, alphabet);
    for round in 0..400 {
        let body = rng.next_body();
        let target = if rng.below(2) == 0 {
            "/integrations/aws"
        } else {
            "/integrations/github"
        };
        let reply = nango_patch_raw(
            &app,
            target,
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            &body,
        )
        .await;
        assert_well_formed(
            &reply,
            &format!("round {round} body {:?}", String::from_utf8_lossy(&body)),
        );
    }
}

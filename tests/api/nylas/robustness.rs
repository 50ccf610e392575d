//! No input makes Nylas's routes answer 5xx or anything but Nylas's envelope with a request id: a
//! corpus of malformed bodies, odd ids and providers, odd headers, plus a seeded mutation run.

use super::*;
use crate::helpers::Mutator;
use reqwest::Method;

/// A 2xx or 4xx with Nylas's envelope (request id in body and header, `data` or `error.type`).
fn assert_well_formed(reply: &Reply, what: &str) {
    assert!(
        reply.status.is_success() || reply.status.is_client_error(),
        "{what}: status {} body {}",
        reply.status,
        reply.text
    );
    let body: Value = serde_json::from_str(&reply.text)
        .unwrap_or_else(|_| panic!("{what}: not JSON: {:?}", reply.text));
    let request_id = body["request_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{what}: no request_id in {body}"));
    assert_eq!(reply.header("x-request-id"), Some(request_id), "{what}");
    if reply.status.is_client_error() {
        assert!(
            body["error"]["type"].is_string(),
            "{what}: no error.type in {body}"
        );
        assert!(
            body["error"]["message"].is_string(),
            "{what}: no error.message in {body}"
        );
    } else {
        assert!(body["data"]["id"].is_string(), "{what}: no data in {body}");
    }
}

fn bearer() -> String {
    format!("Bearer {}", keys::DEV)
}

#[tokio::test]
async fn malformed_bodies_get_nylass_envelope() {
    let app = spawn_app().await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"{".to_vec(),
        b"}".to_vec(),
        b"[1,2".to_vec(),
        b"{\"name\":\"\xff\xfe\"}".to_vec(),
        b"\xef\xbb\xbf{}".to_vec(),
        b"{\"name\":\"a\\u0000b\"}".to_vec(),
        b"{\"name\":\"\\ud800\"}".to_vec(),
        b"{\"name\":1e999}".to_vec(),
        b"{\"name\":\"x\",\"name\":\"y\"}".to_vec(),
        b"{\"credential_data\":{\"client_id\":{},\"client_secret\":[]}}".to_vec(),
        b"{\"credential_data\":{\"\":\"\"}}".to_vec(),
        b"{\"\":1}".to_vec(),
        b"true".to_vec(),
        b"\"str\"".to_vec(),
        deep.into_bytes(),
        vec![0u8; 4096],
        (0..=255u8).collect(),
    ];
    for body in bodies {
        let what = format!(
            "body {:?}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        for content_type in ["application/json", "text/plain"] {
            let reply = patch_raw(
                &app,
                &creds_path("google", ids::DEV_GOOGLE_CONNECTOR),
                &[("authorization", &bearer()), ("content-type", content_type)],
                &body,
            )
            .await;
            assert_well_formed(&reply, &what);
        }
    }
}

#[tokio::test]
async fn odd_providers_and_ids_get_nylass_envelope() {
    let app = spawn_app().await;
    let long = "a".repeat(5000);
    let segments = [
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
        "google",
        "GOOGLE",
    ];
    for segment in segments {
        for path in [
            creds_path(segment, ids::DEV_GOOGLE_CONNECTOR),
            creds_path("google", segment),
            format!("/nylas{}", creds_path(segment, segment)),
        ] {
            for method in [Method::PATCH, Method::GET] {
                let reply = app
                    .send(
                        method.clone(),
                        &path,
                        &[
                            ("authorization", &bearer()),
                            ("content-type", "application/json"),
                        ],
                        Some(b"{}".to_vec()),
                    )
                    .await;
                assert_well_formed(
                    &reply,
                    &format!("{method} {:?}", &path[..path.len().min(60)]),
                );
            }
        }
    }
}

#[tokio::test]
async fn odd_headers_get_nylass_envelope() {
    let app = spawn_app().await;
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![("authorization", "Bearer Bearer x".into())],
        vec![("authorization", format!("Bearer  {}", keys::DEV))],
        vec![("authorization", format!("BEARER {}", keys::DEV))],
        vec![
            ("authorization", bearer()),
            ("content-type", "application/json; charset=latin-1".into()),
        ],
        vec![("authorization", bearer()), ("content-type", "".into())],
        vec![
            ("authorization", bearer()),
            ("content-encoding", "gzip".into()),
        ],
        vec![
            ("authorization", bearer()),
            ("content-type", "multipart/form-data; boundary=x".into()),
        ],
    ];
    for headers in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let reply = patch_raw(
            &app,
            &creds_path("google", ids::DEV_GOOGLE_CONNECTOR),
            &headers,
            br#"{"name":"odd headers"}"#,
        )
        .await;
        assert_well_formed(&reply, &format!("{headers:?}"));
    }
}

#[tokio::test]
async fn a_seeded_mutation_run_never_gets_a_5xx() {
    let app = spawn_app().await;
    let seeds: [&[u8]; 4] = [
        br#"{"name":"x","credential_data":{"client_id":"a","client_secret":"b"}}"#,
        br#"{"credential_data":{"private_key_id":"k","private_key":"p","client_email":"e"}}"#,
        br#"{"credential_type":"connector","name":"y"}"#,
        br#"{"credential_data":{"client_id":"a","client_secret":"b","tenant":"t"}}"#,
    ];
    let targets = [
        ("google", ids::DEV_GOOGLE_CONNECTOR),
        ("google", ids::DEV_GOOGLE_SERVICE),
        ("microsoft", ids::DEV_MICROSOFT_CONSENT),
    ];
    let alphabet = b"{}[]\",:01truefalsnul\\ \xff\x00ae-";
    let mut rng = Mutator::new(0x5eed_0f4e_71a5_0001, &seeds, alphabet);
    for round in 0..400 {
        let body = rng.next_body();
        let (provider, id) = targets[rng.below(targets.len())];
        let reply = patch_raw(
            &app,
            &creds_path(provider, id),
            &[
                ("authorization", &bearer()),
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

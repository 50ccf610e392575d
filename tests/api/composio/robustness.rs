//! No input makes Composio's routes answer 5xx or anything but Composio's JSON: a corpus of malformed
//! bodies, odd ids and odd headers, plus a seeded mutation run over valid bodies.

use super::*;
use crate::helpers::*;

/// Asserts a reply is a 2xx or 4xx with JSON in Composio's shape and the request id header.
fn assert_well_formed(reply: &Reply, what: &str) {
    assert!(
        reply.status.is_success() || reply.status.is_client_error(),
        "{what}: status {} body {}",
        reply.status,
        reply.text
    );
    let body: Value = serde_json::from_str(&reply.text)
        .unwrap_or_else(|_| panic!("{what}: not JSON: {:?}", reply.text));
    let id = request_id(reply);
    if reply.status.is_client_error() {
        let error = &body["error"];
        assert!(error["code"].is_u64(), "{what}: no error.code in {body}");
        assert!(error["slug"].is_string(), "{what}: no error.slug in {body}");
        assert_eq!(error["status"], reply.status.as_u16(), "{what}");
        assert_eq!(error["request_id"], id.as_str(), "{what}");
    }
    assert_eq!(
        reply.header("x-patchbay-version"),
        Some(env!("CARGO_PKG_VERSION")),
        "{what}"
    );
}

#[tokio::test]
async fn malformed_bodies_get_composios_envelope() {
    let app = spawn_app().await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_object = format!(
        "{{\"type\":\"custom\",\"credentials\":{}1{}}}",
        "{\"a\":".repeat(3000),
        "}".repeat(3000)
    );
    let bodies: Vec<Vec<u8>> = vec![
        b"{".to_vec(),
        b"}".to_vec(),
        b"[1,2".to_vec(),
        b"nul".to_vec(),
        b"123".to_vec(),
        b"\"custom\"".to_vec(),
        b"{\"type\":\"custom\",\"name\":\"\xff\xfe\"}".to_vec(),
        b"\xef\xbb\xbf{\"type\":\"custom\"}".to_vec(),
        b"{\"type\":\"custom\",\"name\":\"a\\u0000b\"}".to_vec(),
        b"{\"type\":\"custom\",\"name\":\"\\ud800\"}".to_vec(),
        b"{\"type\":\"custom\",\"is_enabled_for_tool_router\":1e999}".to_vec(),
        b"{\"type\":\"custom\",\"type\":\"default\"}".to_vec(),
        b"{\"type\":\"custom\",\"credentials\":{\"\":\"\"}}".to_vec(),
        b"{\"type\":\"custom\",\"shared_credentials\":{\"a\":{\"b\":[{\"c\":null}]}}}".to_vec(),
        b"{\"type\":\"default\",\"scopes\":[\"a\",[\"b\"]]}".to_vec(),
        deep.into_bytes(),
        deep_object.into_bytes(),
        vec![0u8; 4096],
        (0..=255u8).collect(),
    ];
    for body in bodies {
        let what = format!(
            "body {:?}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        let reply = patch_raw(
            &app,
            &config_path(ids::GITHUB),
            &[
                ("x-api-key", keys::DEMO),
                ("content-type", "application/json"),
            ],
            &body,
        )
        .await;
        assert_well_formed(&reply, &what);
    }
}

#[tokio::test]
async fn odd_path_ids_get_composios_envelope() {
    let app = spawn_app().await;
    let long = "a".repeat(5000);
    let ids = [
        "%00",
        "%FF",
        "%C3%28",
        "a%2Fb",
        "a%20b",
        "%25",
        "%",
        "%zz",
        "%E2%80%8B",
        "\u{e9}",
        long.as_str(),
        "ac_",
        "ac_gHc7Qm2xLp9T0",
        "AC_GHC7QM2XLP9T",
        "'%20OR%201=1--",
    ];
    for id in ids {
        for method in [Method::PATCH, Method::GET] {
            let reply = app
                .send(
                    method.clone(),
                    &format!("/api/v3.1/auth_configs/{id}"),
                    &[
                        ("x-api-key", keys::DEMO),
                        ("content-type", "application/json"),
                    ],
                    Some(br#"{"type":"custom"}"#.to_vec()),
                )
                .await;
            let what = format!("{method} id {:?}", &id[..id.len().min(20)]);
            assert_well_formed(&reply, &what);
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{what}");
        }
    }
}

#[tokio::test]
async fn odd_headers_get_composios_envelope() {
    let app = spawn_app().await;
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("x-api-key", "Bearer ak_demo0Project0FullKey01")],
        vec![("authorization", "Bearer ak_demo0Project0FullKey01")],
        vec![("x-api-key", "AK_DEMO0PROJECT0FULLKEY01")],
        vec![
            ("x-api-key", keys::DEMO),
            ("content-type", "application/json; charset=latin-1"),
        ],
        vec![("x-api-key", keys::DEMO), ("content-type", "")],
        vec![
            ("x-api-key", keys::DEMO),
            ("content-type", "application/json"),
            ("content-encoding", "gzip"),
        ],
        vec![
            ("x-api-key", keys::DEMO),
            ("content-type", "multipart/form-data; boundary=x"),
        ],
        vec![("x-user-api-key", "")],
        vec![("x-api-key", keys::DEMO), ("x-request-id", "client-chosen")],
    ];
    for headers in cases {
        let reply = patch_raw(
            &app,
            &config_path(ids::GITHUB),
            &headers,
            br#"{"type":"custom"}"#,
        )
        .await;
        assert_well_formed(&reply, &format!("{headers:?}"));
    }
}

#[tokio::test]
async fn a_seeded_mutation_run_never_gets_a_5xx() {
    let app = spawn_app().await;
    let seeds: [&[u8]; 4] = [
        br#"{"type":"custom","name":"x","credentials":{"client_secret":"s"}}"#,
        br#"{"type":"custom","proxy_config":{"proxy_url":"https://p.example.com","proxy_auth_key":"k"}}"#,
        br#"{"type":"custom","tool_access_config":{"tools_available_for_execution":["A"]},"restrict_to_following_tools":[]}"#,
        br#"{"type":"default","scopes":["a","b"],"user_scopes":"c","shared_credentials":{"k":null}}"#,
    ];
    let alphabet = b"{}[]\",:01truefalsnul\\ \xff\x00ae-";
    let mut rng = Mutator::new(0x5eed_c0de_f00d_0002, &seeds, alphabet);
    for round in 0..400 {
        let body = rng.next_body();
        let target = if rng.below(2) == 0 {
            ids::GITHUB
        } else {
            ids::SLACK
        };
        let reply = patch_raw(
            &app,
            &config_path(target),
            &[
                ("x-api-key", keys::DEMO),
                ("content-type", "application/json"),
            ],
            &body,
        )
        .await;
        assert_well_formed(
            &reply,
            &format!("round {round}: {:?}", String::from_utf8_lossy(&body)),
        );
    }
}

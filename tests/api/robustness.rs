//! No input makes any vendor's routes answer 5xx or anything but that vendor's JSON envelope: one
//! corpus of malformed bodies, odd ids and odd headers sent to every vendor, plus a seeded mutation
//! run over each vendor's valid bodies. One table row per vendor.

use crate::helpers::{assert_one_row_per_vendor, spawn_app, KeyHeader, Mutator, Reply};
use crate::{composio, langdock, nango, nylas, puretalk};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// One vendor: where to send the corpus, how to present a key, and what its envelope looks like.
pub struct Case {
    pub vendor: &'static str,
    pub key_header: KeyHeader,
    /// A fixture key allowed to update every record the case names.
    pub key: &'static str,
    /// A fixture record's route: the malformed bodies and odd headers are sent to it, and it is
    /// still readable afterwards.
    record_path: String,
    /// The vendor's smallest valid body around some members: `{M}`, `{"data":{M}}`...
    object: fn(&[u8]) -> Vec<u8>,
    /// The vendor's smallest valid body.
    empty: &'static [u8],
    /// A string field of the body, and a field that holds a number or boolean.
    text_field: &'static str,
    number_field: &'static str,
    /// The field a body over the size limit is made of.
    oversized_field: &'static str,
    /// Malformed bodies of the vendor's own shape.
    extra_bodies: fn() -> Vec<Vec<u8>>,
    /// The paths an odd id (or path segment) is tried at.
    id_paths: fn(&str) -> Vec<String>,
    /// Odd ids of the vendor's own id format.
    extra_ids: &'static [&'static str],
    /// The body sent with every odd id.
    odd_id_body: &'static [u8],
    /// What every odd id gets, where it is the same for all of them.
    odd_id_status: Option<StatusCode>,
    /// The body sent with every set of odd headers.
    odd_header_body: &'static [u8],
    /// Odd ways of presenting the vendor's key.
    extra_header_sets: fn() -> Vec<Vec<(&'static str, String)>>,
    /// Valid bodies to mutate, the bytes mutations use, the generator's seed, and the records
    /// the mutated bodies are sent to.
    seeds: &'static [&'static [u8]],
    alphabet: &'static [u8],
    rng_seed: u64,
    targets: Vec<String>,
    /// Checks the vendor's part of a well-formed reply (given its JSON body): an error envelope on
    /// a 4xx, the vendor's success shape on a 2xx.
    envelope: fn(&Reply, &Value, &str),
}

/// The mutation alphabet most vendors share: JSON's punctuation and literals, and a few bad bytes.
const ALPHABET: &[u8] = b"{}[]\",:01truefalsnul\\ \xff\x00ae-";

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            vendor: "nango",
            key_header: KeyHeader::Bearer,
            key: nango::keys::DEV_FULL,
            record_path: "/integrations/github".into(),
            object: |members| [b"{".as_slice(), members, b"}"].concat(),
            empty: b"{}",
            text_field: "display_name",
            number_field: "forward_webhooks",
            oversized_field: "display_name",
            extra_bodies: || {
                vec![
                    b"{\"credentials\":{\"type\":\"OAUTH2\",\"client_id\":{},\"client_secret\":[]}}"
                        .to_vec(),
                    b"{\"integration_config\":{\"\":\"\"}}".to_vec(),
                    b"{\"unique_key\":\"\\u00e9t\\u00e9\"}".to_vec(),
                ]
            },
            id_paths: |id| {
                vec![
                    format!("/integrations/{id}"),
                    format!("/nango/integrations/{id}"),
                ]
            },
            extra_ids: &["~:.@_-", "quickstart"],
            odd_id_body: b"{}",
            odd_id_status: None,
            odd_header_body: b"{}",
            extra_header_sets: || {
                vec![
                    vec![("authorization", "Bearer Bearer x".into())],
                    vec![(
                        "authorization",
                        "bearer 6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f".into(),
                    )],
                ]
            },
            seeds: &[
                br#"{"display_name":"x","forward_webhooks":true}"#,
                br#"{"credentials":{"type":"OAUTH2","client_id":"a","client_secret":"b","scopes":"r,w"}}"#,
                br#"{"integration_config":{"region":"eu-west-1"},"custom":{"a":"b"}}"#,
                br#"{"unique_key":"renamed-key","display_name":"y"}"#,
            ],
            alphabet: ALPHABET,
            rng_seed: 0x5eed_cafe_f00d_0001,
            targets: vec!["/integrations/aws".into(), "/integrations/github".into()],
            envelope: |reply, body, what| {
                if reply.status.is_client_error() {
                    assert!(
                        body["error"]["code"].is_string(),
                        "{what}: no error.code in {body}"
                    );
                } else if let Some(listed) = body["data"].as_array() {
                    // The list: `{"data":[...]}` of public integrations.
                    assert!(
                        listed.iter().all(|item| item["unique_key"].is_string()),
                        "{what}: {body}"
                    );
                } else if body.get("success").is_some() {
                    // DELETE: `{"success":true}` and nothing else.
                    assert_eq!(*body, serde_json::json!({"success": true}), "{what}");
                } else {
                    assert!(
                        body["data"]["unique_key"].is_string(),
                        "{what}: no data in {body}"
                    );
                }
            },
        },
        Case {
            vendor: "langdock",
            key_header: KeyHeader::Bearer,
            key: langdock::keys::ACME_FULL,
            record_path: format!("/integrations/v1/{}", langdock::ids::CRM),
            object: |members| [b"{".as_slice(), members, b"}"].concat(),
            empty: b"{}",
            text_field: "name",
            number_field: "color",
            oversized_field: "description",
            extra_bodies: || {
                vec![
                    b"{\"name\":{},\"description\":[],\"iconUrl\":1,\"color\":true}".to_vec(),
                    b"{\"iconUrl\":\"http://\\u0000\"}".to_vec(),
                    format!("{}{}", "{\"a\":".repeat(3000), "}".repeat(3000)).into_bytes(),
                ]
            },
            id_paths: |id| vec![format!("/integrations/v1/{id}")],
            extra_ids: &[
                "550e8400-e29b-41d4-a716-446655440000%00",
                "550E8400-E29B-41D4-A716-446655440000",
            ],
            odd_id_body: b"{}",
            odd_id_status: None,
            odd_header_body: b"{}",
            extra_header_sets: || {
                vec![
                    vec![("authorization", "Bearer Bearer x".into())],
                    vec![(
                        "authorization",
                        "Bearer sk-acme0integration0api0full0001 extra".into(),
                    )],
                ]
            },
            seeds: &[
                br#"{"name":"Updated Integration Name","description":"New description for the integration"}"#,
                br##"{"iconUrl":"https://cdn.example.com/i.png","color":"#a1b2c3"}"##,
                br#"{"name":"x","unknown":[1,{"a":null}]}"#,
            ],
            alphabet: b"{}[]\",:01truefalsnul\\ \xff\x00ae-#/",
            rng_seed: 0x1a4d_0c4b_5eed_0002,
            targets: vec![
                format!("/integrations/v1/{}", langdock::ids::CRM),
                format!("/integrations/v1/{}", langdock::ids::GLOBEX_ERP),
            ],
            envelope: |reply, body, what| {
                if reply.status.is_client_error() {
                    assert!(body["message"].is_string(), "{what}: no message in {body}");
                    assert_eq!(
                        body.as_object().map(|object| object.len()),
                        Some(1),
                        "{what}: {body}"
                    );
                } else {
                    // One integration, or the list's array of them.
                    assert!(
                        body["integration"]["id"].is_string() || body["integrations"].is_array(),
                        "{what}: no integration in {body}"
                    );
                }
            },
        },
        Case {
            vendor: "puretalk",
            key_header: KeyHeader::Plain("x-api-key"),
            key: puretalk::keys::ACME,
            record_path: puretalk::path(puretalk::ids::HUBSPOT),
            object: |members| [br#"{"data":{"#.as_slice(), members, b"}}"].concat(),
            empty: b"{}",
            text_field: "api_key",
            number_field: "api_key",
            oversized_field: "api_key",
            extra_bodies: || {
                vec![
                    b"{\"data\":{\"api_key\":{}},\"extra\":[]}".to_vec(),
                    format!("{}{}", "{\"data\":".repeat(3000), "}".repeat(3000)).into_bytes(),
                ]
            },
            id_paths: |id| vec![puretalk::path(id)],
            extra_ids: &[
                "123e4567-e89b-12d3-a456-426614174000%00",
                "123e4567-e89b-12d3-a456-426614174000/x",
                "",
            ],
            odd_id_body: br#"{"data":{"api_key":"odd"}}"#,
            odd_id_status: None,
            odd_header_body: br#"{"data":{"api_key":"h"}}"#,
            extra_header_sets: || {
                vec![
                    vec![(
                        "x-api-key",
                        "pt-acme-demo-key-000000000000000000001, other".into(),
                    )],
                    vec![
                        ("x-api-key", puretalk::keys::ACME.into()),
                        ("x-api-key", puretalk::keys::GLOBEX.into()),
                        ("content-type", "application/json".into()),
                    ],
                ]
            },
            seeds: &[
                br#"{"data":{"api_key":"123e4567-e89b-12d3-a456-426614174000"}}"#,
                br#"{"data":{"api_key":"k","other":[1,2]},"extra":null}"#,
                br#"{"data":{}}"#,
            ],
            alphabet: ALPHABET,
            rng_seed: 0x9e37_79b9_7f4a_7c15,
            targets: vec![
                puretalk::path(puretalk::ids::HUBSPOT),
                puretalk::path(puretalk::ids::GLOBEX_HUBSPOT),
            ],
            envelope: |reply, body, what| {
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
            },
        },
        Case {
            vendor: "composio",
            key_header: KeyHeader::Plain("x-api-key"),
            key: composio::keys::DEMO,
            record_path: composio::config_path(composio::ids::GITHUB),
            object: |members| [br#"{"type":"custom","#.as_slice(), members, b"}"].concat(),
            empty: br#"{"type":"custom"}"#,
            text_field: "name",
            number_field: "is_enabled_for_tool_router",
            oversized_field: "name",
            extra_bodies: || {
                vec![
                    b"\"custom\"".to_vec(),
                    b"{\"type\":\"custom\",\"type\":\"default\"}".to_vec(),
                    b"{\"type\":\"custom\",\"credentials\":{\"\":\"\"}}".to_vec(),
                    b"{\"type\":\"custom\",\"shared_credentials\":{\"a\":{\"b\":[{\"c\":null}]}}}"
                        .to_vec(),
                    b"{\"type\":\"default\",\"scopes\":[\"a\",[\"b\"]]}".to_vec(),
                    format!(
                        "{{\"type\":\"custom\",\"credentials\":{}1{}}}",
                        "{\"a\":".repeat(3000),
                        "}".repeat(3000)
                    )
                    .into_bytes(),
                ]
            },
            id_paths: |id| vec![format!("/api/v3.1/auth_configs/{id}")],
            extra_ids: &[
                "ac_",
                "ac_gHc7Qm2xLp9T0",
                "AC_GHC7QM2XLP9T",
                "'%20OR%201=1--",
            ],
            odd_id_body: br#"{"type":"custom"}"#,
            odd_id_status: Some(StatusCode::NOT_FOUND),
            odd_header_body: br#"{"type":"custom"}"#,
            extra_header_sets: || {
                vec![
                    vec![("x-api-key", "Bearer ak_demo0Project0FullKey01".into())],
                    vec![("authorization", "Bearer ak_demo0Project0FullKey01".into())],
                    vec![("x-api-key", "AK_DEMO0PROJECT0FULLKEY01".into())],
                    vec![("x-user-api-key", "".into())],
                    vec![
                        ("x-api-key", composio::keys::DEMO.into()),
                        ("x-request-id", "client-chosen".into()),
                    ],
                ]
            },
            seeds: &[
                br#"{"type":"custom","name":"x","credentials":{"client_secret":"s"}}"#,
                br#"{"type":"custom","proxy_config":{"proxy_url":"https://p.example.com","proxy_auth_key":"k"}}"#,
                br#"{"type":"custom","tool_access_config":{"tools_available_for_execution":["A"]},"restrict_to_following_tools":[]}"#,
                br#"{"type":"default","scopes":["a","b"],"user_scopes":"c","shared_credentials":{"k":null}}"#,
            ],
            alphabet: ALPHABET,
            rng_seed: 0x5eed_c0de_f00d_0002,
            targets: vec![
                composio::config_path(composio::ids::GITHUB),
                composio::config_path(composio::ids::SLACK),
            ],
            envelope: |reply, body, what| {
                let id = composio::request_id(reply);
                if reply.status.is_client_error() {
                    let error = &body["error"];
                    assert!(error["code"].is_u64(), "{what}: no error.code in {body}");
                    assert!(error["slug"].is_string(), "{what}: no error.slug in {body}");
                    assert_eq!(error["status"], reply.status.as_u16(), "{what}");
                    assert_eq!(error["request_id"], id.as_str(), "{what}");
                } else {
                    assert!(body.is_object(), "{what}: {body}");
                }
            },
        },
        Case {
            vendor: "nylas",
            key_header: KeyHeader::Bearer,
            key: nylas::keys::DEV,
            record_path: nylas::creds_path("google", nylas::ids::DEV_GOOGLE_CONNECTOR),
            object: |members| [b"{".as_slice(), members, b"}"].concat(),
            empty: b"{}",
            text_field: "name",
            number_field: "name",
            oversized_field: "name",
            extra_bodies: || {
                vec![
                    b"{\"credential_data\":{\"client_id\":{},\"client_secret\":[]}}".to_vec(),
                    b"{\"credential_data\":{\"\":\"\"}}".to_vec(),
                    b"{\"\":1}".to_vec(),
                ]
            },
            id_paths: |segment| {
                vec![
                    nylas::creds_path(segment, nylas::ids::DEV_GOOGLE_CONNECTOR),
                    nylas::creds_path("google", segment),
                    format!("/nylas{}", nylas::creds_path(segment, segment)),
                ]
            },
            extra_ids: &["google", "GOOGLE"],
            odd_id_body: b"{}",
            odd_id_status: None,
            odd_header_body: br#"{"name":"odd headers"}"#,
            extra_header_sets: || {
                let key = nylas::keys::DEV;
                vec![
                    vec![("authorization", "Bearer Bearer x".into())],
                    vec![("authorization", format!("Bearer  {key}"))],
                    vec![("authorization", format!("BEARER {key}"))],
                    vec![
                        ("authorization", format!("Bearer {key}")),
                        ("content-encoding", "gzip".into()),
                    ],
                ]
            },
            seeds: &[
                br#"{"name":"x","credential_data":{"client_id":"a","client_secret":"b"}}"#,
                br#"{"credential_data":{"private_key_id":"k","private_key":"p","client_email":"e"}}"#,
                br#"{"credential_type":"connector","name":"y"}"#,
                br#"{"credential_data":{"client_id":"a","client_secret":"b","tenant":"t"}}"#,
            ],
            alphabet: ALPHABET,
            rng_seed: 0x5eed_0f4e_71a5_0001,
            targets: vec![
                nylas::creds_path("google", nylas::ids::DEV_GOOGLE_CONNECTOR),
                nylas::creds_path("google", nylas::ids::DEV_GOOGLE_SERVICE),
                nylas::creds_path("microsoft", nylas::ids::DEV_MICROSOFT_CONSENT),
            ],
            envelope: |reply, body, what| {
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
                    // A credential, a connector, a page of either, or a delete's request id alone.
                    let one = |data: &Value| data["id"].is_string() || data["provider"].is_string();
                    match &body["data"] {
                        Value::Array(items) => {
                            assert!(items.iter().all(one), "{what}: {body}");
                            assert!(body["limit"].is_u64() && body["offset"].is_u64(), "{what}");
                        }
                        Value::Null => assert_eq!(
                            body.as_object().map(|object| object.len()),
                            Some(1),
                            "{what}: {body}"
                        ),
                        data => assert!(one(data), "{what}: no data in {body}"),
                    }
                }
            },
        },
    ]
}

/// The case of a vendor of the table.
pub fn case(vendor: &str) -> Case {
    cases()
        .into_iter()
        .find(|case| case.vendor == vendor)
        .unwrap_or_else(|| panic!("no robustness case for {vendor}"))
}

impl Case {
    /// Asserts a reply is a 2xx or 4xx with a JSON body in this vendor's envelope and patchbay's
    /// version header.
    pub fn assert_well_formed(&self, reply: &Reply, what: &str) {
        let what = format!("{}: {what}", self.vendor);
        assert!(
            reply.status.is_success() || reply.status.is_client_error(),
            "{what}: status {} body {}",
            reply.status,
            reply.text
        );
        let body: Value = serde_json::from_str(&reply.text)
            .unwrap_or_else(|_| panic!("{what}: not JSON: {:?}", reply.text));
        (self.envelope)(reply, &body, &what);
        assert_eq!(
            reply.header("x-patchbay-version"),
            Some(env!("CARGO_PKG_VERSION")),
            "{what}"
        );
    }

    fn object_with(&self, field: &str, value: &[u8]) -> Vec<u8> {
        (self.object)(&[b"\"".as_slice(), field.as_bytes(), b"\":", value].concat())
    }

    /// The malformed (and odd but valid) bodies every vendor gets, then the vendor's own.
    fn corpus(&self) -> Vec<Vec<u8>> {
        let text = self.text_field;
        let mut bodies = vec![
            b"".to_vec(),
            b"{".to_vec(),
            b"}".to_vec(),
            b"[1,2".to_vec(),
            b"nul".to_vec(),
            b"123".to_vec(),
            b"true".to_vec(),
            b"\"str\"".to_vec(),
            self.object_with(text, b"\"\xff\xfe\""),
            [b"\xef\xbb\xbf".as_slice(), self.empty].concat(),
            self.object_with(text, b"\"a\\u0000b\""),
            self.object_with(text, b"\"\\ud800\""),
            self.object_with(self.number_field, b"1e999"),
            (self.object)(format!("\"{text}\":\"x\",\"{text}\":\"y\"").as_bytes()),
            self.object_with(text, b"\"\\u00e9t\\u00e9\""),
            self.object_with(text, format!("\"{}\"", "x".repeat(200_000)).as_bytes()),
            format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes(),
            vec![0u8; 4096],
            (0..=255u8).collect(),
        ];
        bodies.extend((self.extra_bodies)());
        bodies
    }

    /// The odd ids (or path segments) every vendor gets, then the vendor's own.
    fn odd_ids(&self) -> Vec<String> {
        // (Dot segments are resolved by the client before sending, so they never reach a vendor route.)
        let mut ids: Vec<String> = [
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
        ]
        .map(String::from)
        .into();
        ids.push("a".repeat(5000));
        ids.extend(self.extra_ids.iter().map(|id| id.to_string()));
        ids
    }

    /// The odd header sets every vendor gets (around a correctly presented key), then the
    /// vendor's own odd ways of presenting its key.
    fn odd_header_sets(&self) -> Vec<Vec<(&'static str, String)>> {
        let key = self.key_header.carrying(self.key);
        let with_key = |others: &[(&'static str, &str)]| {
            let mut headers = vec![key.clone()];
            headers.extend(
                others
                    .iter()
                    .map(|(name, value)| (*name, value.to_string())),
            );
            headers
        };
        let mut sets = vec![
            with_key(&[("content-type", "application/json; charset=latin-1")]),
            with_key(&[("content-type", "")]),
            with_key(&[
                ("content-type", "application/json"),
                ("content-encoding", "gzip"),
            ]),
            with_key(&[("content-type", "multipart/form-data; boundary=x")]),
            with_key(&[("origin", "https://evil.example.com")]),
        ];
        sets.extend((self.extra_header_sets)());
        sets
    }

    async fn send(
        &self,
        app: &crate::helpers::TestApp,
        method: Method,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> Reply {
        let (name, value) = self.key_header.carrying(self.key);
        app.send(
            method,
            path,
            &[(name, value.as_str()), ("content-type", content_type)],
            Some(body.to_vec()),
        )
        .await
    }
}

/// At most 60 characters of a long input, for a failure message.
fn shortened(text: &str) -> String {
    text.chars().take(60).collect()
}

#[test]
fn every_vendor_of_the_server_has_a_robustness_case() {
    assert_one_row_per_vendor("robustness cases()", cases().iter().map(|case| case.vendor));
}

#[tokio::test]
async fn malformed_bodies_get_each_vendors_envelope() {
    let app = spawn_app().await;
    for case in cases() {
        for body in case.corpus() {
            let what = format!("body {:?}", shortened(&String::from_utf8_lossy(&body)));
            for content_type in ["application/json", "text/plain"] {
                let reply = case
                    .send(&app, Method::PATCH, &case.record_path, content_type, &body)
                    .await;
                case.assert_well_formed(&reply, &format!("{what} as {content_type}"));
            }
        }
        // The whole corpus was refused or valid; the record is still readable.
        let (name, value) = case.key_header.carrying(case.key);
        let read = app
            .send(Method::GET, &case.record_path, &[(name, &value)], None)
            .await;
        assert_eq!(
            read.status,
            StatusCode::OK,
            "{}: {}",
            case.vendor,
            read.text
        );
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_each_vendors_413_not_a_dropped_connection() {
    let app = spawn_app().await;
    for case in cases() {
        let value = format!("\"{}\"", "x".repeat(2 * 1024 * 1024));
        let body = case.object_with(case.oversized_field, value.as_bytes());
        let reply = case
            .send(
                &app,
                Method::PATCH,
                &case.record_path,
                "application/json",
                &body,
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}: {}",
            case.vendor,
            reply.text
        );
        case.assert_well_formed(&reply, "2 MiB body");
    }
}

#[tokio::test]
async fn odd_path_ids_get_each_vendors_envelope() {
    let app = spawn_app().await;
    for case in cases() {
        for id in case.odd_ids() {
            for path in (case.id_paths)(&id) {
                for method in [
                    Method::PATCH,
                    Method::GET,
                    Method::DELETE,
                    Method::POST,
                    Method::PUT,
                ] {
                    let reply = case
                        .send(
                            &app,
                            method.clone(),
                            &path,
                            "application/json",
                            case.odd_id_body,
                        )
                        .await;
                    let what = format!("{method} {:?}", shortened(&path));
                    case.assert_well_formed(&reply, &what);
                    if let Some(status) = case.odd_id_status {
                        assert_eq!(reply.status, status, "{}: {what}", case.vendor);
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn odd_headers_get_each_vendors_envelope() {
    let app = spawn_app().await;
    for case in cases() {
        for headers in case.odd_header_sets() {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(name, value)| (*name, value.as_str()))
                .collect();
            let reply = app
                .send(
                    Method::PATCH,
                    &case.record_path,
                    &headers,
                    Some(case.odd_header_body.to_vec()),
                )
                .await;
            case.assert_well_formed(&reply, &format!("{headers:?}"));
        }
    }
}

#[tokio::test]
async fn a_seeded_mutation_run_never_gets_a_5xx_from_any_vendor() {
    let app = spawn_app().await;
    for case in cases() {
        let mut rng = Mutator::new(case.rng_seed, case.seeds, case.alphabet);
        for round in 0..400 {
            let body = rng.next_body();
            let target = &case.targets[rng.below(case.targets.len())];
            let reply = case
                .send(&app, Method::PATCH, target, "application/json", &body)
                .await;
            case.assert_well_formed(
                &reply,
                &format!("round {round} body {:?}", String::from_utf8_lossy(&body)),
            );
        }
    }
}

/// Composio's lifecycle routes (create, list, delete, the status change) get the same corpus, odd
/// queries, odd statuses, odd headers and a seeded mutation run of create bodies: never a 5xx,
/// always Composio's envelope, and nothing stored changes but by the creates that were accepted.
#[tokio::test]
async fn composios_lifecycle_routes_never_answer_5xx_and_refusals_store_nothing() {
    let app = spawn_app().await;
    let case = case("composio");
    let configs = "/api/v3.1/auth_configs";
    let state = || async {
        let reply = app
            .send(
                Method::GET,
                "/_patchbay/state/composio?tenant=proj_demo",
                &[],
                None,
            )
            .await;
        reply.json()["records"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let before = state().await;
    let mut accepted = 0;
    let mut count = |reply: &Reply| {
        if reply.status == StatusCode::CREATED {
            accepted += 1;
        }
    };

    let mut bodies = case.corpus();
    bodies.extend([
        b"{\"toolkit\":{\"slug\":\"\"}}".to_vec(),
        b"{\"toolkit\":{\"slug\":\"github\"},\"auth_config\":[]}".to_vec(),
        b"{\"toolkit\":{\"slug\":\"github\"},\"auth_config\":{\"type\":\"use_custom_auth\",\"authScheme\":\"\"}}"
            .to_vec(),
        b"{\"toolkit\":{\"slug\":\"../../etc\"}}".to_vec(),
        b"{\"toolkit\":{\"slug\":\"\\u0000\"}}".to_vec(),
        format!("{{\"toolkit\":{{\"slug\":\"{}\"}}}}", "g".repeat(100_000)).into_bytes(),
    ]);
    for body in &bodies {
        let what = format!("POST {:?}", shortened(&String::from_utf8_lossy(body)));
        for content_type in ["application/json", "text/plain"] {
            let reply = case
                .send(&app, Method::POST, configs, content_type, body)
                .await;
            case.assert_well_formed(&reply, &format!("{what} as {content_type}"));
            count(&reply);
        }
    }

    let mut rng = Mutator::new(
        0x5eed_c0de_c4ea_7e01,
        &[
            br#"{"toolkit":{"slug":"github"}}"#,
            br#"{"toolkit":{"slug":"github"},"auth_config":{"type":"use_custom_auth","authScheme":"OAUTH2","credentials":{"client_id":"a","client_secret":"b"}}}"#,
            br#"{"toolkit":{"slug":"linear"},"auth_config":{"type":"use_custom_auth","authScheme":"API_KEY","proxy_config":{"proxy_url":"https://p.example.com"},"tool_access_config":{"tools_available_for_execution":["A"]}}}"#,
            br#"{"toolkit":{"slug":"slack"},"auth_config":{"type":"use_composio_managed_auth","name":"n","credentials":{"scopes":["a"]},"shared_credentials":{"k":null}}}"#,
        ],
        ALPHABET,
    );
    for round in 0..300 {
        let body = rng.next_body();
        let reply = case
            .send(&app, Method::POST, configs, "application/json", &body)
            .await;
        case.assert_well_formed(
            &reply,
            &format!("round {round} body {:?}", String::from_utf8_lossy(&body)),
        );
        count(&reply);
    }

    let (name, value) = case.key_header.carrying(case.key);
    let key = [(name, value.as_str())];
    let long_cursor = "A".repeat(10_000);
    let queries = [
        "limit=%00",
        "limit=1e309",
        "limit=-0",
        "limit=NaN",
        "limit=99999999999999999999999",
        "limit=0x10",
        "limit",
        "cursor=%FF",
        "cursor=%00%00",
        long_cursor.as_str(),
        "cursor=eyJwYWdlIjoyLCJsaW1pdCI6MiwiYWZ0ZXIiOiJjZC4xLjEuIn0=",
        "cursor=eyJwYWdlIjoxOGU5OSwibGltaXQiOjEsImFmdGVyIjoiY2QuOTk5OTk5OTk5OTk5OTk5OTk5OTkuMS4ifQ==",
        "toolkit_slug=%2C%2C%2C",
        "search=%00",
        "search=%25",
        "show_disabled=",
        "is_composio_managed=%C3%28",
        "a=b&&&=&limit=2",
        "revoke_on_delete=%00",
    ];
    for query in queries {
        for path in [
            format!("{configs}?{query}"),
            format!("/api/v3/auth_configs?{query}"),
            format!("{configs}/ac_000000000000?{query}"),
        ] {
            for method in [Method::GET, Method::DELETE] {
                let reply = app.send(method.clone(), &path, &key, None).await;
                case.assert_well_formed(&reply, &format!("{method} {}", shortened(&path)));
            }
        }
    }

    for status in [
        "%00",
        "ENABLED%00",
        "%C3%28",
        "\u{e9}",
        "enabled",
        "ENABLED%2F",
    ] {
        let path = format!("{}/{status}", composio::config_path(composio::ids::GITHUB));
        let reply = app.send(Method::PATCH, &path, &key, None).await;
        case.assert_well_formed(&reply, &format!("PATCH {path}"));
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            reply.text
        );
    }
    let long_status = format!(
        "{}/{}",
        composio::config_path(composio::ids::GITHUB),
        "x".repeat(5000)
    );
    let reply = app.send(Method::PATCH, &long_status, &key, None).await;
    case.assert_well_formed(&reply, "a long status");
    for id in case.odd_ids() {
        for status in ["ENABLED", "DISABLED"] {
            let path = format!("{configs}/{id}/{status}");
            let reply = app.send(Method::PATCH, &path, &key, None).await;
            case.assert_well_formed(&reply, &format!("PATCH {}", shortened(&path)));
        }
    }

    for headers in case.odd_header_sets() {
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        for (method, body) in [
            (
                Method::POST,
                Some(br#"{"toolkit":{"slug":"github"}}"#.to_vec()),
            ),
            (Method::GET, None),
        ] {
            let reply = app.send(method.clone(), configs, &headers, body).await;
            case.assert_well_formed(&reply, &format!("{method} {headers:?}"));
            count(&reply);
        }
    }

    // Every fixture is as it was, and the only new records are the accepted creates.
    let after = state().await;
    assert_eq!(after.len(), before.len() + accepted, "{accepted} accepted");
    for record in &before {
        assert!(after.contains(record), "changed: {record}");
    }
}

/// Nylas's lifecycle routes (create, list, connector update and delete, credential delete): the
/// shared corpus of bodies, odd path segments and odd queries, and a seeded mutation run over valid
/// create bodies. No 5xx, always Nylas's envelope, and a refused request changes nothing stored.
#[tokio::test]
async fn nylas_lifecycle_routes_refuse_bad_input_without_a_5xx_or_a_change() {
    let app = spawn_app().await;
    let case = case("nylas");
    let everything = || async {
        let reply = app
            .send(Method::GET, "/_patchbay/state/nylas", &[], None)
            .await;
        reply.json()["records"].clone()
    };
    let mut stored = everything().await;
    let writes = [
        (Method::POST, nylas::CONNECTORS.to_string()),
        (Method::POST, nylas::creds_list_path("google")),
        (Method::PATCH, nylas::connector_path("microsoft")),
        (Method::PUT, nylas::connector_path("zoom")),
    ];
    for (method, path) in &writes {
        for body in case.corpus() {
            let reply = case
                .send(&app, method.clone(), path, "application/json", &body)
                .await;
            let what = format!(
                "{method} {path} body {:?}",
                shortened(&String::from_utf8_lossy(&body))
            );
            case.assert_well_formed(&reply, &what);
            let now = everything().await;
            if reply.status.is_client_error() {
                assert_eq!(now, stored, "{what}: a refused request changed the store");
            }
            stored = now;
        }
    }
    for segment in case.odd_ids() {
        let paths = [
            nylas::connector_path(&segment),
            nylas::creds_list_path(&segment),
            nylas::creds_path("zoom", &segment),
        ];
        for path in paths {
            for method in [
                Method::GET,
                Method::POST,
                Method::PATCH,
                Method::PUT,
                Method::DELETE,
            ] {
                let reply = case
                    .send(&app, method.clone(), &path, "application/json", b"{}")
                    .await;
                let what = format!("{method} {:?}", shortened(&path));
                case.assert_well_formed(&reply, &what);
                let now = everything().await;
                if reply.status.is_client_error() {
                    assert_eq!(now, stored, "{what}: a refused request changed the store");
                }
                stored = now;
            }
        }
    }
    let long = "x".repeat(10_000);
    let queries = [
        "limit=%00",
        "limit=1e3",
        "limit=99999999999999999999999",
        "limit=-0",
        "offset=18446744073709551616",
        "offset=999999999999",
        "offset=",
        "limit",
        "sort_by[]=created_at",
        "%zz=1&limit=2",
        "limit=1&limit=2",
        "order_by=%FF",
        "sort_by=created_at%00",
        "&&&=&",
        long.as_str(),
    ];
    for query in queries {
        for path in [
            nylas::CONNECTORS.to_string(),
            nylas::creds_list_path("microsoft"),
        ] {
            let path = format!("{path}?{query}");
            let (name, value) = case.key_header.carrying(case.key);
            let reply = app
                .send(Method::GET, &path, &[(name, value.as_str())], None)
                .await;
            case.assert_well_formed(&reply, &format!("GET {:?}", shortened(&path)));
        }
    }
    let seeds: [(&str, &[&[u8]]); 2] = [
        (
            nylas::CONNECTORS,
            &[
                br#"{"provider":"yahoo","settings":{"client_id":"a","client_secret":"b"},"scope":["x"]}"#,
                br#"{"provider":"imap","name":"Mail"}"#,
                br#"{"provider":"ews","settings":{"ews_url":"https://e.example.com"}}"#,
            ],
        ),
        (
            "/v3/connectors/google/creds",
            &[
                br#"{"name":"m","credential_type":"connector","credential_data":{"client_id":"a","client_secret":"b"}}"#,
                br#"{"name":"s","credential_type":"serviceaccount","credential_data":{"private_key_id":"k","private_key":"p","client_email":"e"}}"#,
                br#"{"name":"c","credential_type":"connector","credential_data":{"client_id":"a","client_secret":"b","topic_name":"t"}}"#,
            ],
        ),
    ];
    for (index, (path, bodies)) in seeds.iter().enumerate() {
        let mut rng = Mutator::new(0x5eed_0f4e_71a5_0100 + index as u64, bodies, ALPHABET);
        for round in 0..150 {
            let body = rng.next_body();
            let reply = case
                .send(&app, Method::POST, path, "application/json", &body)
                .await;
            let what = format!(
                "{path} round {round} body {:?}",
                String::from_utf8_lossy(&body)
            );
            case.assert_well_formed(&reply, &what);
            let now = everything().await;
            if reply.status.is_client_error() {
                assert_eq!(now, stored, "{what}: a refused request changed the store");
            }
            stored = now;
        }
    }
}

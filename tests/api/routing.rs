//! Which vendor answers a request: one row per method and path, naming the vendor that owns the
//! path (whose envelope answers) or nobody (the server's own 404), and the status. The rows cover
//! every route each vendor serves, at its native paths and under each of its prefixes, the methods
//! a route does not serve, and the near misses of every vendor's paths. Each row is checked against
//! `patchbay_server::vendors::owner_of` and against the reply that actually comes back.

use crate::helpers::{assert_one_row_per_vendor, spawn_app, KeyHeader, Reply, TestApp};
use crate::robustness;
use crate::{composio, langdock, nango, nylas, puretalk};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// What answers a row's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// The owner's handler, with this status, in the owner's envelope.
    Handled(StatusCode),
    /// The owner's static file (Nango's logos): a 200 SVG.
    Asset,
    /// The owner's 404 for a path or method it does not serve, exactly; with and without a key.
    NoRoute,
    /// The server's own 404: nobody owns the path.
    Nobody,
}

#[derive(Debug)]
struct Row {
    method: Method,
    path: String,
    owner: Option<&'static str>,
    answer: Answer,
    /// Whether the owner's fixture key is sent.
    with_key: bool,
    /// The owner's error code in the reply (Nango `error.code`, Composio `error.slug`, Nylas
    /// `error.type`, Langdock's `message`, Puretalk's `msg`), where the row pins it.
    code: Option<&'static str>,
}

impl Row {
    fn code(mut self, code: &'static str) -> Row {
        self.code = Some(code);
        self
    }
}

/// A request with the owner's key that its handler answers with `status`.
fn served(owner: &'static str, method: Method, path: &str, status: u16) -> Row {
    Row {
        method,
        path: path.to_string(),
        owner: Some(owner),
        answer: Answer::Handled(StatusCode::from_u16(status).expect("a status")),
        with_key: true,
        code: None,
    }
}

/// A request without a key that the owner's handler answers with `status`.
fn keyless(owner: &'static str, method: Method, path: &str, status: u16) -> Row {
    Row {
        with_key: false,
        ..served(owner, method, path, status)
    }
}

/// A path or method the owner does not serve.
fn no_route(owner: &'static str, method: Method, path: &str) -> Row {
    Row {
        answer: Answer::NoRoute,
        ..served(owner, method, path, 404)
    }
}

/// One of the owner's static files.
fn asset(owner: &'static str, path: &str) -> Row {
    Row {
        answer: Answer::Asset,
        with_key: false,
        ..served(owner, Method::GET, path, 200)
    }
}

/// A path no vendor owns.
fn nobody(method: Method, path: &str) -> Row {
    Row {
        method,
        path: path.to_string(),
        owner: None,
        answer: Answer::Nobody,
        with_key: false,
        code: None,
    }
}

/// A route the owner serves, at a fixture record's path: PATCH and GET with its key, GET
/// without one, and the methods it does not serve.
fn route(owner: &'static str, path: &str) -> Vec<Row> {
    vec![
        served(owner, Method::PATCH, path, 200),
        served(owner, Method::GET, path, 200),
        keyless(owner, Method::GET, path, 401),
        no_route(owner, Method::DELETE, path),
        no_route(owner, Method::POST, path),
        no_route(owner, Method::PUT, path),
    ]
}

/// Composio's routes under one version prefix: create and list, a fixture config's get, update and
/// delete (of an unknown id, so that the fixture stays), its status change, and the methods each
/// does not serve.
fn composio_routes(prefix: &str, github: &str) -> Vec<Row> {
    use Method as M;
    let configs = format!("{prefix}/auth_configs");
    let config = format!("{prefix}{github}");
    let unknown = format!("{prefix}/auth_configs/ac_123456789012");
    vec![
        served("composio", M::GET, &configs, 200),
        keyless("composio", M::GET, &configs, 401).code("APIKey_InvalidAPIKey"),
        served("composio", M::POST, &configs, 400).code("Http_ValidationError"),
        keyless("composio", M::POST, &configs, 401).code("APIKey_InvalidAPIKey"),
        no_route("composio", M::PATCH, &configs),
        no_route("composio", M::PUT, &configs),
        no_route("composio", M::DELETE, &configs),
        served("composio", M::PATCH, &config, 200),
        served("composio", M::GET, &config, 200),
        keyless("composio", M::GET, &config, 401),
        keyless("composio", M::DELETE, &config, 401).code("APIKey_InvalidAPIKey"),
        served("composio", M::DELETE, &unknown, 404).code("Auth_Config_NotFound"),
        no_route("composio", M::POST, &config),
        no_route("composio", M::PUT, &config),
        served("composio", M::PATCH, &format!("{config}/ENABLED"), 200),
        served("composio", M::PATCH, &format!("{unknown}/DISABLED"), 404)
            .code("Auth_Config_NotFound"),
        served("composio", M::PATCH, &format!("{config}/enabled"), 400)
            .code("Http_ValidationError"),
        keyless("composio", M::PATCH, &format!("{config}/DISABLED"), 401)
            .code("APIKey_InvalidAPIKey"),
        no_route("composio", M::GET, &format!("{config}/ENABLED")),
        no_route("composio", M::POST, &format!("{config}/ENABLED")),
        no_route("composio", M::DELETE, &format!("{config}/DISABLED")),
    ]
}

fn rows() -> Vec<Row> {
    use Method as M;
    let langdock_crm = format!("/integrations/v1/{}", langdock::ids::CRM);
    let langdock_missing = format!("/integrations/v1/{}", langdock::ids::MISSING);
    let puretalk_hubspot = puretalk::path(puretalk::ids::HUBSPOT);
    let composio_github = format!("/auth_configs/{}", composio::ids::GITHUB);
    let mut rows = Vec::new();

    // Nango: `/integrations`, one segment below it, the logos, `/nango`. Its records take DELETE,
    // so each prefix deletes a record of its own, after the rows that read it.
    for prefix in ["", "/nango"] {
        let github = format!("{prefix}/integrations/github");
        let list = format!("{prefix}/integrations");
        rows.extend([
            served("nango", M::PATCH, &github, 200),
            served("nango", M::GET, &github, 200),
            keyless("nango", M::GET, &github, 401).code("missing_auth_header"),
            keyless("nango", M::DELETE, &github, 401).code("missing_auth_header"),
            no_route("nango", M::POST, &github),
            no_route("nango", M::PUT, &github),
            served("nango", M::GET, &list, 200),
            keyless("nango", M::GET, &list, 401).code("missing_auth_header"),
            // No body: `req.body` undefined.
            served("nango", M::POST, &list, 400).code("invalid_body"),
            keyless("nango", M::POST, &list, 401).code("missing_auth_header"),
            no_route("nango", M::PATCH, &list),
            no_route("nango", M::DELETE, &list),
            no_route("nango", M::PUT, &list),
            served(
                "nango",
                M::POST,
                &format!("{prefix}/integrations/quickstart"),
                400,
            )
            .code("invalid_body"),
            // Any other method is of the integration whose key is `quickstart`.
            served(
                "nango",
                M::GET,
                &format!("{prefix}/integrations/quickstart"),
                404,
            )
            .code("not_found"),
            served(
                "nango",
                M::DELETE,
                &format!("{prefix}/integrations/quickstart"),
                404,
            )
            .code("not_found"),
            no_route(
                "nango",
                M::PUT,
                &format!("{prefix}/integrations/quickstart"),
            ),
        ]);
    }
    rows.extend([
        served("nango", M::DELETE, "/integrations/stripe", 200),
        served("nango", M::DELETE, "/integrations/stripe", 404).code("not_found"),
        served("nango", M::DELETE, "/nango/integrations/linear", 200),
        // `/integrations/v1` itself is a Nango unique key; Langdock's paths are below it.
        served("nango", M::PATCH, "/integrations/v1", 404).code("not_found"),
        served("nango", M::GET, "/integrations/v1", 404).code("not_found"),
        served("nango", M::GET, "/integrations/v1x", 404).code("not_found"),
        served("nango", M::GET, "/integrations/nope", 404).code("not_found"),
        served("nango", M::GET, "/nango/integrations/nope", 404).code("not_found"),
        no_route("nango", M::GET, "/integrations/v10/x"),
        no_route("nango", M::GET, "/integrations/x/y"),
        no_route("nango", M::GET, "/nango"),
        no_route("nango", M::GET, "/nango/anything/else"),
        asset("nango", "/images/template-logos/github.svg"),
        asset("nango", "/nango/images/template-logos/github.svg"),
        no_route("nango", M::DELETE, "/images/template-logos/github.svg"),
        no_route("nango", M::GET, "/images/template-logos/github.png"),
        no_route("nango", M::GET, "/images/template-logos/"),
        nobody(M::GET, "/integrationsx"),
        nobody(M::GET, "/integration"),
        nobody(M::GET, "/nangox"),
        nobody(M::GET, "/images/template-logos"),
        nobody(M::GET, "/images"),
    ]);

    // Langdock: strictly below `/integrations/v1`, and `/api/public` and `/langdock`.
    rows.extend(route("langdock", &langdock_crm));
    rows.extend(route("langdock", &format!("/api/public{langdock_crm}")));
    rows.extend(route("langdock", &format!("/langdock{langdock_crm}")));
    for prefix in ["", "/api/public", "/langdock"] {
        rows.extend(langdock_lifecycle_rows(prefix, &langdock_crm));
    }
    rows.extend([
        served("langdock", M::GET, "/integrations/v1/not-a-uuid", 400)
            .code("Invalid integration ID"),
        served("langdock", M::GET, &langdock_missing, 404),
        served(
            "langdock",
            M::GET,
            &format!("/api/public{langdock_missing}"),
            404,
        ),
        keyless("langdock", M::GET, "/integrations/v1/x", 401)
            .code("The provided API key is invalid."),
        served(
            "langdock",
            M::PATCH,
            "/integrations/v1/not-a-uuid/auth",
            400,
        )
        .code("Invalid integration ID"),
        // Langdock documents no delete of an integration.
        no_route("langdock", M::DELETE, &langdock_missing),
        no_route(
            "langdock",
            M::POST,
            &format!("{langdock_crm}/actions/create"),
        ),
        no_route("langdock", M::GET, "/integrations/v1/"),
        no_route("langdock", M::GET, "/langdock"),
        no_route("langdock", M::GET, "/langdock/anything/else"),
        no_route("langdock", M::GET, "/api/public"),
        no_route("langdock", M::GET, "/api/public/x"),
        no_route("langdock", M::PATCH, "/api/public/integrations/v2/x"),
        nobody(M::GET, "/api/publicity"),
        nobody(M::GET, "/langdockx"),
    ]);

    // Puretalk: `/api/ruth-connect` and `/puretalk`, never `/api` as a whole.
    rows.extend(route("puretalk", &puretalk_hubspot));
    rows.extend(route("puretalk", &format!("/puretalk{puretalk_hubspot}")));
    rows.extend([
        served(
            "puretalk",
            M::GET,
            &puretalk::path(puretalk::ids::MISSING),
            404,
        )
        .code("Integration not found"),
        served("puretalk", M::GET, &puretalk::path("not-a-uuid"), 404),
        keyless("puretalk", M::GET, "/api/ruth-connect/integrations/x", 401),
        no_route("puretalk", M::GET, &format!("{puretalk_hubspot}/")),
        no_route("puretalk", M::GET, "/api/ruth-connect/integrations"),
        no_route("puretalk", M::GET, "/api/ruth-connect"),
        no_route("puretalk", M::GET, "/api/ruth-connect/apps"),
        no_route("puretalk", M::GET, "/puretalk"),
        no_route("puretalk", M::GET, "/puretalk/api/anything"),
        no_route(
            "puretalk",
            M::PATCH,
            &format!("/puretalk{puretalk_hubspot}/x"),
        ),
        nobody(M::GET, "/api/ruth-connectx"),
        nobody(M::GET, "/api"),
        nobody(M::GET, "/api/"),
        nobody(M::GET, "/puretalkx"),
        nobody(M::GET, "/ruth-connect/integrations/x"),
    ]);

    // Composio: `/api/v3`, `/api/v3.1` and `/composio`.
    for prefix in [
        "/api/v3.1",
        "/api/v3",
        "/composio/api/v3.1",
        "/composio/api/v3",
    ] {
        rows.extend(composio_routes(prefix, &composio_github));
    }
    rows.extend([
        served(
            "composio",
            M::GET,
            "/api/v3.1/auth_configs/ac_123456789012",
            404,
        )
        .code("Auth_Config_NotFound"),
        keyless(
            "composio",
            M::GET,
            "/api/v3/auth_configs/ac_123456789012",
            401,
        )
        .code("APIKey_InvalidAPIKey"),
        no_route("composio", M::GET, "/api/v3"),
        no_route("composio", M::GET, "/api/v3.1"),
        no_route("composio", M::GET, "/api/v3/toolkits"),
        no_route("composio", M::GET, "/api/v3.1/auth_configs/"),
        no_route("composio", M::GET, "/api/v3.1/auth_config"),
        no_route("composio", M::PATCH, "/api/v3.1/auth_configs/a/ENABLED/x"),
        no_route("composio", M::GET, "/composio"),
        no_route("composio", M::GET, "/composio/x"),
        no_route("composio", M::GET, "/composio/api/v3/toolkits"),
        nobody(M::GET, "/api/v3.2/x"),
        nobody(M::GET, "/api/v31"),
        nobody(M::GET, "/api/v31/auth_configs"),
        nobody(M::GET, "/api/v3x"),
        nobody(M::GET, "/api/v2/auth_configs/x"),
        nobody(M::GET, "/composiox"),
    ]);

    // Nylas: `/v3` and `/nylas`, each path and method of the lifecycle.
    rows.extend(nylas_rows(""));
    rows.extend(nylas_rows("/nylas"));
    rows.extend([
        // Deletes that succeed come last: the rows above read what they delete.
        served(
            "nylas",
            M::DELETE,
            &nylas::creds_path("microsoft", nylas::ids::DEV_MICROSOFT_CONSENT),
            200,
        ),
        served("nylas", M::DELETE, "/nylas/v3/connectors/imap", 200),
        served("nylas", M::DELETE, "/v3/connectors/imap", 404).code("api.not_found_error"),
        no_route("nylas", M::GET, "/v3"),
        no_route("nylas", M::GET, "/v3/grants"),
        no_route("nylas", M::GET, "/v3/connectors/"),
        no_route("nylas", M::GET, "/v3/connectors/google/creds/"),
        no_route("nylas", M::GET, "/v3/connectors/google/creds/x/y"),
        no_route("nylas", M::GET, "/v3/connectors/google/other"),
        no_route("nylas", M::GET, "/nylas"),
        no_route("nylas", M::GET, "/nylas/anything"),
        no_route("nylas", M::GET, "/nylas/v3"),
        no_route("nylas", M::GET, "/nylas/v3/connector"),
        nobody(M::GET, "/v3x"),
        nobody(M::GET, "/v30/x"),
        nobody(M::GET, "/v2/x"),
        nobody(M::GET, "/nylasx"),
    ]);

    // Nobody's at all.
    rows.extend([nobody(M::GET, "/"), nobody(M::GET, "/nothing/here")]);
    rows
}

/// Langdock's list, create and auth update under `prefix` (`""` for the native paths), with and
/// without a key, and the methods each does not serve. `get` and `create` are literal only for
/// their own method: any other is of the integration whose id is `get` or `create`.
fn langdock_lifecycle_rows(prefix: &str, crm: &str) -> Vec<Row> {
    use Method as M;
    let list = format!("{prefix}/integrations/v1/get");
    let create = format!("{prefix}/integrations/v1/create");
    let auth = format!("{prefix}{crm}/auth");
    let bad_id = "Invalid integration ID";
    vec![
        served("langdock", M::GET, &list, 200),
        keyless("langdock", M::GET, &list, 401).code("The provided API key is invalid."),
        served("langdock", M::PATCH, &list, 400).code(bad_id),
        no_route("langdock", M::POST, &list),
        no_route("langdock", M::DELETE, &list),
        // No body: the JSON check answers, after routing, the key and the scope.
        served("langdock", M::POST, &create, 400)
            .code("Invalid JSON in request body: Unexpected end of JSON input"),
        keyless("langdock", M::POST, &create, 401).code("The provided API key is invalid."),
        served("langdock", M::GET, &create, 400).code(bad_id),
        no_route("langdock", M::PUT, &create),
        no_route("langdock", M::DELETE, &create),
        served("langdock", M::PATCH, &auth, 400).code("Invalid request body: authType is required"),
        keyless("langdock", M::PATCH, &auth, 401).code("The provided API key is invalid."),
        no_route("langdock", M::GET, &auth),
        no_route("langdock", M::POST, &auth),
        no_route("langdock", M::PUT, &auth),
        no_route("langdock", M::DELETE, &auth),
        // An action's delete (of an action that is not there: the fixture's stay).
        served(
            "langdock",
            M::DELETE,
            &format!("{prefix}{crm}/actions/{}", langdock::ids::MISSING),
            404,
        )
        .code("Integration or action not found"),
        keyless(
            "langdock",
            M::DELETE,
            &format!("{prefix}{crm}/actions/x"),
            401,
        )
        .code("The provided API key is invalid."),
        served(
            "langdock",
            M::DELETE,
            &format!("{prefix}{crm}/actions/x"),
            400,
        )
        .code("Invalid integration or action ID"),
        no_route("langdock", M::PUT, &format!("{prefix}{crm}/actions/x")),
        no_route("langdock", M::GET, &format!("{prefix}{crm}/actions/x")),
        no_route(
            "langdock",
            M::POST,
            &format!("{prefix}{crm}/triggers/create"),
        ),
    ]
}

/// Nylas's routes under `prefix` (`""` for the native paths): every method each path serves, with
/// and without a key, and the methods it does not serve. No row changes what a later row reads.
fn nylas_rows(prefix: &str) -> Vec<Row> {
    use Method as M;
    let connectors = format!("{prefix}/v3/connectors");
    let google = format!("{connectors}/google");
    let creds = format!("{google}/creds");
    let credential = format!(
        "{prefix}{}",
        nylas::creds_path("google", nylas::ids::DEV_GOOGLE_SERVICE)
    );
    let active = format!(
        "{prefix}{}",
        nylas::creds_path("google", nylas::ids::DEV_GOOGLE_CONNECTOR)
    );
    let unknown = format!(
        "{prefix}{}",
        nylas::creds_path("google", nylas::ids::UNKNOWN)
    );
    let payload = "api.invalid_request_payload";
    vec![
        served("nylas", M::GET, &connectors, 200),
        keyless("nylas", M::GET, &connectors, 401),
        // POST and PUT rows go without a body: the body check answers, after routing and auth.
        served("nylas", M::POST, &connectors, 400).code(payload),
        no_route("nylas", M::PUT, &connectors),
        no_route("nylas", M::PATCH, &connectors),
        no_route("nylas", M::DELETE, &connectors),
        served("nylas", M::GET, &google, 200),
        keyless("nylas", M::GET, &google, 401),
        served("nylas", M::PATCH, &google, 200),
        served("nylas", M::PUT, &google, 400).code(payload),
        served("nylas", M::DELETE, &format!("{connectors}/ews"), 404).code("api.not_found_error"),
        served("nylas", M::GET, &format!("{connectors}/outlook"), 400)
            .code("api.invalid_request_error"),
        no_route("nylas", M::POST, &google),
        served("nylas", M::GET, &creds, 200),
        keyless("nylas", M::GET, &creds, 401),
        served("nylas", M::POST, &creds, 400).code(payload),
        served("nylas", M::GET, &format!("{connectors}/ews/creds"), 404)
            .code("api.not_found_error"),
        no_route("nylas", M::PUT, &creds),
        no_route("nylas", M::PATCH, &creds),
        no_route("nylas", M::DELETE, &creds),
        served("nylas", M::PATCH, &credential, 200),
        served("nylas", M::GET, &credential, 200),
        keyless("nylas", M::GET, &credential, 401),
        served("nylas", M::DELETE, &active, 400).code("api.invalid_request_error"),
        served("nylas", M::DELETE, &unknown, 404).code("api.not_found_error"),
        served("nylas", M::GET, &unknown, 404).code("api.not_found_error"),
        served(
            "nylas",
            M::GET,
            &format!(
                "{prefix}{}",
                nylas::creds_path("notaprovider", nylas::ids::DEV_GOOGLE_CONNECTOR)
            ),
            400,
        )
        .code("api.invalid_request_error"),
        no_route("nylas", M::PUT, &credential),
        no_route("nylas", M::POST, &credential),
    ]
}

/// How this table calls a vendor: its key, and a valid PATCH body for the fixture record its rows
/// name.
fn caller(vendor: &str) -> (KeyHeader, &'static str, &'static [u8]) {
    match vendor {
        "nango" => (KeyHeader::Bearer, nango::keys::DEV_FULL, b"{}"),
        "langdock" => (KeyHeader::Bearer, langdock::keys::ACME_FULL, b"{}"),
        "puretalk" => (
            KeyHeader::Plain("x-api-key"),
            puretalk::keys::ACME,
            br#"{"data":{"api_key":"routing"}}"#,
        ),
        "composio" => (
            KeyHeader::Plain("x-api-key"),
            composio::keys::DEMO,
            br#"{"type":"custom"}"#,
        ),
        "nylas" => (KeyHeader::Bearer, nylas::keys::DEV, b"{}"),
        other => panic!("no caller for {other}"),
    }
}

/// The vendor's error code in an error body (see [`Row::code`]).
fn error_code<'a>(vendor: &str, body: &'a Value) -> Option<&'a str> {
    match vendor {
        "nango" => body["error"]["code"].as_str(),
        "composio" => body["error"]["slug"].as_str(),
        "nylas" => body["error"]["type"].as_str(),
        "langdock" => body["message"].as_str(),
        "puretalk" => body["msg"].as_str(),
        other => panic!("no error code for {other}"),
    }
}

/// The exact content type and body of a vendor's 404 for a path or method it does not serve.
fn no_route_reply(
    vendor: &str,
    method: &Method,
    path: &str,
    reply: &Reply,
) -> (&'static str, Value) {
    let request_id = reply.header("x-request-id").unwrap_or_default();
    match vendor {
        "nango" => (
            "application/json; charset=utf-8",
            json!({"error": {"code": "not_found", "message": format!("No route {method} {path}")}}),
        ),
        "langdock" => (
            "application/json",
            json!({"message": format!("No route {method} {path}")}),
        ),
        "puretalk" => (
            "application/json",
            json!({"err": true, "msg": "Not found."}),
        ),
        "composio" => (
            "application/json",
            json!({"error": {
                "message": format!("Route not found: {method} {path}"),
                "code": 10404,
                "slug": "Http_NotFound",
                "status": 404,
                "request_id": request_id,
            }}),
        ),
        "nylas" => (
            "application/json; charset=utf-8",
            json!({"request_id": request_id, "error": {
                "type": "api.not_found_error",
                "message": format!("Resource not found: no route {method} {path}"),
            }}),
        ),
        other => panic!("no 404 body for {other}"),
    }
}

async fn send(app: &TestApp, row: &Row, with_key: bool) -> Reply {
    let mut headers = Vec::new();
    let mut body = None;
    if let Some(owner) = row.owner {
        let (key_header, key, patch_body) = caller(owner);
        if with_key {
            headers.push(key_header.carrying(key));
        }
        if row.method == Method::PATCH && matches!(row.answer, Answer::Handled(_)) {
            headers.push(("content-type", "application/json".to_string()));
            body = Some(patch_body.to_vec());
        }
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    app.send(row.method.clone(), &row.path, &headers, body)
        .await
}

fn check(row: &Row, reply: &Reply, with_key: bool) {
    let what = format!(
        "{} {} ({})",
        row.method,
        row.path,
        if with_key {
            "with a key"
        } else {
            "without a key"
        }
    );
    assert_eq!(
        reply.header("x-patchbay-version"),
        Some(env!("CARGO_PKG_VERSION")),
        "{what}"
    );
    match (row.answer, row.owner) {
        (Answer::Nobody, _) => {
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{what}: {}",
                reply.text
            );
            assert_eq!(
                reply.header("content-type"),
                Some("application/json"),
                "{what}"
            );
            let expected =
                json!({"error": {"message": format!("no route {} {}", row.method, row.path)}});
            assert_eq!(
                reply.text,
                expected.to_string(),
                "{what}: the server's own 404"
            );
        }
        (Answer::Asset, Some(_)) => {
            assert_eq!(reply.status, StatusCode::OK, "{what}: {}", reply.text);
            assert_eq!(
                reply.header("content-type"),
                Some("image/svg+xml"),
                "{what}"
            );
            assert!(reply.text.starts_with("<svg"), "{what}: {}", reply.text);
        }
        (Answer::NoRoute, Some(owner)) => {
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{what}: {}",
                reply.text
            );
            robustness::case(owner).assert_well_formed(reply, &what);
            let (content_type, expected) = no_route_reply(owner, &row.method, &row.path, reply);
            assert_eq!(reply.header("content-type"), Some(content_type), "{what}");
            assert_eq!(
                reply.text,
                expected.to_string(),
                "{what}: {owner}'s 404, byte for byte"
            );
        }
        (Answer::Handled(status), Some(owner)) => {
            assert_eq!(reply.status, status, "{what}: {}", reply.text);
            robustness::case(owner).assert_well_formed(reply, &what);
            if let Some(code) = row.code {
                assert_eq!(
                    error_code(owner, &reply.json()),
                    Some(code),
                    "{what}: {}",
                    reply.text
                );
            }
        }
        (answer, None) => panic!("{what}: {answer:?} needs an owner"),
    }
}

#[tokio::test]
async fn every_row_is_answered_by_the_vendor_that_owns_its_path() {
    let app = spawn_app().await;
    for row in rows() {
        let path = row.path.split('?').next().unwrap_or_default();
        assert_eq!(
            patchbay_server::vendors::owner_of(path).map(|vendor| vendor.name),
            row.owner,
            "owner of {path}"
        );
        let reply = send(&app, &row, row.with_key).await;
        check(&row, &reply, row.with_key);
        if row.answer == Answer::NoRoute {
            let reply = send(&app, &row, false).await;
            check(&row, &reply, false);
        }
    }
}

#[test]
fn every_vendor_of_the_server_has_a_route_in_the_table() {
    let served: BTreeSet<&str> = rows()
        .iter()
        .filter(|row| row.answer == Answer::Handled(StatusCode::OK))
        .filter_map(|row| row.owner)
        .collect();
    assert_one_row_per_vendor("vendors serving a route in rows()", served);
}

#[tokio::test]
async fn nangos_one_segment_paths_are_still_nangos() {
    let app = spawn_app().await;
    let reply = nango::patch(
        &app,
        "v1",
        nango::keys::DEV_FULL,
        &json!({"display_name": "x"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json(),
        nango::error("not_found", "Integration \"v1\" does not exist")
    );
    let reply = nango::patch(
        &app,
        "github",
        nango::keys::DEV_FULL,
        &json!({"display_name": "x"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    // `/integrations` itself is Nango's list: without a key, Nango's 401.
    let reply = app.send(Method::GET, "/integrations", &[], None).await;
    assert_eq!(reply.json()["error"]["code"], "missing_auth_header");
    let reply = app.send(Method::PUT, "/integrations", &[], None).await;
    assert_eq!(reply.json()["error"]["code"], "not_found");
}

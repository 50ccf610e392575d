use super::control;
use crate::helpers::spawn_app_with;
use reqwest::Method;

#[tokio::test]
async fn with_an_admin_token_the_control_api_needs_it() {
    let app = spawn_app_with(|settings| settings.control.admin_token = "letmein-0123".into()).await;
    let refused = control(&app, Method::GET, "/_patchbay/requests", None).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
    assert!(refused.json()["error"]["message"]
        .as_str()
        .expect("message")
        .contains("Bearer"));
    let wrong = app
        .send(
            Method::GET,
            "/_patchbay/state/nango",
            &[("authorization", "Bearer letmein-0124")],
            None,
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(!wrong.text.contains("letmein"), "the token is never echoed");
    let allowed = app
        .send(
            Method::GET,
            "/_patchbay/state/nango",
            &[("authorization", "Bearer letmein-0123")],
            None,
        )
        .await;
    assert_eq!(allowed.status, 200, "{}", allowed.text);
}

#[tokio::test]
async fn the_openapi_document_describes_every_control_route() {
    let app = spawn_app_with(|_| {}).await;
    let reply = control(&app, Method::GET, "/_patchbay/openapi.json", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let document = reply.json();
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().expect("paths");
    for (path, methods) in [
        ("/_patchbay/health", &["get"][..]),
        ("/_patchbay/openapi.json", &["get"]),
        ("/_patchbay/state/{vendor}", &["get"]),
        ("/_patchbay/reset", &["post"]),
        ("/_patchbay/seed", &["post"]),
        ("/_patchbay/requests", &["get", "delete"]),
        ("/_patchbay/faults", &["get", "post", "delete"]),
        ("/_patchbay/faults/{id}", &["delete"]),
        ("/_patchbay/requests/stream", &["get"]),
        ("/_patchbay/ui", &["get"]),
        ("/_patchbay/ui/app.js", &["get"]),
        ("/_patchbay/ui/app.css", &["get"]),
    ] {
        let item = paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} is missing"));
        for method in methods {
            assert!(item.get(*method).is_some(), "{method} {path} is missing");
        }
    }
    assert_eq!(paths.len(), 12, "every documented path is served");
    let vendors: Vec<&str> = document["components"]["schemas"]["Vendor"]["enum"]
        .as_array()
        .expect("vendor enum")
        .iter()
        .filter_map(|vendor| vendor.as_str())
        .collect();
    assert_eq!(
        vendors,
        patchbay_server::vendors::names(),
        "the Vendor enum is the server's vendor table"
    );
    let health = control(&app, Method::GET, "/_patchbay/health", None).await;
    assert_eq!(document["info"]["version"], health.json()["version"]);
    assert_eq!(document["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        document["servers"],
        serde_json::json!([{"url": app.address}]),
        "the document points at the server that served it"
    );
}

#[tokio::test]
async fn a_wrong_method_on_a_control_route_is_a_json_405() {
    let app = spawn_app_with(|_| {}).await;
    let reply = control(&app, Method::PUT, "/_patchbay/reset", None).await;
    assert_eq!(reply.status, 405);
    assert!(reply.json()["error"]["message"]
        .as_str()
        .expect("message")
        .contains("PUT"));
    assert_eq!(reply.header("allow"), Some("POST"));
    for (path, allowed) in [
        ("/_patchbay/faults", "GET, POST, DELETE"),
        ("/_patchbay/requests", "GET, DELETE"),
        ("/_patchbay/faults/fault_1", "DELETE"),
        ("/_patchbay/state/nango", "GET"),
        ("/_patchbay/openapi.json", "GET"),
    ] {
        let reply = control(&app, Method::PATCH, path, None).await;
        assert_eq!(reply.status, 405, "{path}");
        assert_eq!(reply.header("allow"), Some(allowed), "{path}");
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn the_documents_server_is_the_public_url_not_the_requests_host() {
    let app = spawn_app_with(|settings| {
        settings.server.public_url = "https://patchbay.example.test/".into();
    })
    .await;
    let reply = app
        .send(
            Method::GET,
            "/_patchbay/openapi.json",
            &[("host", "attacker.example")],
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json()["servers"],
        serde_json::json!([{"url": "https://patchbay.example.test"}])
    );
}

//! Connectors: created with their primary credential, listed, read, updated by PATCH or by the Node
//! SDK's PUT, and deleted with their credentials. One connector per provider per application.
//! Facts: LIFECYCLE.md §3.1 (the model), §3.2 (routes and bodies), §3.3 (PUT from the Node SDK);
//! the errors are patchbay's choices for §3.5.

use super::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_new_connector_comes_with_its_primary_credential_as_the_active_one() {
    let app = spawn_app().await;
    let reply = post(
        &app,
        CONNECTORS,
        keys::DEV,
        &json!({"provider": "yahoo", "settings": {"client_id": "y-id", "client_secret": "y-secret"}, "scope": ["mail-r"]}),
    )
    .await;
    let created = connector(&reply, StatusCode::CREATED);
    // LIFECYCLE.md §3.1: "Nylas automatically creates a primary Credential ... identified by the
    // connector's active_credential_id".
    let active = created["active_credential_id"]
        .as_str()
        .expect("an active credential")
        .to_string();
    assert_eq!(
        created,
        json!({"name": "Yahoo Connector", "provider": "yahoo", "settings": {}, "scope": ["mail-r"], "active_credential_id": active})
    );
    assert!(!reply.text.contains("y-secret") && !reply.text.contains("y-id"));
    let uuid = uuid::Uuid::parse_str(&active).expect("a UUID");
    assert_eq!(uuid.get_version_num(), 4);

    let primary = credential(&get(&app, "yahoo", &active, keys::DEV).await);
    assert_eq!(primary["name"], "Primary credential");
    assert_eq!(primary["created_at"], primary["updated_at"]);
    let stored = stored(&app, "app-dev", &active).await;
    assert_eq!(stored["credential_type"], "connector");
    assert_eq!(
        stored["credential_data"],
        json!({"client_id": "y-id", "client_secret": "y-secret"})
    );
    assert_eq!(
        stored_connector(&app, "app-dev", "yahoo").await["settings"],
        json!({"client_id": "y-id", "client_secret": "y-secret"})
    );
    let (items, _, _) = page(&get_path(&app, &creds_list_path("yahoo"), keys::DEV).await);
    assert_eq!(ids_of(&items), [active]);
}

#[tokio::test]
async fn a_connector_keeps_its_other_settings_visible_and_takes_a_name() {
    let app = spawn_app().await;
    let reply = post(
        &app,
        CONNECTORS,
        keys::PROD,
        &json!({"name": "Zoom meetings", "provider": "zoom", "settings": {"client_id": "z", "client_secret": "s", "region": "eu"}}),
    )
    .await;
    let created = connector(&reply, StatusCode::CREATED);
    assert_eq!(created["name"], "Zoom meetings");
    assert_eq!(created["settings"], json!({"region": "eu"}));
    assert_eq!(created["scope"], json!([]));
}

#[tokio::test]
async fn a_connector_without_client_credentials_has_no_credential() {
    let app = spawn_app().await;
    for provider in ["icloud", "virtual-calendar", "nylas"] {
        let reply = post(&app, CONNECTORS, keys::DEV, &json!({"provider": provider})).await;
        let created = connector(&reply, StatusCode::CREATED);
        assert_eq!(created.get("active_credential_id"), None, "{created}");
        let (items, _, _) = page(&get_path(&app, &creds_list_path(provider), keys::DEV).await);
        assert!(items.is_empty(), "{provider}");
    }
    let ews = post(
        &app,
        CONNECTORS,
        keys::DEV,
        &json!({"provider": "ews", "settings": {"ews_url": "https://mail.example.com/EWS/Exchange.asmx"}}),
    )
    .await;
    assert_eq!(
        connector(&ews, StatusCode::CREATED)["settings"],
        json!({"ews_url": "https://mail.example.com/EWS/Exchange.asmx"})
    );
    let names: Vec<Value> = page(&get_path(&app, CONNECTORS, keys::DEV).await)
        .0
        .iter()
        .map(|item| item["name"].clone())
        .collect();
    assert_eq!(
        names,
        [
            "Google Connector",
            "Microsoft Connector",
            "Zoom Connector",
            "IMAP Connector",
            "iCloud Connector",
            "Virtual Calendar Connector",
            "Nylas Connector",
            "EWS Connector"
        ]
    );
}

#[tokio::test]
async fn a_second_connector_for_a_provider_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let before = state(&app, "app-dev").await;
    let reply = post(&app, CONNECTORS, keys::DEV, &connector_body("google")).await;
    // LIFECYCLE.md §3.1: "only one Nylas connector for each type of provider".
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        "A connector for provider google already exists",
    );
    assert_eq!(state(&app, "app-dev").await, before);
}

#[tokio::test]
async fn create_bodies_are_checked_before_anything_is_stored() {
    let app = spawn_app().await;
    let before = state(&app, "app-dev").await;
    let cases: [(&[u8], &str, &str); 8] = [
        (b"{", "api.invalid_request_payload", "Invalid JSON payload format: EOF while parsing an object in JSON at position 1"),
        (b"", "api.invalid_request_payload", "Invalid JSON payload format: the request body is empty"),
        (br#"{}"#, "api.invalid_request_error", "Invalid request body: field \"provider\" is required"),
        (br#"{"provider":"inbox"}"#, "api.invalid_request_error", "Invalid provider \"inbox\": must be one of google, microsoft, imap, icloud, yahoo, ews, virtual-calendar, zoom, nylas"),
        (br#"{"provider":"yahoo"}"#, "api.invalid_request_error", "Invalid request body: field \"settings\" is required for yahoo connectors"),
        (br#"{"provider":"yahoo","settings":{"client_id":"i"}}"#, "api.invalid_request_error", "Invalid request body: settings.client_secret is required for yahoo connectors"),
        (br#"{"provider":"imap","scope":[1]}"#, "api.invalid_request_error", "Invalid request body: field \"scope\" must be an array of strings, got number"),
        (br#"{"provider":"icloud","activeCredentialId":"x"}"#, "api.invalid_request_error", "Invalid request body: unknown field \"activeCredentialId\""),
    ];
    for (body, error_type, message) in cases {
        let reply = app
            .call(&CLIENT, Method::POST, CONNECTORS, keys::DEV, Some(body))
            .await;
        assert_error(&reply, StatusCode::BAD_REQUEST, error_type, message);
    }
    // No credential of a connector that does not exist yet can be its active one.
    let reply = post(
        &app,
        CONNECTORS,
        keys::DEV,
        &json!({"provider": "icloud", "active_credential_id": ids::DEV_GOOGLE_CONNECTOR}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        &format!(
            "Credential \"{}\" is not a credential of connector icloud",
            ids::DEV_GOOGLE_CONNECTOR
        ),
    );
    assert_eq!(state(&app, "app-dev").await, before);
}

#[tokio::test]
async fn get_answers_the_fixture_connector_and_404s_a_missing_one() {
    let app = spawn_app().await;
    let reply = get_path(&app, &connector_path("google"), keys::DEV).await;
    assert_eq!(
        connector(&reply, StatusCode::OK),
        json!({
            "name": "Google Connector",
            "provider": "google",
            "settings": {"topic_name": "projects/patchbay-demo/topics/nylas-notifications"},
            "scope": ["https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/gmail.readonly"],
            "active_credential_id": ids::DEV_GOOGLE_CONNECTOR,
        })
    );
    for hidden in ["GOCSPX", "demo0connector"] {
        assert!(!reply.text.contains(hidden), "{hidden}: {}", reply.text);
    }
    let reply = get_path(&app, &connector_path("yahoo"), keys::DEV).await;
    assert_error(
        &reply,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        "Connector \"yahoo\" not found",
    );
    let reply = get_path(&app, &connector_path("Google"), keys::DEV).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
}

#[tokio::test]
async fn patch_and_put_update_a_connector_alike() {
    let app = spawn_app().await;
    // LIFECYCLE.md §3.3: the Node SDK's update sends PUT, the spec and the Python SDK PATCH.
    for (method, name) in [(Method::PATCH, "Patched"), (Method::PUT, "Put")] {
        let reply = call(
            &app,
            method.clone(),
            &connector_path("microsoft"),
            keys::DEV,
            Some(&json!({"name": name})),
        )
        .await;
        let updated = connector(&reply, StatusCode::OK);
        assert_eq!(updated["name"], name, "{method}");
        assert_eq!(updated["scope"], json!(["Mail.Read", "offline_access"]));
        assert_eq!(updated["settings"], json!({"tenant": "common"}));
        let read = connector(
            &get_path(&app, &connector_path("microsoft"), keys::DEV).await,
            StatusCode::OK,
        );
        assert_eq!(read, updated);
    }
}

#[tokio::test]
async fn sent_settings_and_scope_replace_the_stored_ones_whole() {
    let app = spawn_app().await;
    let reply = call(
        &app,
        Method::PATCH,
        &connector_path("google"),
        keys::DEV,
        Some(&json!({"settings": {"client_id": "new-id", "client_secret": "new-secret"}, "scope": ["openid"]})),
    )
    .await;
    let updated = connector(&reply, StatusCode::OK);
    // README Known quirks: the connector's credentials keep their data.
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await["credential_data"],
        fixture(ids::DEV_GOOGLE_CONNECTOR)["credential_data"]
    );
    // VENDORS.md §3 "Updating objects": the topic_name left out is gone.
    assert_eq!(updated["settings"], json!({}));
    assert_eq!(updated["scope"], json!(["openid"]));
    assert_eq!(
        stored_connector(&app, "app-dev", "google").await["settings"],
        json!({"client_id": "new-id", "client_secret": "new-secret"})
    );
    let reply = call(
        &app,
        Method::PATCH,
        &connector_path("google"),
        keys::DEV,
        Some(&json!({"settings": {"topic_name": "t"}})),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        "Invalid request body: settings.client_id is required for google connectors",
    );
}

#[tokio::test]
async fn the_active_credential_can_only_be_one_of_the_connectors_own() {
    let app = spawn_app().await;
    let path = connector_path("google");
    let reply = call(
        &app,
        Method::PATCH,
        &path,
        keys::DEV,
        Some(&json!({"active_credential_id": ids::DEV_GOOGLE_SERVICE})),
    )
    .await;
    assert_eq!(
        connector(&reply, StatusCode::OK)["active_credential_id"],
        ids::DEV_GOOGLE_SERVICE
    );
    let before = state(&app, "app-dev").await;
    for foreign in [
        ids::DEV_MICROSOFT_CONNECTOR,
        ids::PROD_GOOGLE_CONNECTOR,
        ids::UNKNOWN,
    ] {
        let reply = call(
            &app,
            Method::PUT,
            &path,
            keys::DEV,
            Some(&json!({"name": "never", "active_credential_id": foreign})),
        )
        .await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            &format!("Credential \"{foreign}\" is not a credential of connector google"),
        );
    }
    assert_eq!(state(&app, "app-dev").await, before);
    // The credential that was active may now go.
    deleted(
        &delete(
            &app,
            &creds_path("google", ids::DEV_GOOGLE_CONNECTOR),
            keys::DEV,
        )
        .await,
    );
}

#[tokio::test]
async fn updating_a_missing_connector_is_a_404_and_bad_bodies_a_400() {
    let app = spawn_app().await;
    let reply = call(
        &app,
        Method::PATCH,
        &connector_path("yahoo"),
        keys::DEV,
        Some(&json!({"name": "x"})),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        "Connector \"yahoo\" not found",
    );
    for (body, message) in [
        (
            json!({"provider": "google"}),
            "Invalid request body: unknown field \"provider\"",
        ),
        (
            json!({"name": 3}),
            "Invalid request body: field \"name\" must be a string, got number",
        ),
        (
            json!({"settings": []}),
            "Invalid request body: field \"settings\" must be an object, got array",
        ),
        (
            json!({"active_credential_id": null}),
            "Invalid request body: field \"active_credential_id\" must be a string, got null",
        ),
    ] {
        let reply = call(
            &app,
            Method::PUT,
            &connector_path("google"),
            keys::DEV,
            Some(&body),
        )
        .await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            message,
        );
    }
}

#[tokio::test]
async fn deleting_a_connector_deletes_its_credentials_and_nothing_else() {
    let app = spawn_app().await;
    let extra = created_credential(
        &post(
            &app,
            &creds_list_path("google"),
            keys::DEV,
            &credential_body("Extra"),
        )
        .await,
    );
    deleted(&delete(&app, &connector_path("google"), keys::DEV).await);
    // LIFECYCLE.md §3.1: "its credentials are deleted too".
    for id in [
        ids::DEV_GOOGLE_CONNECTOR,
        ids::DEV_GOOGLE_SERVICE,
        extra["id"].as_str().expect("id"),
    ] {
        assert_error(
            &get(&app, "google", id, keys::DEV).await,
            StatusCode::NOT_FOUND,
            "api.not_found_error",
            &format!("Credential \"{id}\" not found"),
        );
        assert_eq!(stored(&app, "app-dev", id).await, Value::Null);
    }
    for path in [connector_path("google"), creds_list_path("google")] {
        assert_error(
            &get_path(&app, &path, keys::DEV).await,
            StatusCode::NOT_FOUND,
            "api.not_found_error",
            "Connector \"google\" not found",
        );
    }
    assert_error(
        &delete(&app, &connector_path("google"), keys::DEV).await,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        "Connector \"google\" not found",
    );
    // The other connectors, their credentials and the other application are untouched.
    credential(&get(&app, "microsoft", ids::DEV_MICROSOFT_CONSENT, keys::DEV).await);
    credential(&get(&app, "google", ids::PROD_GOOGLE_CONNECTOR, keys::PROD).await);
    connector(
        &get_path(&app, &connector_path("google"), keys::PROD).await,
        StatusCode::OK,
    );
}

#[tokio::test]
async fn a_deleted_connector_can_be_created_again_empty() {
    let app = spawn_app().await;
    deleted(&delete(&app, &connector_path("zoom"), keys::DEV).await);
    let again = connector(
        &post(&app, CONNECTORS, keys::DEV, &connector_body("zoom")).await,
        StatusCode::CREATED,
    );
    let active = again["active_credential_id"].as_str().expect("active");
    assert_ne!(active, ids::DEV_ZOOM_CONNECTOR);
    let (items, _, _) = page(&get_path(&app, &creds_list_path("zoom"), keys::DEV).await);
    assert_eq!(ids_of(&items), [active]);
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_ZOOM_CONNECTOR).await,
        Value::Null
    );
}

#[tokio::test]
async fn the_connector_list_pages_by_limit_and_offset_and_echoes_them() {
    let app = spawn_app().await;
    let (all, limit, offset) = page(&get_path(&app, CONNECTORS, keys::DEV).await);
    assert_eq!((limit, offset), (10, 0), "the default page");
    let providers: Vec<&str> = all
        .iter()
        .map(|item| item["provider"].as_str().expect("provider"))
        .collect();
    // Oldest first: the fixtures' creation order.
    assert_eq!(providers, ["google", "microsoft", "zoom", "imap"]);
    let (second, limit, offset) =
        page(&get_path(&app, &format!("{CONNECTORS}?limit=2&offset=1"), keys::DEV).await);
    assert_eq!((limit, offset), (2, 1));
    assert_eq!(second, all[1..3].to_vec());
    let (past_the_end, _, offset) =
        page(&get_path(&app, &format!("{CONNECTORS}?offset=9"), keys::DEV).await);
    assert!(past_the_end.is_empty());
    assert_eq!(offset, 9);
    // The Node SDK may send a page_token (it never gets a cursor to send): it is ignored.
    let (ignored, _, _) = page(
        &get_path(
            &app,
            &format!("{CONNECTORS}?page_token=abc&select=name"),
            keys::DEV,
        )
        .await,
    );
    assert_eq!(ignored, all);
    for (query, message) in [
        (
            "limit=0",
            "Invalid query parameter \"limit\": must be an integer from 1 to 200",
        ),
        (
            "limit=201",
            "Invalid query parameter \"limit\": must be an integer from 1 to 200",
        ),
        (
            "offset=x",
            "Invalid query parameter \"offset\": must be a non-negative integer",
        ),
    ] {
        let reply = get_path(&app, &format!("{CONNECTORS}?{query}"), keys::DEV).await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            message,
        );
    }
}

#[tokio::test]
async fn connectors_are_served_under_the_nylas_prefix_too() {
    let app = spawn_app().await;
    let reply = post(
        &app,
        "/nylas/v3/connectors",
        keys::DEV,
        &json!({"provider": "icloud"}),
    )
    .await;
    connector(&reply, StatusCode::CREATED);
    let read = get_path(&app, "/nylas/v3/connectors/icloud", keys::DEV).await;
    assert_eq!(connector(&read, StatusCode::OK)["name"], "iCloud Connector");
    deleted(&delete(&app, "/nylas/v3/connectors/icloud", keys::DEV).await);
}

#[tokio::test]
async fn connectors_and_credentials_survive_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let created = connector(
        &post(&app, CONNECTORS, keys::DEV, &connector_body("yahoo")).await,
        StatusCode::CREATED,
    );
    let extra = created_credential(
        &post(
            &app,
            &creds_list_path("yahoo"),
            keys::DEV,
            &credential_body("Kept"),
        )
        .await,
    );
    deleted(
        &delete(
            &app,
            &creds_path("google", ids::DEV_GOOGLE_SERVICE),
            keys::DEV,
        )
        .await,
    );
    let connectors_before = page(&get_path(&app, CONNECTORS, keys::DEV).await).0;
    let yahoo_before = page(&get_path(&app, &creds_list_path("yahoo"), keys::DEV).await).0;
    let dir = app.stop().await;

    let app = spawn_app_on(&db).await;
    assert_eq!(
        page(&get_path(&app, CONNECTORS, keys::DEV).await).0,
        connectors_before
    );
    let yahoo = page(&get_path(&app, &creds_list_path("yahoo"), keys::DEV).await).0;
    assert_eq!(yahoo, yahoo_before);
    assert_eq!(
        ids_of(&yahoo),
        [
            extra["id"].as_str().expect("id"),
            created["active_credential_id"].as_str().expect("active")
        ]
    );
    assert_eq!(
        get(&app, "google", ids::DEV_GOOGLE_SERVICE, keys::DEV)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
    drop(dir);
}

//! Credentials created under a connector, listed with `limit`, `offset`, `sort_by` and `order_by`,
//! and deleted, except the connector's active one. Facts: LIFECYCLE.md §3.1 (unique names, the
//! same parameters give the existing credential, the active one stays), §3.2 (bodies, the list's
//! defaults, no `next_cursor`), §3.3 (the Node SDK's `sort_by=createdAt`); the errors are
//! patchbay's choices for §3.5.

use super::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_created_credential_is_answered_without_its_data_and_reads_back() {
    let app = spawn_app().await;
    let reply = post(
        &app,
        &creds_list_path("google"),
        keys::DEV,
        &credential_body("Override two"),
    )
    .await;
    let created = created_credential(&reply);
    assert!(
        !reply.text.contains("Override two-secret"),
        "{}",
        reply.text
    );
    assert_eq!(created["name"], "Override two");
    assert_eq!(created["created_at"], created["updated_at"]);
    let now = chrono::Utc::now().timestamp();
    assert!((created["created_at"].as_i64().expect("seconds") - now).abs() <= 5);
    let id = created["id"].as_str().expect("id");
    assert_eq!(
        uuid::Uuid::parse_str(id).expect("a UUID").get_version_num(),
        4
    );
    assert_eq!(
        credential(&get(&app, "google", id, keys::DEV).await),
        created
    );
    let stored = stored(&app, "app-dev", id).await;
    assert_eq!(stored["provider"], "google");
    assert_eq!(stored["credential_type"], "connector");
    assert_eq!(
        stored["credential_data"],
        json!({"client_id": "Override two-id", "client_secret": "Override two-secret"})
    );
    // And it can be updated like any other.
    let renamed =
        credential(&patch(&app, "google", id, keys::DEV, &json!({"name": "Renamed"})).await);
    assert_eq!(renamed["name"], "Renamed");
}

#[tokio::test]
async fn each_credential_type_is_created_with_what_it_needs() {
    let app = spawn_app().await;
    let cases = [
        (
            "google",
            json!({"name": "SA", "credential_type": "serviceaccount", "credential_data": {"private_key_id": "k", "private_key": "p", "client_email": "e@x.iam.gserviceaccount.com"}}),
        ),
        // LIFECYCLE.md §3.2: an admin consent must contain the tenant; client id and secret may be
        // left out.
        (
            "microsoft",
            json!({"name": "Consent", "credential_type": "adminconsent", "credential_data": {"tenant": "t-1"}}),
        ),
        (
            "zoom",
            json!({"name": "Zoom two", "credential_type": "connector", "credential_data": {"client_id": "i", "client_secret": "s", "extra": 1}}),
        ),
    ];
    for (provider, body) in cases {
        let reply = post(&app, &creds_list_path(provider), keys::DEV, &body).await;
        let created = created_credential(&reply);
        let stored = stored(&app, "app-dev", created["id"].as_str().expect("id")).await;
        assert_eq!(
            stored["credential_data"], body["credential_data"],
            "{provider}"
        );
        assert_eq!(
            stored["credential_type"], body["credential_type"],
            "{provider}"
        );
    }
}

#[tokio::test]
async fn create_bodies_are_checked_before_anything_is_stored() {
    let app = spawn_app().await;
    let before = state(&app, "app-dev").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("google", json!({}), "Invalid request body: field \"name\" is required"),
        ("google", json!({"name": "n"}), "Invalid request body: field \"credential_type\" is required"),
        (
            "google",
            json!({"name": "n", "credential_type": "connector"}),
            "Invalid request body: field \"credential_data\" is required",
        ),
        (
            "google",
            json!({"name": "n", "credential_type": "oauth", "credential_data": {}}),
            "Invalid request body: field \"credential_type\" must be one of connector, serviceaccount, adminconsent, got \"oauth\"",
        ),
        (
            "google",
            json!({"name": "n", "credentialType": "connector"}),
            "Invalid request body: unknown field \"credentialType\"",
        ),
        (
            "microsoft",
            json!({"name": "n", "credential_type": "serviceaccount", "credential_data": {}}),
            "credential_type serviceaccount is for google connectors only",
        ),
        (
            "google",
            json!({"name": "n", "credential_type": "adminconsent", "credential_data": {"tenant": "t"}}),
            "credential_type adminconsent is for microsoft connectors only",
        ),
        (
            "microsoft",
            json!({"name": "n", "credential_type": "adminconsent", "credential_data": {"client_id": "i", "client_secret": "s"}}),
            "credential_data.tenant is required for adminconsent credentials",
        ),
        (
            "google",
            json!({"name": "n", "credential_type": "connector", "credential_data": {"client_id": "i", "client_secret": 5}}),
            "credential_data.client_secret must be a non-empty string",
        ),
        (
            "google",
            // The id is the server's to choose (LIFECYCLE.md §3.2: the body is name, type, data).
            json!({"id": "chosen", "name": "n"}),
            "Invalid request body: unknown field \"id\"",
        ),
    ];
    for (provider, body, message) in cases {
        let reply = post(&app, &creds_list_path(provider), keys::DEV, &body).await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            message,
        );
    }
    let reply = app
        .call(
            &CLIENT,
            Method::POST,
            &creds_list_path("google"),
            keys::DEV,
            Some(b"{\"name\""),
        )
        .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_payload",
        "Invalid JSON payload format: EOF while parsing an object in JSON at position 7",
    );
    assert_eq!(state(&app, "app-dev").await, before);
}

#[tokio::test]
async fn a_credential_needs_its_connector() {
    let app = spawn_app().await;
    let reply = post(
        &app,
        &creds_list_path("yahoo"),
        keys::DEV,
        &credential_body("Orphan"),
    )
    .await;
    // LIFECYCLE.md §3.1: "A connector credential must be connected to an existing Nylas connector."
    assert_error(
        &reply,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        "Connector \"yahoo\" not found",
    );
    assert_error(
        &get_path(&app, &creds_list_path("yahoo"), keys::DEV).await,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        "Connector \"yahoo\" not found",
    );
}

#[tokio::test]
async fn names_are_unique_per_connector_and_the_same_parameters_give_the_same_credential() {
    let app = spawn_app().await;
    let path = creds_list_path("google");
    let first = created_credential(&post(&app, &path, keys::DEV, &credential_body("Twin")).await);
    // LIFECYCLE.md §3.1: "If one does exist, Nylas uses that connector credential instead".
    let again = created_credential(&post(&app, &path, keys::DEV, &credential_body("Twin")).await);
    assert_eq!(again, first);
    let mut changed = credential_body("Twin");
    changed["credential_data"]["client_secret"] = json!("other");
    assert_error(
        &post(&app, &path, keys::DEV, &changed).await,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        "A credential named \"Twin\" already exists for connector google",
    );
    assert_error(
        &post(
            &app,
            &path,
            keys::DEV,
            &credential_body("Google service account"),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        "A credential named \"Google service account\" already exists for connector google",
    );
    // Another connector, or another application, may use the name.
    created_credential(
        &post(
            &app,
            &creds_list_path("zoom"),
            keys::DEV,
            &credential_body("Twin"),
        )
        .await,
    );
    created_credential(&post(&app, &path, keys::PROD, &credential_body("Twin")).await);
    let (items, _, _) = page(&get_path(&app, &format!("{path}?limit=50"), keys::DEV).await);
    assert_eq!(
        items.iter().filter(|item| item["name"] == "Twin").count(),
        1,
        "one Twin in app-dev's google connector"
    );
}

#[tokio::test]
async fn a_deleted_credential_is_gone_for_every_route() {
    let app = spawn_app().await;
    let path = creds_path("google", ids::DEV_GOOGLE_SERVICE);
    deleted(&delete(&app, &path, keys::DEV).await);
    let gone = format!("Credential \"{}\" not found", ids::DEV_GOOGLE_SERVICE);
    assert_error(
        &get_path(&app, &path, keys::DEV).await,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        &gone,
    );
    assert_error(
        &patch(
            &app,
            "google",
            ids::DEV_GOOGLE_SERVICE,
            keys::DEV,
            &json!({"name": "x"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        &gone,
    );
    assert_error(
        &delete(&app, &path, keys::DEV).await,
        StatusCode::NOT_FOUND,
        "api.not_found_error",
        &gone,
    );
    let (items, _, _) = page(&get_path(&app, &creds_list_path("google"), keys::DEV).await);
    assert_eq!(ids_of(&items), [ids::DEV_GOOGLE_CONNECTOR]);
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_SERVICE).await,
        Value::Null
    );
    // Its name is free again.
    created_credential(
        &post(
            &app,
            &creds_list_path("google"),
            keys::DEV,
            &credential_body("Google service account"),
        )
        .await,
    );
}

#[tokio::test]
async fn the_active_credential_cannot_be_deleted() {
    let app = spawn_app().await;
    let before = state(&app, "app-dev").await;
    let reply = delete(
        &app,
        &creds_path("google", ids::DEV_GOOGLE_CONNECTOR),
        keys::DEV,
    )
    .await;
    // LIFECYCLE.md §3.1: "You can't delete a connector's default (active) credential".
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        &format!(
            "Credential \"{}\" is the active credential of connector google and cannot be deleted",
            ids::DEV_GOOGLE_CONNECTOR
        ),
    );
    assert_eq!(state(&app, "app-dev").await, before);
}

#[tokio::test]
async fn a_credential_is_deleted_only_through_its_own_connector_and_application() {
    let app = spawn_app().await;
    let before_dev = state(&app, "app-dev").await;
    for (provider, id, key) in [
        ("microsoft", ids::DEV_GOOGLE_SERVICE, keys::DEV),
        ("google", ids::DEV_GOOGLE_SERVICE, keys::PROD),
        ("google", "connector:google", keys::DEV),
        ("google", "connector:zoom", keys::DEV),
        ("google", ids::UNKNOWN, keys::DEV),
    ] {
        let reply = delete(&app, &creds_path(provider, id), key).await;
        assert_error(
            &reply,
            StatusCode::NOT_FOUND,
            "api.not_found_error",
            &format!("Credential \"{id}\" not found"),
        );
    }
    assert_error(
        &delete(&app, &creds_path("outlook", ids::DEV_GOOGLE_SERVICE), keys::DEV).await,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        "Invalid provider \"outlook\": must be one of google, microsoft, imap, icloud, yahoo, ews, virtual-calendar, zoom, nylas",
    );
    assert_eq!(state(&app, "app-dev").await, before_dev);
}

#[tokio::test]
async fn the_list_defaults_to_ten_newest_first_with_no_cursor() {
    let app = spawn_app().await;
    let path = creds_list_path("zoom");
    let mut created = Vec::new();
    for index in 0..11 {
        let reply = post(
            &app,
            &path,
            keys::DEV,
            &credential_body(&format!("Zoom {index:02}")),
        )
        .await;
        created.push(
            created_credential(&reply)["id"]
                .as_str()
                .expect("id")
                .to_string(),
        );
    }
    let reply = get_path(&app, &path, keys::DEV).await;
    assert!(!reply.text.contains("next_cursor"), "{}", reply.text);
    let (items, limit, offset) = page(&reply);
    assert_eq!((limit, offset), (10, 0));
    let newest_first: Vec<String> = created.iter().rev().take(10).cloned().collect();
    assert_eq!(ids_of(&items), newest_first);
    let (rest, _, offset) = page(&get_path(&app, &format!("{path}?offset=10"), keys::DEV).await);
    assert_eq!(offset, 10);
    assert_eq!(
        ids_of(&rest),
        [created[0].clone(), ids::DEV_ZOOM_CONNECTOR.to_string()]
    );
}

#[tokio::test]
async fn the_list_sorts_by_either_time_either_way_in_either_spelling() {
    let app = spawn_app().await;
    let path = creds_list_path("google");
    let listed = |query: &'static str| {
        let app = &app;
        let path = path.clone();
        async move { ids_of(&page(&get_path(app, &format!("{path}?{query}"), keys::DEV).await).0) }
    };
    // Fixtures: the override was created first, the service account updated last.
    let (override_first, service_first) = (
        vec![
            ids::DEV_GOOGLE_CONNECTOR.to_string(),
            ids::DEV_GOOGLE_SERVICE.to_string(),
        ],
        vec![
            ids::DEV_GOOGLE_SERVICE.to_string(),
            ids::DEV_GOOGLE_CONNECTOR.to_string(),
        ],
    );
    assert_eq!(listed("").await, service_first);
    assert_eq!(
        listed("sort_by=created_at&order_by=asc").await,
        override_first
    );
    // LIFECYCLE.md §3.3: the Node SDK sends sortBy's value as it is, `createdAt`.
    assert_eq!(
        listed("sort_by=createdAt&order_by=asc").await,
        override_first
    );
    assert_eq!(listed("sort_by=updated_at").await, service_first);
    patch(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        keys::DEV,
        &json!({"name": "Touched"}),
    )
    .await;
    assert_eq!(
        listed("sort_by=updatedAt&order_by=desc").await,
        override_first
    );
    assert_eq!(
        listed("sort_by=updated_at&order_by=asc").await,
        service_first
    );
    assert_eq!(listed("sort_by=created_at").await, service_first);
    assert_eq!(
        listed("limit=1&offset=1&order_by=asc").await,
        [ids::DEV_GOOGLE_SERVICE]
    );
    for (query, message) in [
        (
            "limit=abc",
            "Invalid query parameter \"limit\": must be an integer from 1 to 200",
        ),
        (
            "offset=-2",
            "Invalid query parameter \"offset\": must be a non-negative integer",
        ),
        (
            "sort_by=name",
            "Invalid query parameter \"sort_by\": must be created_at or updated_at",
        ),
        (
            "order_by=up",
            "Invalid query parameter \"order_by\": must be desc or asc",
        ),
    ] {
        let reply = get_path(&app, &format!("{path}?{query}"), keys::DEV).await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            message,
        );
    }
}

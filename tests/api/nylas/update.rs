//! PATCH semantics: the 200 shape, "Updating objects" (top-level fields left out are kept, a sent
//! `credential_data` replaces the stored one whole), what each credential_type needs, names unique
//! per connector, and `updated_at` in whole seconds that moves on every write.
//! Facts: VENDORS.md §3 "Spec", "Updating objects" semantics, and §8 "Nylas".

use super::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_patch_answers_the_credential_object_and_never_its_data() {
    let app = spawn_app().await;
    let before = fixture(ids::DEV_GOOGLE_CONNECTOR);
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        keys::DEV,
        &json!({"name": "Google (staging)", "credential_data": {"client_id": "new-client-id", "client_secret": "new-client-secret"}}),
    )
    .await;
    let data = credential(&reply);
    let now = chrono::Utc::now().timestamp();
    assert_eq!(data["id"], ids::DEV_GOOGLE_CONNECTOR);
    assert_eq!(data["name"], "Google (staging)");
    assert_eq!(data["created_at"], before["created_at"]);
    let updated_at = data["updated_at"].as_i64().expect("seconds");
    assert!(
        (now - 5..=now + 5).contains(&updated_at),
        "updated_at {updated_at} is now ({now})"
    );
    for hidden in [
        "new-client-id",
        "new-client-secret",
        "credential_data",
        "credential_type",
        "provider",
    ] {
        assert!(!reply.text.contains(hidden), "{hidden} in {}", reply.text);
    }
}

#[tokio::test]
async fn a_name_alone_keeps_the_stored_credential_data() {
    let app = spawn_app().await;
    let before = stored(&app, "app-dev", ids::DEV_GOOGLE_SERVICE).await;
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_SERVICE,
        keys::DEV,
        &json!({"name": "Renamed"}),
    )
    .await;
    assert_eq!(credential(&reply)["name"], "Renamed");
    let after = stored(&app, "app-dev", ids::DEV_GOOGLE_SERVICE).await;
    assert_eq!(after["credential_data"], before["credential_data"]);
    assert_eq!(after["credential_type"], "serviceaccount");
    assert_eq!(after["name"], "Renamed");
}

#[tokio::test]
async fn sent_credential_data_replaces_the_stored_object_whole() {
    let app = spawn_app().await;
    // The admin consent fixture has a `tenant`; a PATCH without it drops it.
    let reply = patch(
        &app,
        "microsoft",
        ids::DEV_MICROSOFT_CONSENT,
        keys::DEV,
        &json!({"credential_data": {"client_id": "rotated-id", "client_secret": "rotated-secret"}}),
    )
    .await;
    assert_eq!(
        credential(&reply)["name"],
        "Microsoft admin consent",
        "name kept"
    );
    let after = stored(&app, "app-dev", ids::DEV_MICROSOFT_CONSENT).await;
    assert_eq!(
        after["credential_data"],
        json!({"client_id": "rotated-id", "client_secret": "rotated-secret"})
    );
}

#[tokio::test]
async fn only_a_client_secret_is_refused_rather_than_merged() {
    let app = spawn_app().await;
    let before = stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await;
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        keys::DEV,
        &json!({"name": "lost", "credential_data": {"client_secret": "rotated"}}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        "credential_data.client_id is required for connector credentials",
    );
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await,
        before,
        "a refused PATCH writes nothing"
    );
}

#[tokio::test]
async fn each_credential_type_needs_its_own_fields() {
    let app = spawn_app().await;
    let cases = [
        (
            "google",
            ids::DEV_GOOGLE_SERVICE,
            json!({"client_id": "i", "client_secret": "s"}),
            "credential_data.private_key_id is required for serviceaccount credentials",
        ),
        (
            "google",
            ids::DEV_GOOGLE_SERVICE,
            json!({"private_key_id": "k", "private_key": "pem"}),
            "credential_data.client_email is required for serviceaccount credentials",
        ),
        (
            "microsoft",
            ids::DEV_MICROSOFT_CONSENT,
            json!({"client_id": "i"}),
            "credential_data.client_secret is required for adminconsent credentials",
        ),
        (
            "microsoft",
            ids::DEV_MICROSOFT_CONNECTOR,
            json!({}),
            "credential_data.client_id is required for connector credentials",
        ),
        (
            "microsoft",
            ids::DEV_MICROSOFT_CONNECTOR,
            json!({"client_id": "", "client_secret": "s"}),
            "credential_data.client_id must be a non-empty string",
        ),
        (
            "microsoft",
            ids::DEV_MICROSOFT_CONNECTOR,
            json!({"client_id": ["i"], "client_secret": "s"}),
            "credential_data.client_id must be a non-empty string",
        ),
    ];
    for (provider, id, data, message) in cases {
        let reply = patch(
            &app,
            provider,
            id,
            keys::DEV,
            &json!({"credential_data": data}),
        )
        .await;
        assert_error(
            &reply,
            StatusCode::BAD_REQUEST,
            "api.invalid_request_error",
            message,
        );
    }
    let service = json!({"private_key_id": "k2", "private_key": "-----BEGIN PRIVATE KEY-----\nnew\n-----END PRIVATE KEY-----\n", "client_email": "new@demo.iam.gserviceaccount.com"});
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_SERVICE,
        keys::DEV,
        &json!({"credential_data": service}),
    )
    .await;
    credential(&reply);
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_SERVICE).await["credential_data"],
        service
    );
}

#[tokio::test]
async fn an_empty_patch_succeeds_and_still_moves_updated_at() {
    let app = spawn_app().await;
    let before = fixture(ids::DEV_GOOGLE_CONNECTOR);
    let data = credential(
        &patch(
            &app,
            "google",
            ids::DEV_GOOGLE_CONNECTOR,
            keys::DEV,
            &json!({}),
        )
        .await,
    );
    assert_eq!(data["name"], before["name"]);
    assert!(data["updated_at"].as_i64() > before["updated_at"].as_i64());
}

#[tokio::test]
async fn updated_at_moves_to_a_later_second_on_every_patch_even_within_one_second() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    for index in 0..4 {
        let reply = patch(
            &app,
            "zoom",
            "e7b5a6f8-9fa2-4db4-8e35-f60718293a45",
            keys::DEV,
            &json!({"name": format!("Zoom {index}")}),
        )
        .await;
        seen.push(credential(&reply)["updated_at"].as_i64().expect("seconds"));
    }
    assert!(
        seen.windows(2).all(|pair| pair[0] < pair[1]),
        "strictly increasing: {seen:?}"
    );
    let read = credential(
        &get(
            &app,
            "zoom",
            "e7b5a6f8-9fa2-4db4-8e35-f60718293a45",
            keys::DEV,
        )
        .await,
    );
    assert_eq!(read["updated_at"], seen[3]);
}

#[tokio::test]
async fn credential_type_may_be_repeated_but_not_changed() {
    let app = spawn_app().await;
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        keys::DEV,
        &json!({"credential_type": "connector", "name": "Same type"}),
    )
    .await;
    assert_eq!(credential(&reply)["name"], "Same type");
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        keys::DEV,
        &json!({"credential_type": "serviceaccount", "credential_data": {"private_key_id": "k", "private_key": "p", "client_email": "e"}}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        "credential_type cannot be changed: this credential is of type connector",
    );
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await["credential_type"],
        "connector"
    );
}

#[tokio::test]
async fn names_are_unique_within_a_connector_only() {
    let app = spawn_app().await;
    // google already has "Google service account".
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_CONNECTOR,
        keys::DEV,
        &json!({"name": "Google service account"}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "api.invalid_request_error",
        "A credential named \"Google service account\" already exists for connector google",
    );
    // Another connector of the same application may use it.
    let reply = patch(
        &app,
        "microsoft",
        ids::DEV_MICROSOFT_CONNECTOR,
        keys::DEV,
        &json!({"name": "Google service account"}),
    )
    .await;
    assert_eq!(credential(&reply)["name"], "Google service account");
    // Keeping one's own name is no conflict.
    let reply = patch(
        &app,
        "google",
        ids::DEV_GOOGLE_SERVICE,
        keys::DEV,
        &json!({"name": "Google service account"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn the_wrong_connector_for_a_credential_is_a_404_and_writes_nothing() {
    let app = spawn_app().await;
    let before = stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await;
    for provider in ["microsoft", "zoom", "imap"] {
        let reply = patch(
            &app,
            provider,
            ids::DEV_GOOGLE_CONNECTOR,
            keys::DEV,
            &json!({"name": "moved"}),
        )
        .await;
        assert_error(
            &reply,
            StatusCode::NOT_FOUND,
            "api.not_found_error",
            &format!("Credential \"{}\" not found", ids::DEV_GOOGLE_CONNECTOR),
        );
    }
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await,
        before
    );
}

#[tokio::test]
async fn an_unknown_credential_is_a_404() {
    let app = spawn_app().await;
    for id in [
        ids::UNKNOWN,
        "not-a-uuid",
        &ids::DEV_GOOGLE_CONNECTOR.to_uppercase(),
    ] {
        let reply = patch(&app, "google", id, keys::DEV, &json!({"name": "x"})).await;
        assert_error(
            &reply,
            StatusCode::NOT_FOUND,
            "api.not_found_error",
            &format!("Credential \"{id}\" not found"),
        );
    }
}

#[tokio::test]
async fn the_nylas_prefix_serves_the_same_routes() {
    let app = spawn_app().await;
    let path = format!("/nylas{}", creds_path("google", ids::DEV_GOOGLE_CONNECTOR));
    let body = serde_json::to_vec(&json!({"name": "Prefixed"})).expect("JSON");
    let reply = patch_raw(
        &app,
        &path,
        &[
            ("authorization", &format!("Bearer {}", keys::DEV)),
            ("content-type", "application/json"),
        ],
        &body,
    )
    .await;
    assert_eq!(credential(&reply)["name"], "Prefixed");
    let read = credential(&get_path(&app, &path, keys::DEV).await);
    assert_eq!(read["name"], "Prefixed");
}

#[tokio::test]
async fn changes_survive_a_restart() {
    let app = spawn_app().await;
    let db = app.db_path.clone();
    let data = json!({"client_id": "persisted-id", "client_secret": "persisted-secret"});
    let written = credential(
        &patch(
            &app,
            "google",
            ids::DEV_GOOGLE_CONNECTOR,
            keys::DEV,
            &json!({"name": "Persisted", "credential_data": data}),
        )
        .await,
    );
    let dir = app.stop().await;

    let app = spawn_app_on(&db).await;
    let read = credential(&get(&app, "google", ids::DEV_GOOGLE_CONNECTOR, keys::DEV).await);
    assert_eq!(read, written);
    assert_eq!(
        stored(&app, "app-dev", ids::DEV_GOOGLE_CONNECTOR).await["credential_data"],
        data
    );
    app.stop().await;
    drop(dir);
}

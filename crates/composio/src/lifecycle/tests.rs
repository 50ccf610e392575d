//! The create checks, the record a create makes, and the list filter, row by row.

use super::*;
use crate::validate;
use serde_json::json;

fn request(body: Value) -> CreateAuthConfig {
    validate::create_body(Some(&body)).expect("a valid body")
}

fn refusal(body: Value) -> String {
    let error = check_create(&request(body)).expect_err("refused");
    format!(
        "{} {} {}",
        error.status().as_u16(),
        error.code(),
        error.slug()
    )
}

#[test]
fn ids_and_default_names_have_composios_shapes() {
    let id = new_auth_config_id();
    assert!(crate::fixtures::is_auth_config_id(&id), "{id}");
    assert_ne!(id, new_auth_config_id());
    let job = new_revoke_job_id();
    assert!(job.starts_with("pj_") && job.len() == 15, "{job}");
    let name = default_name("gmail");
    let suffix = name.strip_prefix("gmail-").expect("the slug first");
    assert!(
        suffix.len() == 6 && suffix.bytes().all(|byte| byte.is_ascii_lowercase()),
        "{name}"
    );
}

#[test]
fn the_create_checks_refuse_what_composio_refuses() {
    // LIFECYCLE.md §2.2: unknown toolkit 404; no managed app 306; a missing OAuth field 301.
    assert_eq!(
        refusal(json!({"toolkit": {"slug": "nope"}})),
        "404 10404 Toolkit_NotFound"
    );
    assert_eq!(
        refusal(json!({"toolkit": {"slug": "pinecone"}})),
        "400 306 Auth_Config_DefaultAuthConfigNotFound"
    );
    assert_eq!(
        refusal(
            json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_custom_auth", "authScheme": "SAML"}})
        ),
        "400 301 Auth_Config_ValidationError"
    );
    let missing = json!({"toolkit": {"slug": "shopify"}, "auth_config": {"type": "use_custom_auth", "authScheme": "OAUTH2", "credentials": {"client_id": " "}}});
    let error = check_create(&request(missing)).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "Missing required field \"Client id\" for auth scheme \"OAUTH2\" in toolkit \"shopify\" (Client id of the app)"
    );
    let accepted = json!({"toolkit": {"slug": "GitHub"}, "auth_config": {"type": "use_custom_auth", "authScheme": "OAUTH2", "credentials": {"client_id": "a", "client_secret": "b"}}});
    let (toolkit, scheme) = check_create(&request(accepted)).expect("accepted");
    assert_eq!((toolkit.slug, scheme), ("github", "OAUTH2"));
    let (toolkit, scheme) = check_create(&request(json!({"toolkit": {"slug": "pinecone"}, "auth_config": {"type": "use_custom_auth", "authScheme": "API_KEY"}}))).expect("accepted");
    assert_eq!((toolkit.slug, scheme), ("pinecone", "API_KEY"));
}

#[test]
fn a_managed_create_stores_a_default_config_with_composios_defaults() {
    let create = request(json!({"toolkit": {"slug": "slack"}}));
    let (toolkit, scheme) = check_create(&create).expect("accepted");
    let config = new_auth_config(
        &create,
        toolkit,
        scheme,
        "ac_AAAAAAAAAAAA".into(),
        "u".into(),
    );
    assert_eq!(config.kind, "slack");
    assert_eq!(config.text(record::TYPE), Some("default"));
    assert_eq!(config.text(record::STATUS), Some("ENABLED"));
    assert_eq!(config.attributes[record::IS_COMPOSIO_MANAGED], true);
    assert_eq!(config.text(record::AUTH_SCHEME), Some("OAUTH2"));
    assert!(config
        .text(record::NAME)
        .is_some_and(|name| name.starts_with("slack-")));
    assert_eq!(
        config.attributes[record::TOOL_ACCESS_CONFIG],
        json!({"tools_for_connected_account_creation": [], "tools_available_for_execution": []})
    );
    assert_eq!(
        config.attributes[record::RESTRICT_TO_FOLLOWING_TOOLS],
        json!([])
    );
    assert_eq!(config.credential.as_ref().map(|c| c.fields.len()), Some(0));
    assert!(!config.attributes.contains_key(record::PROXY_CONFIG));
}

#[test]
fn a_custom_create_keeps_what_it_was_given_and_one_execution_list() {
    let create = request(json!({"toolkit": {"slug": "linear"}, "auth_config": {
        "type": "use_custom_auth", "authScheme": "API_KEY", "name": "Mine",
        "credentials": {"region": "eu"},
        "proxy_config": {"proxy_url": "https://p.example.com", "proxy_auth_key": "k"},
        "restrict_to_following_tools": ["OLD"],
        "tool_access_config": {"tools_available_for_execution": ["NEW"], "tools_for_connected_account_creation": ["C"]},
        "shared_credentials": {"generic_api_key": "s"},
        "is_enabled_for_tool_router": true
    }}));
    let (toolkit, scheme) = check_create(&create).expect("accepted");
    let config = new_auth_config(
        &create,
        toolkit,
        scheme,
        "ac_AAAAAAAAAAAA".into(),
        "u".into(),
    );
    assert_eq!(config.text(record::TYPE), Some("custom"));
    assert_eq!(config.text(record::NAME), Some("Mine"));
    assert_eq!(config.attributes[record::IS_COMPOSIO_MANAGED], false);
    assert_eq!(
        config.attributes[record::RESTRICT_TO_FOLLOWING_TOOLS],
        json!(["NEW"])
    );
    assert_eq!(
        config.attributes[record::TOOL_ACCESS_CONFIG],
        json!({"tools_for_connected_account_creation": ["C"], "tools_available_for_execution": ["NEW"]})
    );
    assert_eq!(
        config.attributes[record::PROXY_CONFIG],
        json!({"proxy_url": "https://p.example.com", "proxy_auth_key": "k"})
    );
    assert_eq!(
        config.attributes[record::SHARED_CREDENTIALS],
        json!({"generic_api_key": "s"})
    );
    assert_eq!(config.attributes[record::IS_ENABLED_FOR_TOOL_ROUTER], true);
    let credential = config.credential.expect("credentials");
    assert_eq!(
        (credential.kind.as_str(), Value::Object(credential.fields)),
        ("API_KEY", json!({"region": "eu"}))
    );
}

#[test]
fn the_list_filter_table() {
    let config = |id: &str, toolkit: &str, name: &str, managed: bool, status: &str| {
        let mut attributes = Map::new();
        attributes.insert(record::NAME.into(), json!(name));
        attributes.insert(record::IS_COMPOSIO_MANAGED.into(), json!(managed));
        attributes.insert(record::STATUS.into(), json!(status));
        Integration {
            tenant: "t".into(),
            id: id.into(),
            kind: toolkit.into(),
            attributes,
            credential: None,
            created_at: patchbay_core::model::now_millis(),
            updated_at: patchbay_core::model::now_millis(),
        }
    };
    let configs = [
        config("ac_github00001", "github", "GitHub App", false, ENABLED),
        config("ac_slack000001", "slack", "Team Slack", true, ENABLED),
        config("ac_gmail000001", "gmail", "Mail", false, DISABLED),
    ];
    let listed = |query: &str| {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (key.to_string(), value.to_string())
            })
            .collect();
        let query = validate::list_query(&pairs, crate::wire::ApiVersion::V3_1).expect("valid");
        configs
            .iter()
            .filter(|config| matches(&query, config))
            .map(|config| config.kind.as_str())
            .collect::<Vec<_>>()
    };
    let table: &[(&str, &[&str])] = &[
        ("", &["github", "slack"]),
        ("show_disabled=true", &["github", "slack", "gmail"]),
        ("show_disabled=false", &["github", "slack"]),
        ("toolkit_slug=gmail", &[]),
        ("toolkit_slug=gmail&show_disabled=true", &["gmail"]),
        ("toolkit_slug=GitHub, slack,", &["github", "slack"]),
        ("toolkit_slug=", &["github", "slack"]),
        ("is_composio_managed=true", &["slack"]),
        (
            "is_composio_managed=FALSE&show_disabled=true",
            &["github", "gmail"],
        ),
        ("search=slack", &["slack"]),
        ("search=APP", &["github"]),
        ("search=ac_github", &["github"]),
        ("search=nothing", &[]),
        ("search=", &["github", "slack"]),
    ];
    for (query, expected) in table {
        assert_eq!(listed(query), *expected, "{query}");
    }
}

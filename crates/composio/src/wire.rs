//! Composio's JSON: the create and PATCH requests after validation, the list query, the list cursor
//! (base64 of the page, the limit and the position), and the bodies: the auth config as
//! `GET /api/v3{,.1}/auth_configs/{nanoid}` returns it (secrets redacted), the create 201, a list
//! page, and the `{success, message}` of the writes.

use crate::record::{self, ConfigType};
use base64::Engine;
use patchbay_core::{Cursor, Integration, ListOrder, Patch};
use patchbay_http::js_iso;
use serde_json::{json, Map, Value};

/// The API version a request came in on: v3 items carry `deprecated_params`, and the list `limit`
/// caps differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V3,
    V3_1,
}

impl ApiVersion {
    /// The largest `limit` a list takes: 1000 on v3 (its spec), 50 on v3.1 (its docs and types).
    pub fn max_limit(self) -> usize {
        match self {
            ApiVersion::V3 => 1000,
            ApiVersion::V3_1 => 50,
        }
    }
}

/// `proxy_config` when set: `{proxy_url, proxy_auth_key?}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProxyConfig {
    pub proxy_url: String,
    pub proxy_auth_key: Option<String>,
}

/// `tool_access_config`: each list is optional; a list that is sent replaces the stored one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolAccessInput {
    pub tools_for_connected_account_creation: Option<Vec<String>>,
    pub tools_available_for_execution: Option<Vec<String>>,
}

/// A validated PATCH body. Fields the request's variant does not have are always `None`/`Keep`:
/// `credentials` and `proxy_config` belong to `custom`, `scopes` and `user_scopes` to `default`.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateAuthConfig {
    pub config_type: ConfigType,
    pub name: Option<String>,
    /// `custom`: merged key by key into the stored credentials.
    pub credentials: Option<Map<String, Value>>,
    /// `default`: a string or a list of strings; `""` or `[]` clears.
    pub scopes: Option<Value>,
    pub user_scopes: Option<Value>,
    /// `custom`: `null` clears, an object replaces.
    pub proxy_config: Patch<ProxyConfig>,
    pub restrict_to_following_tools: Option<Vec<String>>,
    pub tool_access_config: Option<ToolAccessInput>,
    pub shared_credentials: Option<Map<String, Value>>,
    pub is_enabled_for_tool_router: Option<bool>,
}

impl UpdateAuthConfig {
    pub fn new(config_type: ConfigType) -> Self {
        UpdateAuthConfig {
            config_type,
            name: None,
            credentials: None,
            scopes: None,
            user_scopes: None,
            proxy_config: Patch::Keep,
            restrict_to_following_tools: None,
            tool_access_config: None,
            shared_credentials: None,
            is_enabled_for_tool_router: None,
        }
    }
}

/// Which variant a create asks for: Composio's managed app, or the caller's own with a scheme.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateVariant {
    ComposioManaged,
    Custom { auth_scheme: String },
}

/// A validated `POST /api/v3{,.1}/auth_configs` body: `toolkit.slug` and the optional `auth_config`
/// (managed by default). `proxy_config` is only ever set for a custom config.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateAuthConfig {
    pub toolkit: String,
    pub variant: CreateVariant,
    pub name: Option<String>,
    pub credentials: Map<String, Value>,
    pub proxy_config: Option<ProxyConfig>,
    pub restrict_to_following_tools: Option<Vec<String>>,
    pub tool_access_config: Option<ToolAccessInput>,
    pub shared_credentials: Option<Map<String, Value>>,
    pub is_enabled_for_tool_router: Option<bool>,
}

impl CreateAuthConfig {
    /// A managed config of a toolkit with nothing else set (the body `{"toolkit":{"slug":...}}`).
    pub fn managed(toolkit: &str) -> Self {
        CreateAuthConfig {
            toolkit: toolkit.to_string(),
            variant: CreateVariant::ComposioManaged,
            name: None,
            credentials: Map::new(),
            proxy_config: None,
            restrict_to_following_tools: None,
            tool_access_config: None,
            shared_credentials: None,
            is_enabled_for_tool_router: None,
        }
    }
}

/// A validated `GET /api/v3{,.1}/auth_configs` query.
#[derive(Debug, Clone, PartialEq)]
pub struct ListAuthConfigs {
    /// `toolkit_slug`, split at commas, lowercased; empty: every toolkit.
    pub toolkit_slugs: Vec<String>,
    pub is_composio_managed: Option<bool>,
    /// `search`, lowercased; matched against name and id.
    pub search: Option<String>,
    pub show_disabled: bool,
    pub limit: usize,
    /// Where the page starts: `None` is the first page.
    pub cursor: Option<ListCursor>,
}

/// The order every listing of auth configs is in: newest first.
pub const LIST_ORDER: ListOrder = ListOrder::Created { descending: true };

/// The default page size of a list without `limit`.
pub const DEFAULT_LIMIT: usize = 20;

/// What `next_cursor` carries: the page it starts (for `current_page`), the page size it was made
/// with (used when the next request sends no `limit`), and the store's position after the last item
/// shown, so that creates and deletes between pages never shift it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListCursor {
    pub page: u64,
    pub limit: usize,
    pub position: Cursor,
}

impl ListCursor {
    /// `base64({"page":N,"limit":L,"after":"<position>"})`, standard alphabet with padding.
    pub fn encode(&self) -> String {
        let text = json!({
            "page": self.page,
            "limit": self.limit,
            "after": self.position.token(),
        })
        .to_string();
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    /// A cursor from [`ListCursor::encode`]'s text (also in the URL-safe alphabet, with or without
    /// padding, and with `+` turned into a space by a careless URL); `None` for anything else.
    pub fn decode(text: &str) -> Option<ListCursor> {
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        let text = text.trim().replace(' ', "+");
        let bytes = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(&text).ok())?;
        let object: Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
        let page = object.get("page")?.as_u64().filter(|page| *page >= 2)?;
        let limit = object
            .get("limit")?
            .as_u64()
            .and_then(|limit| usize::try_from(limit).ok())
            .filter(|limit| *limit >= 1)?;
        let position = Cursor::from_token(object.get("after")?.as_str()?, LIST_ORDER)?;
        Some(ListCursor {
            page,
            limit,
            position,
        })
    }
}

/// Where Composio serves toolkit logos.
pub fn logo_url(toolkit: &str) -> String {
    format!("https://logos.composio.dev/api/{toolkit}")
}

/// Field names whose values are secrets: redacted in GET, shown only in the admin view.
pub fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "password", "token", "key", "passphrase"]
        .iter()
        .any(|word| name.contains(word))
}

/// A secret as GET shows it: `****` and the last four characters of a long enough string.
fn redact_value(value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::String(text) if text.chars().count() >= 12 => {
            Value::String(patchbay_core::model::mask(text))
        }
        _ => Value::String("****".into()),
    }
}

/// An object with every secret field (at any depth) redacted.
pub fn redacted(object: &Map<String, Value>) -> Map<String, Value> {
    object
        .iter()
        .map(|(key, value)| {
            let value = match value {
                _ if is_secret_field(key) => redact_value(value),
                Value::Object(inner) => Value::Object(redacted(inner)),
                other => other.clone(),
            };
            (key.clone(), value)
        })
        .collect()
}

/// The stored tool lists, both keys always present.
pub fn tool_access_view(auth_config: &Integration) -> Value {
    let stored = record::tool_access_config(auth_config);
    let list = |name: &str| {
        stored
            .and_then(|config| config.get(name))
            .cloned()
            .unwrap_or_else(|| Value::Array(Vec::new()))
    };
    let mut view = Map::new();
    for name in [
        record::TOOLS_FOR_CONNECTED_ACCOUNT_CREATION,
        record::TOOLS_AVAILABLE_FOR_EXECUTION,
    ] {
        view.insert(name.into(), list(name));
    }
    Value::Object(view)
}

/// The auth config as GET returns it, in Composio's key order. `reveal` shows secrets (the admin view).
pub fn auth_config_view(auth_config: &Integration, reveal: bool) -> Map<String, Value> {
    let attribute = |name: &str| auth_config.attributes.get(name).cloned();
    let secrets = |object: &Map<String, Value>| {
        if reveal {
            object.clone()
        } else {
            redacted(object)
        }
    };
    let mut view = Map::new();
    view.insert("id".into(), Value::String(auth_config.id.clone()));
    view.insert(
        "uuid".into(),
        attribute(record::UUID).unwrap_or(Value::Null),
    );
    view.insert(
        "type".into(),
        attribute(record::TYPE)
            .unwrap_or_else(|| Value::String(ConfigType::Custom.as_str().into())),
    );
    let mut toolkit = Map::new();
    toolkit.insert("slug".into(), Value::String(auth_config.kind.clone()));
    toolkit.insert("logo".into(), Value::String(logo_url(&auth_config.kind)));
    view.insert("toolkit".into(), Value::Object(toolkit));
    view.insert(
        "name".into(),
        attribute(record::NAME).unwrap_or_else(|| Value::String(auth_config.kind.clone())),
    );
    view.insert(
        "status".into(),
        attribute(record::STATUS).unwrap_or_else(|| Value::String("ENABLED".into())),
    );
    view.insert(
        "no_of_connections".into(),
        attribute(record::NO_OF_CONNECTIONS).unwrap_or(Value::from(0)),
    );
    view.insert("tool_access_config".into(), tool_access_view(auth_config));
    for name in [record::AUTH_SCHEME, record::IS_COMPOSIO_MANAGED] {
        if let Some(value) = attribute(name) {
            view.insert(name.into(), value);
        }
    }
    if let Some(credential) = &auth_config.credential {
        view.insert(
            "credentials".into(),
            Value::Object(secrets(&credential.fields)),
        );
    }
    if let Some(proxy) = record::proxy_config(auth_config) {
        view.insert("proxy_config".into(), Value::Object(secrets(proxy)));
    }
    if let Some(value) = attribute(record::CREATED_BY) {
        view.insert("created_by".into(), value);
    }
    view.insert(
        "created_at".into(),
        Value::String(js_iso(auth_config.created_at)),
    );
    view.insert(
        "last_updated_at".into(),
        Value::String(js_iso(auth_config.updated_at)),
    );
    if let Some(value) = attribute(record::EXPECTED_INPUT_FIELDS) {
        view.insert("expected_input_fields".into(), value);
    }
    view.insert(
        "restrict_to_following_tools".into(),
        attribute(record::RESTRICT_TO_FOLLOWING_TOOLS).unwrap_or_else(|| Value::Array(Vec::new())),
    );
    view.insert(
        "shared_credentials".into(),
        Value::Object(secrets(
            record::shared_credentials(auth_config).unwrap_or(&Map::new()),
        )),
    );
    view.insert(
        "is_enabled_for_tool_router".into(),
        attribute(record::IS_ENABLED_FOR_TOOL_ROUTER).unwrap_or(Value::Bool(false)),
    );
    view
}

/// The auth config as GET and list items show it on an API version: v3 ends with
/// `deprecated_params` (its `default_connector_id` is required and nullable), v3.1 has none.
pub fn versioned_view(auth_config: &Integration, version: ApiVersion) -> Map<String, Value> {
    let mut view = auth_config_view(auth_config, false);
    if version == ApiVersion::V3 {
        view.insert(
            "deprecated_params".into(),
            json!({"default_connector_id": null}),
        );
    }
    view
}

/// The create 201: `{toolkit:{slug}, auth_config:{id, auth_scheme, is_composio_managed,
/// restrict_to_following_tools}}`, in the docs' key order.
pub fn created_view(auth_config: &Integration) -> Value {
    let attribute = |name: &str| auth_config.attributes.get(name).cloned();
    json!({
        "toolkit": {"slug": auth_config.kind},
        "auth_config": {
            "id": auth_config.id,
            "auth_scheme": attribute(record::AUTH_SCHEME)
                .unwrap_or_else(|| Value::String(record::DEFAULT_AUTH_SCHEME.into())),
            "is_composio_managed": attribute(record::IS_COMPOSIO_MANAGED).unwrap_or(Value::Bool(false)),
            "restrict_to_following_tools": attribute(record::RESTRICT_TO_FOLLOWING_TOOLS)
                .unwrap_or_else(|| Value::Array(Vec::new())),
        }
    })
}

/// One list page: `{items, next_cursor, total_pages, current_page, total_items}`.
pub fn list_view(
    items: Vec<Value>,
    next_cursor: Option<String>,
    current_page: u64,
    limit: usize,
    total_items: usize,
) -> Value {
    let total_pages = total_items.div_ceil(limit.max(1));
    json!({
        "items": items,
        "next_cursor": next_cursor,
        "total_pages": total_pages,
        "current_page": current_page,
        "total_items": total_items,
    })
}

/// The body of a successful update, status change or delete: `{success: true, message}`, as the
/// newer docs show it.
pub fn success(message: &str) -> Value {
    json!({"success": true, "message": message})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_at_any_depth_and_other_fields_kept() {
        let object = json!({
            "client_id": "visible-client-id",
            "client_secret": "a-long-client-secret-0001",
            "api_key": "short",
            "nested": {"access_token": "tok-123456789012", "region": "eu"},
            "refresh_token": null,
            "scopes": ["repo"]
        });
        let object = object.as_object().expect("object");
        assert_eq!(
            Value::Object(redacted(object)),
            json!({
                "client_id": "visible-client-id",
                "client_secret": "****0001",
                "api_key": "****",
                "nested": {"access_token": "****9012", "region": "eu"},
                "refresh_token": null,
                "scopes": ["repo"]
            })
        );
    }

    #[test]
    fn a_cursor_reads_back_in_every_base64_alphabet_and_nothing_else_does() {
        let position = Cursor::from_token("cd.1700000000000.7.", LIST_ORDER).expect("token");
        let cursor = ListCursor {
            page: 3,
            limit: 2,
            position,
        };
        let text = cursor.encode();
        assert_eq!(ListCursor::decode(&text), Some(cursor.clone()));
        assert_eq!(
            ListCursor::decode(text.trim_end_matches('=')),
            Some(cursor.clone())
        );
        assert_eq!(ListCursor::decode(&text.replace('+', " ")), Some(cursor));
        let encode = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
        for bad in [
            String::new(),
            "not base64!".into(),
            encode("[]"),
            encode(r#"{"page":1,"limit":2,"after":"cd.1.7."}"#),
            encode(r#"{"page":2,"limit":0,"after":"cd.1.7."}"#),
            encode(r#"{"page":2,"limit":2,"after":"ca.1.7."}"#),
            encode(r#"{"page":2,"limit":2}"#),
        ] {
            assert_eq!(ListCursor::decode(&bad), None, "{bad}");
        }
    }

    #[test]
    fn a_list_page_counts_pages_from_the_total() {
        let body = list_view(vec![json!(1)], None, 1, 2, 3);
        assert_eq!(
            body,
            json!({"items": [1], "next_cursor": null, "total_pages": 2, "current_page": 1, "total_items": 3})
        );
        assert_eq!(list_view(vec![], None, 1, 20, 0)["total_pages"], 0);
    }
}

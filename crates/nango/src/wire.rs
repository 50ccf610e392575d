//! Nango's JSON, byte for byte: the create, quickstart and PATCH requests after validation, the
//! public integration shape of `integrationToPublicApi` with GET's optional `webhook_url` and
//! `credentials`, the list's `{"data":[...]}` and DELETE's `{"success":true}`.

use crate::record;
use patchbay_http::js_iso;
use serde::Serialize;
use serde_json::Value;

/// A validated PATCH body. Records keep the order the client sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateIntegration {
    pub unique_key: Option<String>,
    pub display_name: Option<String>,
    pub forward_webhooks: Option<bool>,
    pub credentials: Option<CredentialsInput>,
    pub integration_config: Option<Vec<(String, String)>>,
    pub custom: Option<Vec<(String, String)>>,
}

/// A validated `POST /integrations` body (a quickstart's has no credentials, `integration_config`
/// or `custom`). Records keep the order the client sent.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateIntegration {
    pub provider: String,
    pub unique_key: String,
    pub display_name: Option<String>,
    pub forward_webhooks: Option<bool>,
    pub credentials: Option<CredentialsInput>,
    pub integration_config: Option<Vec<(String, String)>>,
    pub custom: Option<Vec<(String, String)>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CredentialsInput {
    /// `OAUTH1`, `OAUTH2` or `TBA`.
    OAuth {
        auth_type: String,
        client_id: String,
        client_secret: String,
        scopes: Option<String>,
        /// `Some("")` deletes the stored webhook secret.
        webhook_secret: Option<String>,
    },
    App {
        app_id: String,
        app_link: String,
        private_key: String,
    },
    Custom {
        client_id: String,
        client_secret: String,
        app_id: String,
        app_link: String,
        private_key: String,
    },
}

impl CredentialsInput {
    pub fn auth_type(&self) -> &str {
        match self {
            CredentialsInput::OAuth { auth_type, .. } => auth_type,
            CredentialsInput::App { .. } => "APP",
            CredentialsInput::Custom { .. } => "CUSTOM",
        }
    }
}

/// `{"data": ...}`
#[derive(Debug, Serialize)]
pub struct DataEnvelope<T> {
    pub data: T,
}

/// DELETE's answer: `{"success":true}`.
#[derive(Debug, Serialize)]
pub struct Deleted {
    pub success: bool,
}

/// The public integration, keys in Nango's order.
#[derive(Debug, Serialize)]
pub struct PublicIntegration {
    pub unique_key: String,
    pub provider: String,
    pub display_name: String,
    pub logo: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials_label: Option<CredentialsLabel>,
    /// GET with `include=webhook` only: the URL, or null when the provider takes no webhooks.
    /// (`...include` is spread before `forward_webhooks`.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<Option<String>>,
    /// GET with `include=credentials` and the scope to read them only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Value>,
    pub forward_webhooks: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize)]
pub struct CredentialsLabel {
    #[serde(rename = "apiKey")]
    pub api_key: String,
}

/// Renders a stored integration as `integrationToPublicApi` does.
pub fn public_integration(
    record: &patchbay_core::Integration,
    catalogue: &crate::catalogue::Catalogue,
    public_url: &str,
) -> PublicIntegration {
    let provider = catalogue.get(&record.kind);
    let display_name = record::display_name(record)
        .map(str::to_string)
        .or_else(|| provider.map(|provider| provider.display_name.clone()))
        .unwrap_or_else(|| record.kind.clone());
    let credentials_label = provider
        .filter(|provider| provider.integration_config.is_some())
        .and_then(|_| record::key_label(record))
        .map(|label| CredentialsLabel {
            api_key: label.to_string(),
        });
    PublicIntegration {
        unique_key: record.id.clone(),
        provider: record.kind.clone(),
        display_name,
        logo: format!("{public_url}/images/template-logos/{}.svg", record.kind),
        credentials_label,
        forward_webhooks: record::forwards_webhooks(record),
        created_at: js_iso(record.created_at),
        updated_at: js_iso(record.updated_at),
        webhook_url: None,
        credentials: None,
    }
}

/// GET's `webhook_url`: where the provider's webhooks are received, or null if it sends none.
pub fn webhook_url(
    record: &patchbay_core::Integration,
    catalogue: &crate::catalogue::Catalogue,
    public_url: &str,
) -> Option<String> {
    catalogue
        .get(&record.kind)
        .filter(|provider| provider.webhooks)
        .map(|_| format!("{public_url}/webhook/{}/{}", record.tenant, record.kind))
}

/// GET's `credentials`, in the shape of the stored auth type, with null for unset values. An APP
/// private key shows as stored: base64.
pub fn credentials_view(record: &patchbay_core::Integration) -> Value {
    use serde_json::json;
    let Some(credential) = &record.credential else {
        return Value::Null;
    };
    let field = |name: &str| credential.fields.get(name).cloned().unwrap_or(Value::Null);
    match credential.kind.as_str() {
        "APP" => json!({
            "type": "APP", "app_id": field(record::APP_ID),
            "private_key": field(record::PRIVATE_KEY), "app_link": field(record::APP_LINK),
        }),
        "CUSTOM" => json!({
            "type": "CUSTOM", "client_id": field(record::CLIENT_ID),
            "client_secret": field(record::CLIENT_SECRET), "app_id": field(record::APP_ID),
            "app_link": field(record::APP_LINK), "private_key": field(record::PRIVATE_KEY),
        }),
        kind => {
            // `integration.oauth_scopes || null`: an empty scope list reads as null.
            let scopes = credential
                .fields
                .get(record::SCOPES)
                .filter(|scopes| scopes.as_str() != Some(""))
                .cloned()
                .unwrap_or(Value::Null);
            let webhook_secret = record::webhook_secret(record)
                .cloned()
                .unwrap_or(Value::Null);
            json!({
                "type": kind, "client_id": field(record::CLIENT_ID),
                "client_secret": field(record::CLIENT_SECRET), "scopes": scopes,
                "webhook_secret": webhook_secret,
            })
        }
    }
}

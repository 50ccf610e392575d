//! Nango's JSON, byte for byte: the PATCH request after validation, and the public integration shape
//! of `integrationToPublicApi` with GET's optional `webhook_url` and `credentials`.

use chrono::{DateTime, Utc};
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

/// `Date.toISOString()`: milliseconds and `Z`.
pub fn iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Renders a stored integration as `integrationToPublicApi` does.
pub fn public_integration(
    record: &patchbay_core::Integration,
    catalogue: &crate::catalogue::Catalogue,
    public_url: &str,
) -> PublicIntegration {
    use crate::merge::{CUSTOM, DISPLAY_NAME, FORWARD_WEBHOOKS};
    let provider = catalogue.get(&record.kind);
    let display_name = record
        .text(DISPLAY_NAME)
        .map(str::to_string)
        .or_else(|| provider.map(|provider| provider.display_name.clone()))
        .unwrap_or_else(|| record.kind.clone());
    let credentials_label = provider
        .filter(|provider| provider.integration_config.is_some())
        .and_then(|_| record.object(CUSTOM)?.get("keyLabel")?.as_str())
        .map(|label| CredentialsLabel {
            api_key: label.to_string(),
        });
    PublicIntegration {
        unique_key: record.id.clone(),
        provider: record.kind.clone(),
        display_name,
        logo: format!("{public_url}/images/template-logos/{}.svg", record.kind),
        credentials_label,
        forward_webhooks: record
            .attributes
            .get(FORWARD_WEBHOOKS)
            .and_then(Value::as_bool)
            .unwrap_or(true),
        created_at: iso(record.created_at),
        updated_at: iso(record.updated_at),
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
        "APP" => {
            json!({"type": "APP", "app_id": field("app_id"), "private_key": field("private_key"), "app_link": field("app_link")})
        }
        "CUSTOM" => json!({
            "type": "CUSTOM", "client_id": field("client_id"), "client_secret": field("client_secret"),
            "app_id": field("app_id"), "app_link": field("app_link"), "private_key": field("private_key"),
        }),
        kind => {
            // `integration.oauth_scopes || null`: an empty scope list reads as null.
            let scopes = credential
                .fields
                .get("scopes")
                .filter(|scopes| scopes.as_str() != Some(""))
                .cloned()
                .unwrap_or(Value::Null);
            let webhook_secret = record
                .object(crate::merge::CUSTOM)
                .and_then(|custom| custom.get(crate::merge::WEBHOOK_SECRET))
                .cloned()
                .unwrap_or(Value::Null);
            json!({
                "type": kind, "client_id": field("client_id"), "client_secret": field("client_secret"),
                "scopes": scopes, "webhook_secret": webhook_secret,
            })
        }
    }
}

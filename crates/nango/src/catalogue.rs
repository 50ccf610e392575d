//! The provider catalogue, shipped as data (`data/providers.json`): display names, auth modes,
//! default scopes, whether a provider receives webhooks, and the `integration_config` schemas that
//! create and PATCH validate against (kept in the file's order, which is the order Nango reports
//! a create's problems in).

use regex::Regex;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

const PROVIDERS: &str = include_str!("../data/providers.json");

#[derive(Debug)]
pub struct Provider {
    pub display_name: String,
    pub auth_mode: String,
    /// The OAuth scopes a create without scopes stores (`default_scopes.join(',')`).
    pub default_scopes: Vec<String>,
    /// Whether the provider receives webhooks (GET `include=webhook` then shows a URL).
    pub webhooks: bool,
    pub integration_config: Option<ConfigSchema>,
}

/// The auth modes whose integrations cannot be created without credentials.
const CREDENTIALS_REQUIRED: [&str; 4] = ["OAUTH1", "OAUTH2", "APP", "CUSTOM"];
/// The auth modes a quickstart (Nango's own developer app) is offered for.
const QUICKSTART: [&str; 3] = ["OAUTH1", "OAUTH2", "APP"];

impl Provider {
    /// Whether a create must carry credentials.
    pub fn requires_credentials(&self) -> bool {
        CREDENTIALS_REQUIRED.contains(&self.auth_mode.as_str())
    }

    /// Whether `POST /integrations/quickstart` is offered for the provider.
    pub fn offers_quickstart(&self) -> bool {
        QUICKSTART.contains(&self.auth_mode.as_str())
    }
}

/// An `integration_config` schema: its fields in declaration order.
#[derive(Debug)]
pub struct ConfigSchema {
    fields: Vec<(String, ConfigField)>,
}

impl ConfigSchema {
    pub fn get(&self, name: &str) -> Option<&ConfigField> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, definition)| definition)
    }

    /// The fields in declaration order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &ConfigField)> {
        self.fields
            .iter()
            .map(|(name, definition)| (name.as_str(), definition))
    }
}

#[derive(Debug)]
pub struct ConfigField {
    pub title: String,
    pub required: bool,
    pub pattern: Option<Regex>,
    pub allowed: Option<Vec<String>>,
    pub uri: bool,
    /// What a create stores when the field is left empty.
    pub default_value: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    display_name: String,
    auth_mode: String,
    #[serde(default)]
    default_scopes: Vec<String>,
    #[serde(default)]
    webhooks: bool,
    /// Kept as a JSON object so that the fields keep the file's order.
    integration_config: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    title: String,
    #[serde(default)]
    required: bool,
    pattern: Option<String>,
    #[serde(rename = "enum")]
    allowed: Option<Vec<String>>,
    format: Option<String>,
    default_value: Option<String>,
}

#[derive(Debug)]
pub struct Catalogue {
    providers: HashMap<String, Provider>,
}

impl Catalogue {
    /// Parses the shipped catalogue. It is part of the binary, so a failure is a build mistake that
    /// the unit tests catch.
    pub fn shipped() -> Result<Catalogue, String> {
        let raw: HashMap<String, RawProvider> = serde_json::from_str(PROVIDERS)
            .map_err(|error| format!("data/providers.json: {error}"))?;
        let mut providers = HashMap::new();
        for (name, provider) in raw {
            let integration_config = provider
                .integration_config
                .map(|fields| config_schema(&name, fields))
                .transpose()?;
            providers.insert(
                name,
                Provider {
                    display_name: provider.display_name,
                    auth_mode: provider.auth_mode,
                    default_scopes: provider.default_scopes,
                    webhooks: provider.webhooks,
                    integration_config,
                },
            );
        }
        Ok(Catalogue { providers })
    }

    pub fn get(&self, name: &str) -> Option<&Provider> {
        self.providers.get(name)
    }
}

/// Parses one provider's `integration_config` fields, in the file's order.
fn config_schema(provider: &str, fields: Map<String, Value>) -> Result<ConfigSchema, String> {
    let mut parsed = Vec::with_capacity(fields.len());
    for (field, raw) in fields {
        let raw: RawField =
            serde_json::from_value(raw).map_err(|error| format!("{provider}.{field}: {error}"))?;
        let pattern = raw
            .pattern
            .map(|pattern| Regex::new(&pattern))
            .transpose()
            .map_err(|error| format!("{provider}.{field}: {error}"))?;
        let uri = match raw.format.as_deref() {
            None => false,
            Some("uri") => true,
            Some(other) => return Err(format!("{provider}.{field}: unknown format {other}")),
        };
        parsed.push((
            field,
            ConfigField {
                title: raw.title,
                required: raw.required,
                pattern,
                allowed: raw.allowed,
                uri,
                default_value: raw.default_value,
            },
        ));
    }
    Ok(ConfigSchema { fields: parsed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_parses_and_covers_the_common_providers() {
        let catalogue = Catalogue::shipped().expect("valid catalogue");
        for name in [
            "github",
            "github-app",
            "slack",
            "google",
            "salesforce",
            "hubspot",
            "notion",
            "linear",
            "jira",
            "zendesk",
            "intercom",
            "stripe",
        ] {
            assert!(catalogue.get(name).is_some(), "{name} missing");
        }
        assert_eq!(
            catalogue.get("github").map(|p| p.display_name.as_str()),
            Some("GitHub (User OAuth)")
        );
        assert!(catalogue
            .get("aws-sigv4")
            .and_then(|p| p.integration_config.as_ref())
            .is_some());
    }
}

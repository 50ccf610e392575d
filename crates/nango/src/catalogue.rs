//! The provider catalogue, shipped as data (`data/providers.json`): display names, auth modes and
//! the `integration_config` schemas that PATCH validates against.

use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;

const PROVIDERS: &str = include_str!("../data/providers.json");

#[derive(Debug)]
pub struct Provider {
    pub display_name: String,
    pub auth_mode: String,
    /// Whether the provider receives webhooks (GET `include=webhook` then shows a URL).
    pub webhooks: bool,
    pub integration_config: Option<HashMap<String, ConfigField>>,
}

#[derive(Debug)]
pub struct ConfigField {
    pub title: String,
    pub required: bool,
    pub pattern: Option<Regex>,
    pub allowed: Option<Vec<String>>,
    pub uri: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    display_name: String,
    auth_mode: String,
    #[serde(default)]
    webhooks: bool,
    integration_config: Option<HashMap<String, RawField>>,
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
            let integration_config = match provider.integration_config {
                None => None,
                Some(fields) => {
                    let mut parsed = HashMap::new();
                    for (field, raw) in fields {
                        let pattern = raw
                            .pattern
                            .map(|pattern| Regex::new(&pattern))
                            .transpose()
                            .map_err(|error| format!("{name}.{field}: {error}"))?;
                        let uri = match raw.format.as_deref() {
                            None => false,
                            Some("uri") => true,
                            Some(other) => {
                                return Err(format!("{name}.{field}: unknown format {other}"))
                            }
                        };
                        parsed.insert(
                            field,
                            ConfigField {
                                title: raw.title,
                                required: raw.required,
                                pattern,
                                allowed: raw.allowed,
                                uri,
                            },
                        );
                    }
                    Some(parsed)
                }
            };
            providers.insert(
                name,
                Provider {
                    display_name: provider.display_name,
                    auth_mode: provider.auth_mode,
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

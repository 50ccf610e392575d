//! Request validation with the issues, order and messages Nango's zod 4 schemas produce: the create,
//! quickstart and PATCH bodies (`.strict()`, `unrecognized_keys` last), the query strings, and the
//! `uniqueKey` path param.

use crate::error::{Issue, NangoError};
use crate::wire::{CreateIntegration, CredentialsInput, UpdateIntegration};
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// zod's message quotes the pattern's source, which `Regex::as_str` gives back.
static UNIQUE_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-zA-Z0-9~:.@ _-]+$").expect("a valid pattern"));
static PROVIDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-zA-Z0-9_-]+$").expect("a valid pattern"));
static SCOPES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-zA-Z:/_.*-]+(,[0-9a-zA-Z:/_.*-]+)*$").expect("a valid pattern")
});
const RSA_BEGIN: &str = "-----BEGIN RSA PRIVATE KEY----";
const RSA_END: &str = "-----END RSA PRIVATE KEY-----";
const BODY_KEYS: [&str; 6] = [
    "unique_key",
    "display_name",
    "credentials",
    "forward_webhooks",
    "integration_config",
    "custom",
];

/// The create body's keys, in the schema's order (`baseValidationBody.extend(...)`).
const CREATE_KEYS: [&str; 7] = [
    "provider",
    "unique_key",
    "display_name",
    "forward_webhooks",
    "credentials",
    "integration_config",
    "custom",
];
/// A quickstart takes only the base schema's keys.
const QUICKSTART_KEYS: [&str; 4] = ["provider", "unique_key", "display_name", "forward_webhooks"];

/// zod's name for what it received.
fn received(value: Option<&Value>) -> &'static str {
    match value {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "object",
    }
}

fn invalid_type(expected: &str, value: Option<&Value>, path: &[&str]) -> Issue {
    Issue::new(
        "invalid_type",
        format!(
            "Invalid input: expected {expected}, received {}",
            received(value)
        ),
        path,
    )
}

fn unrecognized(keys: &[&str], path: &[&str]) -> Issue {
    let quoted: Vec<String> = keys.iter().map(|key| format!("\"{key}\"")).collect();
    let noun = if keys.len() == 1 { "key" } else { "keys" };
    Issue::new(
        "unrecognized_keys",
        format!("Unrecognized {noun}: {}", quoted.join(", ")),
        path,
    )
}

/// Collects issues while walking a body.
#[derive(Default)]
struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    /// `z.string()` with optional `min`, `max` and `regex` checks, in zod's order: every failing
    /// check is reported. Returns the string when it is one (even if a check failed).
    fn string(
        &mut self,
        value: Option<&Value>,
        path: &[&str],
        min: Option<usize>,
        max: Option<usize>,
        pattern: Option<&Regex>,
    ) -> Option<String> {
        let Some(Value::String(text)) = value else {
            self.issues.push(invalid_type("string", value, path));
            return None;
        };
        let length = text.encode_utf16().count();
        if let Some(regex) = pattern {
            if !regex.is_match(text) {
                self.issues.push(Issue::new(
                    "invalid_format",
                    format!("Invalid string: must match pattern /{}/", regex.as_str()),
                    path,
                ));
            }
        }
        if let Some(min) = min {
            if length < min {
                self.issues.push(Issue::new(
                    "too_small",
                    format!("Too small: expected string to have >={min} characters"),
                    path,
                ));
            }
        }
        if let Some(max) = max {
            if length > max {
                self.issues.push(Issue::new(
                    "too_big",
                    format!("Too big: expected string to have <={max} characters"),
                    path,
                ));
            }
        }
        Some(text.clone())
    }

    fn optional_string(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        path: &[&str],
        min: Option<usize>,
        max: Option<usize>,
        pattern: Option<&Regex>,
    ) -> Option<String> {
        object
            .get(key)
            .and_then(|value| self.string(Some(value), path, min, max, pattern))
    }

    /// `z.record(z.string(), z.string().max(max))`.
    fn string_record(
        &mut self,
        value: &Value,
        field: &str,
        max: Option<usize>,
    ) -> Option<Vec<(String, String)>> {
        let Value::Object(object) = value else {
            self.issues
                .push(invalid_type("record", Some(value), &[field]));
            return None;
        };
        let before = self.issues.len();
        let mut pairs = Vec::with_capacity(object.len());
        for (key, item) in object {
            if let Some(text) = self.string(Some(item), &[field, key], None, max, None) {
                pairs.push((key.clone(), text));
            }
        }
        (self.issues.len() == before).then_some(pairs)
    }

    /// A `.strict()` variant: fields in schema order, then `unrecognized_keys`.
    fn credentials(&mut self, value: Option<&Value>) -> Option<CredentialsInput> {
        const PATH: &[&str] = &["credentials"];
        let Some(Value::Object(object)) = value else {
            self.issues.push(Issue::new(
                "invalid_type",
                "invalid credentials object",
                PATH,
            ));
            return None;
        };
        let auth_type = match object.get("type").and_then(Value::as_str) {
            Some(kind @ ("OAUTH1" | "OAUTH2" | "TBA" | "APP" | "CUSTOM")) => kind.to_string(),
            _ => {
                self.issues.push(Issue::new(
                    "invalid_union",
                    "invalid credentials object",
                    &["credentials", "type"],
                ));
                return None;
            }
        };
        let before = self.issues.len();
        let field = |name: &'static str| -> [&'static str; 2] { ["credentials", name] };
        let required =
            |checker: &mut Checker, name: &'static str, min: Option<usize>, max: Option<usize>| {
                checker.string(object.get(name), &field(name), min, max, None)
            };
        let (input, allowed): (Option<CredentialsInput>, &[&str]) = match auth_type.as_str() {
            "APP" => {
                let app_id = required(self, "app_id", Some(1), Some(255));
                let app_link = required(self, "app_link", Some(1), None);
                let private_key = self.private_key(object.get("private_key"));
                let input = match (app_id, app_link, private_key) {
                    (Some(app_id), Some(app_link), Some(private_key)) => {
                        Some(CredentialsInput::App {
                            app_id,
                            app_link,
                            private_key,
                        })
                    }
                    _ => None,
                };
                (input, &["type", "app_id", "app_link", "private_key"])
            }
            "CUSTOM" => {
                let client_id = required(self, "client_id", Some(1), Some(255));
                let client_secret = required(self, "client_secret", Some(1), None);
                let app_id = required(self, "app_id", Some(1), Some(255));
                let app_link = required(self, "app_link", Some(1), None);
                let private_key = self.private_key(object.get("private_key"));
                let input = match (client_id, client_secret, app_id, app_link, private_key) {
                    (
                        Some(client_id),
                        Some(client_secret),
                        Some(app_id),
                        Some(app_link),
                        Some(private_key),
                    ) => Some(CredentialsInput::Custom {
                        client_id,
                        client_secret,
                        app_id,
                        app_link,
                        private_key,
                    }),
                    _ => None,
                };
                (
                    input,
                    &[
                        "type",
                        "client_id",
                        "client_secret",
                        "app_id",
                        "app_link",
                        "private_key",
                    ],
                )
            }
            _ => {
                let client_id = required(self, "client_id", Some(1), Some(255));
                let client_secret = required(self, "client_secret", Some(1), None);
                let scopes = match object.get("scopes") {
                    None => None,
                    Some(Value::String(text)) if text.is_empty() || SCOPES.is_match(text) => {
                        Some(text.clone())
                    }
                    Some(_) => {
                        self.issues.push(Issue::new(
                            "invalid_union",
                            "Invalid input",
                            &["credentials", "scopes"],
                        ));
                        None
                    }
                };
                let webhook_secret = self.optional_string(
                    object,
                    "webhook_secret",
                    &field("webhook_secret"),
                    None,
                    Some(255),
                    None,
                );
                let input = match (client_id, client_secret) {
                    (Some(client_id), Some(client_secret)) => Some(CredentialsInput::OAuth {
                        auth_type: auth_type.clone(),
                        client_id,
                        client_secret,
                        scopes,
                        webhook_secret,
                    }),
                    _ => None,
                };
                (
                    input,
                    &[
                        "type",
                        "client_id",
                        "client_secret",
                        "scopes",
                        "webhook_secret",
                    ],
                )
            }
        };
        let extra: Vec<&str> = object
            .keys()
            .map(String::as_str)
            .filter(|key| !allowed.contains(key))
            .collect();
        if !extra.is_empty() {
            self.issues.push(unrecognized(&extra, PATH));
        }
        if self.issues.len() == before {
            input
        } else {
            None
        }
    }

    /// `z.string().startsWith(BEGIN).endsWith(END)`: both checks run.
    fn private_key(&mut self, value: Option<&Value>) -> Option<String> {
        const PATH: &[&str] = &["credentials", "private_key"];
        let text = self.string(value, PATH, None, None, None)?;
        let mut valid = true;
        if !text.starts_with(RSA_BEGIN) {
            self.issues.push(Issue::new(
                "invalid_format",
                format!("Invalid string: must start with \"{RSA_BEGIN}\""),
                PATH,
            ));
            valid = false;
        }
        if !text.ends_with(RSA_END) {
            self.issues.push(Issue::new(
                "invalid_format",
                format!("Invalid string: must end with \"{RSA_END}\""),
                PATH,
            ));
            valid = false;
        }
        valid.then_some(text)
    }
}

/// Validates a PATCH body (`None` when the body was never parsed, as with no Content-Type).
pub fn update_body(body: Option<&Value>) -> Result<UpdateIntegration, NangoError> {
    let object = match body {
        Some(Value::Object(object)) => object,
        other => {
            return Err(NangoError::InvalidBody(vec![invalid_type(
                "object",
                other,
                &[],
            )]))
        }
    };
    let mut checker = Checker::default();
    let mut update = UpdateIntegration {
        unique_key: checker.optional_string(
            object,
            "unique_key",
            &["unique_key"],
            None,
            Some(255),
            Some(&UNIQUE_KEY),
        ),
        display_name: checker.optional_string(
            object,
            "display_name",
            &["display_name"],
            Some(1),
            Some(255),
            None,
        ),
        ..UpdateIntegration::default()
    };
    if let Some(value) = object.get("credentials") {
        update.credentials = checker.credentials(Some(value));
    }
    match object.get("forward_webhooks") {
        None => {}
        Some(Value::Bool(flag)) => update.forward_webhooks = Some(*flag),
        Some(other) => {
            checker
                .issues
                .push(invalid_type("boolean", Some(other), &["forward_webhooks"]))
        }
    }
    if let Some(value) = object.get("integration_config") {
        update.integration_config = checker.string_record(value, "integration_config", Some(8192));
    }
    if let Some(value) = object.get("custom") {
        update.custom = checker.string_record(value, "custom", None);
    }
    let extra: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|key| !BODY_KEYS.contains(key))
        .collect();
    if !extra.is_empty() {
        checker.issues.push(unrecognized(&extra, &[]));
    }
    if checker.issues.is_empty() {
        Ok(update)
    } else {
        Err(NangoError::InvalidBody(checker.issues))
    }
}

/// Which of the two create schemas a body is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateSchema {
    /// `POST /integrations`: credentials, `integration_config` and `custom` too.
    Full,
    /// `POST /integrations/quickstart`: provider, unique key, display name and forwarding only.
    Quickstart,
}

/// Validates a create body (`None` when the body was never parsed, as with no Content-Type).
pub fn create_body(
    body: Option<&Value>,
    schema: CreateSchema,
) -> Result<CreateIntegration, NangoError> {
    let object = match body {
        Some(Value::Object(object)) => object,
        other => {
            return Err(NangoError::InvalidBody(vec![invalid_type(
                "object",
                other,
                &[],
            )]))
        }
    };
    let mut checker = Checker::default();
    let provider = checker.string(
        object.get("provider"),
        &["provider"],
        None,
        Some(255),
        Some(&PROVIDER),
    );
    let unique_key = checker.string(
        object.get("unique_key"),
        &["unique_key"],
        None,
        Some(255),
        Some(&UNIQUE_KEY),
    );
    let display_name = checker.optional_string(
        object,
        "display_name",
        &["display_name"],
        Some(1),
        Some(255),
        None,
    );
    let mut forward_webhooks = None;
    match object.get("forward_webhooks") {
        None => {}
        Some(Value::Bool(flag)) => forward_webhooks = Some(*flag),
        Some(other) => {
            checker
                .issues
                .push(invalid_type("boolean", Some(other), &["forward_webhooks"]))
        }
    }
    let (mut credentials, mut integration_config, mut custom) = (None, None, None);
    let allowed: &[&str] = match schema {
        CreateSchema::Full => {
            if let Some(value) = object.get("credentials") {
                credentials = checker.credentials(Some(value));
            }
            if let Some(value) = object.get("integration_config") {
                integration_config = checker.string_record(value, "integration_config", Some(8192));
            }
            if let Some(value) = object.get("custom") {
                custom = checker.string_record(value, "custom", None);
            }
            &CREATE_KEYS
        }
        CreateSchema::Quickstart => &QUICKSTART_KEYS,
    };
    let extra: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|key| !allowed.contains(key))
        .collect();
    if !extra.is_empty() {
        checker.issues.push(unrecognized(&extra, &[]));
    }
    match (provider, unique_key) {
        (Some(provider), Some(unique_key)) if checker.issues.is_empty() => Ok(CreateIntegration {
            provider,
            unique_key,
            display_name,
            forward_webhooks,
            credentials,
            integration_config,
            custom,
        }),
        _ => Err(NangoError::InvalidBody(checker.issues)),
    }
}

/// The distinct query keys, in order.
fn query_keys(pairs: &[(String, String)]) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    for (key, _) in pairs {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    keys
}

/// `requireEmptyQuery`: create, list, delete and PATCH take no query parameters at all.
pub fn empty_query(pairs: &[(String, String)]) -> Result<(), NangoError> {
    let keys = query_keys(pairs);
    if keys.is_empty() {
        Ok(())
    } else {
        Err(NangoError::InvalidQueryParams(vec![unrecognized(
            &keys,
            &[],
        )]))
    }
}

/// What GET was asked to include.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Include {
    pub webhook: bool,
    pub credentials: bool,
}

/// GET's strict query: `include` (repeatable) of `webhook` and `credentials`, nothing else.
pub fn get_query(pairs: &[(String, String)]) -> Result<Include, NangoError> {
    let mut issues = Vec::new();
    let mut include = Include::default();
    for (key, value) in pairs.iter().filter(|(key, _)| key == "include") {
        match value.as_str() {
            "webhook" => include.webhook = true,
            "credentials" => include.credentials = true,
            _ => {
                if issues.is_empty() {
                    issues.push(Issue::new(
                        "invalid_union",
                        "Invalid input",
                        &[key.as_str()],
                    ));
                }
            }
        }
    }
    let extra: Vec<&str> = query_keys(pairs)
        .into_iter()
        .filter(|key| *key != "include")
        .collect();
    if !extra.is_empty() {
        issues.push(unrecognized(&extra, &[]));
    }
    if issues.is_empty() {
        Ok(include)
    } else {
        Err(NangoError::InvalidQueryParams(issues))
    }
}

/// The `uniqueKey` path parameter (already percent-decoded).
pub fn unique_key_param(unique_key: &str) -> Result<(), NangoError> {
    let mut checker = Checker::default();
    let value = Value::String(unique_key.to_string());
    checker.string(
        Some(&value),
        &["uniqueKey"],
        None,
        Some(255),
        Some(&UNIQUE_KEY),
    );
    if checker.issues.is_empty() {
        Ok(())
    } else {
        Err(NangoError::InvalidUriParams(checker.issues))
    }
}

#[cfg(test)]
mod tests;

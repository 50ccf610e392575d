//! The connector bodies: create `{provider, name?, settings?, scope?, active_credential_id?}` and
//! update (PATCH, or PUT as the Node SDK sends it) `{name?, settings?, scope?,
//! active_credential_id?}`. The OAuth providers' settings need the provider application's
//! `client_id` and `client_secret`, and EWS's need to be there, at creation and whenever settings
//! are sent again (a sent nested object replaces the stored one whole).

use super::{invalid, json_object, missing, name, object_field, provider, unknown, wrong_type};
use crate::error::NylasError;
use crate::record;
use crate::wire::{NewConnector, UpdateConnector};
use serde_json::{Map, Value};

/// Parses and checks a connector create body.
pub fn create_connector_body(bytes: &[u8]) -> Result<NewConnector, NylasError> {
    let object = json_object(bytes)?;
    let mut given_provider = None;
    let mut fields = UpdateConnector::default();
    for (field, value) in object {
        match field.as_str() {
            "provider" => given_provider = Some(provider_field(value)?),
            other => common_field(&mut fields, other, value)?,
        }
    }
    let provider = given_provider.ok_or_else(|| missing("provider"))?;
    match &fields.settings {
        Some(settings) => check_settings(provider, settings)?,
        None if record::needs_settings(provider) => {
            return Err(invalid(format!(
                "field \"settings\" is required for {provider} connectors"
            )))
        }
        None => {}
    }
    Ok(NewConnector {
        provider,
        name: fields.name,
        settings: fields.settings,
        scope: fields.scope,
        active_credential_id: fields.active_credential_id,
    })
}

/// Parses and checks a connector update body for `provider`'s connector.
pub fn update_connector_body(bytes: &[u8], provider: &str) -> Result<UpdateConnector, NylasError> {
    let object = json_object(bytes)?;
    let mut update = UpdateConnector::default();
    for (field, value) in object {
        common_field(&mut update, &field, value)?;
    }
    if let Some(settings) = &update.settings {
        check_settings(provider, settings)?;
    }
    Ok(update)
}

/// The fields create and update share; anything else is unknown.
fn common_field(fields: &mut UpdateConnector, field: &str, value: Value) -> Result<(), NylasError> {
    match field {
        "name" => fields.name = Some(name(value)?),
        "settings" => fields.settings = Some(object_field("settings", value)?),
        "scope" => fields.scope = Some(scope(value)?),
        "active_credential_id" => match value {
            Value::String(id) if !id.is_empty() => fields.active_credential_id = Some(id),
            Value::String(_) => {
                return Err(invalid(
                    "field \"active_credential_id\" must not be empty".into(),
                ))
            }
            other => return Err(wrong_type("active_credential_id", "a string", &other)),
        },
        other => return Err(unknown(other)),
    }
    Ok(())
}

/// The body's `provider`: a string of the enum, refused in the path's words.
fn provider_field(value: Value) -> Result<&'static str, NylasError> {
    match value {
        Value::String(text) => provider(&text),
        other => Err(wrong_type("provider", "a string", &other)),
    }
}

/// `scope`: an array of strings.
fn scope(value: Value) -> Result<Vec<String>, NylasError> {
    let Value::Array(items) = value else {
        return Err(wrong_type("scope", "an array of strings", &value));
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(scope) => Ok(scope),
            other => Err(wrong_type("scope", "an array of strings", &other)),
        })
        .collect()
}

/// What a provider's settings must hold.
fn check_settings(provider: &str, settings: &Map<String, Value>) -> Result<(), NylasError> {
    if !record::needs_client_credentials(provider) {
        return Ok(());
    }
    for field in record::SECRET_SETTINGS {
        match settings.get(field) {
            None => {
                return Err(invalid(format!(
                    "settings.{field} is required for {provider} connectors"
                )))
            }
            Some(Value::String(text)) if !text.is_empty() => {}
            Some(_) => {
                return Err(invalid(format!(
                    "settings.{field} must be a non-empty string"
                )))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type Outcome<T> = Result<T, (&'static str, String)>;

    fn create(body: &[u8]) -> Outcome<NewConnector> {
        create_connector_body(body).map_err(|error| (error.error_type(), error.to_string()))
    }

    fn update(body: &[u8], provider: &str) -> Outcome<UpdateConnector> {
        update_connector_body(body, provider)
            .map_err(|error| (error.error_type(), error.to_string()))
    }

    fn refused<T>(message: &str) -> Outcome<T> {
        Err(("api.invalid_request_error", message.to_string()))
    }

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_create_body_table() {
        let cases: Vec<(&[u8], Outcome<NewConnector>)> = vec![
            (
                br#"{"provider":"google","settings":{"client_id":"i","client_secret":"s","topic_name":"t"},"scope":["openid"]}"#,
                Ok(NewConnector {
                    provider: "google",
                    name: None,
                    settings: Some(object(json!({"client_id": "i", "client_secret": "s", "topic_name": "t"}))),
                    scope: Some(vec!["openid".into()]),
                    active_credential_id: None,
                }),
            ),
            (
                br#"{"name":"Mail","provider":"imap"}"#,
                Ok(NewConnector {
                    provider: "imap",
                    name: Some("Mail".into()),
                    settings: None,
                    scope: None,
                    active_credential_id: None,
                }),
            ),
            (b"{}", refused("Invalid request body: field \"provider\" is required")),
            (
                br#"{"provider":"inbox"}"#,
                refused("Invalid provider \"inbox\": must be one of google, microsoft, imap, icloud, yahoo, ews, virtual-calendar, zoom, nylas"),
            ),
            (
                br#"{"provider":3}"#,
                refused("Invalid request body: field \"provider\" must be a string, got number"),
            ),
            (
                br#"{"provider":"google"}"#,
                refused("Invalid request body: field \"settings\" is required for google connectors"),
            ),
            (
                br#"{"provider":"ews"}"#,
                refused("Invalid request body: field \"settings\" is required for ews connectors"),
            ),
            (
                br#"{"provider":"zoom","settings":{"client_id":"i"}}"#,
                refused("Invalid request body: settings.client_secret is required for zoom connectors"),
            ),
            (
                br#"{"provider":"zoom","settings":{"client_id":"","client_secret":"s"}}"#,
                refused("Invalid request body: settings.client_id must be a non-empty string"),
            ),
            (
                br#"{"provider":"google","scope":"openid"}"#,
                refused("Invalid request body: field \"scope\" must be an array of strings, got string"),
            ),
            (
                br#"{"provider":"google","scope":["a",1]}"#,
                refused("Invalid request body: field \"scope\" must be an array of strings, got number"),
            ),
            (
                br#"{"provider":"imap","activeCredentialId":"x"}"#,
                refused("Invalid request body: unknown field \"activeCredentialId\""),
            ),
            (
                br#"{"provider":"imap","active_credential_id":""}"#,
                refused("Invalid request body: field \"active_credential_id\" must not be empty"),
            ),
            (
                br#"{"provider":"imap","settings":null}"#,
                refused("Invalid request body: field \"settings\" must be an object, got null"),
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(create(body), expected, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn the_update_body_table() {
        let cases: Vec<(&[u8], &str, Outcome<UpdateConnector>)> = vec![
            (b"{}", "google", Ok(UpdateConnector::default())),
            (
                br#"{"name":"n","scope":[],"active_credential_id":"c"}"#,
                "google",
                Ok(UpdateConnector {
                    name: Some("n".into()),
                    settings: None,
                    scope: Some(Vec::new()),
                    active_credential_id: Some("c".into()),
                }),
            ),
            (
                br#"{"settings":{"topic_name":"t"}}"#,
                "google",
                refused(
                    "Invalid request body: settings.client_id is required for google connectors",
                ),
            ),
            (
                br#"{"settings":{"host":"mail.example.com"}}"#,
                "imap",
                Ok(UpdateConnector {
                    settings: Some(object(json!({"host": "mail.example.com"}))),
                    ..UpdateConnector::default()
                }),
            ),
            (
                br#"{"provider":"google"}"#,
                "google",
                refused("Invalid request body: unknown field \"provider\""),
            ),
            (
                br#"{"name":""}"#,
                "google",
                refused("Invalid request body: field \"name\" must not be empty"),
            ),
            (
                b"[]",
                "google",
                refused("Invalid request body: expected a JSON object, got array"),
            ),
        ];
        for (body, provider, expected) in cases {
            assert_eq!(
                update(body, provider),
                expected,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

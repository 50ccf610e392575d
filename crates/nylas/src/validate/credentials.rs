//! The credential create body, `{name, credential_type, credential_data}` (each required), checked
//! against the connector it is created under: a service account is Google's, an admin consent
//! Microsoft's, and `credential_data` holds what its type needs at creation. The id is the server's
//! to choose: an `id` in the body is an unknown field like any other.

use super::{credential_type, json_object, missing, name, object_field, unknown};
use crate::error::NylasError;
use crate::record;
use crate::wire::NewCredential;

/// Parses and checks a credential create body for a credential of `provider`'s connector.
pub fn create_credential_body(bytes: &[u8], provider: &str) -> Result<NewCredential, NylasError> {
    let object = json_object(bytes)?;
    let (mut given_name, mut given_type, mut given_data) = (None, None, None);
    for (field, value) in object {
        match field.as_str() {
            "name" => given_name = Some(name(value)?),
            "credential_type" => given_type = Some(credential_type(value)?),
            "credential_data" => given_data = Some(object_field("credential_data", value)?),
            other => return Err(unknown(other)),
        }
    }
    let name = given_name.ok_or_else(|| missing("name"))?;
    let credential_type = given_type.ok_or_else(|| missing("credential_type"))?;
    let credential_data = given_data.ok_or_else(|| missing("credential_data"))?;
    record::credential_type_fits(&credential_type, provider).map_err(NylasError::InvalidRequest)?;
    record::check_new_credential_data(&credential_type, &credential_data)
        .map_err(NylasError::InvalidRequest)?;
    Ok(NewCredential {
        name,
        credential_type,
        credential_data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The accepted request, or the refusal's `(type, message)`.
    type Outcome = Result<NewCredential, (&'static str, String)>;

    fn check(body: &[u8], provider: &str) -> Outcome {
        create_credential_body(body, provider)
            .map_err(|error| (error.error_type(), error.to_string()))
    }

    fn refused(message: &str) -> Outcome {
        Err(("api.invalid_request_error", message.to_string()))
    }

    #[test]
    fn the_create_body_table() {
        let connector_data = json!({"client_id": "i", "client_secret": "s"});
        let cases: Vec<(&[u8], &str, Outcome)> = vec![
            (
                br#"{"name":"n","credential_type":"connector","credential_data":{"client_id":"i","client_secret":"s"}}"#,
                "zoom",
                Ok(NewCredential {
                    name: "n".into(),
                    credential_type: "connector".into(),
                    credential_data: connector_data.as_object().cloned().unwrap_or_default(),
                }),
            ),
            (
                br#"{"credential_data":{"tenant":"t"},"credential_type":"adminconsent","name":"c"}"#,
                "microsoft",
                Ok(NewCredential {
                    name: "c".into(),
                    credential_type: "adminconsent".into(),
                    credential_data: json!({"tenant": "t"}).as_object().cloned().unwrap_or_default(),
                }),
            ),
            (b"{}", "google", refused("Invalid request body: field \"name\" is required")),
            (
                br#"{"name":"n"}"#,
                "google",
                refused("Invalid request body: field \"credential_type\" is required"),
            ),
            (
                br#"{"name":"n","credential_type":"connector"}"#,
                "google",
                refused("Invalid request body: field \"credential_data\" is required"),
            ),
            (
                br#"{"name":"n","credentialType":"connector"}"#,
                "google",
                refused("Invalid request body: unknown field \"credentialType\""),
            ),
            (
                br#"{"name":1}"#,
                "google",
                refused("Invalid request body: field \"name\" must be a string, got number"),
            ),
            (
                br#"{"id":"chosen","name":"n"}"#,
                "google",
                refused("Invalid request body: unknown field \"id\""),
            ),
            (
                br#"{"name":"n","credential_type":"serviceaccount","credential_data":{}}"#,
                "microsoft",
                refused("credential_type serviceaccount is for google connectors only"),
            ),
            (
                br#"{"name":"n","credential_type":"adminconsent","credential_data":{"client_id":"i","client_secret":"s"}}"#,
                "microsoft",
                refused("credential_data.tenant is required for adminconsent credentials"),
            ),
            (
                br#"{"name":"n","credential_type":"serviceaccount","credential_data":{"private_key_id":"k","private_key":"p"}}"#,
                "google",
                refused("credential_data.client_email is required for serviceaccount credentials"),
            ),
            (
                br#"{"name":"n","credential_type":"connector","credential_data":[]}"#,
                "google",
                refused("Invalid request body: field \"credential_data\" must be an object, got array"),
            ),
        ];
        for (body, provider, expected) in cases {
            assert_eq!(
                check(body, provider),
                expected,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn bad_json_is_an_invalid_payload() {
        assert_eq!(
            check(b"{", "google").map_err(|(kind, _)| kind),
            Err("api.invalid_request_payload")
        );
    }
}

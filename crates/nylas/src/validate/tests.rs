//! Every row of the body-validation table: each input gives exactly one Nylas error, or a request.

use super::*;
use serde_json::json;

/// The accepted request, or the refusal's `(type, message)`.
type Outcome = Result<UpdateCredential, (&'static str, String)>;

fn check(body: &[u8]) -> Outcome {
    update_body(body).map_err(|error| (error.error_type(), error.to_string()))
}

fn request(error_type: &'static str, message: &str) -> Outcome {
    Err((error_type, message.to_string()))
}

#[test]
fn the_body_table() {
    const REQUEST: &str = "api.invalid_request_error";
    const PAYLOAD: &str = "api.invalid_request_payload";
    let data = json!({"client_id": "i", "client_secret": "s"});
    let cases: Vec<(&[u8], Outcome)> = vec![
        (b"{}", Ok(UpdateCredential::default())),
        (
            br#"{"name":"n","credential_data":{"client_id":"i","client_secret":"s"}}"#,
            Ok(UpdateCredential {
                name: Some("n".into()),
                credential_data: data.as_object().cloned(),
                credential_type: None,
            }),
        ),
        (
            br#"{"credential_type":"connector"}"#,
            Ok(UpdateCredential {
                credential_type: Some("connector".into()),
                ..UpdateCredential::default()
            }),
        ),
        (b"", request(PAYLOAD, "invalid JSON payload: the request body is empty")),
        (b" \n", request(PAYLOAD, "invalid JSON payload: the request body is empty")),
        (
            b"{a:1}",
            request(PAYLOAD, "invalid JSON payload: key must be a string in JSON at position 1"),
        ),
        (
            b"{\"name\":",
            request(PAYLOAD, "invalid JSON payload: EOF while parsing a value in JSON at position 8"),
        ),
        (b"[]", request(REQUEST, "Invalid request body: expected a JSON object, got array")),
        (b"null", request(REQUEST, "Invalid request body: expected a JSON object, got null")),
        (b"\"s\"", request(REQUEST, "Invalid request body: expected a JSON object, got string")),
        (br#"{"foo":1}"#, request(REQUEST, "Invalid request body: unknown field \"foo\"")),
        (
            br#"{"name":"n","foo":1,"bar":2}"#,
            request(REQUEST, "Invalid request body: unknown field \"foo\""),
        ),
        (
            br#"{"credentialData":{}}"#,
            request(REQUEST, "Invalid request body: unknown field \"credentialData\""),
        ),
        (br#"{"name":1}"#, request(REQUEST, "Invalid request body: field \"name\" must be a string, got number")),
        (br#"{"name":null}"#, request(REQUEST, "Invalid request body: field \"name\" must be a string, got null")),
        (br#"{"name":""}"#, request(REQUEST, "Invalid request body: field \"name\" must not be empty")),
        (
            br#"{"credential_data":"x"}"#,
            request(REQUEST, "Invalid request body: field \"credential_data\" must be an object, got string"),
        ),
        (
            br#"{"credential_data":null}"#,
            request(REQUEST, "Invalid request body: field \"credential_data\" must be an object, got null"),
        ),
        (
            br#"{"credential_data":[]}"#,
            request(REQUEST, "Invalid request body: field \"credential_data\" must be an object, got array"),
        ),
        (
            br#"{"credential_type":"oauth"}"#,
            request(REQUEST, "Invalid request body: field \"credential_type\" must be one of connector, serviceaccount, adminconsent, got \"oauth\""),
        ),
        (
            br#"{"credential_type":true}"#,
            request(REQUEST, "Invalid request body: field \"credential_type\" must be one of connector, serviceaccount, adminconsent, got boolean"),
        ),
        (
            br#"{"foo":1,"name":2}"#,
            request(REQUEST, "Invalid request body: unknown field \"foo\""),
        ),
        (
            br#"{"name":2,"foo":1}"#,
            request(REQUEST, "Invalid request body: field \"name\" must be a string, got number"),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(check(body), expected, "{}", String::from_utf8_lossy(body));
    }
}

#[test]
fn the_provider_must_be_one_of_the_enum_exactly() {
    for provider in PROVIDERS {
        assert_eq!(super::provider(provider).ok(), Some(provider));
    }
    for bad in ["Google", "inbox", "", "google ", "outlook"] {
        let error = super::provider(bad).expect_err(bad);
        assert_eq!(error.error_type(), "api.invalid_request_error");
    }
    assert_eq!(
        super::provider("inbox").expect_err("deprecated").to_string(),
        "Invalid provider \"inbox\": must be one of google, microsoft, imap, icloud, yahoo, ews, virtual-calendar, zoom, nylas"
    );
    assert_eq!(
        super::provider("a\nb").expect_err("control").to_string(),
        "Invalid provider \"a\\nb\": must be one of google, microsoft, imap, icloud, yahoo, ews, virtual-calendar, zoom, nylas"
    );
}

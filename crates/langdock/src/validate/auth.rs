//! The rules of `PATCH /integrations/v1/{integrationId}/auth` as Langdock's docs give them:
//! `authType` is required and one of the documented types; `authFields`, when sent, is a list of
//! fields with a `slug` (at most 100 characters, unique within the integration), a `label` (at most
//! 100), a `type`, and optional `description` (at most 500), `placeholder` (at most 200) and
//! `required`; `authTestCode` at most 1000 characters; `oauthClient` only for the OAuth types.
//! Every violation is reported, in field order, as the update's rules are.

use super::{answer, length, object, string_field};
use crate::error::LangdockError;
use crate::record;
use crate::wire::{OauthClient, UpdateAuth};
use patchbay_core::Patch;
use serde_json::{Map, Value};

pub const SLUG_MAX: usize = 100;
pub const LABEL_MAX: usize = 100;
pub const FIELD_DESCRIPTION_MAX: usize = 500;
pub const PLACEHOLDER_MAX: usize = 200;
pub const AUTH_TEST_CODE_MAX: usize = 1000;

/// The auth field types the docs name.
pub const FIELD_TYPES: &[&str] = &[
    "TEXT",
    "MULTI_LINE_TEXT",
    "PASSWORD",
    "NUMBER",
    "EMBEDDING_MODEL",
];

/// A required string of 1 to `max` characters.
fn required_text(
    field: &Map<String, Value>,
    name: &str,
    at: &str,
    max: usize,
    problems: &mut Vec<String>,
) -> Option<String> {
    match field.get(name) {
        None => problems.push(format!("{at}.{name} is required")),
        Some(Value::String(text)) if text.is_empty() => {
            problems.push(format!("{at}.{name} must not be empty"));
        }
        Some(Value::String(text)) if length(text) > max => {
            problems.push(format!("{at}.{name} must be at most {max} characters"));
        }
        Some(Value::String(text)) => return Some(text.clone()),
        Some(_) => problems.push(format!("{at}.{name} must be a string")),
    }
    None
}

/// An optional string of at most `max` characters; `null` only where `nullable`.
fn optional_text(
    field: &Map<String, Value>,
    name: &str,
    at: &str,
    max: usize,
    nullable: bool,
    problems: &mut Vec<String>,
) -> Option<Value> {
    match field.get(name) {
        None => None,
        Some(Value::Null) if nullable => Some(Value::Null),
        Some(Value::String(text)) if length(text) > max => {
            problems.push(format!("{at}.{name} must be at most {max} characters"));
            None
        }
        Some(Value::String(text)) => Some(Value::String(text.clone())),
        Some(_) => {
            problems.push(format!("{at}.{name} must be a string"));
            None
        }
    }
}

/// One auth field as stored, in the GET shape's key order, with a fresh `id` (a sent `id` is
/// ignored: Langdock generates it).
fn auth_field(
    item: &Value,
    at: &str,
    new_id: &mut dyn FnMut() -> String,
    problems: &mut Vec<String>,
) -> Option<(String, Value)> {
    let Value::Object(field) = item else {
        problems.push(format!("{at} must be an object"));
        return None;
    };
    let before = problems.len();
    let slug = required_text(field, "slug", at, SLUG_MAX, problems);
    let label = required_text(field, "label", at, LABEL_MAX, problems);
    let field_type = match field.get("type") {
        None => {
            problems.push(format!("{at}.type is required"));
            None
        }
        Some(Value::String(text)) if FIELD_TYPES.contains(&text.as_str()) => Some(text.clone()),
        Some(_) => {
            problems.push(format!(
                "{at}.type must be one of {}",
                FIELD_TYPES.join(", ")
            ));
            None
        }
    };
    let description = optional_text(
        field,
        "description",
        at,
        FIELD_DESCRIPTION_MAX,
        false,
        problems,
    );
    let placeholder = optional_text(field, "placeholder", at, PLACEHOLDER_MAX, true, problems);
    let required = match field.get("required") {
        None => Some(false),
        Some(Value::Bool(required)) => Some(*required),
        Some(_) => {
            problems.push(format!("{at}.required must be a boolean"));
            None
        }
    };
    if problems.len() > before {
        return None;
    }
    let (slug, label, field_type, required) = (slug?, label?, field_type?, required?);
    let mut stored = Map::new();
    stored.insert("id".into(), Value::String(new_id()));
    stored.insert("slug".into(), Value::String(slug.clone()));
    stored.insert("label".into(), Value::String(label));
    stored.insert("type".into(), Value::String(field_type));
    stored.insert(
        "description".into(),
        description.unwrap_or_else(|| Value::String(String::new())),
    );
    stored.insert("placeholder".into(), placeholder.unwrap_or(Value::Null));
    stored.insert("required".into(), Value::Bool(required));
    Some((slug, Value::Object(stored)))
}

fn auth_fields(
    value: &Value,
    new_id: &mut dyn FnMut() -> String,
    problems: &mut Vec<String>,
) -> Option<Vec<Value>> {
    let Value::Array(items) = value else {
        problems.push("authFields must be an array".into());
        return None;
    };
    let before = problems.len();
    let mut slugs: Vec<String> = Vec::new();
    let mut fields = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let at = format!("authFields[{index}]");
        if let Some((slug, field)) = auth_field(item, &at, new_id, problems) {
            if slugs.contains(&slug) {
                problems.push(format!("{at}.slug must be unique within the integration"));
            }
            slugs.push(slug);
            fields.push(field);
        }
    }
    (problems.len() == before).then_some(fields)
}

fn oauth_client(value: &Value, problems: &mut Vec<String>) -> Patch<OauthClient> {
    let Value::Object(client) = value else {
        if value.is_null() {
            return Patch::Clear;
        }
        problems.push("oauthClient must be an object".into());
        return Patch::Keep;
    };
    let mut shown = client.clone();
    let client_secret = match shown.shift_remove(record::CLIENT_SECRET) {
        None => Patch::Keep,
        Some(Value::Null) => Patch::Clear,
        Some(Value::String(secret)) => Patch::Set(secret),
        Some(_) => {
            problems.push("oauthClient.clientSecret must be a string".into());
            return Patch::Keep;
        }
    };
    Patch::Set(OauthClient {
        shown,
        client_secret,
    })
}

/// Validates an auth update body. `new_id` names each auth field sent. Unknown keys are ignored.
pub fn auth_body(
    body: &Value,
    new_id: &mut dyn FnMut() -> String,
) -> Result<UpdateAuth, LangdockError> {
    let object = object(body)?;
    let mut problems = Vec::new();
    let auth_type = match object.get("authType") {
        None => {
            problems.push("authType is required".into());
            None
        }
        Some(Value::String(text)) if record::AUTH_TYPES.contains(&text.as_str()) => {
            Some(text.clone())
        }
        Some(_) => {
            problems.push(format!(
                "authType must be one of {}",
                record::AUTH_TYPES.join(", ")
            ));
            None
        }
    };
    let fields = object
        .get("authFields")
        .and_then(|value| auth_fields(value, new_id, &mut problems));
    let auth_test_code = match object.get("authTestCode") {
        None => Patch::Keep,
        Some(Value::Null) => Patch::Clear,
        Some(_) => match string_field(object, "authTestCode", &mut problems) {
            Some(code) if length(code) > AUTH_TEST_CODE_MAX => {
                problems.push(format!(
                    "authTestCode must be at most {AUTH_TEST_CODE_MAX} characters"
                ));
                Patch::Keep
            }
            Some(code) => Patch::Set(code.to_string()),
            None => Patch::Keep,
        },
    };
    let client = object
        .get("oauthClient")
        .map_or(Patch::Keep, |value| oauth_client(value, &mut problems));
    if let (Some(auth_type), Patch::Set(_)) = (&auth_type, &client) {
        if !record::OAUTH_AUTH_TYPES.contains(&auth_type.as_str()) {
            problems.push("oauthClient is only allowed when authType is OAUTH or OAUTH_DCR".into());
        }
    }
    answer(
        UpdateAuth {
            auth_type: auth_type.unwrap_or_default(),
            auth_fields: fields,
            auth_test_code,
            oauth_client: client,
        },
        problems,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn counter() -> impl FnMut() -> String {
        let mut next = 0;
        move || {
            next += 1;
            format!("id-{next}")
        }
    }

    /// The 400 message for a body, or "ok".
    fn outcome(body: Value) -> String {
        match auth_body(&body, &mut counter()) {
            Ok(_) => "ok".into(),
            Err(LangdockError::InvalidBody(problems)) => problems,
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn auth_type_is_required_and_one_of_the_documented_types() {
        for auth_type in record::AUTH_TYPES {
            assert_eq!(outcome(json!({ "authType": auth_type })), "ok");
        }
        let one_of = "authType must be one of NONE, API_KEY, SERVICE_ACCOUNT, OAUTH, OAUTH_DCR";
        assert_eq!(outcome(json!({})), "authType is required");
        assert_eq!(outcome(json!({"authType": "oauth"})), one_of);
        assert_eq!(outcome(json!({"authType": null})), one_of);
        assert_eq!(outcome(json!({"authType": 1})), one_of);
        assert_eq!(outcome(json!([])), "expected a JSON object");
    }

    #[test]
    fn auth_fields_are_stored_with_defaults_and_fresh_ids() {
        let body = json!({"authType": "API_KEY", "authFields": [
            {"id": "sent-id", "slug": "api_key", "label": "API Key", "type": "PASSWORD"},
            {"slug": "region", "label": "Region", "type": "TEXT", "description": "d",
             "placeholder": "eu", "required": true, "extra": 1}
        ]});
        let update = auth_body(&body, &mut counter()).expect("valid");
        assert_eq!(update.auth_type, "API_KEY");
        assert_eq!(
            Value::Array(update.auth_fields.expect("fields")),
            json!([
                {"id": "id-1", "slug": "api_key", "label": "API Key", "type": "PASSWORD",
                 "description": "", "placeholder": null, "required": false},
                {"id": "id-2", "slug": "region", "label": "Region", "type": "TEXT",
                 "description": "d", "placeholder": "eu", "required": true}
            ])
        );
        assert_eq!(update.auth_test_code, Patch::Keep);
        assert_eq!(update.oauth_client, Patch::Keep);
    }

    #[test]
    fn every_field_rule_is_reported_in_order() {
        let long = |count: usize| "x".repeat(count);
        let cases: Vec<(Value, String)> = vec![
            (
                json!({"authType": "NONE", "authFields": {}}),
                "authFields must be an array".into(),
            ),
            (
                json!({"authType": "NONE", "authFields": [1]}),
                "authFields[0] must be an object".into(),
            ),
            (
                json!({"authType": "NONE", "authFields": [{}]}),
                "authFields[0].slug is required; authFields[0].label is required; authFields[0].type is required".into(),
            ),
            (
                json!({"authType": "NONE", "authFields": [{"slug": long(101), "label": long(101), "type": "SECRET"}]}),
                "authFields[0].slug must be at most 100 characters; authFields[0].label must be at most 100 characters; \
                 authFields[0].type must be one of TEXT, MULTI_LINE_TEXT, PASSWORD, NUMBER, EMBEDDING_MODEL".into(),
            ),
            (
                json!({"authType": "NONE", "authFields": [{"slug": "", "label": 1, "type": "TEXT",
                       "description": long(501), "placeholder": long(201), "required": "yes"}]}),
                "authFields[0].slug must not be empty; authFields[0].label must be a string; \
                 authFields[0].description must be at most 500 characters; authFields[0].placeholder must be at most 200 characters; \
                 authFields[0].required must be a boolean".into(),
            ),
            (
                json!({"authType": "NONE", "authFields": [
                    {"slug": "a", "label": "A", "type": "TEXT"}, {"slug": "a", "label": "B", "type": "TEXT"}]}),
                "authFields[1].slug must be unique within the integration".into(),
            ),
            (
                json!({"authType": "NONE", "authFields": [{"slug": "a", "label": "A", "type": "TEXT", "description": null}]}),
                "authFields[0].description must be a string".into(),
            ),
            (
                json!({"authType": "NONE", "authTestCode": long(1001)}),
                "authTestCode must be at most 1000 characters".into(),
            ),
            (json!({"authType": "NONE", "authTestCode": long(1000)}), "ok".into()),
            (json!({"authType": "NONE", "authTestCode": 5}), "authTestCode must be a string".into()),
            (json!({"authType": "NONE", "authTestCode": null}), "ok".into()),
            (
                json!({"authType": "API_KEY", "oauthClient": {"clientId": "c"}}),
                "oauthClient is only allowed when authType is OAUTH or OAUTH_DCR".into(),
            ),
            (json!({"authType": "API_KEY", "oauthClient": null}), "ok".into()),
            (json!({"authType": "OAUTH", "oauthClient": "c"}), "oauthClient must be an object".into()),
            (
                json!({"authType": "OAUTH_DCR", "oauthClient": {"clientSecret": 1}}),
                "oauthClient.clientSecret must be a string".into(),
            ),
            (
                json!({"authFields": 1, "authTestCode": 1, "oauthClient": 1}),
                "authType is required; authFields must be an array; authTestCode must be a string; oauthClient must be an object".into(),
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(outcome(body.clone()), expected, "{body}");
        }
    }

    #[test]
    fn lengths_count_utf16_units() {
        let emoji_slug = "😀".repeat(50);
        let body = json!({"authType": "NONE", "authFields": [{"slug": emoji_slug, "label": "L", "type": "TEXT"}]});
        assert_eq!(outcome(body), "ok");
        let body = json!({"authType": "NONE", "authFields": [{"slug": format!("{emoji_slug}a"), "label": "L", "type": "TEXT"}]});
        assert_eq!(
            outcome(body),
            "authFields[0].slug must be at most 100 characters"
        );
    }

    #[test]
    fn the_oauth_client_secret_is_kept_apart() {
        let body =
            json!({"authType": "OAUTH", "oauthClient": {"clientId": "c", "clientSecret": "s"}});
        let Patch::Set(client) = auth_body(&body, &mut counter())
            .expect("valid")
            .oauth_client
        else {
            panic!("a client")
        };
        assert_eq!(Value::Object(client.shown), json!({"clientId": "c"}));
        assert_eq!(client.client_secret, Patch::Set("s".into()));
        let body = json!({"authType": "OAUTH", "oauthClient": {"clientId": "c"}});
        let Patch::Set(client) = auth_body(&body, &mut counter())
            .expect("valid")
            .oauth_client
        else {
            panic!("a client")
        };
        assert_eq!(client.client_secret, Patch::Keep);
        let body = json!({"authType": "OAUTH", "oauthClient": null});
        assert_eq!(
            auth_body(&body, &mut counter())
                .expect("valid")
                .oauth_client,
            Patch::Clear
        );
    }
}

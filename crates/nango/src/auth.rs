//! Nango's `secretKeyAuth` and `connectSessionOrSecretKeyAuth` middleware (the 401s in their
//! order) and `withScope`.

use crate::error::NangoError;
use actix_web::HttpRequest;
use patchbay_core::{ApiKey, Store};
use std::sync::{Arc, LazyLock};

pub const UPDATE: &str = "environment:integrations:update";
pub const READ: &str = "environment:integrations:read";
pub const READ_CREDENTIALS: &str = "environment:integrations:read_credentials";
pub const CREATE: &str = "environment:integrations:create";
pub const LIST: &str = "environment:integrations:list";
pub const LIST_CREDENTIALS: &str = "environment:integrations:list_credentials";
pub const DELETE: &str = "environment:integrations:delete";

/// What every connect session token starts with.
const CONNECT_SESSION_PREFIX: &str = "nango_connect_session_";

/// Whether a string is a secret key as Nango accepts it: a hyphenated UUID, any case, of version 4
/// and the RFC 4122 variant (`8`, `9`, `a` or `b` opening the fourth group). Open keys use it too.
pub fn is_well_formed(secret: &str) -> bool {
    patchbay_http::hyphenated_uuid(secret).is_some_and(|uuid| {
        uuid.get_version_num() == 4 && uuid.get_variant() == uuid::Variant::RFC4122
    })
}

/// Finds the key behind the `Authorization` header, or the exact 401 Nango sends.
pub fn authenticate(request: &HttpRequest, store: &Store) -> Result<Arc<ApiKey>, NangoError> {
    let secret = secret_from(authorization(request)?)?;
    store
        .authenticate(crate::VENDOR, secret)
        .ok_or(NangoError::UnknownAccount)
}

/// `connectSessionOrSecretKeyAuth` (the list's): as [`authenticate`], except that a token that is
/// no secret key and opens with `nango_connect_session_` gets the connect session 401s. patchbay
/// holds no connect sessions, so a well-formed one matches none.
pub fn authenticate_session_or_key(
    request: &HttpRequest,
    store: &Store,
) -> Result<Arc<ApiKey>, NangoError> {
    let token = token_from(authorization(request)?)?;
    if let Some(random) = token.strip_prefix(CONNECT_SESSION_PREFIX) {
        let well_formed = random.len() == 64
            && random
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte));
        return Err(if well_formed {
            NangoError::UnknownConnectSessionToken
        } else {
            NangoError::InvalidConnectSessionTokenFormat
        });
    }
    authenticate(request, store)
}

/// The `Authorization` header's text, or the 401 for its absence.
fn authorization(request: &HttpRequest) -> Result<&str, NangoError> {
    match request.headers().get("authorization") {
        None => Err(NangoError::MissingAuthHeader),
        // Express reads the header as latin-1 text; bytes that are not visible ASCII cannot form a UUID.
        Some(value) => match value.to_str() {
            Ok("") => Err(NangoError::MissingAuthHeader),
            Ok(text) => Ok(text),
            Err(_) => Err(NangoError::InvalidSecretKeyFormat),
        },
    }
}

/// `header.split('Bearer ').pop()`: the text after the last "Bearer ", or the whole header, which
/// must not be empty.
fn token_from(header: &str) -> Result<&str, NangoError> {
    let token = header.rsplit("Bearer ").next().unwrap_or(header);
    if token.is_empty() {
        return Err(NangoError::MalformedAuthHeader);
    }
    Ok(token)
}

/// The token, which must be a UUID v4 to be a secret key.
fn secret_from(header: &str) -> Result<&str, NangoError> {
    let secret = token_from(header)?;
    if !is_well_formed(secret) {
        return Err(NangoError::InvalidSecretKeyFormat);
    }
    Ok(secret)
}

/// The scopes a key holds: a key created without scopes gets `environment:*`.
fn granted(key: &ApiKey) -> &[String] {
    static DEFAULT: LazyLock<Vec<String>> = LazyLock::new(|| vec!["environment:*".to_string()]);
    key.scopes.as_deref().unwrap_or(&DEFAULT)
}

/// `environment:*` grants every scope that starts with `environment:`.
fn grants(scope: &str, required: &str) -> bool {
    scope == required
        || scope
            .strip_suffix('*')
            .is_some_and(|prefix| prefix.ends_with(':') && required.starts_with(prefix))
}

pub fn has_scope(key: &ApiKey, required: &str) -> bool {
    granted(key).iter().any(|scope| grants(scope, required))
}

/// The 403 of `withScope(required)`.
pub fn require(key: &ApiKey, required: &str) -> Result<(), NangoError> {
    if has_scope(key, required) {
        Ok(())
    } else {
        Err(NangoError::Forbidden(format!(
            "Insufficient scope. Required: {required}"
        )))
    }
}

/// The 403 of `withScope([a, b])`: any one of them will do.
pub fn require_any(key: &ApiKey, required: &[&str]) -> Result<(), NangoError> {
    if required.iter().any(|scope| has_scope(key, scope)) {
        Ok(())
    } else {
        Err(NangoError::Forbidden(format!(
            "Insufficient scope. Required one of: {}",
            required.join(" or ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scopes: Option<Vec<&str>>) -> ApiKey {
        ApiKey {
            key: "k".into(),
            tenant: "t".into(),
            scopes: scopes.map(|scopes| scopes.into_iter().map(str::to_string).collect()),
            label: None,
        }
    }

    #[test]
    fn wildcards_and_defaults_grant_as_nango_does() {
        assert!(has_scope(&key(None), UPDATE));
        assert!(has_scope(
            &key(Some(vec!["environment:*"])),
            READ_CREDENTIALS
        ));
        assert!(has_scope(
            &key(Some(vec!["environment:integrations:*"])),
            UPDATE
        ));
        assert!(!has_scope(&key(Some(vec![])), READ));
        assert!(!has_scope(&key(Some(vec![READ])), UPDATE));
        assert!(!has_scope(&key(Some(vec!["environment*"])), UPDATE));
        for scope in [CREATE, LIST, DELETE] {
            assert!(has_scope(&key(None), scope));
            assert!(has_scope(
                &key(Some(vec!["environment:integrations:*"])),
                scope
            ));
        }
        // `...:read` does not grant the list, nor `...:list` a create.
        assert!(!has_scope(&key(Some(vec![READ])), LIST));
        assert!(!has_scope(&key(Some(vec![LIST])), CREATE));
        assert!(!has_scope(&key(Some(vec![LIST])), DELETE));
    }

    #[test]
    fn the_secret_is_what_follows_the_last_bearer() {
        let key = "6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f";
        assert!(matches!(secret_from(&format!("Bearer {key}")), Ok(secret) if secret == key));
        assert!(
            matches!(secret_from(&format!("Bearer Bearer {key}")), Ok(secret) if secret == key)
        );
        // Only reachable where the header value keeps its trailing space (HTTP parsers trim it).
        assert!(matches!(
            secret_from("Bearer "),
            Err(NangoError::MalformedAuthHeader)
        ));
        assert!(matches!(
            secret_from("Bearer"),
            Err(NangoError::InvalidSecretKeyFormat)
        ));
        assert!(
            secret_from(key).is_ok(),
            "a bare key survives the split unchanged"
        );
    }

    #[test]
    fn uuid_v4_is_checked_case_insensitively() {
        assert!(is_well_formed("6F1C9D2E-3B4A-4C5D-8E6F-7A8B9C0D1E2F"));
        assert!(
            !is_well_formed("6f1c9d2e-3b4a-1c5d-8e6f-7a8b9c0d1e2f"),
            "version 1"
        );
        assert!(
            !is_well_formed("6f1c9d2e-3b4a-4c5d-7e6f-7a8b9c0d1e2f"),
            "bad variant"
        );
        assert!(!is_well_formed("Basic abc"));
    }
}

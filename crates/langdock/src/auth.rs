//! Langdock's API-key check: `Authorization: Bearer <key>`, then the key's scopes. Every kind of bad
//! key (missing, not Bearer, unknown) gets the one 401 Langdock sends.

use crate::error::LangdockError;
use actix_web::HttpRequest;
use patchbay_core::{ApiKey, Store};
use regex::Regex;
use std::sync::{Arc, LazyLock};

/// The scope every integration endpoint but the list needs.
pub const INTEGRATION_API: &str = "INTEGRATION_API";
/// The assistant API's scope, which also lets a key list integrations.
pub const ASSISTANT_API: &str = "ASSISTANT_API";
/// The list's scopes (either one will do), as its 403 names them.
pub const LIST_SCOPES: (&[&str], &str) = (
    &[ASSISTANT_API, INTEGRATION_API],
    "ASSISTANT_API or INTEGRATION_API",
);

static KEY_SHAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^sk-[A-Za-z0-9_-]{20,200}$").expect("a valid pattern"));

/// Whether a string looks like a Langdock API key (`sk-` and 20 to 200 URL-safe characters). Open
/// keys use it to decide which unknown keys may create a workspace.
pub fn is_well_formed(key: &str) -> bool {
    KEY_SHAPE.is_match(key)
}

/// The token of an `Authorization: Bearer <token>` header (scheme in any case), if there is one.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The key behind the request, or Langdock's 401.
pub fn authenticate(request: &HttpRequest, store: &Store) -> Result<Arc<ApiKey>, LangdockError> {
    patchbay_http::header_text(request, "authorization")
        .and_then(bearer_token)
        .and_then(|token| store.authenticate(crate::VENDOR, token))
        .ok_or(LangdockError::InvalidApiKey)
}

/// A key without a `scopes` field in the fixtures holds every scope; an empty list holds none.
pub fn has_scope(key: &ApiKey, scope: &str) -> bool {
    key.scopes
        .as_ref()
        .is_none_or(|scopes| scopes.iter().any(|granted| granted == scope))
}

/// The 403 of a key without the scope.
pub fn require(key: &ApiKey, scope: &'static str) -> Result<(), LangdockError> {
    if has_scope(key, scope) {
        Ok(())
    } else {
        Err(LangdockError::MissingScope(scope))
    }
}

/// The 403 of a key with none of `scopes` (named as `named` in the message).
pub fn require_any(
    key: &ApiKey,
    (scopes, named): (&[&str], &'static str),
) -> Result<(), LangdockError> {
    if scopes.iter().any(|scope| has_scope(key, scope)) {
        Ok(())
    } else {
        Err(LangdockError::MissingScope(named))
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
    fn the_bearer_token_is_read_with_any_case_of_scheme() {
        assert_eq!(bearer_token("Bearer sk-abc"), Some("sk-abc"));
        assert_eq!(bearer_token("bearer   sk-abc"), Some("sk-abc"));
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("Basic sk-abc"), None);
        assert_eq!(bearer_token("sk-abc"), None);
    }

    #[test]
    fn scopes_are_granted_exactly() {
        assert!(has_scope(&key(None), INTEGRATION_API));
        assert!(has_scope(
            &key(Some(vec!["ASSISTANT_API", INTEGRATION_API])),
            INTEGRATION_API
        ));
        assert!(!has_scope(
            &key(Some(vec!["ASSISTANT_API"])),
            INTEGRATION_API
        ));
        assert!(!has_scope(&key(Some(vec![])), INTEGRATION_API));
        assert!(!has_scope(
            &key(Some(vec!["integration_api"])),
            INTEGRATION_API
        ));
    }

    #[test]
    fn the_list_takes_either_scope() {
        for scopes in [None, Some(vec![ASSISTANT_API]), Some(vec![INTEGRATION_API])] {
            assert!(require_any(&key(scopes), LIST_SCOPES).is_ok());
        }
        assert!(matches!(
            require_any(&key(Some(vec![])), LIST_SCOPES),
            Err(LangdockError::MissingScope(
                "ASSISTANT_API or INTEGRATION_API"
            ))
        ));
    }

    #[test]
    fn keys_are_well_formed_when_they_look_like_langdock_keys() {
        assert!(is_well_formed("sk-acme0integration0api0key0001"));
        assert!(!is_well_formed("sk-short"));
        assert!(!is_well_formed("6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f"));
        assert!(!is_well_formed("sk-has spaces in it 0000000000"));
    }
}

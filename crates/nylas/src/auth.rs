//! Nylas API-key auth: `Authorization: Bearer <NYLAS_API_KEY>`. No usable Bearer token is
//! `api.authentication_error`; a token that is no application's key is the observed
//! `token.unauthorized_access`. Nylas keys carry no scopes: a key can do everything to its
//! application.

use crate::error::NylasError;
use actix_web::HttpRequest;
use patchbay_core::{ApiKey, Store};
use std::sync::Arc;

/// Whether a string looks like a Nylas API key (`nyk_` then at least 16 of `[A-Za-z0-9_-]`, as in
/// `nyk_v0_...`). Open keys create an application only for these.
pub fn is_well_formed(key: &str) -> bool {
    key.strip_prefix("nyk_").is_some_and(|rest| {
        (16..=256).contains(&rest.len())
            && rest
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
    })
}

/// The token of a `Bearer` header (scheme matched case-insensitively, surrounding white space
/// ignored), or `None` when there is none.
pub fn bearer_token(header: &str) -> Option<&str> {
    let header = header.trim();
    let (scheme, token) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then_some(token)
}

/// Finds the key behind the `Authorization` header, or the 401 Nylas sends.
pub fn authenticate(request: &HttpRequest, store: &Store) -> Result<Arc<ApiKey>, NylasError> {
    let header = request
        .headers()
        .get("authorization")
        .ok_or(NylasError::Unauthorized)?;
    // Bytes that are not visible ASCII cannot form a key: a token, but an invalid one.
    let Ok(header) = header.to_str() else {
        return Err(NylasError::InvalidToken);
    };
    let token = bearer_token(header).ok_or(NylasError::Unauthorized)?;
    store
        .authenticate(crate::VENDOR, token)
        .ok_or(NylasError::InvalidToken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_what_follows_the_bearer_scheme() {
        assert_eq!(bearer_token("Bearer nyk_v0_abc"), Some("nyk_v0_abc"));
        assert_eq!(bearer_token("bearer  nyk_v0_abc "), Some("nyk_v0_abc"));
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("Basic nyk_v0_abc"), None);
        assert_eq!(bearer_token("nyk_v0_abc"), None);
        assert_eq!(bearer_token(""), None);
    }

    #[test]
    fn api_keys_start_with_nyk() {
        assert!(is_well_formed(
            "nyk_v0_8lXq3pRZt2dC5mWbN7vYkH9sJ4aE6fG1uQ0oI2xLzT5rV8"
        ));
        assert!(is_well_formed("nyk_v0_0123456789abcdef"));
        assert!(!is_well_formed("nyk_v0_short"));
        assert!(!is_well_formed("6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f"));
        assert!(!is_well_formed("nyk_v0_has space in it 0000"));
        assert!(!is_well_formed(&format!("nyk_{}", "a".repeat(257))));
    }
}

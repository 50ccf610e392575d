//! Composio's API key check: a project key (`ak_...`) in `x-api-key` or a user key (`uak_...`) in
//! `x-user-api-key`, then the key's permission for the operation.

use crate::error::ComposioError;
use actix_web::HttpRequest;
use patchbay_core::{ApiKey, Store};
use std::sync::Arc;

/// Permission to read auth configs (GET).
pub const READ: &str = "auth_configs:read";
/// Permission to change auth configs (PATCH).
pub const WRITE: &str = "auth_configs:write";

pub const PROJECT_KEY_HEADER: &str = "x-api-key";
pub const USER_KEY_HEADER: &str = "x-user-api-key";

/// Whether a key looks like a real Composio key: `ak_` or `uak_` and 8 to 64 characters of the
/// nanoid alphabet (real keys have about 20). Open keys create tenants only for these.
pub fn is_well_formed(key: &str) -> bool {
    let rest = key.strip_prefix("ak_").or_else(|| key.strip_prefix("uak_"));
    rest.is_some_and(|rest| {
        (8..=64).contains(&rest.len())
            && rest
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
    })
}

/// A key as a request presents it.
pub struct PresentedKey {
    /// The header it came in: [`PROJECT_KEY_HEADER`] or [`USER_KEY_HEADER`].
    pub header: &'static str,
    /// The header's text, trimmed.
    pub key: String,
}

/// The key a request presents: `x-api-key` first, then `x-user-api-key`. An empty header counts as
/// absent.
pub fn presented(request: &HttpRequest) -> Option<PresentedKey> {
    [PROJECT_KEY_HEADER, USER_KEY_HEADER]
        .into_iter()
        .find_map(|header| {
            let value = request.headers().get(header)?;
            let key = String::from_utf8_lossy(value.as_bytes()).trim().to_string();
            (!key.is_empty()).then_some(PresentedKey { header, key })
        })
}

/// Finds the key behind the request's key header, or Composio's 401. A user key must come in
/// `x-user-api-key` and a project key in `x-api-key`.
pub fn authenticate(request: &HttpRequest, store: &Store) -> Result<Arc<ApiKey>, ComposioError> {
    let Some(PresentedKey { header, key }) = presented(request) else {
        return Err(ComposioError::InvalidApiKey { presented: None });
    };
    let user_key = key.starts_with("uak_");
    if user_key != (header == USER_KEY_HEADER) {
        return Err(ComposioError::InvalidApiKey {
            presented: Some(key),
        });
    }
    store
        .authenticate(crate::VENDOR, &key)
        .ok_or(ComposioError::InvalidApiKey {
            presented: Some(key),
        })
}

/// A key without scopes may do everything; otherwise it needs the permission by name.
pub fn require(key: &ApiKey, permission: &str) -> Result<(), ComposioError> {
    match &key.scopes {
        None => Ok(()),
        Some(scopes) if scopes.iter().any(|scope| scope == permission) => Ok(()),
        Some(_) => Err(ComposioError::InsufficientPermissions),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_keys_have_a_composio_prefix() {
        assert!(is_well_formed("ak_demo0project0full01"));
        assert!(is_well_formed("uak_user-key_00000001"));
        assert!(!is_well_formed("ak_short"));
        assert!(!is_well_formed("sk_demo0project0full01"));
        assert!(!is_well_formed("ak_has space in it"));
        assert!(!is_well_formed(""));
        assert!(!is_well_formed(&format!("ak_{}", "a".repeat(65))));
        assert!(!is_well_formed(&format!("ak_{}", "a".repeat(130_000))));
    }

    #[test]
    fn a_key_without_scopes_may_do_everything() {
        let key = |scopes: Option<Vec<&str>>| ApiKey {
            key: "k".into(),
            tenant: "t".into(),
            scopes: scopes.map(|scopes| scopes.into_iter().map(str::to_string).collect()),
            label: None,
        };
        assert!(require(&key(None), WRITE).is_ok());
        assert!(require(&key(Some(vec![READ])), READ).is_ok());
        assert!(require(&key(Some(vec![READ])), WRITE).is_err());
        assert!(require(&key(Some(vec![])), READ).is_err());
    }
}

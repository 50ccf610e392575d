//! Puretalk's `X-API-KEY` check. Puretalk documents no scopes: any key of the account may read and
//! update its integrations.

use crate::error::PuretalkError;
use actix_web::HttpRequest;
use patchbay_core::{ApiKey, Store};
use regex::Regex;
use std::sync::{Arc, LazyLock};

static KEY_SHAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_.-]{32,128}$").expect("a valid pattern"));

/// Whether a string looks like a Puretalk API key: 32 to 128 of `[A-Za-z0-9_.-]`. Open keys use it
/// to decide which unknown keys may create an account.
pub fn is_well_formed(key: &str) -> bool {
    KEY_SHAPE.is_match(key)
}

/// The `X-API-KEY` header, trimmed, when present and not empty.
pub fn presented_key(request: &HttpRequest) -> Option<&str> {
    patchbay_http::header_text(request, "x-api-key")
        .map(str::trim)
        .filter(|key| !key.is_empty())
}

/// The key behind the request, or Puretalk's 401.
pub fn authenticate(request: &HttpRequest, store: &Store) -> Result<Arc<ApiKey>, PuretalkError> {
    match request.headers().get("x-api-key") {
        None => Err(PuretalkError::MissingApiKey),
        Some(_) => {
            let key = presented_key(request).ok_or(PuretalkError::MissingApiKey)?;
            store
                .authenticate(crate::VENDOR, key)
                .ok_or(PuretalkError::InvalidApiKey)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_key_is_the_trimmed_x_api_key_header() {
        let request = TestRequest::default()
            .insert_header(("X-API-KEY", " pt-key "))
            .to_http_request();
        assert_eq!(presented_key(&request), Some("pt-key"));
        let request = TestRequest::default()
            .insert_header(("x-api-key", ""))
            .to_http_request();
        assert_eq!(presented_key(&request), None);
        let request = TestRequest::default()
            .insert_header(("authorization", "Bearer pt-key"))
            .to_http_request();
        assert_eq!(presented_key(&request), None);
    }

    #[test]
    fn keys_are_well_formed_by_length_and_alphabet() {
        assert!(is_well_formed("pt-northwind-demo-key-0000000000000001"));
        assert!(is_well_formed("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_well_formed("short"));
        assert!(!is_well_formed("has spaces in it, which keys never have"));
    }
}

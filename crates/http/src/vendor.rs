//! The contract between an adapter and the server: one [`Vendor`] per adapter, exported as one
//! static, describing everything the server and its control plane need to know of the vendor (its
//! name, fixtures, the paths it owns, its routes, its SDK base URL, and the hooks that render faults
//! in its envelope). The server's vendor table is a list of these.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use patchbay_core::fixtures::RecordParser;
use patchbay_core::Integration;
use serde_json::Value;

/// One adapter, described once.
pub struct Vendor {
    /// The vendor's name in the store, in logs, in the control API and in fixture file names.
    pub name: &'static str,
    /// The fixture file under the fixtures directory.
    pub fixture_file: &'static str,
    /// The paths the vendor owns. A request is the vendor's when one of these is the most specific
    /// claim that matches its path, whatever the order of the server's table; the vendor's routes
    /// are reachable only through them, and every other path under them gets [`Vendor::not_found`].
    pub paths: &'static [PathClaim],
    /// Builds the adapter's shared state once; the result registers its routes on each worker.
    pub mount: fn(&AdapterContext) -> Result<Mount, String>,
    /// The vendor's 404 for a path it owns but does not serve, or a method it does not serve there.
    pub not_found: fn(&HttpRequest) -> HttpResponse,
    /// The base URL to configure the vendor's SDK with, from patchbay's public URL.
    pub sdk_base_url: fn(&str) -> String,
    /// Turns one fixture record (the vendor's field names, plus `tenant` and secrets) into a record.
    pub parse_record: RecordParser,
    /// The admin view of a stored record: the fixture format, secrets included.
    pub record_view: fn(&Integration) -> Value,
    /// The body fields the vendor's own GET hides (masks, or never renders), whose values the
    /// request journal masks on top of the generic ones (`secret`, `password`, `token`,
    /// `private_key`, `api_key`...), in bodies and query strings alike. Taken from the adapter's own
    /// masking, so the journal can never show what the vendor's GET hides.
    pub hidden_fields: HiddenFields,
    /// What the control plane needs to act as the vendor would.
    pub hooks: VendorHooks,
}

/// Which field names a vendor hides, as its adapter decides it.
#[derive(Clone, Copy)]
pub enum HiddenFields {
    /// The names in these lists (the adapter's own lists, as many as its masking reads), matched
    /// case-insensitively and ignoring `_` and `-` (`clientSecret` is `client_secret`).
    Named(&'static [&'static [&'static str]]),
    /// The names this rule picks: the very function the adapter's GET masks with.
    Rule(fn(name: &str) -> bool),
}

impl HiddenFields {
    /// Whether the vendor hides a field of this name.
    pub fn hides(&self, name: &str) -> bool {
        match self {
            HiddenFields::Named(lists) => {
                let name = fold_field_name(name);
                lists
                    .iter()
                    .flat_map(|list| list.iter())
                    .any(|hidden| fold_field_name(hidden) == name)
            }
            HiddenFields::Rule(rule) => rule(name),
        }
    }
}

/// A field name without case, `_` or `-`: how names are compared across vendors' spellings.
pub fn fold_field_name(name: &str) -> String {
    name.chars()
        .filter(|character| *character != '_' && *character != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A path prefix a vendor owns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathClaim {
    /// The prefix itself and every path below it: `Under("/acme")` owns `/acme` and `/acme/x`,
    /// not `/acmex`.
    Under(&'static str),
    /// Only the paths strictly below the prefix: `Below("/integrations/v1")` owns
    /// `/integrations/v1/` and `/integrations/v1/x`, not `/integrations/v1` itself.
    Below(&'static str),
}

impl PathClaim {
    /// The prefix, without a trailing `/`.
    pub fn prefix(self) -> &'static str {
        match self {
            PathClaim::Under(prefix) | PathClaim::Below(prefix) => prefix,
        }
    }

    /// How specific the claim is: a longer prefix, and `Below` over `Under` at the same prefix.
    pub fn specificity(self) -> (usize, bool) {
        (self.prefix().len(), matches!(self, PathClaim::Below(_)))
    }

    /// Whether a request path (percent-encoded, without the query) falls under the claim.
    pub fn matches(self, path: &str) -> bool {
        let Some(rest) = path.strip_prefix(self.prefix()) else {
            return false;
        };
        match self {
            PathClaim::Under(_) => rest.is_empty() || rest.starts_with('/'),
            PathClaim::Below(_) => rest.starts_with('/'),
        }
    }
}

/// What the control plane (open keys, the request journal, fault injection) needs from an adapter
/// to act on a request as the vendor would.
pub struct VendorHooks {
    /// The key a request presents, read from the header the vendor's auth reads, before any check
    /// other than extracting it (the text after the last `Bearer `, say). `None` when absent.
    pub presented_key: for<'r> fn(&'r HttpRequest) -> Option<&'r str>,
    /// Whether an unknown key is well-formed for this vendor: open keys only create tenants for these.
    pub is_well_formed_key: fn(key: &str) -> bool,
    /// The scopes of a key that open keys create; `None` is the vendor's default for a key without
    /// scopes. Must allow everything the adapter serves.
    pub open_key_scopes: Option<&'static [&'static str]>,
    /// An injected error: `status` (4xx or 5xx, never 429: the server renders an injected 429 with
    /// `rate_limited`) in the vendor's own envelope, with the headers the vendor sends on every
    /// response (request id...), tagged with its [`ErrorCode`].
    pub fault_response: fn(request: &HttpRequest, status: StatusCode) -> HttpResponse,
    /// An injected rate limit: the vendor's own 429, with its own rate-limit headers and
    /// `Retry-After`, tagged with its [`ErrorCode`].
    pub rate_limited: fn(request: &HttpRequest, limit: &RateLimit) -> HttpResponse,
}

/// What the server hands every adapter when it mounts it.
#[derive(Clone)]
pub struct AdapterContext {
    pub store: patchbay_core::Store,
    /// The URL clients reach patchbay at, without a trailing `/` (for absolute links such as logos).
    pub public_url: String,
    pub body_limit: crate::BodyLimit,
}

/// An adapter ready to mount: its state is built once and shared by every worker, which calls
/// this to register the adapter's routes.
pub type Mount = std::sync::Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

/// The vendor's own error code of a response (`unknown_account`, `801`,
/// `api.not_found_error`...), kept in the response's extensions so that the request journal can
/// record it without parsing the body. Adapters set it with [`tag_error_code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode(pub String);

/// Tags an error response with the vendor's own error code (see [`ErrorCode`]).
pub fn tag_error_code(response: &mut HttpResponse, code: impl Into<String>) {
    response.extensions_mut().insert(ErrorCode(code.into()));
}

/// The figures of an injected rate limit, for the adapter to render in its vendor's own headers.
/// Built only by [`RateLimit::new`], which clamps `Retry-After`, so no adapter clamps it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    limit: u64,
    window_secs: u64,
    retry_after_secs: u64,
    reset_at: i64,
}

impl RateLimit {
    /// The longest `Retry-After` ever sent: some SDK versions obey any value without a cap.
    pub const MAX_RETRY_AFTER_SECS: u64 = 60;

    /// A limit answered at `now` (Unix seconds): `retry_after_secs` is clamped to
    /// 1..=[`RateLimit::MAX_RETRY_AFTER_SECS`], and the window resets when the client may retry.
    pub fn new(limit: u64, window_secs: u64, retry_after_secs: u64, now: i64) -> RateLimit {
        let retry_after_secs = retry_after_secs.clamp(1, Self::MAX_RETRY_AFTER_SECS);
        RateLimit {
            limit,
            window_secs,
            retry_after_secs,
            reset_at: now.saturating_add_unsigned(retry_after_secs),
        }
    }

    /// Requests allowed per window (`X-RateLimit-Limit` where the vendor sends it).
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The window's length in seconds (`X-RateLimit-Window-Size` where the vendor sends it).
    pub fn window_secs(&self) -> u64 {
        self.window_secs
    }

    /// Seconds until the client may retry (`Retry-After`): 1 to 60.
    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after_secs
    }

    /// When the window resets, in Unix seconds (`X-RateLimit-Reset` where the vendor sends it).
    pub fn reset_at(&self) -> i64 {
        self.reset_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_match_their_prefix_on_segment_boundaries() {
        let cases = [
            (PathClaim::Under("/acme"), "/acme", true),
            (PathClaim::Under("/acme"), "/acme/", true),
            (PathClaim::Under("/acme"), "/acme/integrations/x", true),
            (PathClaim::Under("/acme"), "/acmex", false),
            (PathClaim::Under("/acme"), "/", false),
            (
                PathClaim::Below("/integrations/v1"),
                "/integrations/v1",
                false,
            ),
            (
                PathClaim::Below("/integrations/v1"),
                "/integrations/v1/",
                true,
            ),
            (
                PathClaim::Below("/integrations/v1"),
                "/integrations/v1/x",
                true,
            ),
            (
                PathClaim::Below("/integrations/v1"),
                "/integrations/v10/x",
                false,
            ),
        ];
        for (claim, path, expected) in cases {
            assert_eq!(claim.matches(path), expected, "{claim:?} {path}");
        }
    }

    #[test]
    fn a_longer_prefix_is_more_specific_and_below_beats_under() {
        assert!(
            PathClaim::Below("/integrations/v1").specificity()
                > PathClaim::Under("/integrations").specificity()
        );
        assert!(PathClaim::Below("/x").specificity() > PathClaim::Under("/x").specificity());
    }

    #[test]
    fn hidden_fields_are_named_in_any_spelling_or_picked_by_a_rule() {
        let named = HiddenFields::Named(&[&["client_secret"], &["private_key"]]);
        assert!(named.hides("privateKey"));
        assert!(named.hides("clientSecret"));
        assert!(named.hides("Client-Secret"));
        assert!(!named.hides("client_id"));
        let rule = HiddenFields::Rule(|name| name.contains("key"));
        assert!(rule.hides("app_key"));
        assert!(!rule.hides("passphrase"));
    }

    #[test]
    fn retry_after_is_clamped_once_at_construction() {
        assert_eq!(RateLimit::new(10, 60, 600, 0).retry_after_secs(), 60);
        assert_eq!(RateLimit::new(10, 60, 0, 0).retry_after_secs(), 1);
        let limit = RateLimit::new(10, 60, 7, 1_000);
        assert_eq!(limit.retry_after_secs(), 7);
        assert_eq!(limit.reset_at(), 1_007);
    }
}

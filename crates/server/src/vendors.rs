//! The one place that knows every vendor: the table of adapters, one line each. Adding a vendor is
//! one line here (plus its crate in the workspace and in this crate's dependencies): everything
//! else (routes, the control plane, fixtures, the banner, the control API's vendor list) reads it.
//!
//! The table's order is the banner's and nothing else's: a path belongs to the vendor whose claim on
//! it is the most specific ([`owner_of`]), and only that vendor's routes can answer it.

use patchbay_http::{PathClaim, Vendor};
use std::sync::LazyLock;

pub static VENDORS: &[&Vendor] = &[
    &patchbay_langdock::ADAPTER,
    &patchbay_nango::ADAPTER,
    &patchbay_nylas::ADAPTER,
    &patchbay_composio::ADAPTER,
    &patchbay_puretalk::ADAPTER,
];

/// Every vendor's claims, the most specific first.
static CLAIMS: LazyLock<Vec<(PathClaim, &'static Vendor)>> = LazyLock::new(|| {
    let mut claims: Vec<_> = VENDORS
        .iter()
        .flat_map(|vendor| vendor.paths.iter().map(move |claim| (*claim, *vendor)))
        .collect();
    claims.sort_by_key(|(claim, _)| std::cmp::Reverse(claim.specificity()));
    claims
});

/// The vendor a request path (percent-encoded, without the query) belongs to: the one with the
/// most specific claim that matches it.
pub fn owner_of(path: &str) -> Option<&'static Vendor> {
    CLAIMS
        .iter()
        .find(|(claim, _)| claim.matches(path))
        .map(|(_, vendor)| *vendor)
}

/// The owner of a request's path, worked out once per request by the first vendor scope's guard
/// and kept in the request's extensions for the others.
#[derive(Clone, Copy)]
struct Owner(Option<&'static Vendor>);

/// The guard of a vendor's scope: whether the request's path is that vendor's.
pub fn owns(context: &actix_web::guard::GuardContext<'_>, vendor: &'static Vendor) -> bool {
    let known = context.req_data().get::<Owner>().copied();
    let Owner(owner) = known.unwrap_or_else(|| {
        let owner = Owner(owner_of(context.head().uri.path()));
        context.req_data_mut().insert(owner);
        owner
    });
    owner.is_some_and(|owner| std::ptr::eq(owner, vendor))
}

pub fn find(name: &str) -> Option<&'static Vendor> {
    VENDORS.iter().copied().find(|vendor| vendor.name == name)
}

/// The vendors' names, in table order.
pub fn names() -> Vec<&'static str> {
    VENDORS.iter().map(|vendor| vendor.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_claims_are_the_same() {
        for (index, (claim, vendor)) in CLAIMS.iter().enumerate() {
            for (other, other_vendor) in &CLAIMS[index + 1..] {
                assert_ne!(
                    claim, other,
                    "{} and {} both claim {claim:?}",
                    vendor.name, other_vendor.name
                );
            }
        }
    }

    #[test]
    fn vendor_names_are_unique() {
        let mut names = names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), VENDORS.len());
    }

    /// Which vendor owns a path, for every vendor's own paths and their near misses. The table's
    /// order plays no part: the most specific claim wins.
    #[test]
    fn the_owner_of_each_path() {
        let cases: &[(&str, Option<&str>)] = &[
            // Nango: `/integrations`, one segment below it, the logos, `/nango`.
            ("/integrations", Some("nango")),
            ("/integrations/github", Some("nango")),
            ("/integrations/v1", Some("nango")),
            ("/integrations/v10/x", Some("nango")),
            ("/integrationsx", None),
            ("/integrations/x", Some("nango")),
            ("/images/template-logos/github.svg", Some("nango")),
            ("/images/template-logos", None),
            ("/images", None),
            ("/nango", Some("nango")),
            ("/nango/integrations/x", Some("nango")),
            ("/nangox", None),
            // Langdock: strictly below `/integrations/v1`, `/api/public`, `/langdock`.
            (
                "/integrations/v1/550e8400-e29b-41d4-a716-446655440000",
                Some("langdock"),
            ),
            ("/integrations/v1/x/auth", Some("langdock")),
            ("/integrations/v1/", Some("langdock")),
            ("/api/public/integrations/v1/x", Some("langdock")),
            ("/api/public", Some("langdock")),
            ("/api/publicity", None),
            ("/langdock", Some("langdock")),
            ("/langdock/integrations/v1/x", Some("langdock")),
            ("/langdockx", None),
            // Puretalk: `/api/ruth-connect` and `/puretalk`, never `/api` as a whole.
            (
                "/api/ruth-connect/integrations/123e4567-e89b-12d3-a456-426614174000",
                Some("puretalk"),
            ),
            ("/api/ruth-connect", Some("puretalk")),
            ("/api/ruth-connect/other", Some("puretalk")),
            ("/api/ruth-connectx", None),
            ("/puretalkx", None),
            (
                "/puretalk/api/ruth-connect/integrations/x",
                Some("puretalk"),
            ),
            ("/puretalk", Some("puretalk")),
            ("/api", None),
            ("/api/", None),
            // Composio: `/api/v3`, `/api/v3.1`, `/composio`.
            ("/api/v3/auth_configs/ac_1", Some("composio")),
            ("/api/v3.1/auth_configs/ac_1", Some("composio")),
            ("/api/v3", Some("composio")),
            ("/api/v3.1", Some("composio")),
            ("/api/v3.2/x", None),
            ("/api/v31", None),
            ("/api/v31/auth_configs", None),
            ("/api/v3x", None),
            ("/api/v3/toolkits", Some("composio")),
            ("/composio/api/v3/auth_configs/x", Some("composio")),
            ("/composiox", None),
            // Nylas: `/v3` and `/nylas`.
            ("/v3", Some("nylas")),
            ("/v3/connectors/google/creds/x", Some("nylas")),
            ("/v3x", None),
            ("/v30/x", None),
            ("/v3/grants", Some("nylas")),
            ("/nylas/anything", Some("nylas")),
            ("/nylasx", None),
            ("/nylas/v3/connectors", Some("nylas")),
            ("/nylas", Some("nylas")),
            // Nobody's.
            ("/", None),
            ("/_patchbay/health", None),
            ("/v2/x", None),
        ];
        for (path, owner) in cases {
            assert_eq!(
                owner_of(path).map(|vendor| vendor.name),
                *owner,
                "owner of {path}"
            );
        }
    }
}

//! The toolkits patchbay knows, so that creating an auth config can refuse what Composio refuses: an
//! unknown toolkit (404), Composio-managed auth for a toolkit Composio has no app for (400 `306`),
//! an auth scheme the toolkit does not offer or a missing OAuth client field (400 `301`). A small
//! table of common toolkits and every toolkit of the shipped fixtures; the schemes are patchbay's
//! reading of Composio's catalogue, not a copy of it.

/// One toolkit: its slug, the scheme Composio's managed app uses (none: no managed app), and the
/// schemes a custom auth config may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toolkit {
    pub slug: &'static str,
    pub managed_scheme: Option<&'static str>,
    pub custom_schemes: &'static [&'static str],
}

const OAUTH2: &str = "OAUTH2";

/// Every auth scheme Composio's create schema accepts for `use_custom_auth`, in its spec's order.
pub const AUTH_SCHEMES: &[&str] = &[
    "OAUTH2",
    "OAUTH1",
    "API_KEY",
    "BASIC",
    "BILLCOM_AUTH",
    "BEARER_TOKEN",
    "GOOGLE_SERVICE_ACCOUNT",
    "NO_AUTH",
    "BASIC_WITH_JWT",
    "CALCOM_AUTH",
    "SERVICE_ACCOUNT",
    "SAML",
    "DCR_OAUTH",
    "S2S_OAUTH2",
];

const fn managed(slug: &'static str, custom_schemes: &'static [&'static str]) -> Toolkit {
    Toolkit {
        slug,
        managed_scheme: Some(OAUTH2),
        custom_schemes,
    }
}

const fn unmanaged(slug: &'static str, custom_schemes: &'static [&'static str]) -> Toolkit {
    Toolkit {
        slug,
        managed_scheme: None,
        custom_schemes,
    }
}

/// The catalogue, by slug.
const TOOLKITS: &[Toolkit] = &[
    managed("asana", &["OAUTH2", "API_KEY"]),
    managed("discord", &["OAUTH2", "BEARER_TOKEN"]),
    managed("github", &["OAUTH2", "BEARER_TOKEN", "API_KEY"]),
    managed("gmail", &["OAUTH2"]),
    managed("googlecalendar", &["OAUTH2"]),
    managed("googledrive", &["OAUTH2", "GOOGLE_SERVICE_ACCOUNT"]),
    managed("hubspot", &["OAUTH2", "API_KEY"]),
    managed("jira", &["OAUTH2", "BASIC"]),
    managed("linear", &["OAUTH2", "API_KEY"]),
    managed("notion", &["OAUTH2", "API_KEY"]),
    unmanaged("openai", &["API_KEY"]),
    unmanaged("pinecone", &["API_KEY"]),
    managed("salesforce", &["OAUTH2"]),
    unmanaged("shopify", &["OAUTH2", "API_KEY"]),
    managed("slack", &["OAUTH2", "BEARER_TOKEN"]),
    managed("stripe", &["OAUTH2", "API_KEY"]),
    managed("twitter", &["OAUTH2", "OAUTH1"]),
    unmanaged("weathermap", &["NO_AUTH", "API_KEY"]),
    managed("zendesk", &["OAUTH2", "BASIC"]),
];

/// The toolkit of a slug, as Composio matches slugs: without regard to case.
pub fn find(slug: &str) -> Option<&'static Toolkit> {
    TOOLKITS
        .iter()
        .find(|toolkit| toolkit.slug.eq_ignore_ascii_case(slug))
}

/// A credential field an auth scheme needs when the config brings its own app: the key in
/// `credentials`, and its display name and description as Composio's 301 message names them.
pub struct RequiredField {
    pub key: &'static str,
    pub display_name: &'static str,
    pub description: &'static str,
}

/// What a custom config of this scheme must carry in `credentials`: an OAuth 2 app's client id and
/// secret (the observed 301 names "Client id"); other schemes take their secrets per connected
/// account, so the config needs nothing.
pub fn required_fields(scheme: &str) -> &'static [RequiredField] {
    const OAUTH2_FIELDS: &[RequiredField] = &[
        RequiredField {
            key: "client_id",
            display_name: "Client id",
            description: "Client id of the app",
        },
        RequiredField {
            key: "client_secret",
            display_name: "Client secret",
            description: "Client secret of the app",
        },
    ];
    if scheme == OAUTH2 {
        OAUTH2_FIELDS
    } else {
        &[]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_toolkit_is_in_the_catalogue_and_slugs_match_without_case() {
        for slug in ["github", "slack", "linear", "gmail", "notion", "hubspot"] {
            assert!(find(slug).is_some(), "{slug}");
        }
        assert_eq!(find("GitHub").map(|toolkit| toolkit.slug), Some("github"));
        assert!(find("nope").is_none());
        assert_eq!(find("pinecone").and_then(|t| t.managed_scheme), None);
    }

    #[test]
    fn every_custom_scheme_of_the_catalogue_is_one_composio_accepts() {
        for toolkit in TOOLKITS {
            assert!(!toolkit.custom_schemes.is_empty(), "{}", toolkit.slug);
            for scheme in toolkit.custom_schemes {
                assert!(AUTH_SCHEMES.contains(scheme), "{}: {scheme}", toolkit.slug);
            }
        }
        let mut slugs: Vec<&str> = TOOLKITS.iter().map(|toolkit| toolkit.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), TOOLKITS.len(), "one row per slug");
    }
}

//! The list queries. Connectors: `limit`, `offset`. Credentials: those and `sort_by`
//! (`created_at` or `updated_at`, also in the camelCase the Node SDK sends, `createdAt`) and
//! `order_by` (`desc` or `asc`), newest first by default. Other parameters are ignored (the Node SDK
//! may add `page_token` or `select`); the first of a repeated parameter counts; a value that is not
//! what the parameter takes is a 400 naming it.

use crate::error::NylasError;
use patchbay_core::ListOrder;

/// The page size when the query gives none (the spec's default for credentials).
pub const DEFAULT_LIMIT: usize = 10;
/// The largest page (the Nylas CLI asks for 200 at a time).
pub const MAX_LIMIT: usize = 200;

/// Which slice of a list to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub limit: usize,
    pub offset: usize,
}

/// A credential listing: the page and the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialListing {
    pub paging: Paging,
    pub order: ListOrder,
}

fn first<'q>(pairs: &'q [(String, String)], name: &str) -> Option<&'q str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn bad(name: &str, rule: &str) -> NylasError {
    NylasError::InvalidRequest(format!("Invalid query parameter \"{name}\": {rule}"))
}

fn paging(pairs: &[(String, String)]) -> Result<Paging, NylasError> {
    let limit = match first(pairs, "limit") {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| {
                bad(
                    "limit",
                    &format!("must be an integer from 1 to {MAX_LIMIT}"),
                )
            })?,
    };
    let offset = match first(pairs, "offset") {
        None => 0,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| bad("offset", "must be a non-negative integer"))?,
    };
    Ok(Paging { limit, offset })
}

/// `GET /v3/connectors`.
pub fn connector_list_query(pairs: &[(String, String)]) -> Result<Paging, NylasError> {
    paging(pairs)
}

/// `GET /v3/connectors/{provider}/creds`.
pub fn credential_list_query(pairs: &[(String, String)]) -> Result<CredentialListing, NylasError> {
    let paging = paging(pairs)?;
    let by_update = match first(pairs, "sort_by") {
        None | Some("created_at" | "createdAt") => false,
        Some("updated_at" | "updatedAt") => true,
        Some(_) => return Err(bad("sort_by", "must be created_at or updated_at")),
    };
    let descending = match first(pairs, "order_by") {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(_) => return Err(bad("order_by", "must be desc or asc")),
    };
    let order = if by_update {
        ListOrder::Updated { descending }
    } else {
        ListOrder::Created { descending }
    };
    Ok(CredentialListing { paging, order })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
        query
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    fn listing(query: &[(&str, &str)]) -> Result<CredentialListing, String> {
        credential_list_query(&pairs(query)).map_err(|error| error.to_string())
    }

    #[test]
    fn credentials_default_to_ten_newest_first() {
        assert_eq!(
            listing(&[]),
            Ok(CredentialListing {
                paging: Paging {
                    limit: 10,
                    offset: 0
                },
                order: ListOrder::Created { descending: true },
            })
        );
    }

    #[test]
    fn the_node_sdks_camel_case_sort_values_are_taken() {
        for (value, order) in [
            ("createdAt", ListOrder::Created { descending: false }),
            ("created_at", ListOrder::Created { descending: false }),
            ("updatedAt", ListOrder::Updated { descending: false }),
            ("updated_at", ListOrder::Updated { descending: false }),
        ] {
            assert_eq!(
                listing(&[("sort_by", value), ("order_by", "asc")]).map(|listing| listing.order),
                Ok(order),
                "{value}"
            );
        }
    }

    #[test]
    fn bad_values_name_their_parameter_and_the_first_of_a_repeat_counts() {
        let cases = [
            (
                vec![("limit", "0")],
                "Invalid query parameter \"limit\": must be an integer from 1 to 200",
            ),
            (
                vec![("limit", "201")],
                "Invalid query parameter \"limit\": must be an integer from 1 to 200",
            ),
            (
                vec![("limit", "ten")],
                "Invalid query parameter \"limit\": must be an integer from 1 to 200",
            ),
            (
                vec![("limit", "")],
                "Invalid query parameter \"limit\": must be an integer from 1 to 200",
            ),
            (
                vec![("offset", "-1")],
                "Invalid query parameter \"offset\": must be a non-negative integer",
            ),
            (
                vec![("sort_by", "name")],
                "Invalid query parameter \"sort_by\": must be created_at or updated_at",
            ),
            (
                vec![("order_by", "DESC")],
                "Invalid query parameter \"order_by\": must be desc or asc",
            ),
        ];
        for (query, message) in cases {
            assert_eq!(listing(&query), Err(message.to_string()), "{query:?}");
        }
        assert_eq!(
            listing(&[("limit", "3"), ("limit", "x"), ("page_token", "t")])
                .map(|listing| listing.paging.limit),
            Ok(3)
        );
        assert_eq!(
            connector_list_query(&pairs(&[("limit", "200"), ("offset", "4")])).ok(),
            Some(Paging {
                limit: 200,
                offset: 4
            })
        );
    }
}

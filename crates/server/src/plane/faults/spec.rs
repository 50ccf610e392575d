//! A fault rule as the control API receives it ([`FaultSpec`], the JSON a client posts and sees
//! again when the rules are listed), and its parsing into a [`FaultRule`] the engine runs: every
//! check of a rule happens here, once, so that the engine never meets a rule it cannot run.

use actix_web::http::StatusCode;
use patchbay_http::RateLimit;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;
use std::num::NonZeroU64;
use std::time::Duration;
use utoipa::ToSchema;
use wildmatch::WildMatch;

/// The longest `Retry-After` a rule may send: some SDK versions obey any value without a cap.
pub const MAX_RETRY_AFTER_SECS: u64 = RateLimit::MAX_RETRY_AFTER_SECS;
/// The limit a rate-limit answer reports when the rule sets none.
pub const DEFAULT_RATE_LIMIT: u64 = 100;
/// The window a rate-limit answer reports when the rule sets none.
pub const DEFAULT_WINDOW_SECS: u64 = 60;
/// The longest added latency.
pub const MAX_LATENCY_MS: u64 = 60_000;
/// The most rules in force at once: every matching request walks them all under one lock.
pub const MAX_RULES: usize = 1000;
/// The most bytes of rules in force at once (each rule counted as its JSON), so that a client
/// cannot fill memory with long patterns, tenants or keys.
pub const MAX_RULE_SET_BYTES: usize = 1024 * 1024;

/// A rule as the control API receives it (`POST /_patchbay/faults`) and lists it. Its schema in
/// the control API's document is one shape per kind, built from these fields' schemas
/// (`control::openapi`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FaultRule)]
pub struct FaultSpec {
    pub kind: FaultKind,
    /// Only requests to this vendor.
    #[schema(value_type = Option<crate::control::openapi::VendorName>)]
    pub vendor: Option<String>,
    /// Only requests with this method (any case).
    #[schema(pattern = "^[A-Za-z]+$")]
    pub method: Option<String>,
    /// Only requests whose path matches: `*` matches any run of characters (including `/`), `?`
    /// one character.
    #[schema(pattern = "^[/*]")]
    pub path: Option<String>,
    /// Only requests whose key belongs to this tenant.
    pub tenant: Option<String>,
    /// Only requests presenting this key (handy with open keys, whose tenant is derived).
    pub key: Option<String>,
    /// `status`: the status to answer with, in the vendor's own envelope (429 is the vendor's
    /// rate-limit answer, headers included).
    #[schema(minimum = 400, maximum = 599)]
    pub status: Option<u16>,
    /// `latency`: milliseconds to wait before the request goes on.
    #[schema(minimum = 0, maximum = 60000)]
    pub latency_ms: Option<u64>,
    /// `rate_limit` without `limit`: seconds for `Retry-After` (default 1).
    #[schema(minimum = 1, maximum = 60)]
    pub retry_after: Option<u64>,
    /// `rate_limit`: requests allowed per window; further ones get 429 until the window ends, with
    /// the time left in it as `Retry-After`. Without it every matching request gets 429.
    #[schema(minimum = 0, maximum = 18446744073709551615_u64)]
    pub limit: Option<u64>,
    /// `rate_limit` with `limit`: the window in seconds (default 60).
    #[schema(minimum = 1, maximum = 60)]
    pub window_secs: Option<u64>,
    /// Fire for the next N matching requests only, then the rule is gone.
    #[schema(minimum = 1, maximum = 18446744073709551615_u64)]
    pub times: Option<u64>,
    /// Fire with this probability (0 to 1) per matching request.
    #[schema(minimum = 0, maximum = 1)]
    pub probability: Option<f64>,
    /// With `probability`: the seed of the rule's generator (default 0).
    #[schema(minimum = 0, maximum = 18446744073709551615_u64)]
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    Latency,
    Status,
    RateLimit,
    Drop,
}

/// The fields that say what a rule does, as opposed to which requests it matches; each kind takes
/// only its own ([`FaultKind::action_fields`]).
pub const ACTION_FIELDS: [&str; 5] = [
    "status",
    "latency_ms",
    "retry_after",
    "limit",
    "window_secs",
];

impl FaultKind {
    pub const ALL: [FaultKind; 4] = [
        FaultKind::Latency,
        FaultKind::Status,
        FaultKind::RateLimit,
        FaultKind::Drop,
    ];

    /// The [`ACTION_FIELDS`] a rule of this kind may set.
    pub fn action_fields(self) -> &'static [&'static str] {
        match self {
            FaultKind::Latency => &["latency_ms"],
            FaultKind::Status => &["status"],
            FaultKind::RateLimit => &["retry_after", "limit", "window_secs"],
            FaultKind::Drop => &[],
        }
    }

    /// The fields a rule of this kind must set.
    pub fn required_fields(self) -> &'static [&'static str] {
        match self {
            FaultKind::Latency => &["latency_ms"],
            FaultKind::Status => &["status"],
            FaultKind::RateLimit | FaultKind::Drop => &[],
        }
    }
}

/// A rule the engine can run: what it matches, what it does, how often.
#[derive(Debug, Clone)]
pub struct FaultRule {
    pub matcher: Matcher,
    pub action: Action,
    /// Fire for this many matching requests, then go.
    pub times: Option<NonZeroU64>,
    pub chance: Option<Chance>,
}

/// Which requests a rule applies to: all of the given filters must match.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    pub vendor: Option<String>,
    pub method: Option<String>,
    pub path: Option<WildMatch>,
    pub tenant: Option<String>,
    pub key: Option<String>,
}

/// What a rule does when it fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Wait, then let the request go on.
    Latency { delay: Duration },
    /// Answer with this status (400-599, never 429) in the vendor's envelope.
    Status(StatusCode),
    /// Answer with the vendor's 429.
    RateLimit(RateLimitRule),
    /// Close the connection without an answer.
    Drop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateLimitRule {
    /// Every matching request is limited, told to retry after this long.
    Always { retry_after_secs: u64 },
    /// `limit` requests pass per window; the others are told to retry when the window ends.
    Window { limit: u64, window: Duration },
}

/// Fire with a probability, drawn from a generator seeded per rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chance {
    pub probability: f64,
    pub seed: u64,
}

/// A posted rule and what it parsed into: the engine runs the one and lists the other.
#[derive(Debug, Clone)]
pub struct ParsedRule {
    pub spec: FaultSpec,
    pub rule: FaultRule,
}

/// Reads the body of `POST /_patchbay/faults`: one rule (`{...}`) or several (`[{...}, ...]`, all
/// or none). The message names the rule at fault (`rule 2: `, for several) and the field, with its
/// JSON path where the JSON itself is wrong (`kind: unknown variant ...`).
pub fn parse_rules(body: Value, vendors: &[&str]) -> Result<Vec<ParsedRule>, String> {
    let (items, many) = match body {
        Value::Array(items) => (items, true),
        single => (vec![single], false),
    };
    if items.len() > MAX_RULES {
        return Err(format!(
            "a request adds at most {MAX_RULES} rules: this one has {}",
            items.len()
        ));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, mut item)| {
            integral_numbers_as_integers(&mut item);
            let at = if many {
                format!("rule {index}: ")
            } else {
                String::new()
            };
            let spec: FaultSpec = serde_path_to_error::deserialize(item).map_err(|failure| {
                let path = failure.path().clone();
                let failure = failure.into_inner();
                if path.iter().next().is_none() {
                    format!("{at}invalid rule: {failure}")
                } else {
                    format!("{at}{path}: {failure}")
                }
            })?;
            let rule = spec
                .parse(vendors)
                .map_err(|message| format!("{at}{message}"))?;
            Ok(ParsedRule { spec, rule })
        })
        .collect()
}

/// JSON does not tell `5` from `5.0`, and neither does JSON Schema: a whole number written with a
/// fraction is read as the integer it is, so that `"status": 503.0` means 503.
fn integral_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) if !number.is_i64() && !number.is_u64() => {
            let Some(float) = number.as_f64() else {
                return;
            };
            // Within 2^53 every integer has an exact f64, so the conversion loses nothing.
            let exact = 9_007_199_254_740_992.0;
            if float.fract() == 0.0 && (0.0..=exact).contains(&float) {
                *value = Value::from(float as u64);
            } else if float.fract() == 0.0 && (-exact..0.0).contains(&float) {
                *value = Value::from(float as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

impl FaultSpec {
    /// The rule this spec describes, or why it describes none; the message names the field at
    /// fault. `vendors` are the names a `vendor` filter may take.
    pub fn parse(&self, vendors: &[&str]) -> Result<FaultRule, String> {
        let matcher = self.matcher(vendors)?;
        let given = [
            ("status", self.status.is_some()),
            ("latency_ms", self.latency_ms.is_some()),
            ("retry_after", self.retry_after.is_some()),
            ("limit", self.limit.is_some()),
            ("window_secs", self.window_secs.is_some()),
        ];
        let allowed = self.kind.action_fields();
        if let Some((field, _)) = given
            .iter()
            .find(|(field, set)| *set && !allowed.contains(field))
        {
            // The kind as the client wrote it, quoted: serde's own name for it.
            let kind = serde_json::json!(self.kind);
            return Err(format!("`{field}` does not apply to a {kind} fault"));
        }
        let action = match self.kind {
            FaultKind::Latency => match self.latency_ms {
                None => return Err("a latency fault needs `latency_ms`".into()),
                Some(ms) if ms > MAX_LATENCY_MS => {
                    return Err(format!("`latency_ms` must be at most {MAX_LATENCY_MS}"))
                }
                Some(ms) => Action::Latency {
                    delay: Duration::from_millis(ms),
                },
            },
            FaultKind::Status => {
                let Some(status) = self.status else {
                    return Err("a status fault needs `status`".into());
                };
                match StatusCode::from_u16(status) {
                    // A 429 is the vendor's rate-limit answer, headers included: what a
                    // `rate_limit` rule with no other field sends.
                    Ok(StatusCode::TOO_MANY_REQUESTS) => Action::RateLimit(RateLimitRule::Always {
                        retry_after_secs: 1,
                    }),
                    Ok(status) if (400..=599).contains(&status.as_u16()) => Action::Status(status),
                    _ => return Err("`status` must be between 400 and 599".into()),
                }
            }
            FaultKind::RateLimit => Action::RateLimit(self.rate_limit()?),
            FaultKind::Drop => Action::Drop,
        };
        let times = match self.times.map(NonZeroU64::new) {
            None => None,
            Some(None) => return Err("`times` must be at least 1".into()),
            Some(times) => times,
        };
        let chance = match (self.probability, self.seed) {
            (Some(probability), _) if !(0.0..=1.0).contains(&probability) => {
                return Err("`probability` must be between 0 and 1".into())
            }
            (Some(probability), seed) => Some(Chance {
                probability,
                seed: seed.unwrap_or(0),
            }),
            (None, Some(_)) => return Err("`seed` needs `probability`".into()),
            (None, None) => None,
        };
        Ok(FaultRule {
            matcher,
            action,
            times,
            chance,
        })
    }

    fn matcher(&self, vendors: &[&str]) -> Result<Matcher, String> {
        if let Some(vendor) = &self.vendor {
            if !vendors.contains(&vendor.as_str()) {
                return Err(format!(
                    "`vendor` {vendor:?} is not one of {}",
                    vendors.join(", ")
                ));
            }
        }
        if let Some(method) = &self.method {
            if method.is_empty() || !method.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(format!("`method` {method:?} is not an HTTP method"));
            }
        }
        if let Some(path) = &self.path {
            if !path.starts_with('/') && !path.starts_with('*') {
                return Err("`path` must start with `/` or `*`".into());
            }
        }
        Ok(Matcher {
            vendor: self.vendor.clone(),
            method: self.method.clone(),
            path: self.path.as_deref().map(WildMatch::new),
            tenant: self.tenant.clone(),
            key: self.key.clone(),
        })
    }

    fn rate_limit(&self) -> Result<RateLimitRule, String> {
        let seconds = 1..=MAX_RETRY_AFTER_SECS;
        if self
            .retry_after
            .is_some_and(|retry_after| !seconds.contains(&retry_after))
        {
            return Err(format!(
                "`retry_after` must be between 1 and {MAX_RETRY_AFTER_SECS} seconds"
            ));
        }
        if self
            .window_secs
            .is_some_and(|window| !seconds.contains(&window))
        {
            return Err(format!(
                "`window_secs` must be between 1 and {MAX_RETRY_AFTER_SECS}"
            ));
        }
        match (self.limit, self.retry_after, self.window_secs) {
            (Some(_), Some(_), _) => Err(
                "with `limit`, `Retry-After` is the time left in the window: leave out `retry_after`"
                    .into(),
            ),
            (Some(limit), None, window) => Ok(RateLimitRule::Window {
                limit,
                window: Duration::from_secs(window.unwrap_or(DEFAULT_WINDOW_SECS)),
            }),
            (None, _, Some(_)) => Err("`window_secs` needs `limit`".into()),
            (None, retry_after, None) => Ok(RateLimitRule::Always {
                retry_after_secs: retry_after.unwrap_or(1),
            }),
        }
    }

    /// The rule's weight against [`MAX_RULE_SET_BYTES`]: the length of its JSON.
    pub fn size(&self) -> usize {
        // Serializing strings and numbers cannot fail; were it to, the rule would weigh nothing
        // rather than fail a request.
        serde_json::to_vec(self).map_or(0, |json| json.len())
    }
}

//! Fault rules: which requests to delay, answer with an error, rate-limit or cut off. A rule matches
//! on vendor, method, path pattern, tenant and key; it fires for the next N matching requests, or
//! with a probability drawn from a generator seeded per rule (the same requests in the same order
//! meet the same faults), or both. Rules are tried in the order they were added: latency rules add
//! up and let the request go on; the first other rule that fires answers it.
//!
//! `spec` is the wire form a client posts and its parsing into a typed [`FaultRule`] (every check
//! happens there, once); `engine` holds the rule set and decides what happens to a request.

mod engine;
mod spec;
#[cfg(test)]
mod tests;

pub use engine::{Answer, Decision, Faults, RuleSetFull, RuleView, Target};
pub use spec::{
    parse_rules, Action, Chance, FaultKind, FaultRule, FaultSpec, Matcher, ParsedRule,
    RateLimitRule, ACTION_FIELDS, DEFAULT_RATE_LIMIT, DEFAULT_WINDOW_SECS, MAX_LATENCY_MS,
    MAX_RETRY_AFTER_SECS, MAX_RULES, MAX_RULE_SET_BYTES,
};

//! Fault rules: which requests to delay, answer with an error, rate-limit or cut off. A rule matches
//! on vendor, method, path pattern, tenant and key; it fires for the next N matching requests, or
//! with a probability drawn from a generator seeded per rule (the same requests in the same order
//! meet the same faults), or both. Rules are tried in the order they were added: latency rules add
//! up and let the request go on; the first other rule that fires answers it.

use chrono::Utc;
use patchbay_http::RateLimit;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use wildmatch::WildMatch;

/// The longest `Retry-After` a rule may send: some SDK versions obey any value without a cap.
pub const MAX_RETRY_AFTER_SECS: u64 = RateLimit::MAX_RETRY_AFTER_SECS;
/// The limit a rate-limit answer reports when the rule sets none.
pub const DEFAULT_RATE_LIMIT: u64 = 100;
/// The longest added latency.
pub const MAX_LATENCY_MS: u64 = 60_000;

/// A rule as the control API receives it (`POST /_patchbay/faults`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// `latency`, `status`, `rate_limit` or `drop`.
    pub kind: FaultKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `*` matches any run of characters (including `/`), `?` one character.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Matches requests presenting this key (handy with open keys, whose tenant is derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `status`: the status to answer with (400-599).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `latency`: milliseconds to wait before the request goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// `rate_limit`: seconds for `Retry-After` (default 1; at most 60). With `limit`, the time left
    /// in the window instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// `rate_limit`: requests allowed per window; further ones get 429 until the window ends.
    /// Without it every matching request gets 429.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// `rate_limit`: the window in seconds (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_secs: Option<u64>,
    /// Fire for the next N matching requests only, then the rule is gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Fire with this probability (0 to 1) per matching request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// The seed of the rule's generator (default 0), for `probability`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    Latency,
    Status,
    RateLimit,
    Drop,
}

/// What the gate does with a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// Added latency, summed over the latency rules that fired.
    pub delay: Duration,
    /// The rule that answers the request instead of the vendor, if any.
    pub answer: Option<Answer>,
    /// Every rule that fired, in order.
    pub fired: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Status(actix_web::http::StatusCode),
    RateLimited(RateLimit),
    Drop,
}

/// What one rule does when it fires.
enum Fired {
    Delay(Duration),
    Answer(Answer),
}

/// A request as the rules see it.
pub struct Target<'a> {
    pub vendor: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub tenant: Option<&'a str>,
    pub key: Option<&'a str>,
}

struct Rule {
    id: String,
    spec: FaultSpec,
    path: Option<WildMatch>,
    remaining: Option<u64>,
    random: Option<fastrand::Rng>,
    fired: u64,
    window: Option<Window>,
}

struct Window {
    started: Instant,
    used: u64,
}

/// A rule as the control API lists it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub id: String,
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// Matching requests still to fire on (`times` rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
    pub fired: u64,
}

/// The rule set, shared by every worker. With no rules, deciding costs one atomic load.
#[derive(Default)]
pub struct Faults {
    any: AtomicBool,
    next_id: AtomicU64,
    rules: Mutex<Vec<Rule>>,
}

impl FaultSpec {
    /// Checks the fields against the kind; the message names the field at fault.
    pub fn validate(&self, vendors: &[&str]) -> Result<(), String> {
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
        let only = |allowed: &[&str]| -> Result<(), String> {
            let given = [
                ("status", self.status.is_some()),
                ("latency_ms", self.latency_ms.is_some()),
                ("retry_after", self.retry_after.is_some()),
                ("limit", self.limit.is_some()),
                ("window_secs", self.window_secs.is_some()),
            ];
            match given
                .iter()
                .find(|(field, set)| *set && !allowed.contains(field))
            {
                Some((field, _)) => Err(format!(
                    "`{field}` does not apply to a {:?} fault",
                    self.kind_name()
                )),
                None => Ok(()),
            }
        };
        match self.kind {
            FaultKind::Latency => {
                only(&["latency_ms"])?;
                match self.latency_ms {
                    None => return Err("a latency fault needs `latency_ms`".into()),
                    Some(ms) if ms > MAX_LATENCY_MS => {
                        return Err(format!("`latency_ms` must be at most {MAX_LATENCY_MS}"))
                    }
                    Some(_) => {}
                }
            }
            FaultKind::Status => {
                only(&["status"])?;
                match self.status {
                    None => return Err("a status fault needs `status`".into()),
                    Some(status) if !(400..=599).contains(&status) => {
                        return Err("`status` must be between 400 and 599".into())
                    }
                    Some(_) => {}
                }
            }
            FaultKind::RateLimit => {
                only(&["retry_after", "limit", "window_secs"])?;
                if self.retry_after == Some(0) || self.retry_after > Some(MAX_RETRY_AFTER_SECS) {
                    return Err(format!(
                        "`retry_after` must be between 1 and {MAX_RETRY_AFTER_SECS} seconds"
                    ));
                }
                if self.window_secs == Some(0) || self.window_secs > Some(MAX_RETRY_AFTER_SECS) {
                    return Err(format!(
                        "`window_secs` must be between 1 and {MAX_RETRY_AFTER_SECS}"
                    ));
                }
                if self.limit.is_some() && self.retry_after.is_some() {
                    return Err("with `limit`, `Retry-After` is the time left in the window: leave out `retry_after`".into());
                }
                if self.window_secs.is_some() && self.limit.is_none() {
                    return Err("`window_secs` needs `limit`".into());
                }
            }
            FaultKind::Drop => only(&[])?,
        }
        if self.times == Some(0) {
            return Err("`times` must be at least 1".into());
        }
        if let Some(probability) = self.probability {
            if !(0.0..=1.0).contains(&probability) {
                return Err("`probability` must be between 0 and 1".into());
            }
        }
        if self.seed.is_some() && self.probability.is_none() {
            return Err("`seed` needs `probability`".into());
        }
        Ok(())
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            FaultKind::Latency => "latency",
            FaultKind::Status => "status",
            FaultKind::RateLimit => "rate_limit",
            FaultKind::Drop => "drop",
        }
    }
}

impl Rule {
    fn matches(&self, target: &Target<'_>) -> bool {
        let spec = &self.spec;
        spec.vendor
            .as_deref()
            .is_none_or(|vendor| vendor == target.vendor)
            && spec
                .method
                .as_deref()
                .is_none_or(|method| method.eq_ignore_ascii_case(target.method))
            && self
                .path
                .as_ref()
                .is_none_or(|pattern| pattern.matches(target.path))
            && spec
                .tenant
                .as_deref()
                .is_none_or(|tenant| Some(tenant) == target.tenant)
            && spec
                .key
                .as_deref()
                .is_none_or(|key| Some(key) == target.key)
    }

    /// Whether the rule fires for a matching request; draws from the generator first, so that the
    /// sequence of draws depends only on the sequence of matching requests.
    fn fires(&mut self, now: Instant) -> Option<Fired> {
        if let (Some(random), Some(probability)) = (&mut self.random, self.spec.probability) {
            if random.f64() >= probability {
                return None;
            }
        }
        let fired = match self.spec.kind {
            FaultKind::Latency => {
                Fired::Delay(Duration::from_millis(self.spec.latency_ms.unwrap_or(0)))
            }
            FaultKind::Drop => Fired::Answer(Answer::Drop),
            // A 429 is the vendor's rate-limit answer, headers included.
            FaultKind::Status if self.spec.status == Some(429) => {
                Fired::Answer(Answer::RateLimited(RateLimit::new(
                    DEFAULT_RATE_LIMIT,
                    60,
                    1,
                    Utc::now().timestamp(),
                )))
            }
            FaultKind::Status => Fired::Answer(Answer::Status(
                actix_web::http::StatusCode::from_u16(self.spec.status.unwrap_or(500))
                    .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
            )),
            FaultKind::RateLimit => {
                let window = Duration::from_secs(self.spec.window_secs.unwrap_or(60));
                let retry_after = match (self.spec.limit, &mut self.window) {
                    (Some(limit), Some(state)) => {
                        if now.duration_since(state.started) >= window {
                            state.started = now;
                            state.used = 0;
                        }
                        if state.used < limit {
                            state.used += 1;
                            return None;
                        }
                        let left = window.saturating_sub(now.duration_since(state.started));
                        left.as_secs() + u64::from(left.subsec_nanos() > 0)
                    }
                    _ => self.spec.retry_after.unwrap_or(1),
                };
                Fired::Answer(Answer::RateLimited(RateLimit::new(
                    self.spec.limit.unwrap_or(DEFAULT_RATE_LIMIT),
                    window.as_secs(),
                    retry_after,
                    Utc::now().timestamp(),
                )))
            }
        };
        if let Some(remaining) = &mut self.remaining {
            *remaining = remaining.saturating_sub(1);
        }
        self.fired += 1;
        Some(fired)
    }

    fn view(&self) -> RuleView {
        RuleView {
            id: self.id.clone(),
            spec: self.spec.clone(),
            remaining: self.remaining,
            fired: self.fired,
        }
    }
}

impl Faults {
    /// Adds a validated rule; returns its view.
    pub fn add(&self, spec: FaultSpec) -> RuleView {
        let id = format!("fault_{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1);
        let rule = Rule {
            path: spec.path.as_deref().map(WildMatch::new),
            remaining: spec.times,
            random: spec
                .probability
                .map(|_| fastrand::Rng::with_seed(spec.seed.unwrap_or(0))),
            fired: 0,
            window: spec.limit.map(|_| Window {
                started: Instant::now(),
                used: 0,
            }),
            id,
            spec,
        };
        let view = rule.view();
        if let Ok(mut rules) = self.rules.lock() {
            rules.push(rule);
            self.any.store(true, Ordering::Release);
        }
        view
    }

    pub fn list(&self) -> Vec<RuleView> {
        self.rules
            .lock()
            .map(|rules| rules.iter().map(Rule::view).collect())
            .unwrap_or_default()
    }

    /// Removes one rule; whether it existed.
    pub fn remove(&self, id: &str) -> bool {
        let Ok(mut rules) = self.rules.lock() else {
            return false;
        };
        let before = rules.len();
        rules.retain(|rule| rule.id != id);
        self.any.store(!rules.is_empty(), Ordering::Release);
        rules.len() != before
    }

    /// Removes every rule; how many went.
    pub fn clear(&self) -> usize {
        let Ok(mut rules) = self.rules.lock() else {
            return 0;
        };
        self.any.store(false, Ordering::Release);
        std::mem::take(&mut *rules).len()
    }

    /// Whether any rule is in force.
    pub fn any(&self) -> bool {
        self.any.load(Ordering::Acquire)
    }

    /// What to do with a request. `None` when no rule fired.
    pub fn decide(&self, target: &Target<'_>) -> Option<Decision> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let mut rules = self.rules.lock().ok()?;
        let now = Instant::now();
        let mut decision = Decision::default();
        for rule in rules.iter_mut() {
            if !rule.matches(target) {
                continue;
            }
            match rule.fires(now) {
                None => {}
                Some(Fired::Delay(delay)) => {
                    decision.fired.push(rule.id.clone());
                    decision.delay += delay;
                }
                Some(Fired::Answer(answer)) => {
                    decision.fired.push(rule.id.clone());
                    decision.answer = Some(answer);
                    break;
                }
            }
        }
        rules.retain(|rule| rule.remaining != Some(0));
        self.any.store(!rules.is_empty(), Ordering::Release);
        (!decision.fired.is_empty()).then_some(decision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::StatusCode;

    fn spec(json: serde_json::Value) -> FaultSpec {
        let spec: FaultSpec = serde_json::from_value(json).expect("a valid spec");
        spec.validate(&["acme", "other"]).expect("valid");
        spec
    }

    fn target<'a>(vendor: &'a str, path: &'a str, tenant: Option<&'a str>) -> Target<'a> {
        Target {
            vendor,
            method: "PATCH",
            path,
            tenant,
            key: None,
        }
    }

    #[test]
    fn a_times_rule_fires_n_times_then_is_gone() {
        let faults = Faults::default();
        faults.add(spec(
            serde_json::json!({"kind": "status", "status": 503, "times": 2, "vendor": "acme"}),
        ));
        let acme = target("acme", "/integrations/github", Some("dev"));
        for _ in 0..2 {
            let decision = faults.decide(&acme).expect("fires");
            assert_eq!(
                decision.answer,
                Some(Answer::Status(StatusCode::SERVICE_UNAVAILABLE))
            );
        }
        assert_eq!(faults.decide(&acme), None);
        assert!(faults.list().is_empty());
    }

    #[test]
    fn filters_must_all_match() {
        let faults = Faults::default();
        faults.add(spec(serde_json::json!({
            "kind": "drop", "vendor": "acme", "method": "patch", "path": "/integrations/*", "tenant": "dev"
        })));
        assert!(faults
            .decide(&target("other", "/integrations/x", Some("dev")))
            .is_none());
        assert!(faults
            .decide(&target("acme", "/other", Some("dev")))
            .is_none());
        assert!(faults
            .decide(&target("acme", "/integrations/x", Some("prod")))
            .is_none());
        assert!(faults
            .decide(&target("acme", "/integrations/x", None))
            .is_none());
        let decision = faults
            .decide(&target("acme", "/integrations/x", Some("dev")))
            .expect("all match");
        assert_eq!(decision.answer, Some(Answer::Drop));
    }

    #[test]
    fn a_seeded_probability_gives_the_same_sequence_every_time() {
        let run = || {
            let faults = Faults::default();
            faults.add(spec(
                serde_json::json!({"kind": "status", "status": 500, "probability": 0.3, "seed": 7}),
            ));
            (0..200)
                .map(|_| faults.decide(&target("acme", "/x", None)).is_some())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let fired = first.iter().filter(|fired| **fired).count();
        assert!((30..=90).contains(&fired), "about 30% of 200, got {fired}");
    }

    #[test]
    fn latency_adds_up_and_the_first_answering_rule_wins() {
        let faults = Faults::default();
        faults.add(spec(
            serde_json::json!({"kind": "latency", "latency_ms": 20}),
        ));
        faults.add(spec(
            serde_json::json!({"kind": "latency", "latency_ms": 30}),
        ));
        faults.add(spec(serde_json::json!({"kind": "status", "status": 500})));
        faults.add(spec(serde_json::json!({"kind": "status", "status": 502})));
        let decision = faults.decide(&target("acme", "/x", None)).expect("fires");
        assert_eq!(decision.delay, Duration::from_millis(50));
        assert_eq!(decision.fired, ["fault_1", "fault_2", "fault_3"]);
        assert_eq!(
            decision.answer,
            Some(Answer::Status(StatusCode::INTERNAL_SERVER_ERROR))
        );
    }

    #[test]
    fn a_status_of_429_is_answered_as_the_vendors_rate_limit() {
        let faults = Faults::default();
        faults.add(spec(serde_json::json!({"kind": "status", "status": 429})));
        let answer = faults
            .decide(&target("acme", "/x", None))
            .and_then(|decision| decision.answer);
        assert!(
            matches!(answer, Some(Answer::RateLimited(limit)) if limit.retry_after_secs() == 1),
            "{answer:?}"
        );
    }

    #[test]
    fn a_limited_rate_lets_the_limit_through_then_answers_429_until_the_window_ends() {
        let faults = Faults::default();
        faults.add(spec(
            serde_json::json!({"kind": "rate_limit", "limit": 2, "window_secs": 30}),
        ));
        let request = target("acme", "/x", None);
        assert!(faults.decide(&request).is_none());
        assert!(faults.decide(&request).is_none());
        let Some(Answer::RateLimited(limit)) =
            faults.decide(&request).and_then(|decision| decision.answer)
        else {
            panic!("the third request is limited");
        };
        assert_eq!(limit.limit(), 2);
        assert_eq!(limit.window_secs(), 30);
        assert!((29..=30).contains(&limit.retry_after_secs()));
    }

    #[test]
    fn invalid_specs_are_refused_with_the_field_named() {
        let refused = |json: serde_json::Value| {
            serde_json::from_value::<FaultSpec>(json)
                .map_err(|error| error.to_string())
                .and_then(|spec| spec.validate(&["acme"]))
                .expect_err("refused")
        };
        assert!(refused(serde_json::json!({"kind": "status"})).contains("`status`"));
        assert!(refused(serde_json::json!({"kind": "status", "status": 200})).contains("`status`"));
        assert!(
            refused(serde_json::json!({"kind": "latency", "latency_ms": 10, "status": 500}))
                .contains("`status` does not apply")
        );
        assert!(
            refused(serde_json::json!({"kind": "rate_limit", "retry_after": 120}))
                .contains("`retry_after`")
        );
        assert!(
            refused(serde_json::json!({"kind": "drop", "vendor": "unknown"})).contains("`vendor`")
        );
        assert!(
            refused(serde_json::json!({"kind": "drop", "probability": 2}))
                .contains("`probability`")
        );
        assert!(refused(serde_json::json!({"kind": "explode"})).contains("unknown variant"));
        assert!(refused(serde_json::json!({"kind": "drop", "colour": 1})).contains("unknown field"));
    }
}

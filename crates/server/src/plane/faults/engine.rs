//! The rule set and the decision it makes for each request: which rules match, which of those
//! fire, and whether one of them answers the request instead of the vendor.

use super::spec::{
    Action, FaultSpec, Matcher, ParsedRule, RateLimitRule, DEFAULT_RATE_LIMIT, DEFAULT_WINDOW_SECS,
    MAX_RULES, MAX_RULE_SET_BYTES,
};
use chrono::Utc;
use patchbay_http::RateLimit;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

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

/// A rule as the control API lists it: the rule as posted, its id and its counters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleView {
    pub id: String,
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// Matching requests still to fire on (`times` rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
    pub fired: u64,
}

/// Why rules were not added: the set would outgrow one of its limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleSetFull {
    #[error("the rule set holds at most {max_rules} rules (setting control.fault_rules): {in_force} are in force and this request adds {added}")]
    TooManyRules {
        max_rules: usize,
        in_force: usize,
        added: usize,
    },
    #[error("the rule set holds at most {MAX_RULE_SET_BYTES} bytes of rules (each counted as its JSON): {in_force} are in force and this request adds {added}")]
    TooManyBytes { in_force: usize, added: usize },
}

struct Rule {
    id: String,
    /// The rule as posted, for the listing.
    spec: FaultSpec,
    /// Its weight against [`MAX_RULE_SET_BYTES`].
    size: usize,
    matcher: Matcher,
    action: Action,
    remaining: Option<u64>,
    chance: Option<(fastrand::Rng, f64)>,
    /// Only windowed rate limits read it; their first window starts when the rule is added.
    window: Window,
    fired: u64,
}

struct Window {
    started: Instant,
    used: u64,
}

/// The rule set, shared by every worker. With no rules, deciding costs one atomic load.
pub struct Faults {
    max_rules: usize,
    any: AtomicBool,
    next_id: AtomicU64,
    rules: Mutex<Vec<Rule>>,
}

impl Default for Faults {
    fn default() -> Faults {
        Faults::new(MAX_RULES)
    }
}

impl Matcher {
    fn matches(&self, target: &Target<'_>) -> bool {
        self.vendor
            .as_deref()
            .is_none_or(|vendor| vendor == target.vendor)
            && self
                .method
                .as_deref()
                .is_none_or(|method| method.eq_ignore_ascii_case(target.method))
            && self
                .path
                .as_ref()
                .is_none_or(|pattern| pattern.matches(target.path))
            && self
                .tenant
                .as_deref()
                .is_none_or(|tenant| Some(tenant) == target.tenant)
            && self
                .key
                .as_deref()
                .is_none_or(|key| Some(key) == target.key)
    }
}

impl Rule {
    fn new(id: String, parsed: ParsedRule, now: Instant) -> Rule {
        let ParsedRule { spec, rule } = parsed;
        Rule {
            id,
            size: spec.size(),
            spec,
            matcher: rule.matcher,
            action: rule.action,
            remaining: rule.times.map(u64::from),
            chance: rule
                .chance
                .map(|chance| (fastrand::Rng::with_seed(chance.seed), chance.probability)),
            window: Window {
                started: now,
                used: 0,
            },
            fired: 0,
        }
    }

    /// Whether the rule fires for a matching request; draws from the generator first, so that the
    /// sequence of draws depends only on the sequence of matching requests.
    fn fires(&mut self, now: Instant) -> Option<Fired> {
        if let Some((random, probability)) = &mut self.chance {
            if random.f64() >= *probability {
                return None;
            }
        }
        let fired = match &self.action {
            Action::Latency { delay } => Fired::Delay(*delay),
            Action::Drop => Fired::Answer(Answer::Drop),
            Action::Status(status) => Fired::Answer(Answer::Status(*status)),
            Action::RateLimit(RateLimitRule::Always { retry_after_secs }) => {
                Fired::Answer(Answer::RateLimited(RateLimit::new(
                    DEFAULT_RATE_LIMIT,
                    DEFAULT_WINDOW_SECS,
                    *retry_after_secs,
                    Utc::now().timestamp(),
                )))
            }
            Action::RateLimit(RateLimitRule::Window { limit, window }) => {
                let state = &mut self.window;
                if now.duration_since(state.started) >= *window {
                    state.started = now;
                    state.used = 0;
                }
                if state.used < *limit {
                    state.used += 1;
                    return None;
                }
                let left = window.saturating_sub(now.duration_since(state.started));
                let retry_after = left.as_secs() + u64::from(left.subsec_nanos() > 0);
                Fired::Answer(Answer::RateLimited(RateLimit::new(
                    *limit,
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
    /// A rule set holding at most `max_rules` rules.
    pub fn new(max_rules: usize) -> Faults {
        Faults {
            max_rules,
            any: AtomicBool::new(false),
            next_id: AtomicU64::new(0),
            rules: Mutex::new(Vec::new()),
        }
    }

    /// The rules, even after a panic elsewhere while they were held: every change to the list is
    /// one push, retain or take, and a rule's counters are plain numbers, so what a panicking
    /// holder left behind is still a consistent rule set.
    fn rules(&self) -> MutexGuard<'_, Vec<Rule>> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds parsed rules, all or none, in order; returns their views. Refused when the set would
    /// then hold more than its most rules or [`MAX_RULE_SET_BYTES`] bytes of them.
    pub fn add(&self, parsed: Vec<ParsedRule>) -> Result<Vec<RuleView>, RuleSetFull> {
        let mut rules = self.rules();
        if rules.len() + parsed.len() > self.max_rules {
            return Err(RuleSetFull::TooManyRules {
                max_rules: self.max_rules,
                in_force: rules.len(),
                added: parsed.len(),
            });
        }
        let in_force: usize = rules.iter().map(|rule| rule.size).sum();
        let added: usize = parsed.iter().map(|parsed| parsed.spec.size()).sum();
        if in_force + added > MAX_RULE_SET_BYTES {
            return Err(RuleSetFull::TooManyBytes { in_force, added });
        }
        let now = Instant::now();
        let views = parsed
            .into_iter()
            .map(|parsed| {
                let id = format!("fault_{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1);
                let rule = Rule::new(id, parsed, now);
                let view = rule.view();
                rules.push(rule);
                view
            })
            .collect();
        self.any.store(!rules.is_empty(), Ordering::Release);
        Ok(views)
    }

    pub fn list(&self) -> Vec<RuleView> {
        self.rules().iter().map(Rule::view).collect()
    }

    /// Removes one rule; whether it existed.
    pub fn remove(&self, id: &str) -> bool {
        let mut rules = self.rules();
        let before = rules.len();
        rules.retain(|rule| rule.id != id);
        self.any.store(!rules.is_empty(), Ordering::Release);
        rules.len() != before
    }

    /// Removes every rule; how many went.
    pub fn clear(&self) -> usize {
        let mut rules = self.rules();
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
        let mut rules = self.rules();
        let now = Instant::now();
        let mut decision = Decision::default();
        let mut spent = false;
        for rule in rules.iter_mut() {
            if !rule.matcher.matches(target) {
                continue;
            }
            let fired = rule.fires(now);
            spent |= rule.remaining == Some(0);
            match fired {
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
        // Only a rule that just fired its last time goes: a request that spent none walks the
        // rules once, not twice.
        if spent {
            rules.retain(|rule| rule.remaining != Some(0));
            self.any.store(!rules.is_empty(), Ordering::Release);
        }
        (!decision.fired.is_empty()).then_some(decision)
    }
}

#[cfg(test)]
impl Faults {
    /// Poisons the rule set's lock, as a panic while holding it would.
    pub(super) fn poison_for_test(&self) {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _rules = self.rules.lock();
            panic!("a panic while holding the rules");
        }));
    }
}

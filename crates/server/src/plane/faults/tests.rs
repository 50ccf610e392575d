//! The rule engine and the parsing of rules, on made-up vendors.

use super::*;
use actix_web::http::StatusCode;
use serde_json::json;
use std::time::Duration;

const VENDORS: &[&str] = &["acme", "other"];

fn parsed(json: serde_json::Value) -> Vec<ParsedRule> {
    parse_rules(json, VENDORS).expect("a valid rule")
}

fn add(faults: &Faults, json: serde_json::Value) -> Vec<RuleView> {
    faults.add(parsed(json)).expect("room for the rule")
}

fn refused(json: serde_json::Value) -> String {
    parse_rules(json, VENDORS).expect_err("refused")
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
    add(
        &faults,
        json!({"kind": "status", "status": 503, "times": 2, "vendor": "acme"}),
    );
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
    add(
        &faults,
        json!({"kind": "drop", "vendor": "acme", "method": "patch", "path": "/integrations/*", "tenant": "dev"}),
    );
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
        add(
            &faults,
            json!({"kind": "status", "status": 500, "probability": 0.3, "seed": 7}),
        );
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
    add(
        &faults,
        json!([
            {"kind": "latency", "latency_ms": 20},
            {"kind": "latency", "latency_ms": 30},
            {"kind": "status", "status": 500},
            {"kind": "status", "status": 502},
        ]),
    );
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
    add(&faults, json!({"kind": "status", "status": 429}));
    let answer = faults
        .decide(&target("acme", "/x", None))
        .and_then(|decision| decision.answer);
    let Some(Answer::RateLimited(limit)) = answer else {
        panic!("a rate limit, not {answer:?}");
    };
    assert_eq!(limit.retry_after_secs(), 1);
    assert_eq!(limit.limit(), DEFAULT_RATE_LIMIT);
    assert_eq!(limit.window_secs(), DEFAULT_WINDOW_SECS);
}

#[test]
fn a_limited_rate_lets_the_limit_through_then_answers_429_until_the_window_ends() {
    let faults = Faults::default();
    add(
        &faults,
        json!({"kind": "rate_limit", "limit": 2, "window_secs": 30}),
    );
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
fn parsing_gives_the_typed_rule() {
    let rule = |json| parsed(json).remove(0).rule;
    assert_eq!(
        rule(json!({"kind": "latency", "latency_ms": 250})).action,
        Action::Latency {
            delay: Duration::from_millis(250)
        }
    );
    assert_eq!(
        rule(json!({"kind": "status", "status": 503})).action,
        Action::Status(StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(
        rule(json!({"kind": "rate_limit"})).action,
        Action::RateLimit(RateLimitRule::Always {
            retry_after_secs: 1
        })
    );
    assert_eq!(
        rule(json!({"kind": "rate_limit", "limit": 5})).action,
        Action::RateLimit(RateLimitRule::Window {
            limit: 5,
            window: Duration::from_secs(DEFAULT_WINDOW_SECS)
        })
    );
    let drop = rule(json!({"kind": "drop", "times": 3, "probability": 0.5}));
    assert_eq!(drop.action, Action::Drop);
    assert_eq!(drop.times.map(u64::from), Some(3));
    assert_eq!(
        drop.chance,
        Some(Chance {
            probability: 0.5,
            seed: 0
        })
    );
}

#[test]
fn a_listed_rule_is_the_rule_as_posted() {
    let faults = Faults::default();
    let posted = json!({"kind": "rate_limit", "tenant": "dev", "times": 2});
    let views = add(&faults, posted.clone());
    let listed = serde_json::to_value(faults.list()).expect("JSON");
    assert_eq!(
        listed,
        json!([{"id": "fault_1", "kind": "rate_limit", "tenant": "dev", "times": 2, "remaining": 2, "fired": 0}])
    );
    assert_eq!(serde_json::to_value(&views[0]).expect("JSON"), listed[0]);
    assert_eq!(
        serde_json::to_value(&views[0].spec).expect("JSON"),
        posted,
        "absent fields stay absent"
    );
}

/// Each refusal names the field at fault; a JSON type error also names its path.
#[test]
fn invalid_specs_are_refused_with_the_field_named() {
    let max = MAX_RETRY_AFTER_SECS;
    for (rule, message) in [
        (
            json!({"kind": "status"}),
            "a status fault needs `status`".to_string(),
        ),
        (
            json!({"kind": "status", "status": 200}),
            "`status` must be between 400 and 599".into(),
        ),
        (
            json!({"kind": "status", "status": 1000}),
            "`status` must be between 400 and 599".into(),
        ),
        (
            json!({"kind": "latency"}),
            "a latency fault needs `latency_ms`".into(),
        ),
        (
            json!({"kind": "latency", "latency_ms": 60_001}),
            format!("`latency_ms` must be at most {MAX_LATENCY_MS}"),
        ),
        (
            json!({"kind": "latency", "latency_ms": 10, "status": 500}),
            "`status` does not apply to a \"latency\" fault".into(),
        ),
        (
            json!({"kind": "drop", "window_secs": 5}),
            "`window_secs` does not apply to a \"drop\" fault".into(),
        ),
        (
            json!({"kind": "rate_limit", "latency_ms": 5}),
            "`latency_ms` does not apply to a \"rate_limit\" fault".into(),
        ),
        (
            json!({"kind": "rate_limit", "retry_after": 120}),
            format!("`retry_after` must be between 1 and {max} seconds"),
        ),
        (
            json!({"kind": "rate_limit", "retry_after": 0}),
            format!("`retry_after` must be between 1 and {max} seconds"),
        ),
        (
            json!({"kind": "rate_limit", "limit": 1, "window_secs": 0}),
            format!("`window_secs` must be between 1 and {max}"),
        ),
        (
            json!({"kind": "rate_limit", "limit": 1, "retry_after": 5}),
            "with `limit`, `Retry-After` is the time left in the window: leave out `retry_after`"
                .into(),
        ),
        (
            json!({"kind": "rate_limit", "window_secs": 5}),
            "`window_secs` needs `limit`".into(),
        ),
        (
            json!({"kind": "drop", "vendor": "unknown"}),
            "`vendor` \"unknown\" is not one of acme, other".into(),
        ),
        (
            json!({"kind": "drop", "method": "GET /"}),
            "`method` \"GET /\" is not an HTTP method".into(),
        ),
        (
            json!({"kind": "drop", "path": "integrations"}),
            "`path` must start with `/` or `*`".into(),
        ),
        (
            json!({"kind": "drop", "times": 0}),
            "`times` must be at least 1".into(),
        ),
        (
            json!({"kind": "drop", "probability": 2}),
            "`probability` must be between 0 and 1".into(),
        ),
        (
            json!({"kind": "drop", "seed": 2}),
            "`seed` needs `probability`".into(),
        ),
        (
            json!([{"kind": "drop"}, {"kind": "status"}]),
            "rule 1: a status fault needs `status`".into(),
        ),
    ] {
        assert_eq!(refused(rule.clone()), message, "{rule}");
    }
}

#[test]
fn json_errors_name_their_path() {
    let starts = |rule: serde_json::Value, start: &str| {
        let message = refused(rule.clone());
        assert!(message.starts_with(start), "{rule}: {message}");
        message
    };
    assert!(starts(json!({"kind": "explode"}), "kind: ").contains("unknown variant `explode`"));
    assert!(starts(
        json!([{"kind": "drop"}, {"kind": "drop"}, {"kind": "teleport"}]),
        "rule 2: kind: "
    )
    .contains("unknown variant"));
    assert!(starts(
        json!({"kind": "latency", "latency_ms": "slow"}),
        "latency_ms: "
    )
    .contains("invalid type: string \"slow\""));
    assert!(starts(json!({"kind": "status", "status": -1}), "status: ").contains("invalid value"));
    assert!(
        starts(json!({"kind": "drop", "colour": 1}), "colour: ").contains("unknown field `colour`")
    );
    // Errors of the rule as a whole have no path to name.
    assert!(starts(json!({}), "invalid rule: ").contains("missing field `kind`"));
    assert!(
        starts(json!([{"kind": "drop"}, 7]), "rule 1: invalid rule: ").contains("invalid type")
    );
}

#[test]
fn the_rule_set_holds_the_count_it_was_given() {
    let faults = Faults::new(3);
    let drop = || json!({"kind": "drop", "path": "/never"});
    add(&faults, json!(vec![drop(); 3]));
    let message = faults.add(parsed(drop())).expect_err("full").to_string();
    assert!(
        message.contains("at most 3 rules (setting control.fault_rules)"),
        "{message}"
    );
    assert_eq!(faults.list().len(), 3);
}

#[test]
fn the_rule_set_refuses_more_than_its_count() {
    let faults = Faults::default();
    let drop = || json!({"kind": "drop", "path": "/never"});
    add(&faults, json!(vec![drop(); MAX_RULES - 1]));
    add(&faults, drop());
    assert_eq!(
        faults.add(parsed(drop())),
        Err(RuleSetFull::TooManyRules {
            max_rules: MAX_RULES,
            in_force: MAX_RULES,
            added: 1
        })
    );
    assert_eq!(faults.list().len(), MAX_RULES, "nothing was added");
    let message = faults.add(parsed(drop())).expect_err("full").to_string();
    assert!(message.contains("at most 1000 rules"), "{message}");
    // One request cannot even ask for more.
    assert_eq!(
        refused(json!(vec![drop(); MAX_RULES + 1])),
        format!("a request adds at most {MAX_RULES} rules: this one has 1001")
    );
}

#[test]
fn the_rule_set_refuses_more_than_its_bytes_all_or_none() {
    let faults = Faults::default();
    let long = |length: usize| json!({"kind": "drop", "tenant": "t".repeat(length)});
    let size = |json| parsed(json).remove(0).spec.size();
    let quarter = MAX_RULE_SET_BYTES / 4;
    add(&faults, json!([long(quarter), long(quarter)]));
    let in_force = 2 * size(long(quarter));
    let refusal = faults
        .add(parsed(json!([{"kind": "drop"}, long(2 * quarter)])))
        .expect_err("over the budget");
    assert_eq!(
        refusal,
        RuleSetFull::TooManyBytes {
            in_force,
            added: size(json!({"kind": "drop"})) + size(long(2 * quarter))
        }
    );
    assert!(refusal
        .to_string()
        .contains(&MAX_RULE_SET_BYTES.to_string()));
    assert_eq!(faults.list().len(), 2, "none of the batch was added");
    add(&faults, long(quarter));
    assert_eq!(faults.list().len(), 3, "what still fits is added");
}

#[test]
fn a_poisoned_rule_set_is_still_used() {
    let faults = Faults::default();
    add(&faults, json!({"kind": "status", "status": 502}));
    faults.poison_for_test();
    add(&faults, json!({"kind": "drop", "vendor": "other"}));
    assert_eq!(faults.list().len(), 2);
    let decision = faults.decide(&target("acme", "/x", None)).expect("fires");
    assert_eq!(
        decision.answer,
        Some(Answer::Status(StatusCode::BAD_GATEWAY))
    );
    assert!(faults.remove("fault_2"));
    assert_eq!(faults.clear(), 1);
}

#[test]
fn every_action_field_is_a_field_of_the_spec_and_some_kind_takes_it() {
    let every = parsed(json!({
        "kind": "rate_limit", "limit": 1, "window_secs": 1
    }))
    .remove(0)
    .spec;
    let spec = FaultSpec {
        status: Some(400),
        latency_ms: Some(1),
        retry_after: Some(1),
        ..every
    };
    let fields = serde_json::to_value(&spec).expect("JSON");
    for field in spec::ACTION_FIELDS {
        assert!(fields.get(field).is_some(), "{field}");
        assert!(
            FaultKind::ALL
                .iter()
                .any(|kind| kind.action_fields().contains(&field)),
            "{field}"
        );
    }
}

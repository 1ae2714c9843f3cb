//! The diagnosis finds the one cause injected into a realistic month: the top finding is that cause, in
//! the right country, on the right carrier, with the right number blocks, and its window is within an hour
//! of the truth; a healthy month (with or without a marketing burst) raises nothing above info. Every
//! scenario is tried on several seeds (each draws its own onset, duration, size, target and background),
//! sizes and numbers of texts per recipient (from one each to eight: a few users retrying a number that
//! fails every time must not look like a cause).

use std::path::{Path, PathBuf};

use serde_json::Value;
use smslens_gen::{write_scenario, GenConfig, Scenario, ScenarioTruth};

use crate::support::*;

/// Seeds per scenario: each draws a different month.
const SEEDS: [u64; 3] = [3, 17, 42];

/// Texts per recipient of a seed's month, 1 to 8 (the committed seeds give 1, 7 and 8).
fn texts_per_recipient(seed: u64) -> u64 {
    1 + (seed + 5) % 8
}

/// A scenario month in `dir` (40,000 to 70,000 texts and 1 to 8 texts per recipient, by seed) and its
/// truth.
fn month(dir: &Path, scenario: Scenario, seed: u64) -> (PathBuf, ScenarioTruth) {
    let count = 40_000 + (seed as usize % 4) * 10_000;
    let out = dir.join(format!("{}-{seed}", scenario.name()));
    let cfg = GenConfig {
        recipients: Some(count as u64 / texts_per_recipient(seed)),
        ..GenConfig::scenario(scenario, count, seed)
    };
    let truth = write_scenario(&out, &cfg)
        .unwrap_or_else(|e| panic!("generating {}: {e}", scenario.name()));
    (out, truth.scenario.expect("a scenario month has its truth"))
}

fn ms(t: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(t)
        .unwrap_or_else(|e| panic!("{t}: {e}"))
        .timestamp_millis()
}

/// The first finding that is about the texts, not about the logs.
fn top(v: &Value) -> &Value {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| !matches!(f["kind"].as_str(), Some("logging_gap" | "success_sampling")))
        .unwrap_or_else(|| panic!("no finding: {}", v["verdict"]))
}

fn above_info(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| {
            format!(
                "{} ({}): {} {} {}",
                f["kind"], f["severity"], f["title"], f["window"], f["evidence"]
            )
        })
        .collect()
}

/// Runs the diagnosis on each seed's month of `scenario` and checks the top finding against the truth.
fn finds(scenario: Scenario) {
    let d = tempdir();
    for seed in SEEDS {
        let (dir, truth) = month(d.path(), scenario, seed);
        let v = summary(&[dir.to_str().unwrap()]);
        let f = top(&v);
        let what = format!(
            "{} seed {seed} ({} texts per recipient): {}\n{f:#}",
            scenario.name(),
            texts_per_recipient(seed),
            v["verdict"]
        );
        let cause = truth.cause.expect("an injected cause");
        assert_eq!(f["kind"], cause, "{what}");
        assert_ne!(f["severity"], "info", "{what}");
        assert!(f["excess"].as_u64().unwrap() >= 10, "{what}");
        for (key, want) in [("country", truth.country), ("carrier", truth.carrier)] {
            if let Some(want) = want {
                assert_eq!(f["scope"][key], want, "{key}: {what}");
            }
        }
        let (start, end) = (
            ms(f["window"]["start"].as_str().unwrap()),
            ms(f["window"]["end"].as_str().unwrap()),
        );
        let (t0, t1) = (truth.start_ms.unwrap(), truth.end_ms.unwrap());
        assert!(
            (start - t0).abs() <= 3_600_000,
            "start {} vs {}: {what}",
            f["window"]["start"],
            truth.start.as_deref().unwrap_or("-")
        );
        assert!(
            (end - t1).abs() <= 3_600_000,
            "end {} vs {}: {what}",
            f["window"]["end"],
            truth.end.as_deref().unwrap_or("-")
        );
        assert_eq!(f["window"]["ongoing"], truth.ongoing, "{what}");
        // nothing else stands out: the cause explains the month
        let others: Vec<String> = above_info(&v).into_iter().skip(1).collect();
        assert!(others.is_empty(), "{others:?}: {what}");
        if cause == "sms_pumping" {
            pumping_scope(f, &truth, &what);
        }
    }
}

/// The surge's countries are the attacked ones, and its number blocks lie in the attack's blocks.
fn pumping_scope(f: &Value, truth: &ScenarioTruth, what: &str) {
    let mut got: Vec<&str> = f["scope"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    got.sort_unstable();
    let mut want = truth.countries.clone();
    want.sort_unstable();
    assert_eq!(got, want, "{what}");
    let blocks: Vec<String> = f["scope"]["prefixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().replace([' ', 'x'], ""))
        .collect();
    assert!(!blocks.is_empty(), "{what}");
    let within = |b: &String| {
        truth
            .prefixes
            .iter()
            .any(|t| b.starts_with(t.as_str()) || t.starts_with(b.as_str()))
    };
    assert!(
        blocks.iter().all(within),
        "{blocks:?} vs {:?}: {what}",
        truth.prefixes
    );
    let covered = truth
        .prefixes
        .iter()
        .filter(|t| {
            blocks
                .iter()
                .any(|b| b.starts_with(t.as_str()) || t.starts_with(b.as_str()))
        })
        .count();
    assert!(
        covered >= truth.prefixes.len().min(3),
        "{blocks:?} vs {:?}: {what}",
        truth.prefixes
    );
    let cost = f["cost_usd"].as_f64().unwrap();
    assert!(
        cost > 0.5 * truth.cost_usd && cost < 1.5 * truth.cost_usd,
        "cost {cost} vs {}: {what}",
        truth.cost_usd
    );
}

#[test]
fn a_spend_limit_is_found() {
    finds(Scenario::SpendLimit);
}

#[test]
fn a_carrier_block_in_one_country_is_found_on_that_carrier() {
    finds(Scenario::CarrierBlock);
}

#[test]
fn a_two_to_four_hour_outage_on_one_carrier_is_found_with_its_own_window() {
    finds(Scenario::CarrierOutage);
}

#[test]
fn opted_out_recipients_are_found() {
    finds(Scenario::OptedOut);
}

#[test]
fn invalid_numbers_in_one_country_are_found() {
    finds(Scenario::InvalidNumbers);
}

#[test]
fn max_price_in_one_country_is_found() {
    finds(Scenario::MaxPrice);
}

#[test]
fn spam_on_one_carrier_is_found() {
    finds(Scenario::Spam);
}

#[test]
fn an_account_under_review_is_found() {
    finds(Scenario::AccountReview);
}

#[test]
fn throttling_bursts_are_found() {
    finds(Scenario::Throttling);
}

#[test]
fn a_limit_reached_below_the_exported_one_is_the_wrong_region() {
    finds(Scenario::WrongRegion);
}

#[test]
fn sms_pumping_is_found_with_its_countries_blocks_and_cost() {
    finds(Scenario::Pumping);
}

#[test]
fn a_healthy_month_and_one_with_a_marketing_burst_raise_nothing_above_info() {
    let d = tempdir();
    for scenario in [Scenario::Healthy, Scenario::MarketingBurst] {
        for seed in SEEDS {
            let (dir, _) = month(d.path(), scenario, seed);
            let v = summary(&[dir.to_str().unwrap()]);
            let what = format!(
                "{} seed {seed} ({} texts per recipient): {}",
                scenario.name(),
                texts_per_recipient(seed),
                v["verdict"]
            );
            assert!(above_info(&v).is_empty(), "{:?}: {what}", above_info(&v));
            assert!(
                v["verdict"]
                    .as_str()
                    .unwrap()
                    .contains("no cause stands out"),
                "{what}"
            );
        }
    }
}

/// Every finding of `kind` in the summary of `dir`.
fn kinds_of(v: &Value, kind: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| format!("{} ({}): {}", f["title"], f["severity"], f["evidence"]))
        .collect()
}

#[test]
fn pumping_is_not_found_in_ordinary_months_of_any_size_or_number_of_recipients() {
    let d = tempdir();
    // (scenario, texts, seed, distinct recipients): from a few regulars texted often to nearly one new
    // number per text, a promotional burst to the usual users, and the month's growth drawn by the seed.
    let cases = [
        (Scenario::Healthy, 12_000, 8, Some(1_500)),
        (Scenario::Healthy, 30_000, 23, Some(24_000)),
        (Scenario::Healthy, 90_000, 77, None),
        (Scenario::MarketingBurst, 25_000, 61, Some(20_000)),
        (Scenario::MarketingBurst, 60_000, 5, Some(6_000)),
    ];
    for (scenario, count, seed, recipients) in cases {
        let out = d.path().join(format!("{}-{seed}", scenario.name()));
        let cfg = GenConfig {
            recipients,
            ..GenConfig::scenario(scenario, count, seed)
        };
        write_scenario(&out, &cfg).unwrap_or_else(|e| panic!("generating: {e}"));
        let v = summary(&[out.to_str().unwrap()]);
        let what = format!(
            "{} {count} texts seed {seed} recipients {recipients:?}",
            scenario.name()
        );
        assert!(
            kinds_of(&v, "sms_pumping").is_empty(),
            "{:?}: {what}",
            kinds_of(&v, "sms_pumping")
        );
    }
    // The story month (spend limit, a blocked carrier, retries) with many distinct recipients: failures
    // and retries, but no made-up numbers.
    for (count, seed, recipients) in [(20_000u32, 4u64, None), (40_000, 9, Some(30_000))] {
        let p = d.path().join(format!("story-{seed}.jsonl"));
        let mut cfg = GenConfig::new(count as usize, seed);
        cfg.recipients = recipients;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
        smslens_gen::write_records(&mut f, &cfg).unwrap();
        drop(f);
        let v = summary(&[p.to_str().unwrap()]);
        assert!(
            kinds_of(&v, "sms_pumping").is_empty(),
            "{:?}: story seed {seed}",
            kinds_of(&v, "sms_pumping")
        );
    }
}

#[test]
fn one_number_retried_again_and_again_is_that_users_problem_not_a_cause() {
    let d = tempdir();
    for (seed, tries) in [(5u64, 40usize), (29, 90)] {
        let (dir, _) = month(d.path(), Scenario::Healthy, seed);
        // a sign-up form that resends the code to one mistyped number every minute or two
        let mut lines = String::new();
        for i in 0..tries {
            lines.push_str(&format!(
                r#"{{"notification":{{"messageId":"7e1d0c3a-0000-4000-8000-{i:012}","timestamp":"2026-03-1{} 1{}:{:02}:{:02}.250"}},"delivery":{{"destination":"+12065550123","smsType":"Transactional","providerResponse":"Invalid phone number","priceInUSD":0.0}},"status":"FAILURE"}}"#,
                seed % 10,
                i / 60,
                i % 60,
                (i * 7 + seed as usize) % 60
            ));
            lines.push('\n');
        }
        write(&dir, "retries/one-number.jsonl", lines.as_bytes());
        let v = summary(&[dir.to_str().unwrap()]);
        let what = format!("seed {seed}, {tries} retries: {}", v["verdict"]);
        assert!(above_info(&v).is_empty(), "{:?}: {what}", above_info(&v));
        let invalid = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["kind"] == "invalid_number")
            .unwrap_or_else(|| panic!("the retries are still a finding: {what}"));
        assert!(invalid["texts"].as_u64().unwrap() >= tries as u64, "{what}");
        let o = run(&["check", "--fail-on", "warning", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    }
}

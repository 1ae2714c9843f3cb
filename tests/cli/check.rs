//! `smslens check` for cron and CI: the verdict on stdout, exit code 4 when a finding at or above
//! `--fail-on` exists, 0 when none does, 1 on an error, 2 on a usage error, 3 when `--strict` found
//! malformed input. And `--baseline`: what changed against another period, and what is beyond chance.

use std::path::{Path, PathBuf};

use serde_json::Value;
use smslens_gen::{write_scenario, GenConfig, Scenario, ScenarioTruth};

use crate::support::*;

fn month(dir: &Path, scenario: Scenario, seed: u64) -> (PathBuf, ScenarioTruth) {
    let out = dir.join(format!("{}-{seed}", scenario.name()));
    let t = write_scenario(&out, &GenConfig::scenario(scenario, 40_000, seed)).expect("generate");
    (out, t.scenario.expect("truth"))
}

fn check(args: &[&str]) -> std::process::Output {
    let mut a = vec!["check"];
    a.extend_from_slice(args);
    run(&a)
}

#[test]
fn a_healthy_month_passes_at_either_threshold() {
    let d = tempdir();
    let (dir, _) = month(d.path(), Scenario::Healthy, 5);
    for fail_on in ["critical", "warning"] {
        let o = check(&["--fail-on", fail_on, dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("no cause stands out"), "{out}");
        assert_eq!(out.lines().count(), 1, "only the verdict: {out}");
    }
}

#[test]
fn a_spend_limit_fails_the_check_with_the_verdict_and_the_finding() {
    // the SNS story of the samples (the End User Messaging one is a month of its own)
    let folders = sns_samples();
    let sns: Vec<&str> = folders.iter().map(String::as_str).collect();
    let o = check(&sns);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("34% of texts failed; 100% of failures since 2026-03-22 16:00 UTC are `No quota left for account`"),
        "{out}"
    );
    let line = out.lines().nth(1).expect("the finding");
    assert!(
        line.starts_with(
            "critical  spend_limit  1415 texts beyond normal  since 2026-03-22 16:00 UTC"
        ),
        "{line}"
    );
    // warnings are listed too when the threshold is lower: the carrier block in India
    let o = check(&[&["--fail-on", "warning"], &sns[..]].concat());
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stdout(&o).contains("warning   carrier_blocked"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn an_outage_that_ended_is_a_warning_not_critical() {
    let d = tempdir();
    let (dir, truth) = month(d.path(), Scenario::CarrierOutage, 9);
    let o = check(&[dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = check(&["--fail-on", "warning", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
    let out = stdout(&o);
    let carrier = truth.carrier.unwrap();
    assert!(out.contains("warning   carrier_outage"), "{out}");
    assert!(
        out.contains(&format!("Probable outage on {carrier}")),
        "{out}"
    );
}

#[test]
fn json_says_whether_it_failed_and_lists_every_finding() {
    let o = check(&["--format", "json", &samples()]);
    assert_eq!(o.status.code(), Some(4));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["failed"], true);
    assert_eq!(v["fail_on"], "critical");
    assert_eq!(v["findings"][0]["kind"], "spend_limit");
    assert_eq!(v["findings"][0]["severity"], "critical");
    let summary = summary(&[&samples()]);
    assert_eq!(v["verdict"], summary["verdict"]);
    assert_eq!(v["findings"], summary["findings"]);
}

#[test]
fn errors_usage_errors_and_strict_keep_their_codes() {
    let o = check(&["/nonexistent/smslens/input"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = check(&["--fail-on", "sometimes", &samples()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // malformed input under --strict: 3, even with a critical finding (the findings rest on that input)
    let d = tempdir();
    let mut body = std::fs::read(fixture("bare.jsonl")).unwrap();
    body.extend_from_slice(b"{not json\n");
    let quota = r#"{"notification":{"messageId":"00000000-0000-4000-8000-0000000000NN","timestamp":"2026-03-02 10:MM:00.0"},"delivery":{"destination":"+16175550118","smsType":"Transactional","providerResponse":"No quota left for account","dwellTimeMs":100},"status":"FAILURE"}"#;
    for i in 10..40 {
        body.extend_from_slice(
            quota
                .replace("NN", &i.to_string())
                .replace("MM", &i.to_string())
                .as_bytes(),
        );
        body.push(b'\n');
    }
    let f = write(d.path(), "in/logs.jsonl", &body);
    let o = check(&[f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
    let o = check(&["--strict", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

/// The rows of the comparison that are beyond chance, as (dimension, key).
fn beyond(v: &Value) -> Vec<(String, String)> {
    v["comparison"]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["beyond_chance"] == true)
        .map(|c| {
            (
                c["dimension"].as_str().unwrap().to_owned(),
                c["key"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn against_a_baseline_the_blocked_carrier_changed_beyond_chance_and_a_healthy_month_did_not() {
    let d = tempdir();
    for seed in [3, 8] {
        let (dir, truth) = month(d.path(), Scenario::CarrierBlock, seed);
        let onset = truth.start.unwrap();
        let v = summary(&[
            "--baseline",
            &format!("2026-03-01..{}", &onset[..10]),
            dir.to_str().unwrap(),
        ]);
        let c = &v["comparison"];
        assert_eq!(c["baseline"]["since"], "2026-03-01T00:00:00.000Z");
        assert!(c["method"].as_str().unwrap().contains("Bonferroni"), "{c}");
        let changed = beyond(&v);
        let carrier = ("carrier".to_owned(), truth.carrier.unwrap().to_owned());
        assert!(changed.contains(&carrier), "{changed:?}");
        assert!(
            changed.contains(&(
                "provider_response".into(),
                "Phone carrier has blocked this message".into()
            )),
            "{changed:?}"
        );
        let row = c["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["dimension"] == "carrier" && r["key"] == carrier.1)
            .unwrap();
        assert!(
            f(row, "failure_rate") > 0.2 && f(row, "baseline_failure_rate") < 0.02,
            "{row}"
        );
        assert!(f(row, "failure_rate_p") < 1e-6, "{row}");
        // the current period begins where the baseline ends
        assert_eq!(u(&v, "events") + u(&c["baseline"], "events"), 40_000);
    }
    for seed in [4, 11, 19] {
        let (dir, _) = month(d.path(), Scenario::Healthy, seed);
        let v = summary(&[
            "--baseline",
            "2026-03-01..2026-03-16",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(beyond(&v), Vec::<(String, String)>::new(), "seed {seed}");
    }
}

#[test]
fn a_baseline_is_validated_before_any_work() {
    for bad in [
        "2026-03-01",
        "..",
        "2026-03-10..2026-03-01",
        "yesterday..today",
    ] {
        let o = run(&["summary", "--baseline", bad, &samples()]);
        assert_eq!(o.status.code(), Some(1), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("--baseline"), "{bad}: {}", stderr(&o));
    }
    let o = run(&["summary", "--baseline", "2026-03-01..2026-03-10", "-"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("stdin"), "{}", stderr(&o));
}

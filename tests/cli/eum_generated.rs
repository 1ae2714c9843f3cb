//! Generated End User Messaging data read back through the binary: the samples' second story (a month of a
//! user pool on the End User Messaging direct path) gives the generator's true numbers, both stories read
//! together stay apart, and generated events give their true numbers in every shape the generator writes.

use serde_json::Value;

use crate::support::*;

fn by_source(v: &Value, source: &str) -> u64 {
    row(v, "by_source", "source", source)["events"]
        .as_u64()
        .unwrap_or(0)
}

fn class_count(v: &Value, class: &str) -> u64 {
    v["by_provider_response"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["class"] == class)
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

#[test]
fn the_end_user_messaging_story_of_the_samples_gives_the_generators_true_numbers() {
    let d = tempdir();
    let truth = smslens_gen::write_eum_samples(d.path()).unwrap();
    let o = run(&["summary", "--strict", "--format", "json", &eum_samples()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(u(&v, "events"), truth.messages);
    assert_eq!(u(&v, "delivered"), truth.delivered);
    assert_eq!(u(&v, "failed"), truth.failed);
    assert_eq!(u(&v, "no_final_outcome"), truth.no_final_outcome);
    assert!(truth.no_final_outcome > 0);
    assert_eq!(
        u(&v, "duplicates"),
        truth.duplicates,
        "the half day both destinations hold"
    );
    assert!((f(&v, "spend_usd") - truth.spend_usd).abs() < 1e-6);
    assert_eq!(u(&v, "message_parts"), truth.message_parts);
    assert_eq!(
        by_source(&v, "end-user-messaging"),
        truth.by_source["end-user-messaging"]
    );
    assert_eq!(
        by_source(&v, "sns-usage-report"),
        truth.by_source["sns-usage-report"]
    );
    assert_eq!(class_count(&v, "protect_blocked"), truth.protect_blocked);
    assert_eq!(
        v["cognito_errors"].as_array().unwrap().len() as u64,
        truth.cognito_errors
    );
    // One pool, one account and region: every record says where, from its envelope or its folder.
    assert_eq!(
        v["by_region"].as_array().unwrap().len(),
        1,
        "{}",
        v["by_region"]
    );
    assert_eq!(v["by_region"][0]["region"], "eu-west-1");
    assert_eq!(v["by_region"][0]["account"], "444455556666");
    // The End User Messaging limit, from describe-spend-limits; not reached, and not forecast for March.
    assert_eq!(v["spend_limit_usd"], 60.0);
    assert_eq!(v["forecast"]["month"], "2026-02");
    // Every text to India failed once the protect configuration applied.
    let india = row(&v, "by_country", "country", "IN");
    assert_eq!(truth.india_after_block.0, truth.india_after_block.1);
    assert!(u(india, "failed") >= truth.india_after_block.1);
    assert!(
        u(india, "events") > truth.india_after_block.0,
        "and some before"
    );
}

#[test]
fn the_report_on_the_end_user_messaging_story_tells_the_protect_block() {
    let d = tempdir();
    let truth = smslens_gen::write_eum_samples(d.path()).unwrap();
    let out = d.path().join("r");
    let o = run(&["report", "-o", out.to_str().unwrap(), &eum_samples()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let verdict = stdout(&o);
    assert!(
        verdict.contains("Message blocked by protect configuration")
            && verdict.contains(&truth.first_protect_block.as_deref().unwrap()[..10]),
        "{verdict}"
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let at = html
        .find("Blocked by SMS protect")
        .expect("the protect finding");
    assert!(html[at..].contains("100% in IN"), "concentrated in India");
    assert!(html.contains("Texts Cognito could not hand over"));
    assert!(html.contains("AccessDeniedException"));
    // The opted-out numbers Cognito names in its log are masked.
    let table = stdout(&run(&["summary", &eum_samples()]));
    assert!(
        table.contains("DESTINATION_PHONE_NUMBER_OPTED_OUT"),
        "{table}"
    );
    let named: Vec<&str> = table
        .split("SMS message to ")
        .skip(1)
        .map(|s| s.split('.').next().unwrap())
        .collect();
    assert!(!named.is_empty());
    assert!(named.iter().all(|n| n.contains('•')), "{named:?}");
}

#[test]
fn both_stories_read_together_stay_apart_and_strict_passes() {
    let o = run(&["summary", "--strict", "--format", "json", &samples()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let eum = smslens_gen::write_eum_samples(tempdir().path()).unwrap();
    assert_eq!(u(&v, "events"), 4400 + eum.messages);
    assert_eq!(u(&v, "duplicates"), 100 + eum.duplicates);
    let accounts: Vec<&str> = v["by_region"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["account"].as_str())
        .collect();
    assert!(
        accounts.contains(&"111122223333") && accounts.contains(&"444455556666"),
        "{accounts:?}"
    );
    let months: Vec<&str> = v["spend_by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2026-02", "2026-03"]);
    // Both stories' causes are findings of the report.
    let d = tempdir();
    let out = d.path().join("r");
    assert!(run(&["report", "-o", out.to_str().unwrap(), &samples()])
        .status
        .success());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("Monthly SMS spend limit (60 USD) reached"));
    assert!(html.contains("Blocked by SMS protect"));
}

/// What every shape of the same generated events must give.
fn assert_truth(v: &Value, t: &smslens_gen::EumTruth, what: &str) {
    assert_eq!(u(v, "malformed"), 0, "{what}: {}", v["skipped_by_reason"]);
    assert_eq!(u(v, "events"), t.delivered + t.failed, "{what}");
    assert_eq!(u(v, "delivered"), t.delivered, "{what}");
    assert_eq!(u(v, "failed"), t.failed, "{what}");
    assert_eq!(u(v, "no_final_outcome"), t.no_final_outcome, "{what}");
    assert_eq!(u(v, "duplicates"), 0, "{what}");
    assert!((f(v, "spend_usd") - t.spend_usd).abs() < 1e-6, "{what}");
    assert_eq!(u(v, "message_parts"), t.message_parts, "{what}");
    assert_eq!(
        by_source(v, "end-user-messaging"),
        t.delivered + t.failed,
        "{what}"
    );
    for (event_type, class) in [
        ("TEXT_UNREACHABLE", "unreachable"),
        ("TEXT_CARRIER_BLOCKED", "carrier_blocked"),
        ("TEXT_TTL_EXPIRED", "ttl_expired"),
    ] {
        assert_eq!(
            class_count(v, class),
            t.by_event_type.get(event_type).copied().unwrap_or(0),
            "{what}: {event_type}"
        );
    }
}

#[test]
fn generated_events_give_their_true_numbers_in_every_shape() {
    let d = tempdir();
    // Sizes, seeds and recipient counts vary; each shape is read from its own file or tree.
    let cases = [(2500usize, 3u64, None), (1800, 8, Some(1500u64))];
    for (n, seed, recipients) in cases {
        let cfg = smslens_gen::GenConfig {
            recipients,
            spend_limit_usd: f64::INFINITY,
            ..smslens_gen::GenConfig::new(n, seed)
        };
        let mut truths = Vec::new();
        for (name, shape) in [
            ("bare", smslens_gen::EumShape::Bare),
            ("eventbridge", smslens_gen::EumShape::EventBridge),
            ("sns", smslens_gen::EumShape::SnsNotification),
        ] {
            let mut body = Vec::new();
            let t = smslens_gen::write_eum_events(&mut body, &cfg, shape).unwrap();
            let p = write(d.path(), &format!("{seed}/{name}.jsonl"), &body);
            let v = summary(&[p.to_str().unwrap()]);
            assert_truth(&v, &t, name);
            if name != "bare" {
                assert_eq!(v["by_region"][0]["region"], "us-east-1", "{name}");
                assert_eq!(v["by_region"][0]["account"], "111122223333", "{name}");
            }
            truths.push(t);
        }
        for ndjson in [false, true] {
            let dir = d.path().join(format!("{seed}/firehose-{ndjson}"));
            let t = smslens_gen::write_eum_firehose(&dir, &cfg, ndjson).unwrap();
            let v = summary(&[dir.to_str().unwrap()]);
            assert_truth(&v, &t, &format!("firehose, ndjson {ndjson}"));
            let format = v["inputs"][0]["format"].as_str().unwrap().to_owned();
            assert!(
                !format.is_empty() && v["inputs"].as_array().unwrap().len() > 1,
                "{format}"
            );
            truths.push(t);
        }
        assert!(
            truths.windows(2).all(|w| w[0] == w[1]),
            "one month, five shapes"
        );
        assert!(truths[0].no_final_outcome > 0 && truths[0].refused > 0);
    }
}

#[test]
fn events_in_another_key_order_give_the_same_numbers() {
    // The generator writes the documented key order; producers and re-serialisers do not all keep it.
    // Here every object's keys are sorted (serde_json's map), nested ones included.
    let d = tempdir();
    let cfg = smslens_gen::GenConfig {
        spend_limit_usd: f64::INFINITY,
        ..smslens_gen::GenConfig::new(2200, 5)
    };
    let mut body = Vec::new();
    let t = smslens_gen::write_eum_events(&mut body, &cfg, smslens_gen::EumShape::Bare).unwrap();
    let mut sorted = String::new();
    for line in std::str::from_utf8(&body).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        sorted.push_str(&serde_json::to_string(&v).unwrap());
        sorted.push('\n');
    }
    assert!(!sorted.starts_with("{\"eventType\""), "the order changed");
    let p = write(d.path(), "sorted.jsonl", sorted.as_bytes());
    assert_truth(&summary(&[p.to_str().unwrap()]), &t, "sorted keys");
}

//! The same summary as a table for people, and as JSON, CSV or Markdown for tools.

use std::path::Path;

use crate::support::*;

fn in_fixtures(args: &[&str]) -> String {
    let o = bin()
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn table_output_of_the_real_world_records() {
    insta::assert_snapshot!(in_fixtures(&["summary", "realworld.jsonl"]));
}

#[test]
fn markdown_output_has_every_table() {
    let md = in_fixtures(&["summary", "--format", "markdown", "bare.jsonl"]);
    for h in [
        "### Overview",
        "### Spend",
        "### By providerResponse",
        "### By country",
        "### By carrier",
        "### By smsType",
        "### Inputs",
    ] {
        assert!(md.contains(h), "missing {h}");
    }
    assert!(
        md.contains("| Phone carrier has blocked this message | FAILURE | carrier_blocked | 1 |"),
        "{md}"
    );
}

#[test]
fn csv_output_quotes_fields_and_separates_tables() {
    let csv = in_fixtures(&["summary", "--format", "csv", "realworld.jsonl"]);
    assert!(
        csv.contains(
            "# By providerResponse\nproviderResponse,status,class,count,share,first seen\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("# By carrier\ncarrier,texts,failed,failure rate\n"),
        "{csv}"
    );
}

#[test]
fn json_has_the_documented_keys_sorted_by_count() {
    let v = summary(&[&fixture("bare.jsonl")]);
    for k in [
        "events",
        "delivered",
        "failed",
        "duplicates",
        "malformed",
        "spend_usd",
        "first_event",
        "last_event",
        "by_provider_response",
        "by_country",
        "by_carrier",
        "by_sms_type",
        "quota_exhausted_at",
        "inputs",
        "skipped_by_reason",
        "spend_limit_usd",
        "success_sample_rate",
        "spend_by_month",
        "quota_failures",
        "quota_recipients",
        "forecast",
    ] {
        assert!(v.get(k).is_some(), "missing key {k}");
    }
    let counts: Vec<u64> = v["by_provider_response"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert_eq!(counts.iter().sum::<u64>(), 12);
    let first = &v["by_provider_response"][0];
    assert_eq!(
        first["provider_response"],
        "Message has been accepted by phone carrier"
    );
    assert_eq!(first["status"], "SUCCESS");
    assert_eq!(first["class"], "delivered");
    assert_eq!(first["count"], 6);
}

#[test]
fn phone_numbers_never_appear_in_summaries() {
    for fmt in ["table", "json", "csv", "markdown"] {
        let o = run(&[
            "summary",
            "--format",
            fmt,
            &fixture("bad/mixed.jsonl"),
            &fixture("bare.jsonl"),
        ]);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(!all.contains("+1617555"), "{fmt}: {all}");
        assert!(!regex_like_phone(&all), "{fmt} shows a phone number");
    }
}

/// A `+` followed by 10 or more digits.
fn regex_like_phone(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len())
        .any(|i| b[i] == b'+' && b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count() >= 10)
}

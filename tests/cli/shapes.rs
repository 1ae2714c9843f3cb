//! Every export shape of formats.md is read, and read right: the counts in tests/fixtures/README.md.

use crate::support::*;

struct Expect {
    path: &'static str,
    format: &'static str,
    events: u64,
    delivered: u64,
    failed: u64,
    spend: f64,
}

fn check(e: Expect) {
    let v = summary(&[&fixture(e.path)]);
    assert_eq!(u(&v, "events"), e.events, "{}: events", e.path);
    assert_eq!(u(&v, "delivered"), e.delivered, "{}: delivered", e.path);
    assert_eq!(u(&v, "failed"), e.failed, "{}: failed", e.path);
    assert!(
        (f(&v, "spend_usd") - e.spend).abs() < 1e-9,
        "{}: spend {} != {}",
        e.path,
        v["spend_usd"],
        e.spend
    );
    assert_eq!(u(&v, "malformed"), 0, "{}: malformed", e.path);
    let formats: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["format"].as_str())
        .collect();
    assert!(
        formats.contains(&e.format),
        "{}: formats {formats:?}",
        e.path
    );
}

#[test]
fn reads_bare_record_lines() {
    check(Expect {
        path: "bare.jsonl",
        format: "delivery-records",
        events: 12,
        delivered: 8,
        failed: 4,
        spend: 0.15643,
    });
}

#[test]
fn reads_every_member_of_a_multi_member_gzip() {
    check(Expect {
        path: "bare-multimember.jsonl.gz",
        format: "delivery-records",
        events: 10,
        delivered: 7,
        failed: 3,
        spend: 0.19588,
    });
}

#[test]
fn reads_a_cloudwatch_export_tree_and_skips_the_write_test_object() {
    check(Expect {
        path: "export",
        format: "cloudwatch-s3-export",
        events: 9,
        delivered: 5,
        failed: 4,
        spend: 0.10904,
    });
    let v = summary(&[&fixture("export")]);
    assert_eq!(v["skipped_by_reason"]["S3 export write-test object"], 1);
    let o = run(&["summary", &fixture("export")]);
    assert!(
        stderr(&o).contains("aws-logs-write-test"),
        "the skip is said: {}",
        stderr(&o)
    );
}

#[test]
fn reads_filter_log_events_pages_appended_in_one_file() {
    check(Expect {
        path: "filter-log-events.json",
        format: "cli-log-events",
        events: 10,
        delivered: 7,
        failed: 3,
        spend: 0.15641,
    });
}

#[test]
fn reads_get_log_events() {
    check(Expect {
        path: "get-log-events.json",
        format: "cli-log-events",
        events: 7,
        delivered: 5,
        failed: 2,
        spend: 0.09034,
    });
}

#[test]
fn reads_logs_tail_lines_in_both_formats() {
    check(Expect {
        path: "tail.txt",
        format: "logs-tail",
        events: 8,
        delivered: 5,
        failed: 3,
        spend: 0.16559,
    });
    check(Expect {
        path: "tail-short.txt",
        format: "logs-tail",
        events: 8,
        delivered: 6,
        failed: 2,
        spend: 0.16995,
    });
}

#[test]
fn reads_insights_query_results_json() {
    check(Expect {
        path: "insights.json",
        format: "insights-json",
        events: 8,
        delivered: 4,
        failed: 4,
        spend: 0.14134,
    });
    let v = summary(&[&fixture("insights.json")]);
    assert_eq!(v["first_quota_failure_at"], "2026-03-09T08:23:52.781Z");
}

#[test]
fn reads_insights_console_csv_with_message_column() {
    check(Expect {
        path: "insights.csv",
        format: "insights-csv",
        events: 8,
        delivered: 5,
        failed: 3,
        spend: 0.27013,
    });
}

#[test]
fn reads_insights_csv_with_flattened_columns_and_timestamp_fallback() {
    check(Expect {
        path: "insights-flat.csv",
        format: "insights-csv",
        events: 10,
        delivered: 6,
        failed: 4,
        spend: 0.08788,
    });
    let v = summary(&[&fixture("insights-flat.csv")]);
    assert_eq!(v["first_quota_failure_at"], "2026-03-11T08:28:07.163Z");
    assert_eq!(v["first_event"], "2026-03-11T08:02:19.763Z");
}

#[test]
fn reads_firehose_objects_and_skips_control_messages() {
    check(Expect {
        path: "firehose-object",
        format: "firehose",
        events: 8,
        delivered: 5,
        failed: 3,
        spend: 0.11483,
    });
    let v = summary(&[&fixture("firehose-object")]);
    assert_eq!(v["skipped_by_reason"]["Firehose CONTROL_MESSAGE"], 1);
}

#[test]
fn reads_stdin() {
    let body = std::fs::read(fixture("bare.jsonl")).unwrap();
    let mut child = bin()
        .args(["summary", "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &body).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(u(&v, "events"), 12);
    assert_eq!(v["inputs"][0]["path"], "-");
}

#[test]
fn detects_shape_from_content_not_file_name() {
    let d = tempdir();
    let bytes = std::fs::read(fixture("bare-multimember.jsonl.gz")).unwrap();
    let p = write(d.path(), "misleading-name.csv", &bytes);
    let v = summary(&[p.to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 10);
    assert_eq!(v["inputs"][0]["format"], "delivery-records");
}

#[test]
fn real_world_records_from_the_reference_are_read() {
    let v = summary(&[&fixture("realworld.jsonl")]);
    assert_eq!(
        (u(&v, "events"), u(&v, "delivered"), u(&v, "failed")),
        (6, 3, 3)
    );
    assert!((f(&v, "spend_usd") - 0.02989).abs() < 1e-9);
    // The minimal quota failure (no price, no carrier, no mcc) counts, and marks the exhaustion.
    assert_eq!(response_count(&v, "No quota left for account"), 1);
    assert_eq!(v["quota_exhausted_at"], "2023-11-23T04:45:41.264Z");
    // "Delivered" has no carrier: counted under "unknown".
    assert_eq!(response_count(&v, "Delivered"), 1);
    assert!(u(row(&v, "by_carrier", "carrier", "unknown"), "events") >= 2);
    // Integer mnc/mcc and carriers: AT&T (311/180), Airtel (404/31).
    assert_eq!(u(row(&v, "by_carrier", "carrier", "AT&T"), "events"), 1);
    assert_eq!(u(row(&v, "by_carrier", "carrier", "Airtel"), "failed"), 1);
    // Countries from E.164, masked numbers included; +65 → SG; +91 → IN.
    assert_eq!(u(row(&v, "by_country", "country", "US"), "events"), 4);
    assert_eq!(u(row(&v, "by_country", "country", "SG"), "failed"), 1);
    assert_eq!(u(row(&v, "by_country", "country", "IN"), "failed"), 1);
    assert_eq!(v["first_event"], "2016-06-28T00:40:34.558Z");
}

#[test]
fn one_digit_fractions_are_tenths_of_a_second() {
    let d = tempdir();
    let p = write(
        d.path(),
        "r.jsonl",
        br#"{"notification":{"messageId":"0eb79b44-d9bd-5938-b0cf-c1e572815b74","timestamp":"2022-03-08 19:09:37.3"},"delivery":{"destination":"+16175550118","providerResponse":"Delivered","mnc":3},"status":"SUCCESS"}
"#,
    );
    let v = summary(&[p.to_str().unwrap()]);
    assert_eq!(v["first_event"], "2022-03-08T19:09:37.300Z");
}

#[test]
fn a_column_first_seen_after_150_rows_is_kept() {
    let v = summary(&[&fixture("schema-trap.jsonl")]);
    assert_eq!(
        (u(&v, "events"), u(&v, "delivered"), u(&v, "failed")),
        (200, 50, 150)
    );
    let known: u64 = v["by_carrier"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["carrier"] != "unknown")
        .map(|r| r["events"].as_u64().unwrap())
        .sum();
    assert_eq!(
        known, 50,
        "phoneCarrier from lines 151-200 survives: {}",
        v["by_carrier"]
    );
    assert_eq!(
        u(row(&v, "by_carrier", "carrier", "unknown"), "events"),
        150
    );
}

#[test]
fn the_whole_fixture_tree_adds_up() {
    let v = summary(&[&fixture(".")]);
    // Sum of the per-fixture uniques in tests/fixtures/README.md, less nothing: only overlap/ shares records.
    let unique = 6 + 12 + 10 + 9 + 10 + 7 + 8 + 8 + 8 + 8 + 10 + 8 + 8 + 200 + 5 + 17;
    assert_eq!(u(&v, "events"), unique);
    assert_eq!(u(&v, "duplicates"), 3);
}

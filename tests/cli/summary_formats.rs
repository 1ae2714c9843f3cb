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

#[test]
fn a_terminal_summary_of_many_files_lists_them_by_folder_and_shape() {
    for (seed, files) in [(3u64, 19usize), (8, 21), (5, 75)] {
        let d = tempdir();
        let tree = d.path().join("export");
        let mut cfg = smslens_gen::GenConfig::new(40 * files + 7 * seed as usize, seed);
        cfg.recipients = Some(30 + 10 * seed);
        smslens_gen::write_export_tree(&tree, files, &cfg).expect("export tree");
        let tree = tree.to_str().unwrap();
        let v = summary(&[tree]);
        let inputs = v["inputs"].as_array().unwrap();
        let logs: Vec<_> = inputs
            .iter()
            .filter(|i| i["format"] == "cloudwatch-s3-export")
            .collect();
        assert_eq!(logs.len(), files, "JSON lists every file");
        let records: u64 = logs.iter().map(|i| i["records"].as_u64().unwrap()).sum();
        let text = stdout(&run(&["summary", tree]));
        let md = stdout(&run(&["summary", "--format", "markdown", tree]));
        let csv = stdout(&run(&["summary", "--format", "csv", tree]));
        let listed = |out: &str| {
            logs.iter()
                .filter(|i| out.contains(i["path"].as_str().unwrap()))
                .count()
        };
        assert_eq!(listed(&csv), files, "CSV lists every file");
        if inputs.len() <= 20 {
            assert_eq!(listed(&text), files);
            assert!(text.contains("\nInputs\n"), "{text}");
            continue;
        }
        assert_eq!(listed(&text), 0, "{text}");
        assert_eq!(listed(&md), 0, "{md}");
        let title = format!("Inputs: {} files by folder and shape", inputs.len());
        assert!(text.contains(&title) && md.contains(&title), "{text}");
        let row = text
            .lines()
            .find(|l| l.contains("cloudwatch-s3-export"))
            .expect("the logs' group");
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            cells[cells.len() - 3..],
            [files.to_string(), records.to_string(), "0".to_owned()],
            "{row}"
        );
        assert!(text.lines().count() < 150, "{text}");
    }
}

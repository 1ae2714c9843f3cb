//! The `smslens-gen` command line writes what the library writes and prints the truth on stderr.

use std::process::Command;

use smslens_gen::{write_eum_events, write_export_tree, write_records, EumShape, GenConfig};

fn gen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_smslens-gen"))
        .args(args)
        .output()
        .expect("smslens-gen runs")
}

#[test]
fn records_to_stdout_are_the_librarys_with_the_truth_on_stderr() {
    let o = gen(&[
        "records",
        "--count",
        "3000",
        "--seed",
        "4",
        "--month",
        "2025-02",
        "--spend-limit",
        "20",
        "-o",
        "-",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cfg = GenConfig {
        month_start: chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap(),
        spend_limit_usd: 20.0,
        ..GenConfig::new(3000, 4)
    };
    let mut want = Vec::new();
    let truth = write_records(&mut want, &cfg).unwrap();
    assert!(o.stdout == want, "stdout differs from write_records");
    let printed: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(printed, serde_json::to_value(&truth).unwrap());
    assert_eq!(printed["records"], 3000);
}

#[test]
fn export_tree_and_its_truth() {
    let dir = std::env::temp_dir().join(format!("smslens-gen-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = gen(&[
        "export-tree",
        "--count",
        "400",
        "--files",
        "30",
        "-o",
        dir.join("a").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let truth = write_export_tree(&dir.join("b"), 30, &GenConfig::new(400, 1)).unwrap();
    let printed: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(printed, serde_json::to_value(&truth).unwrap());
    let streams = |d: &str| {
        std::fs::read_dir(dir.join(d).join("exportedlogs"))
            .unwrap()
            .count()
    };
    assert_eq!(streams("a"), 2, "one task folder and the write-test object");
    assert_eq!(streams("a"), streams("b"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn eum_events_are_the_librarys_with_no_spend_limit_unless_asked() {
    let o = gen(&[
        "eum-events",
        "--count",
        "2000",
        "--seed",
        "6",
        "--shape",
        "eventbridge",
        "-o",
        "-",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cfg = GenConfig {
        spend_limit_usd: f64::INFINITY,
        ..GenConfig::new(2000, 6)
    };
    let mut want = Vec::new();
    let truth = write_eum_events(&mut want, &cfg, EumShape::EventBridge).unwrap();
    assert!(o.stdout == want, "stdout differs from write_eum_events");
    let printed: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(printed, serde_json::to_value(&truth).unwrap());
    let lines = o.stdout.iter().filter(|&&c| c == b'\n').count() as u64;
    assert_eq!(printed["events"], lines);
    assert!(lines > 2000 && printed["messages"].as_u64().unwrap() <= 2000);
    // With a limit, End User Messaging refuses the texts beyond it: no event for them.
    let o = gen(&[
        "eum-events",
        "--count",
        "2000",
        "--seed",
        "6",
        "--spend-limit",
        "5",
        "-o",
        "-",
    ]);
    let limited: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert!(limited["refused"].as_u64().unwrap() > printed["refused"].as_u64().unwrap() + 500);
    // (the model compares its per-text price with the limit; parts and carrier fees come on top)
    assert!(limited["spend_usd"].as_f64().unwrap() < 6.5);
}

#[test]
fn bad_arguments_are_refused_with_a_reason() {
    let o = gen(&["records", "--count", "0", "-o", "-"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "smslens-gen: error: --count must be at least 1\n"
    );
    let o = gen(&["records", "--month", "2026-13", "-o", "-"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--month \"2026-13\": expected YYYY-MM"));
    assert!(o.stdout.is_empty());
}

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
    for share in ["--duplicates=-0.1", "--duplicates=1.5", "--duplicates=NaN"] {
        let o = gen(&["records", share, "-o", "-"]);
        assert_eq!(o.status.code(), Some(1), "{share}");
        assert!(String::from_utf8_lossy(&o.stderr)
            .contains("--duplicates must be a share between 0 and 1"));
        assert!(o.stdout.is_empty());
    }
    let o = gen(&["records", "--month", "2026-13", "-o", "-"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--month \"2026-13\": expected YYYY-MM"));
    assert!(o.stdout.is_empty());
}

/// What the first copies of one generated file's records add up to.
#[derive(Default, Debug, PartialEq)]
struct FirstCopies {
    unique: u64,
    delivered: u64,
    failed: u64,
    /// in 0.00001 USD
    spend: u64,
    by_provider_response: std::collections::BTreeMap<String, u64>,
}

#[test]
fn duplicates_repeat_a_share_of_the_records_later_in_the_file_and_the_truth_counts_each_once() {
    for (count, seed, share, recipients) in [
        ("4000", "3", "0.25", None),
        ("2500", "9", "0.6", Some("2000")),
        ("1000", "5", "1", None),
        ("777", "12", "0.01", None),
    ] {
        let mut args = vec![
            "records",
            "--count",
            count,
            "--seed",
            seed,
            "--duplicates",
            share,
        ];
        if let Some(r) = recipients {
            args.extend(["--recipients", r]);
        }
        args.extend(["-o", "-"]);
        let o = gen(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let truth: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
        let (n, f): (u64, f64) = (count.parse().unwrap(), share.parse().unwrap());
        let text = std::str::from_utf8(&o.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines.len() as u64,
            n,
            "--count lines in all, repeats included"
        );
        assert_eq!(truth["records"], n);

        // Each repeat is its first copy byte for byte, later in the file; the first copies are the texts.
        let mut first: std::collections::HashMap<String, (usize, &str)> = Default::default();
        let mut seen = FirstCopies::default();
        let mut repeats = 0u64;
        for (i, line) in lines.iter().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = v["notification"]["messageId"].as_str().unwrap().to_string();
            if let Some(&(at, earlier)) = first.get(&id) {
                assert!(
                    at < i && earlier == *line,
                    "seed {seed}: line {i} repeats line {at} exactly"
                );
                repeats += 1;
                continue;
            }
            first.insert(id, (i, line));
            seen.unique += 1;
            let ok = v["status"] == "SUCCESS";
            seen.delivered += u64::from(ok);
            seen.failed += u64::from(!ok);
            let d = &v["delivery"];
            if let Some(p) = d.get("priceInUSD") {
                let p = p
                    .as_f64()
                    .or_else(|| p.as_str().and_then(|s| s.parse().ok()))
                    .unwrap();
                seen.spend += (p * 100_000.0).round() as u64;
            }
            *seen
                .by_provider_response
                .entry(d["providerResponse"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        let want_unique = (n as f64 / (1.0 + f)).round() as u64;
        assert_eq!(
            seen.unique, want_unique,
            "seed {seed}: about count/(1+share) texts"
        );
        assert_eq!(repeats, n - want_unique);
        let told = FirstCopies {
            unique: truth["unique"].as_u64().unwrap(),
            delivered: truth["delivered"].as_u64().unwrap(),
            failed: truth["failed"].as_u64().unwrap(),
            spend: (truth["spend_usd"].as_f64().unwrap() * 100_000.0).round() as u64,
            by_provider_response: serde_json::from_value(truth["by_provider_response"].clone())
                .unwrap(),
        };
        assert_eq!(seen, told, "seed {seed}: the truth counts each text once");

        // The library writes the same bytes and the same truth.
        let cfg = GenConfig {
            duplicates: f,
            recipients: recipients.map(|r| r.parse().unwrap()),
            ..GenConfig::new(n as usize, seed.parse().unwrap())
        };
        let mut want = Vec::new();
        let lib_truth = write_records(&mut want, &cfg).unwrap();
        assert!(
            o.stdout == want,
            "seed {seed}: stdout differs from write_records"
        );
        assert_eq!(truth, serde_json::to_value(&lib_truth).unwrap());
    }
    // No share: the same bytes as without the option.
    let plain = gen(&["records", "--count", "1500", "--seed", "2", "-o", "-"]);
    let zero = gen(&[
        "records",
        "--count",
        "1500",
        "--seed",
        "2",
        "--duplicates",
        "0",
        "-o",
        "-",
    ]);
    assert!(plain.stdout == zero.stdout && plain.stderr == zero.stderr);
}

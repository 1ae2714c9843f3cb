//! The generator against its own promises: determinism, the story's invariants, the recipients knob, and
//! deterministic export trees and samples.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io;
use std::path::PathBuf;

use serde_json::Value;

use crate::spell::{fmt_ts, parse_ts, push_iso_ms_z};
use crate::writers::export::WRITE_TEST_BODY;
use crate::*;

fn cfg(records: usize, seed: u64, limit: f64) -> GenConfig {
    GenConfig {
        spend_limit_usd: limit,
        ..GenConfig::new(records, seed)
    }
}

fn generate(c: &GenConfig) -> (Vec<u8>, GenTruth) {
    let mut out = Vec::new();
    let t = write_records(&mut out, c).unwrap();
    (out, t)
}

#[test]
fn deterministic_and_seed_dependent() {
    let c = cfg(3000, 7, 40.0);
    let (a, ta) = generate(&c);
    let (b, tb) = generate(&c);
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_string(&ta).unwrap(),
        serde_json::to_string(&tb).unwrap()
    );
    let (d, _) = generate(&cfg(3000, 8, 40.0));
    assert_ne!(a, d);
}

/// What `story_invariants` counts while it reads the records back.
#[derive(Default)]
struct Seen {
    ok: u64,
    failed: u64,
    spend: f64,
    by: BTreeMap<String, u64>,
    quota_start: Option<i64>,
    /// (texts, unreachable failures) per destination
    dests: BTreeMap<String, (u64, u64)>,
    airtel_after: u64,
    airtel_blocked: u64,
}

impl Seen {
    /// Checks one record (time order, format, no success after the quota ran out) and counts it.
    fn add(&mut self, line: &str, last_t: &mut i64) {
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["notification"]["messageId"].as_str().unwrap();
        assert_eq!(id.len(), 36);
        let ts = v["notification"]["timestamp"].as_str().unwrap();
        let frac = ts.rsplit('.').next().unwrap();
        assert!(
            !frac.is_empty() && frac.len() <= 3 && (frac == "0" || !frac.ends_with('0')),
            "{ts}"
        );
        let t = parse_ts(ts);
        assert!(t >= *last_t, "time order");
        assert!(t >= parse_ts("2026-03-01 00:00:00.0") && t < parse_ts("2026-04-01 00:00:00.0"));
        *last_t = t;
        let d = v["delivery"].as_object().unwrap();
        let resp = d["providerResponse"].as_str().unwrap().to_string();
        let status = v["status"].as_str().unwrap();
        *self.by.entry(resp.clone()).or_default() += 1;
        if status == "SUCCESS" {
            self.ok += 1;
        } else {
            self.failed += 1;
        }
        let quota = resp == "No quota left for account";
        if quota {
            assert_eq!(status, "FAILURE");
            let mut keys: Vec<&str> = d.keys().map(|k| k.as_str()).collect();
            keys.sort();
            assert_eq!(
                keys,
                ["destination", "dwellTimeMs", "providerResponse", "smsType"]
            );
            self.quota_start.get_or_insert(t);
        } else {
            assert!(
                self.quota_start.is_none(),
                "a non-quota record after the quota ran out"
            );
            let p = &d["priceInUSD"];
            self.spend += p
                .as_f64()
                .or_else(|| p.as_str().and_then(|s| s.parse().ok()))
                .unwrap();
        }
        let dest = d["destination"].as_str().unwrap().to_string();
        assert!(dest.starts_with('+') && dest[1..].bytes().all(|c| c.is_ascii_digit()));
        if !quota {
            let e = self.dests.entry(dest.clone()).or_default();
            e.0 += 1;
            e.1 += u64::from(resp == "Phone is currently unreachable/unavailable");
        }
        let carrier = d.get("phoneCarrier").and_then(|c| c.as_str());
        if dest.starts_with("+91")
            && t >= parse_ts("2026-03-10 00:00:00.0")
            && self.quota_start.is_none()
            && carrier == Some("Airtel")
        {
            self.airtel_after += 1;
            self.airtel_blocked += u64::from(resp == "Phone carrier has blocked this message");
        }
    }
}

#[test]
fn story_invariants() {
    let c = cfg(20_000, 42, GenConfig::suggested_spend_limit_usd(20_000));
    let (out, truth) = generate(&c);
    let text = std::str::from_utf8(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 20_000);
    let mut seen = Seen::default();
    let mut last_t = i64::MIN;
    let mut ids = HashSet::new();
    for line in &lines {
        assert!(ids.insert(&line[30..66]), "duplicate messageId");
        seen.add(line, &mut last_t);
    }
    assert_eq!(truth.records, 20_000);
    assert_eq!(truth.unique, 20_000);
    assert_eq!(truth.delivered, seen.ok);
    assert_eq!(truth.failed, seen.failed);
    assert_eq!(truth.by_provider_response, seen.by);
    assert!((truth.spend_usd - seen.spend).abs() < 1e-6);
    // the limit is reached, late in the month, and spend stops there
    let q = seen.quota_start.expect("quota reached");
    assert!(
        q > parse_ts("2026-03-19 00:00:00.0") && q < parse_ts("2026-03-26 00:00:00.0"),
        "{q}"
    );
    assert!(seen.spend >= c.spend_limit_usd && seen.spend < c.spend_limit_usd + 0.1);
    assert_eq!(
        truth.quota_exhausted_at.as_deref().map(|s| &s[..10]),
        Some(&fmt_ts(q, push_iso_ms_z)[..10])
    );
    // every text to a dead number fails the same way, and some dead numbers got several texts
    let dead: Vec<_> = seen.dests.values().filter(|(_, u)| *u > 0).collect();
    assert!(!dead.is_empty());
    assert!(dead.iter().all(|(n, u)| n == u));
    assert!(dead.iter().any(|(n, _)| *n >= 3));
    // blocking concentrated on Airtel India (carrier kept on most), about 40 %
    let rate = seen.airtel_blocked as f64 / seen.airtel_after as f64;
    assert!(
        rate > 0.25 && rate < 0.45,
        "{rate} of {}",
        seen.airtel_after
    );
    assert!(seen.by.contains_key("Phone is blacklisted"));
    assert!(seen
        .by
        .contains_key("Destination carrier rejected the message (code 4051)"));
}

fn distinct_destinations(out: &[u8]) -> usize {
    let text = std::str::from_utf8(out).unwrap();
    let mut dests = HashSet::new();
    for line in text.lines() {
        let at = line.find("\"destination\":\"").unwrap() + 15;
        let end = at + line[at..].find('"').unwrap();
        dests.insert(&line[at..end]);
    }
    dests.len()
}

#[test]
fn the_recipients_knob_gives_about_that_many_distinct_numbers() {
    // well inside what 100 k texts can reach (about 80 k: the +1 countries have 30,900 numbers)
    for wanted in [5_000u64, 40_000, 60_000] {
        let c = GenConfig {
            recipients: Some(wanted),
            ..GenConfig::new(100_000, 5)
        };
        let (out, truth) = generate(&c);
        assert_eq!(truth.records, 100_000);
        let got = distinct_destinations(&out) as f64;
        let off = (got - wanted as f64).abs() / wanted as f64;
        assert!(
            off < 0.015,
            "{got} distinct destinations for {wanted} wanted"
        );
    }
    // the default is the pool of about records / 4, with frequent users
    let (out, _) = generate(&GenConfig::new(100_000, 5));
    let got = distinct_destinations(&out);
    assert!((10_000..25_000).contains(&got), "{got}");
}

#[test]
fn export_tree_and_samples_are_deterministic() {
    let base = std::env::temp_dir().join(format!("smslens-gen-test-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    let c = cfg(500, 3, 5.0);
    let t = write_export_tree(&base.join("tree"), 120, &c).unwrap();
    assert_eq!(t.records, 500);
    let root = base.join("tree").join("exportedlogs");
    assert_eq!(
        fs::read(root.join("aws-logs-write-test")).unwrap(),
        WRITE_TEST_BODY
    );
    let tasks: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .collect();
    assert_eq!(tasks.len(), 1);
    let mut lines = 0;
    let mut files = 0;
    for s in fs::read_dir(tasks[0].path()).unwrap() {
        let f = s.unwrap().path().join("000000.gz");
        let mut text = String::new();
        io::Read::read_to_string(
            &mut flate2::read::MultiGzDecoder::new(File::open(f).unwrap()),
            &mut text,
        )
        .unwrap();
        for l in text.lines() {
            let (ts, rec) = l.split_once(' ').unwrap();
            assert!(ts.ends_with('Z') && ts.len() == 24);
            serde_json::from_str::<Value>(rec).unwrap();
            lines += 1;
        }
        files += 1;
    }
    assert_eq!((files, lines), (120, 500));

    let t1 = write_samples(&base.join("s1")).unwrap();
    let t2 = write_samples(&base.join("s2")).unwrap();
    assert_eq!(
        serde_json::to_string(&t1).unwrap(),
        serde_json::to_string(&t2).unwrap()
    );
    assert_eq!(t1.records, t1.unique + 100);
    let mut stack = vec![PathBuf::new()];
    let mut n = 0;
    while let Some(rel) = stack.pop() {
        for e in fs::read_dir(base.join("s1").join(&rel)).unwrap() {
            let e = e.unwrap();
            let r = rel.join(e.file_name());
            if e.path().is_dir() {
                stack.push(r);
            } else {
                assert_eq!(
                    fs::read(e.path()).unwrap(),
                    fs::read(base.join("s2").join(&r)).unwrap(),
                    "{r:?}"
                );
                n += 1;
            }
        }
    }
    assert!(n > 100);
    let _ = fs::remove_dir_all(&base);
}

//! The report page as a reader meets it: the first screen answers the question, charts are inline SVG with
//! exact values on hover, the audit trail is grouped, dwell-time percentiles are within 1 % of the exact
//! ones. (Rendering in a real browser, at phone and desktop widths: report.rs.)

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;

fn report(inputs: &[&str], out: &Path) {
    let mut a = vec!["report", "-o", out.to_str().unwrap()];
    a.extend_from_slice(inputs);
    let o = run(&a);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn index(out: &Path) -> String {
    std::fs::read_to_string(out.join("index.html")).expect("index.html")
}

/// The rows of `tables/NAME.csv` as header → cell maps (cells are simple in these tables: no quotes
/// around commas except where noted by the caller).
fn csv_rows(out: &Path, name: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(out.join("tables").join(format!("{name}.csv"))).unwrap();
    let mut lines = text.lines();
    let headers: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    lines
        .map(|l| {
            headers
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect()
}

/// The text of the headline figure labelled `label`: (value, note).
fn figure(html: &str, label: &str) -> (String, String) {
    let at = html
        .find(&format!("<div class=\"label\">{label}</div>"))
        .unwrap_or_else(|| panic!("no figure {label}"));
    let part = |class: &str| {
        let open = format!("<div class=\"{class}\">");
        let from = at + html[at..].find(&open).unwrap() + open.len();
        html[from..from + html[from..].find("</div>").unwrap()].to_owned()
    };
    (part("value"), part("sub"))
}

#[test]
fn the_first_screen_is_the_verdict_the_headline_figures_and_texts_over_time() {
    let d = tempdir();
    let out = d.path().join("r");
    let folders = sns_samples();
    report(
        &folders.iter().map(String::as_str).collect::<Vec<_>>(),
        &out,
    );
    let html = index(&out);
    let verdict = html.find("<p class=\"verdict\">").expect("verdict");
    let figures = html.find("<div class=\"figures\">").expect("figures");
    let chart = html
        .find(">Texts and failure rate per day</text>")
        .expect("the chart over time");
    let first_table = html.find("<table").expect("tables");
    assert!(verdict < figures && figures < chart && chart < first_table);

    assert_eq!(figure(&html, "texts").0, "4,400");
    assert_eq!(figure(&html, "failure rate").0, "34%");
    assert_eq!(figure(&html, "failure rate").1, "1,515 failed");
    let (spend, note) = figure(&html, "spend vs limit");
    assert_eq!(spend, "60.01 / 60 USD");
    assert!(note.contains("limit reached 2026-03-22"), "{note}");
    let locked = csv_rows(&out, "recipients_without_delivery").len();
    assert!(locked > 0);
    assert_eq!(figure(&html, "users locked out").0, locked.to_string());
    let (cause, note) = figure(&html, "top cause");
    assert_eq!(
        cause,
        "Monthly SMS spend limit (60 USD) reached: SNS stopped sending"
    );
    assert_eq!(note, "1,415 texts (93% of failures)");
}

/// Every `<svg …>…</svg>` of the page.
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg")
        .map(|(i, _)| &html[i..i + html[i..].find("</svg>").unwrap() + 6])
        .collect()
}

#[test]
fn charts_are_inline_svg_with_their_text_and_exact_values_on_hover() {
    let d = tempdir();
    let out = d.path().join("r");
    let folders = sns_samples();
    report(
        &folders.iter().map(String::as_str).collect::<Vec<_>>(),
        &out,
    );
    let html = index(&out);
    let pngs = std::fs::read_dir(out.join("charts")).unwrap().count();
    assert_eq!(pngs, 6, "the PNG files are still written");
    let all = svgs(&html);
    assert_eq!(all.len(), 2 * pngs, "a wide and a narrow SVG per chart");
    for svg in &all {
        assert!(
            svg.starts_with("<svg class=\"chart\" viewBox=\"0 0 "),
            "{}",
            &svg[..80]
        );
        assert!(
            !svg.contains("xmlns") && !svg.contains("://"),
            "no namespace URL"
        );
        assert!(svg.matches("<text ").count() > 5, "labels are text");
        assert!(svg.contains("<title>"), "hover titles");
    }
    for title in [
        "Failed texts by providerResponse",
        "Texts and failures by country",
        "SMS spend, month to date",
    ] {
        assert!(
            html.contains(&format!(">{title}")),
            "{title} is searchable text"
        );
    }
    // The chart over time: one hover area per day, with that day's exact counts.
    let mut days: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for r in csv_rows(&out, "hourly") {
        let e = days.entry(r["hour (UTC)"][..10].to_owned()).or_default();
        e.0 += r["texts"].parse::<u64>().unwrap();
        e.1 += r["failed"].parse::<u64>().unwrap();
    }
    assert_eq!(days.len(), 31);
    let volume = all
        .iter()
        .find(|s| s.contains(">Texts and failure rate per day</text>"))
        .unwrap();
    for (day, (texts, failed)) in &days {
        let want = format!(
            "<title>{day}: {} texts, {} delivered, {} failed",
            group(*texts),
            group(texts - failed),
            group(*failed)
        );
        assert!(volume.contains(&want), "{want}");
    }
    // Bars too: the failures by providerResponse, exact.
    assert!(html.contains("<title>No quota left for account: 1,415 (93.4%)</title>"));
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A record whose providerResponse and carrier are markup.
pub fn hostile_logs() -> Vec<u8> {
    let mut s = String::new();
    for (i, status) in ["FAILURE", "FAILURE", "SUCCESS"].iter().enumerate() {
        s.push_str(&format!(
            r#"{{"notification":{{"messageId":"11111111-2222-4333-8444-55555555555{i}","timestamp":"2026-03-01 10:0{i}:00.1"}},"delivery":{{"phoneCarrier":"Evil \" & 'Co' </text><script>alert(1)</script>","destination":"+16175550118","providerResponse":"]]></text></svg><script>alert(2)</script> & <b>","priceInUSD":0.00645,"dwellTimeMs":{}}},"status":"{status}"}}"#,
            100 + i
        ));
        s.push('\n');
    }
    s.into_bytes()
}

#[test]
fn every_string_in_an_svg_is_escaped() {
    let d = tempdir();
    let logs = write(d.path(), "in/evil.jsonl", &hostile_logs());
    let out = d.path().join("r");
    report(&[logs.to_str().unwrap()], &out);
    let html = index(&out);
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(!html.contains("</text><script>") && !html.contains("</svg><script>"));
    let all = svgs(&html);
    assert!(!all.is_empty());
    for svg in &all {
        // Balanced: nothing from the logs closed an element.
        assert_eq!(
            svg.matches("<text ").count(),
            svg.matches("</text>").count()
        );
        assert_eq!(
            svg.matches("<title>").count(),
            svg.matches("</title>").count()
        );
        assert_eq!(svg.matches("<svg").count(), 1);
    }
    // The label and the hover text carry the log's text, escaped.
    assert!(html.contains(
        "]]&gt;&lt;/text&gt;&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;b&gt;"
    ));
    assert!(html.contains("Evil &quot; &amp; &#39;Co&#39; &lt;/text&gt;&lt;script&gt;"));
}

#[test]
fn the_audit_trail_groups_inputs_and_each_group_digest_can_be_recomputed() {
    let d = tempdir();
    let files = 1500;
    smslens_gen::write_export_tree(
        &d.path().join("export"),
        files,
        &smslens_gen::GenConfig::new(6_000, 81),
    )
    .expect("an export tree");
    // Relative paths, as a person types them: the check commands are run from the same folder.
    let o = bin()
        .current_dir(d.path())
        .args(["report", "export", "-o", "r"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = d.path().join("r");
    let html = index(&out);
    assert!(!html.contains("000000.gz"), "no row per file on the page");

    let js: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let inputs = js["inputs"].as_array().unwrap();
    assert_eq!(
        inputs.len(),
        files + 1,
        "every stream and the write-test object"
    );
    assert!(inputs
        .iter()
        .all(|i| i["sha256"].as_str().is_some_and(|h| h.len() == 64)));
    let per_file = csv_rows(&out, "inputs");
    assert_eq!(per_file.len(), inputs.len());
    assert!(
        per_file.iter().all(|r| r["sha256"].len() == 64),
        "tables/inputs keeps each file's digest"
    );

    let groups = csv_rows(&out, "input_groups");
    assert!(groups.len() <= 20 && groups.len() >= 2, "{}", groups.len());
    let n = |r: &BTreeMap<String, String>, k: &str| r[k].parse::<u64>().unwrap();
    assert_eq!(
        groups.iter().map(|g| n(g, "files")).sum::<u64>(),
        inputs.len() as u64
    );
    let records: u64 = inputs.iter().map(|i| i["records"].as_u64().unwrap()).sum();
    assert_eq!(groups.iter().map(|g| n(g, "records")).sum::<u64>(), records);
    for g in &groups {
        let digest = &g["sha256 of the files' sha256"];
        assert!(html.contains(digest.as_str()), "the page shows {digest}");
        let check = &g["check with"];
        let o = std::process::Command::new("sh")
            .args(["-c", check])
            .current_dir(d.path())
            .output()
            .unwrap();
        let got = String::from_utf8_lossy(&o.stdout);
        assert_eq!(
            got.split_whitespace().next(),
            Some(digest.as_str()),
            "{check}"
        );
    }
}

/// `n` dwell-time records per country with a realistic spread (most in a few hundred ms, some seconds, a
/// tail of tens of seconds), key order and noise lines varied by `seed`; returns the file and every
/// country's dwell times.
fn dwell_logs(
    dir: &Path,
    seed: u64,
    n: usize,
) -> (std::path::PathBuf, BTreeMap<&'static str, Vec<u64>>) {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut unit = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let countries = [("US", "+1617555"), ("GB", "+44770090"), ("IN", "+9198450")];
    let mut truth: BTreeMap<&'static str, Vec<u64>> = BTreeMap::new();
    let mut text = String::new();
    for i in 0..n * countries.len() {
        let (country, prefix) = countries[i % countries.len()];
        let u = unit();
        let ms = if u < 0.7 {
            60.0 + 250.0 * -(unit().max(1e-12)).ln()
        } else if u < 0.95 {
            300.0 + 2700.0 * unit()
        } else {
            5_000.0 + 55_000.0 * unit()
        } as u64;
        truth.entry(country).or_default().push(ms);
        let id = format!("00000000-0000-4000-8000-{:012}", i);
        let dest = format!("{prefix}{:04}", i % 10_000);
        let t = format!("2026-03-{:02} {:02}:{:02}:00.5", 1 + i % 28, i % 24, i % 60);
        if (i as u64 + seed).is_multiple_of(2) {
            text.push_str(&format!(
                r#"{{"notification":{{"messageId":"{id}","timestamp":"{t}"}},"delivery":{{"destination":"{dest}","dwellTimeMs":{ms},"providerResponse":"Message has been accepted by phone carrier","smsType":"Transactional"}},"status":"SUCCESS"}}"#
            ));
        } else {
            text.push_str(&format!(
                r#"{{"status":"SUCCESS","delivery":{{"smsType":"Transactional","providerResponse":"Message has been accepted by phone carrier","dwellTimeMs":{ms},"destination":"{dest}"}},"notification":{{"timestamp":"{t}","messageId":"{id}"}}}}"#
            ));
        }
        text.push('\n');
        if i % (97 + seed as usize % 13) == 0 {
            text.push_str("not a record\n");
        }
    }
    (
        write(dir, &format!("dwell-{seed}.jsonl"), text.as_bytes()),
        truth,
    )
}

#[test]
fn dwell_time_percentiles_are_within_one_percent_of_the_exact_ones() {
    for (seed, n) in [(3u64, 2_000usize), (17, 5_000), (91, 9_000)] {
        let d = tempdir();
        let (logs, truth) = dwell_logs(d.path(), seed, n);
        let out = d.path().join("r");
        report(&[logs.to_str().unwrap()], &out);
        let rows = csv_rows(&out, "latency");
        assert_eq!(rows.len(), truth.len(), "seed {seed}");
        for r in rows {
            let mut exact = truth[r["country"].as_str()].clone();
            exact.sort_unstable();
            for (col, q) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] {
                let want = exact[((q * exact.len() as f64).ceil() as usize).max(1) - 1] as f64;
                let got: f64 = r[col].parse().unwrap();
                assert!(
                    (got - want).abs() <= want * 0.01 + 0.5,
                    "seed {seed} {} {col}: {got} vs exact {want}",
                    r["country"]
                );
            }
        }
        assert!(
            index(&out).contains("approximate percentiles (within 1%)"),
            "said where shown"
        );
    }
}

#[test]
fn the_page_prints_whole_charts_and_rows_with_headers_on_every_page() {
    let d = tempdir();
    let out = d.path().join("r");
    report(&[&fixture("bare.jsonl")], &out);
    let html = index(&out);
    let print = html
        .split("@media print{")
        .nth(1)
        .and_then(|s| s.split("\n}").next())
        .expect("a print stylesheet");
    for rule in [
        "figure,.figure,.finding,.verdict{break-inside:avoid}",
        "tr,th,td{break-inside:avoid}",
        "thead{display:table-header-group}",
        "figure.chart .narrow{display:none}",
        ".scroll{overflow:visible}",
    ] {
        assert!(print.contains(rule), "{rule} in {print}");
    }
}

//! The main job: `smslens report` writes one offline HTML page, PNG charts, tables and summary.json.

use std::path::Path;

use crate::support::*;

fn report(args: &[&str], out: &Path) -> std::process::Output {
    let mut a = vec!["report", "-o", out.to_str().unwrap()];
    a.extend_from_slice(args);
    run(&a)
}

fn index(out: &Path) -> String {
    std::fs::read_to_string(out.join("index.html")).expect("index.html")
}

#[test]
fn the_sns_story_of_the_samples_leads_with_the_verdict_and_the_spend_limit() {
    let d = tempdir();
    let out = d.path().join("r");
    let folders = sns_samples();
    let args: Vec<&str> = folders.iter().map(String::as_str).collect();
    let o = report(&args, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let verdict = "34% of texts failed; 100% of failures since 2026-03-22 16:00 UTC are `No quota left for account`: the 60 USD monthly spend limit was reached.";
    assert!(stdout(&o).contains(verdict), "{}", stdout(&o));
    let html = index(&out);
    assert!(html.contains(verdict), "verdict on the page");
    // Top finding first: the spend limit, with its remedy; then carrier blocking concentrated in India on Airtel.
    let spend = html
        .find("Monthly SMS spend limit (60 USD) reached")
        .expect("spend finding");
    let blocked = html
        .find("Carriers blocked the texts")
        .expect("carrier finding");
    assert!(spend < blocked);
    assert!(html.contains("raise MonthlySpendLimit"));
    assert!(html[blocked..].contains("in IN"), "concentration in India");
    // summary.json is the same contract as `summary --format json`.
    let js: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(js["events"], 4400);
    for t in [
        "by_country.csv",
        "findings.csv",
        "recipients_without_delivery.csv",
        "spend_by_month.csv",
    ] {
        assert!(out.join("tables").join(t).is_file(), "{t}");
    }
}

#[test]
fn every_chart_is_a_png_of_the_expected_size() {
    let d = tempdir();
    let out = d.path().join("r");
    assert!(report(&[&samples()], &out).status.success());
    let mut n = 0;
    for e in std::fs::read_dir(out.join("charts")).unwrap() {
        let p = e.unwrap().path();
        assert_eq!(
            png_size(&std::fs::read(&p).unwrap()),
            (900, 500),
            "{}",
            p.display()
        );
        n += 1;
    }
    assert_eq!(n, 6);
    // The page's sections name their charts one by one: none may be left out.
    assert_eq!(
        index(&out).matches("src=\"data:image/png;base64,").count(),
        n
    );
}

#[test]
fn the_page_references_nothing_outside_itself() {
    let d = tempdir();
    let out = d.path().join("r");
    assert!(report(&[&samples()], &out).status.success());
    let html = index(&out);
    for bad in ["http://", "https://", "//cdn", "@import", "url("] {
        assert!(!html.contains(bad), "found {bad}");
    }
    for attr in [" src=\"", " href=\""] {
        for (i, _) in html.match_indices(attr) {
            assert!(
                html[i + attr.len()..].starts_with("data:"),
                "{attr} must be a data: URI"
            );
        }
    }
}

#[test]
fn strings_from_logs_are_escaped() {
    let d = tempdir();
    let logs = write(
        d.path(),
        "in/evil.jsonl",
        br#"{"notification":{"messageId":"11111111-2222-4333-8444-555555555555","timestamp":"2026-03-01 10:00:00.1"},"delivery":{"phoneCarrier":"<script>alert(1)</script>","destination":"+16175550118","providerResponse":"<img src=x onerror=alert(2)>","priceInUSD":0.00645},"status":"FAILURE"}
"#,
    );
    let out = d.path().join("r");
    let o = report(&[logs.parent().unwrap().to_str().unwrap()], &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = index(&out);
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn numbers_are_masked_unless_asked() {
    let d = tempdir();
    let out = d.path().join("r");
    assert!(report(&[&fixture("bare.jsonl")], &out).status.success());
    let everything = read_tree(&out);
    assert!(!has_phone(&everything), "an unmasked number in the report");
    assert!(everything.contains("•••"), "masked numbers are shown");
    let out2 = d.path().join("r2");
    assert!(report(&["--show-numbers", &fixture("bare.jsonl")], &out2)
        .status
        .success());
    assert!(has_phone(&read_tree(&out2)), "--show-numbers shows them");
}

fn read_tree(dir: &Path) -> String {
    let mut s = String::new();
    for e in walk(dir) {
        if e.extension().is_some_and(|x| x == "png") {
            continue;
        }
        s.push_str(&String::from_utf8_lossy(&std::fs::read(&e).unwrap()));
    }
    s
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

fn has_phone(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len())
        .any(|i| b[i] == b'+' && b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count() >= 10)
}

#[test]
fn a_failed_run_leaves_the_previous_report_untouched() {
    let d = tempdir();
    let out = d.path().join("r");
    assert!(report(&[&fixture("bare.jsonl")], &out).status.success());
    let before = index(&out);
    // A file where the output's parent directory should be: writing must fail, and nothing half-written remain.
    let blocker = write(d.path(), "blocker", b"not a directory");
    let o = report(&[&fixture("bare.jsonl")], &blocker.join("r"));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(index(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary directories left: {leftovers:?}"
    );
}

/// Renders `page` headless with no network; returns the screenshot path and the URLs the page asked for.
fn render_in_browser(page: &Path, dir: &Path) -> (std::path::PathBuf, Vec<String>) {
    let Some(browser) = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| which(b))
    else {
        panic!("chromium is needed for this test: `apt-get install chromium` (bash .ci/run installs it)");
    };
    let shot = dir.join("shot.png");
    let netlog = dir.join("net.json");
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-extensions",
        "--hide-scrollbars",
        "--window-size=1200,2400",
    ];
    let mut cmd = if unshare_works() {
        // No network at all: a new, empty network namespace.
        let mut c = std::process::Command::new("unshare");
        c.args(["-n", browser]);
        c
    } else {
        std::process::Command::new(browser)
    };
    let o = cmd
        .args(args)
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("browser runs");
    assert!(
        shot.is_file(),
        "no screenshot; browser said: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (shot, page_requests(&netlog))
}

/// URLs requested on behalf of a page (the browser's own update checks have no initiator and are ignored).
fn page_requests(netlog: &Path) -> Vec<String> {
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(netlog).expect("net log written"))
            .expect("net log is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .expect("event type known");
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|u| !u.starts_with("file:") && !u.starts_with("data:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_page_renders_in_a_real_browser_without_network() {
    let d = tempdir();
    let out = d.path().join("r");
    assert!(report(&[&samples()], &out).status.success());
    let (shot, requests) = render_in_browser(&out.join("index.html"), d.path());
    assert_eq!(png_size(&std::fs::read(&shot).unwrap()), (1200, 2400));
    assert!(
        requests.is_empty(),
        "the page made network requests: {requests:?}"
    );
    if let Ok(keep) = std::env::var("SMSLENS_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

#[test]
fn the_browser_check_does_catch_a_page_that_reaches_out() {
    let d = tempdir();
    let page = write(
        d.path(),
        "leaky.html",
        b"<!doctype html><img src=\"http://example.invalid/pixel.png\"><p>hi</p>",
    );
    let (_, requests) = render_in_browser(&page, d.path());
    assert_eq!(
        requests,
        vec!["http://example.invalid/pixel.png".to_owned()]
    );
}

fn which(b: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {b}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn unshare_works() -> bool {
    std::process::Command::new("unshare")
        .args(["-n", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Two days of texts on two carriers; `burst` carrier-network failures on Telcel between 13:00 and 15:00 of day 2.
fn outage_logs(burst: usize) -> Vec<u8> {
    let mut out = String::new();
    let mut n = 0u32;
    let mut rec = |t: String, carrier: &str, dest: &str, mcc: u32, pr: &str, status: &str| {
        n += 1;
        out.push_str(&format!(
            r#"{{"notification":{{"messageId":"00000000-0000-4000-8000-{n:012}","timestamp":"{t}"}},"delivery":{{"phoneCarrier":"{carrier}","mcc":{mcc},"mnc":20,"destination":"{dest}","priceInUSD":0.0275,"smsType":"Transactional","providerResponse":"{pr}","dwellTimeMs":300}},"status":"{status}"}}"#
        ));
        out.push('\n');
    };
    for day in 1..=2 {
        for half_hour in 0..48 {
            let t = format!(
                "2026-03-0{day} {:02}:{:02}:10.5",
                half_hour / 2,
                (half_hour % 2) * 30
            );
            rec(
                t.clone(),
                "Telcel",
                "+525512345678",
                334,
                "Message has been accepted by phone carrier",
                "SUCCESS",
            );
            rec(
                t,
                "AT&T",
                "+16175550118",
                311,
                "Message has been accepted by phone carrier",
                "SUCCESS",
            );
        }
    }
    for i in 0..burst {
        let t = format!(
            "2026-03-02 {:02}:{:02}:00.25",
            13 + i / 10 % 2,
            (i * 6) % 60
        );
        rec(
            t,
            "Telcel",
            &format!("+5255123{i:05}"),
            334,
            "Phone carrier is currently unreachable/unavailable",
            "FAILURE",
        );
    }
    out.into_bytes()
}

#[test]
fn a_burst_of_carrier_errors_on_one_carrier_is_reported_as_an_outage() {
    let d = tempdir();
    let logs = write(d.path(), "in/logs.jsonl", &outage_logs(20));
    let out = d.path().join("r");
    assert!(report(&[logs.to_str().unwrap()], &out).status.success());
    let html = index(&out);
    assert!(html.contains("Probable outage on Telcel"), "outage finding");
    assert!(
        html.contains("from 2026-03-02 13:00 UTC to 2026-03-02 15:00 UTC"),
        "its window"
    );
    assert!(html.contains("open an AWS support case with 3 message ids"));

    // A handful of scattered errors is not an outage.
    let logs = write(d.path(), "in2/logs.jsonl", &outage_logs(4));
    let out = d.path().join("r2");
    assert!(report(&[logs.to_str().unwrap()], &out).status.success());
    assert!(!index(&out).contains("Probable outage"));
}

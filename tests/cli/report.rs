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
    // The page's sections name their charts one by one: none may be left out (each is inline SVG, drawn
    // wide and narrow).
    let html = index(&out);
    assert_eq!(html.matches("<figure class=\"chart\">").count(), n);
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 2 * n);
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

/// Headless Chromium with no network (a new, empty network namespace where `unshare` works) and a
/// profile in `dir`.
fn chromium(dir: &Path) -> std::process::Command {
    let Some(browser) = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| which(b))
    else {
        panic!("chromium is needed for this test: `apt-get install chromium` (bash .ci/run installs it)");
    };
    let mut cmd = if unshare_works() {
        let mut c = std::process::Command::new("unshare");
        c.args(["-n", browser]);
        c
    } else {
        std::process::Command::new(browser)
    };
    cmd.args([
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
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()));
    cmd
}

/// Renders `page` headless with no network; returns the screenshot path and the URLs the page asked for.
fn render_in_browser(page: &Path, dir: &Path) -> (std::path::PathBuf, Vec<String>) {
    let shot = dir.join("shot.png");
    let netlog = dir.join("net.json");
    let o = chromium(dir)
        .arg("--window-size=1200,2400")
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

/// Lays `page` out in a viewport `width` CSS pixels wide and reports what a script saw there: the
/// viewport's width, the page's scroll width, and the elements that stick out (outside the boxes that
/// scroll on their own). The page sits in an iframe of that width: headless Chromium's window is at least
/// 500 px wide. With `SMSLENS_KEEP_SCREENSHOT=DIR`, the whole page is also saved as DIR/page-WIDTH.png.
fn layout_at(page: &Path, width: u32, dir: &Path) -> serde_json::Value {
    let wrapper = dir.join(format!("at-{width}.html"));
    let probe = r#"
var f=document.getElementById('f');
f.addEventListener('load',function(){
var d=f.contentDocument,e=d.documentElement,w=f.contentWindow.innerWidth,out=[];
d.querySelectorAll('body *').forEach(function(x){var r=x.getBoundingClientRect();
if(r.right>w+0.5&&!x.closest('.scroll'))out.push(x.tagName+' '+(x.getAttribute('class')||'')+' '+Math.round(r.right));});
document.getElementById('probe').textContent=JSON.stringify({viewport:w,scroll_width:e.scrollWidth,
client_width:e.clientWidth,height:d.body.scrollHeight,scripts:d.querySelectorAll('script').length,outside:out.slice(0,20)});
f.style.height=d.body.scrollHeight+'px';});"#;
    std::fs::write(
        &wrapper,
        format!(
            "<!doctype html><body style=\"margin:0\"><iframe id=\"f\" src=\"file://{}\" \
             style=\"border:0;width:{width}px;height:2000px\"></iframe><pre id=\"probe\"></pre>\
             <script>{probe}</script></body>",
            page.display()
        ),
    )
    .unwrap();
    let window = format!("--window-size={},1000", width.max(500));
    let o = chromium(dir)
        .args(["--allow-file-access-from-files", &window, "--dump-dom"])
        .arg(format!("file://{}", wrapper.display()))
        .output()
        .expect("browser runs");
    let dom = String::from_utf8_lossy(&o.stdout);
    let json = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| {
            panic!(
                "no probe result; browser said: {}",
                String::from_utf8_lossy(&o.stderr)
            )
        });
    let seen: serde_json::Value =
        serde_json::from_str(&json.replace("&quot;", "\"")).expect("probe JSON");
    if let Ok(keep) = std::env::var("SMSLENS_KEEP_SCREENSHOT") {
        let height = seen["height"].as_u64().unwrap_or(4000) + 50;
        let shot = Path::new(&keep).join(format!("page-{width}.png"));
        chromium(dir)
            .args([
                "--allow-file-access-from-files",
                &format!("--window-size={},{height}", width.max(500)),
            ])
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", wrapper.display()))
            .output()
            .expect("browser runs");
    }
    seen
}

#[test]
fn the_page_reads_at_phone_and_desktop_widths_without_sideways_scrolling() {
    let d = tempdir();
    let out = d.path().join("r");
    assert!(report(&[&samples()], &out).status.success());
    for width in [390, 1280] {
        let seen = layout_at(&out.join("index.html"), width, d.path());
        assert_eq!(seen["viewport"], width, "laid out at {width} px: {seen}");
        assert!(
            seen["scroll_width"].as_u64() <= seen["client_width"].as_u64(),
            "the page scrolls sideways at {width} px: {seen}"
        );
        assert_eq!(
            seen["outside"],
            serde_json::json!([]),
            "at {width} px: {seen}"
        );
        assert!(
            seen["height"].as_u64().unwrap() > 3000,
            "the whole page was laid out: {seen}"
        );
    }
}

#[test]
fn the_width_check_does_catch_a_page_that_is_too_wide() {
    let d = tempdir();
    let page = write(
        d.path(),
        "wide.html",
        b"<!doctype html><meta name=\"viewport\" content=\"width=device-width\"><body>\
          <p style=\"height:4000px\">ok</p><table><tr><td>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
          </td><td>bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb</td></tr></table></body>",
    );
    let seen = layout_at(&page, 390, d.path());
    assert!(
        seen["scroll_width"].as_u64() > seen["client_width"].as_u64(),
        "{seen}"
    );
    assert_ne!(seen["outside"], serde_json::json!([]), "{seen}");
}

#[test]
fn injected_markup_stays_text_in_a_real_browser() {
    let d = tempdir();
    let logs = write(d.path(), "in/evil.jsonl", &crate::page::hostile_logs());
    let out = d.path().join("r");
    assert!(report(&[logs.to_str().unwrap()], &out).status.success());
    let seen = layout_at(&out.join("index.html"), 1280, d.path());
    assert_eq!(
        seen["scripts"], 1,
        "only the page's own script element: {seen}"
    );
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

/// Rows of a report's CSV table, header first.
fn table_lines(out: &Path, name: &str) -> Vec<String> {
    std::fs::read_to_string(out.join("tables").join(format!("{name}.csv")))
        .expect("the table")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_locked_out_list_is_bounded_but_every_recipient_is_counted() {
    let d = tempdir();
    // Most numbers get one text, as in a sign-up surge: many recipients with only failures.
    for (seed, records, recipients) in [(3u64, 30_000usize, 25_000u64), (8, 12_000, 11_000)] {
        let mut cfg = smslens_gen::GenConfig::new(records, seed);
        cfg.recipients = Some(recipients);
        let input = d.path().join(format!("surge-{seed}.jsonl"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        smslens_gen::write_records(&mut w, &cfg).unwrap();
        drop(w);
        let input = input.to_str().unwrap();
        let all = d.path().join(format!("all-{seed}"));
        let top = d.path().join(format!("top-{seed}"));
        assert!(report(&[input, "--recipient-rows", "0"], &all)
            .status
            .success());
        assert!(report(&[input, "--recipient-rows", "40"], &top)
            .status
            .success());
        let every = table_lines(&all, "recipients_without_delivery");
        let worst = table_lines(&top, "recipients_without_delivery");
        let total = every.len() - 1;
        assert!(total > 40, "seed {seed}: {total} locked out");
        // The bounded list is the full list's first rows, ties at its edge decided the same way.
        assert_eq!(worst.len(), 41);
        assert_eq!(worst[..], every[..41]);
        // The page and its headline count all of them, whatever the table lists.
        for out in [&all, &top] {
            let html = index(out);
            assert!(
                html.contains(&format!("{total} recipients got only failures")),
                "seed {seed}"
            );
            assert!(html.contains(&format!("Top 25 of {total} by failed texts")));
        }
    }
}

/// Sets `p`'s modification time an hour back, as for a file exported earlier.
fn settle(p: &Path) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
}

/// What `sha256sum` prints for the file at `p`.
fn sha256_hex(p: &Path) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(p).unwrap())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn input_digests(out: &Path) -> Vec<String> {
    let js: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    js["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["sha256"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_report_into_its_own_folder_again_reuses_the_digests_of_unchanged_files() {
    let d = tempdir();
    let logs = d.path().join("logs");
    let (a, _) = generated_records(&logs, "a.jsonl", 300, 5);
    let (b, _) = generated_records(&logs, "b.jsonl", 200, 6);
    for p in [&a, &b] {
        settle(p);
    }
    let out = d.path().join("r");
    let logs = logs.to_str().unwrap();
    assert!(report(&[logs], &out).status.success());
    assert!(index(&out).contains("2 computed"));
    let first = input_digests(&out);

    assert!(report(&[logs], &out).status.success());
    assert!(index(&out).contains("0 computed, 2 reused from the previous report"));
    assert_eq!(input_digests(&out), first);

    // A file rewritten (same size, new content) is hashed again; the other is reused.
    let text = std::fs::read_to_string(&b).unwrap();
    std::fs::write(&b, text.replacen("SUCCESS", "FAILURE", 1).as_bytes()).unwrap();
    settle(&b);
    assert!(report(&[logs], &out).status.success());
    assert!(index(&out).contains("1 computed, 1 reused"));
    let third = input_digests(&out);
    assert_eq!(third[0], first[0]);
    assert_ne!(third[1], first[1]);
    assert_eq!(third[1], sha256_hex(&b));
}

#[test]
fn every_inputs_digest_is_its_sha256_however_the_file_was_read() {
    let d = tempdir();
    let logs = d.path().join("logs");
    // Parallel blocks (over 8 MiB, its last block short), one head (under 64 KiB), read in one stream
    // (between the two), and gzip (its compressed bytes).
    let (big, _) = generated_records(&logs, "big.jsonl", 40_000, 11);
    let (small, _) = generated_records(&logs, "small.jsonl", 120, 12);
    let (mid, _) = generated_records(&logs, "mid.jsonl", 9_000, 13);
    assert!(std::fs::metadata(&big).unwrap().len() > 8 << 20);
    assert!(std::fs::metadata(&small).unwrap().len() < 64 << 10);
    let gz = logs.join("mid.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::Write::write_all(&mut enc, &std::fs::read(&mid).unwrap()).unwrap();
    enc.finish().unwrap();
    let out = d.path().join("r");
    assert!(report(&[logs.to_str().unwrap()], &out).status.success());
    let js: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let inputs = js["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 4);
    for p in [&big, &small, &mid, &gz] {
        let want = sha256_hex(p);
        let name = p.file_name().unwrap().to_str().unwrap();
        let got = inputs
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} is listed"));
        assert_eq!(got["sha256"], want.as_str(), "{name}");
    }
}

//! What smslens promises about the user's files: it never writes into, over or around an input; a damaged
//! file loses only its damaged lines; one bad event costs only itself.

use std::path::{Path, PathBuf};

use crate::support::*;

/// Every file under `dir` with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A directory of logs and one unrelated file of the user's.
fn logs_dir(root: &Path) -> PathBuf {
    let logs = root.join("logs");
    generated_records(&logs, "march.jsonl", 200, 11);
    write(&logs, "notes/todo.txt", b"call the carrier\n");
    logs
}

#[test]
fn a_report_into_its_own_input_directory_is_refused_and_nothing_is_touched() {
    let d = tempdir();
    let logs = logs_dir(d.path());
    let before = snapshot(&logs);
    let o = run(&[
        "report",
        logs.to_str().unwrap(),
        "-o",
        logs.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("logs"),
        "names the directory: {}",
        stderr(&o)
    );
    assert_eq!(snapshot(&logs), before, "the inputs are untouched");
}

#[test]
fn a_report_into_the_inputs_parent_is_refused() {
    let d = tempdir();
    let logs = logs_dir(d.path());
    write(d.path(), "unrelated.txt", b"mine");
    let before = snapshot(d.path());
    let o = run(&[
        "report",
        logs.to_str().unwrap(),
        "-o",
        d.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(snapshot(d.path()), before);
}

#[test]
fn a_report_inside_an_input_directory_is_refused() {
    let d = tempdir();
    let logs = logs_dir(d.path());
    let o = run(&[
        "report",
        logs.to_str().unwrap(),
        "-o",
        logs.join("report").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("inside the input"), "{}", stderr(&o));
    assert!(!logs.join("report").exists());
}

#[test]
fn an_existing_file_or_foreign_directory_is_never_replaced() {
    let d = tempdir();
    let (records, _) = generated_records(d.path(), "in/r.jsonl", 50, 3);
    let file = write(d.path(), "out.html", b"my page");
    let o = run(&[
        "report",
        records.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(&file).unwrap(), b"my page");
    let foreign = d.path().join("photos");
    write(&foreign, "cat.jpg", b"\xff\xd8");
    let o = run(&[
        "report",
        records.to_str().unwrap(),
        "-o",
        foreign.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a report"), "{}", stderr(&o));
    assert_eq!(std::fs::read(foreign.join("cat.jpg")).unwrap(), b"\xff\xd8");
}

#[test]
fn a_previous_report_and_an_empty_directory_are_replaced() {
    let d = tempdir();
    let (records, _) = generated_records(d.path(), "in/r.jsonl", 50, 4);
    let out = d.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for _ in 0..2 {
        let o = run(&[
            "report",
            records.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(out.join("index.html").is_file());
    }
}

#[test]
fn a_report_found_inside_an_input_directory_is_not_read_as_input() {
    let d = tempdir();
    let logs = logs_dir(d.path());
    let expected = summary(&[logs.join("march.jsonl").to_str().unwrap()]);
    let out = d.path().join("r");
    assert!(run(&[
        "report",
        logs.to_str().unwrap(),
        "-o",
        out.to_str().unwrap()
    ])
    .status
    .success());
    // A user moves the report in beside the logs; the next run reads the logs alone.
    std::fs::rename(&out, logs.join("r")).unwrap();
    let v = summary(&[logs.to_str().unwrap()]);
    assert_eq!(v["events"], expected["events"]);
    assert_eq!(
        v["skipped_by_reason"]["smslens report directory"], 1,
        "{}",
        v["skipped_by_reason"]
    );
    assert_eq!(u(&v, "malformed"), 0, "{}", v["skipped_by_reason"]);
    assert_eq!(
        v["skipped_by_reason"]["not data"], 1,
        "notes/todo.txt: {}",
        v["skipped_by_reason"]
    );
}

#[test]
fn leftovers_of_a_killed_run_are_cleaned_and_nothing_else() {
    let d = tempdir();
    let (records, _) = generated_records(d.path(), "in/r.jsonl", 50, 5);
    let out = d.path().join("r");
    assert!(run(&[
        "report",
        records.to_str().unwrap(),
        "-o",
        out.to_str().unwrap()
    ])
    .status
    .success());
    // What a run killed midway leaves: a marked temporary copy. And a look-alike that is not ours.
    let stale = d.path().join(".r.tmp-4000000");
    copy_dir(&out, &stale);
    let lookalike = d.path().join(".r.old-4000001");
    write(&lookalike, "keep.txt", b"mine");
    assert!(run(&[
        "report",
        records.to_str().unwrap(),
        "-o",
        out.to_str().unwrap()
    ])
    .status
    .success());
    assert!(!stale.exists(), "the stale temporary directory is removed");
    assert!(
        lookalike.join("keep.txt").is_file(),
        "an unmarked directory is left alone"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for (p, bytes) in snapshot(from) {
        write(to, p.strip_prefix(from).unwrap().to_str().unwrap(), &bytes);
    }
}

/// The lines of `count` generated records, from several seeds so no test depends on one.
fn record_lines(dir: &Path, count: u32, seed: u64) -> (Vec<String>, serde_json::Value) {
    let (p, truth) = generated_records(dir, &format!("gen-{seed}.jsonl"), count, seed);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::remove_file(&p).unwrap();
    (text.lines().map(str::to_owned).collect(), truth)
}

#[test]
fn a_file_cut_mid_line_keeps_every_whole_record_and_counts_the_cut_one() {
    for seed in [21, 22, 23] {
        let d = tempdir();
        let (lines, _) = record_lines(d.path(), 50, seed);
        let body = lines.join("\n") + "\n";
        // `tail -c`: the first line loses its first 40 bytes.
        let cut = write(d.path(), "cut.jsonl", &body.as_bytes()[40..]);
        let v = summary(&[cut.to_str().unwrap()]);
        assert_eq!(
            u(&v, "events"),
            49,
            "seed {seed}: {}",
            v["skipped_by_reason"]
        );
        assert_eq!(u(&v, "malformed"), 1, "seed {seed}");
        assert_eq!(v["inputs"][0]["format"], "delivery-records");
        let o = run(&["summary", "--strict", cut.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(3), "--strict fails on the cut line");
        assert!(stderr(&o).contains("cut.jsonl: line 1:"), "{}", stderr(&o));
    }
}

#[test]
fn a_garbage_line_in_front_of_records_costs_only_itself() {
    let d = tempdir();
    let (lines, truth) = record_lines(d.path(), 50, 31);
    let body = format!("garbage from a bad copy\n{}\n", lines.join("\n"));
    let p = write(d.path(), "noisy.jsonl", body.as_bytes());
    let v = summary(&[p.to_str().unwrap()]);
    assert_eq!(v["events"], truth["unique"]);
    assert_eq!(u(&v, "malformed"), 1);
    assert!(
        v["skipped_examples"][0]["location"] == "line 1",
        "{}",
        v["skipped_examples"]
    );
}

/// A `filter-log-events` page of `records`, as the CLI writes it.
fn events_doc(records: &[String], first_ts: i64) -> serde_json::Value {
    let events: Vec<serde_json::Value> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::json!({
                "logStreamName": format!("stream-{i}"),
                "timestamp": first_ts + i as i64,
                "message": r,
                "ingestionTime": first_ts + i as i64 + 90,
                "eventId": format!("{}", 3_672_411_682_640_838_885u64 + i as u64),
            })
        })
        .collect();
    serde_json::json!({ "events": events, "searchedLogStreams": [] })
}

#[test]
fn one_wrong_typed_event_costs_only_itself_in_every_document_shape() {
    let d = tempdir();
    let (lines, _) = record_lines(d.path(), 30, 41);
    // filter-log-events: a message that is a number, a timestamp that is a string; then a second page.
    let mut page = events_doc(&lines[..20], 1_772_323_205_120);
    page["events"][3]["message"] = serde_json::json!(12345);
    page["events"][5]["timestamp"] = serde_json::json!("1772323205125");
    let page2 = events_doc(&lines[20..], 1_772_323_305_120);
    let fle = format!("{}\n{}\n", page, page2);
    let p = write(d.path(), "fle.json", fle.as_bytes());
    let v = summary(&[p.to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 29, "{}", v["skipped_by_reason"]);
    assert_eq!(v["skipped_by_reason"]["wrong field type"], 1);

    // Firehose: the same damage in the first of two concatenated DATA_MESSAGE documents, gzip-compressed.
    let fh_doc = |recs: &[String], bad: bool| {
        let mut events: Vec<serde_json::Value> = recs
            .iter()
            .enumerate()
            .map(|(i, r)| serde_json::json!({"id": format!("{i}"), "timestamp": 1_772_323_205_120i64 + i as i64, "message": r}))
            .collect();
        if bad {
            events[0]["message"] = serde_json::json!(["not", "a", "string"]);
        }
        serde_json::json!({"messageType": "DATA_MESSAGE", "owner": "111122223333",
            "logGroup": "sns/us-east-1/111122223333/DirectPublishToPhoneNumber", "logStream": "s",
            "subscriptionFilters": ["f"], "logEvents": events})
        .to_string()
    };
    let body = fh_doc(&lines[..10], true) + &fh_doc(&lines[10..], false);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, body.as_bytes()).unwrap();
    let p = write(d.path(), "firehose-object", &gz.finish().unwrap());
    let v = summary(&[p.to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 29, "{}", v["skipped_by_reason"]);
    assert_eq!(v["skipped_by_reason"]["wrong field type"], 1);

    // Insights JSON: one row whose @message value is an array.
    let rows: Vec<serde_json::Value> = lines
        .iter()
        .map(|r| serde_json::json!([{"field": "@timestamp", "value": "2026-03-01 00:00:05.120"}, {"field": "@message", "value": r}]))
        .collect();
    let mut doc = serde_json::json!({"results": rows, "statistics": {"recordsMatched": 30.0}, "status": "Complete"});
    doc["results"][0][1]["value"] = serde_json::json!([1]);
    let p = write(d.path(), "insights.json", doc.to_string().as_bytes());
    let v = summary(&[p.to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 29, "{}", v["skipped_by_reason"]);
    assert_eq!(v["skipped_by_reason"]["wrong field type"], 1);
}

#[test]
fn an_unbalanced_quote_in_an_insights_csv_costs_only_its_row() {
    let d = tempdir();
    let (lines, _) = record_lines(d.path(), 30, 51);
    let mut csv = String::from("@timestamp,@message\n");
    for (i, r) in lines.iter().enumerate() {
        let quoted = format!("\"{}\"", r.replace('"', "\"\""));
        if i == 2 {
            // The closing quote lost.
            csv.push_str(&format!(
                "2026-03-01 00:00:05.120,{}\n",
                &quoted[..quoted.len() - 1]
            ));
        } else {
            csv.push_str(&format!("2026-03-01 00:00:05.120,{quoted}\n"));
        }
    }
    let p = write(d.path(), "results.csv", csv.as_bytes());
    let v = summary(&[p.to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 29, "{}", v["skipped_by_reason"]);
    assert_eq!(u(&v, "malformed"), 1);
    assert_eq!(v["skipped_examples"][0]["location"], "line 4");
}

/// Records of a generated file, as lines.
fn some_records(d: &Path, n: u32, seed: u64) -> Vec<String> {
    record_lines(d, n, seed).0
}

#[cfg(target_os = "linux")]
#[test]
fn a_line_without_an_end_on_stdin_is_skipped_as_too_long_in_bounded_memory() {
    let d = tempdir();
    let recs = some_records(d.path(), 20, 61);
    let mut input = recs[..10].join("\n").into_bytes();
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'x', 150 << 20));
    input.push(b'\n');
    input.extend(recs[10..].join("\n").into_bytes());
    let mut cmd = bin();
    cmd.args(["summary", "--format", "json", "-"]);
    let (o, peak_kib) = run_measuring_peak(cmd, Some(input));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        u(&v, "events"),
        20,
        "the records on both sides of the long line"
    );
    assert_eq!(
        v["skipped_by_reason"]["line too long"], 1,
        "{}",
        v["skipped_by_reason"]
    );
    assert!(
        stderr(&o).contains("-: line 11: line too long"),
        "{}",
        stderr(&o)
    );
    assert!(
        peak_kib < 120 * 1024,
        "peak memory {peak_kib} KiB for a 150 MiB line"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_small_gzip_that_inflates_hugely_is_streamed_not_held() {
    let d = tempdir();
    let recs = some_records(d.path(), 5, 62);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let mut payload = recs.join("\n").into_bytes();
    payload.extend(b"\n");
    std::io::Write::write_all(&mut gz, &payload).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..200 {
        std::io::Write::write_all(&mut gz, &zeros).unwrap();
    }
    let p = write(d.path(), "bomb.jsonl.gz", &gz.finish().unwrap());
    assert!(
        std::fs::metadata(&p).unwrap().len() < 1 << 20,
        "small on disk"
    );
    let mut cmd = bin();
    cmd.args(["summary", "--format", "json", p.to_str().unwrap()]);
    let (o, peak_kib) = run_measuring_peak(cmd, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(u(&v, "events"), 5);
    assert_eq!(
        v["skipped_by_reason"]["line too long"], 1,
        "{}",
        v["skipped_by_reason"]
    );
    assert!(
        peak_kib < 120 * 1024,
        "peak memory {peak_kib} KiB for 200 MiB inflated"
    );
}

#[test]
fn the_line_cap_is_a_flag() {
    let d = tempdir();
    let (p, _) = generated_records(d.path(), "r.jsonl", 30, 63);
    let v = summary(&["--max-line-bytes", "100", p.to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 0);
    assert_eq!(v["skipped_by_reason"]["line too long"], 30);
    let o = run(&["summary", "--max-line-bytes", "0", p.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_shrinks_while_it_is_read_ends_the_run_cleanly() {
    let d = tempdir();
    let (p, _) = generated_records(d.path(), "big.jsonl", 120_000, 64);
    let full = std::fs::metadata(&p).unwrap().len();
    assert!(full > 32 << 20, "big enough to be read in parallel blocks");
    let child = bin()
        .args(["summary", "--format", "json", p.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&p)
        .unwrap()
        .set_len(full / 3)
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "no signal, a normal end: {}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Either the run read the file before it shrank, or saw it shrink and said so, or opened it shrunk.
    let left = std::fs::read(&p).unwrap();
    let whole_lines_left = left.iter().filter(|&&b| b == b'\n').count() as u64;
    let events = u(&v, "events");
    let said = stderr(&o).contains("shrank while it was read");
    assert!(
        events == 120_000 || said || events == whole_lines_left,
        "{events} records, {whole_lines_left} whole lines left: {}",
        stderr(&o)
    );
}

#[test]
fn impossible_numbers_and_times_are_skipped_with_a_reason_not_summed() {
    let d = tempdir();
    let rec = |price: &str, ts: &str| {
        format!(
            r#"{{"notification":{{"messageId":"{}","timestamp":"{ts}"}},"delivery":{{"destination":"+16175550118","priceInUSD":{price},"providerResponse":"Delivered"}},"status":"SUCCESS"}}"#,
            uuid_for(price, ts)
        )
    };
    let lines = [
        rec("0.00645", "2026-03-01 10:00:00.000"),
        rec("1e308", "2026-03-01 10:00:01.000"),
        rec("1e308", "2026-03-01 10:00:02.000"),
        rec("1e400", "2026-03-01 10:00:03.000"),
        rec("\"NaN\"", "2026-03-01 10:00:04.000"),
        rec("\"inf\"", "2026-03-01 10:00:05.000"),
        rec("-1000", "2026-03-01 10:00:06.000"),
        rec("0.00645", "9999-12-31 23:59:59.000"),
        rec("0.00645", "0000-01-01 00:00:00.000"),
        rec("0.00645", "2026-03-02 10:00:00.000"),
    ];
    let p = write(d.path(), "odd.jsonl", (lines.join("\n") + "\n").as_bytes());
    let v = summary(&[p.to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 2, "{}", v["skipped_by_reason"]);
    assert_eq!(v["skipped_by_reason"]["value out of range"], 8);
    assert!(
        (f(&v, "spend_usd") - 0.0129).abs() < 1e-9,
        "{}",
        v["spend_usd"]
    );
    assert_eq!(v["spend_by_month"].as_array().unwrap().len(), 1);
    let o = run(&["summary", "--strict", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("odd.jsonl: line 2: value out of range"),
        "{}",
        stderr(&o)
    );
}

/// A distinct, valid message id per test record.
fn uuid_for(a: &str, b: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in a.bytes().chain(b.bytes()) {
        h = (h ^ u64::from(byte)).wrapping_mul(0x1000_0000_01b3);
    }
    format!(
        "{:08x}-0000-4000-8000-{:012x}",
        h >> 32,
        h & 0xffff_ffff_ffff
    )
}

/// Numbers in the spellings they come in, each placed in a different string a log can carry.
const LEAKY: [&str; 5] = [
    "+14155550102",
    "+44 7700 900123",
    "+91-98450-12345",
    "16175550177",
    "+4915112345678",
];

fn leaky_inputs(dir: &Path) -> PathBuf {
    let rec = |i: u32, response: &str, carrier: &str, sms_type: &str, extra: &str| {
        format!(
            r#"{{"notification":{{"messageId":"{}","timestamp":"2026-03-01 10:00:0{i}.000"}},"delivery":{{"destination":"+16175550118","providerResponse":"{response}","phoneCarrier":"{carrier}","smsType":"{sms_type}"{extra}}},"status":"FAILURE"}}"#,
            uuid_for(response, &i.to_string())
        )
    };
    let lines = [
        rec(1, "+14155550102 is opted out", "AT&T", "Transactional", ""),
        rec(2, "Rejected for +44 7700 900123", "EE", "Transactional", ""),
        rec(
            3,
            "Unknown error attempting to reach phone",
            "Jio +91-98450-12345",
            "Transactional",
            "",
        ),
        rec(
            4,
            "Unknown error attempting to reach phone",
            "AT&T",
            "OTP 16175550177",
            "",
        ),
        rec(
            5,
            "Unknown error attempting to reach phone",
            "AT&T",
            "Transactional",
            r#","+4915112345678":1"#,
        ),
    ];
    let logs = dir.join("logs");
    write(
        &logs,
        "exportedlogs/task/+14155550102/000000",
        (lines.join("\n") + "\n").as_bytes(),
    );
    // A row of an Insights CSV whose @message is broken: its text lands in a skip's detail.
    write(
        &logs,
        "insights.csv",
        b"@timestamp,@message\n2026-03-01 10:00:00.000,\"{\"\"delivery\"\":{\"\"destination\"\":\"\"+44 7700 900123\"\"},\"\"status\"\":5}\"\n",
    );
    logs
}

fn leaks(text: &str) -> Vec<&'static str> {
    LEAKY.iter().copied().filter(|n| text.contains(n)).collect()
}

#[test]
fn phone_numbers_in_free_text_and_paths_are_masked_in_every_output() {
    let d = tempdir();
    let logs = leaky_inputs(d.path());
    for format in ["table", "json", "csv", "markdown"] {
        let o = run(&["summary", "--format", format, logs.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let all = stdout(&o) + &stderr(&o);
        assert_eq!(
            leaks(&all),
            Vec::<&str>::new(),
            "summary --format {format}:\n{all}"
        );
    }
    let out = d.path().join("report");
    let o = run(&[
        "report",
        logs.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut all = stdout(&o) + &stderr(&o);
    for (_, bytes) in snapshot(&out) {
        all.push_str(&String::from_utf8_lossy(&bytes));
    }
    assert_eq!(leaks(&all), Vec::<&str>::new(), "the report");
    assert!(
        all.contains("+1415•••0102 is opted out"),
        "masked, not dropped"
    );

    let o = run(&[
        "summary",
        "--format",
        "json",
        "--show-numbers",
        logs.to_str().unwrap(),
    ]);
    assert!(
        stdout(&o).contains("+14155550102 is opted out"),
        "--show-numbers shows them"
    );
}

#[cfg(unix)]
#[test]
fn directory_links_are_followed_once_and_odd_entries_are_named_not_fatal() {
    let d = tempdir();
    let logs = d.path().join("logs");
    let (_, truth) = generated_records(&logs.join("real"), "r.jsonl", 40, 71);
    let elsewhere = d.path().join("elsewhere");
    generated_records(&elsewhere, "more.jsonl", 25, 72);
    std::os::unix::fs::symlink(&elsewhere, logs.join("linked")).unwrap();
    std::os::unix::fs::symlink(&logs, logs.join("real/loop")).unwrap();
    std::os::unix::fs::symlink(d.path().join("nothing"), logs.join("dangling")).unwrap();
    let fifo = logs.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let v = summary(&[logs.to_str().unwrap()]);
    assert_eq!(
        u(&v, "events"),
        u(&truth, "unique") + 25,
        "the linked directory is read"
    );
    let r = &v["skipped_by_reason"];
    assert_eq!(r["symbolic link loop"], 1, "{r}");
    let odd = 1 + u64::from(made.is_ok_and(|s| s.success()));
    assert_eq!(
        r["not a regular file"], odd,
        "the dangling link and the FIFO: {r}"
    );
    assert_eq!(u(&v, "malformed"), 0, "none of these is damaged data");
    let o = run(&["summary", "--strict", logs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("dangling: whole file: not a regular file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_empty_stdin_says_there_was_no_input() {
    let o = bin()
        .args(["summary", "-"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(stderr(&o).contains("no input"), "{}", stderr(&o));
}

/// `smslens ARGS` as an unprivileged user (root reads every directory, whatever its mode), if this
/// machine can drop privileges; else as this user.
#[cfg(unix)]
fn as_unprivileged(args: &[&str]) -> std::process::Output {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let smslens = std::env::var_os("SMSLENS_TEST_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_smslens").into());
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(smslens);
        c
    } else {
        std::process::Command::new(smslens)
    };
    cmd.args(args).output().expect("smslens runs")
}

#[cfg(unix)]
#[test]
fn an_unreadable_subdirectory_is_named_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempdir();
    let logs = d.path().join("logs");
    let (_, truth) = generated_records(&logs.join("ok"), "r.jsonl", 30, 73);
    generated_records(&logs.join("locked"), "r.jsonl", 30, 74);
    let open = std::fs::Permissions::from_mode(0o755);
    for p in [d.path(), &logs, &logs.join("ok")] {
        std::fs::set_permissions(p, open.clone()).unwrap();
    }
    std::fs::set_permissions(
        logs.join("ok/r.jsonl"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::fs::set_permissions(logs.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = as_unprivileged(&["summary", "--format", "json", logs.to_str().unwrap()]);
    std::fs::set_permissions(logs.join("locked"), open).unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["events"], truth["unique"]);
    assert_eq!(
        v["skipped_by_reason"]["unreadable file"], 1,
        "{}",
        v["skipped_by_reason"]
    );
    assert!(
        stderr(&o).contains("logs/locked: whole file: unreadable file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn text_from_logs_cannot_run_in_a_spreadsheet_or_drive_a_terminal() {
    let d = tempdir();
    let rec = |i: u32, response: &str, carrier: &str| {
        serde_json::json!({"notification": {"messageId": uuid_for(response, &i.to_string()),
            "timestamp": format!("2026-03-01 10:00:0{i}.000")},
            "delivery": {"destination": "+16175550118", "providerResponse": response, "phoneCarrier": carrier},
            "status": "FAILURE"})
        .to_string()
    };
    let lines = [
        rec(
            1,
            "=HYPERLINK(\"http://evil.example\",\"click\")",
            "+Carrier",
        ),
        rec(2, "@SUM(A1:A9)", "-2+3"),
        rec(
            3,
            "screen \u{1b}[2J cleared \u{1b}]0;pwned\u{07}",
            "two\nlines",
        ),
    ];
    let p = write(d.path(), "evil.jsonl", (lines.join("\n") + "\n").as_bytes());
    for format in ["csv", "table", "markdown"] {
        let o = run(&["summary", "--format", format, p.to_str().unwrap()]);
        let out = stdout(&o) + &stderr(&o);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{07}'),
            "{format}: raw escapes:\n{out}"
        );
        assert!(
            !out.contains("two\nlines"),
            "{format}: a row split by a newline"
        );
        if format == "csv" {
            for cell in ["=HYPERLINK", "@SUM", "+Carrier", "-2+3"] {
                assert!(
                    !out.contains(&format!(",{cell}")) && !out.contains(&format!("\n{cell}")),
                    "a cell starting {cell} unneutralised:\n{out}"
                );
            }
            assert!(
                out.contains("'=HYPERLINK") || out.contains("\"'=HYPERLINK"),
                "{out}"
            );
        }
    }
    let out = d.path().join("r");
    let o = run(&["report", p.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains('\u{1b}'), "the verdict on stdout");
    let table = std::fs::read_to_string(out.join("tables/by_provider_response.csv")).unwrap();
    assert!(
        !table
            .lines()
            .any(|l| l.starts_with("=") || l.contains(",=")),
        "{table}"
    );
}

//! Bad input is counted by reason, named by file and line, and the run goes on; `--strict` fails it.

use crate::support::*;

#[test]
fn each_kind_of_bad_line_is_counted_and_located() {
    let o = run(&["summary", "--format", "json", &fixture("bad/mixed.jsonl")]);
    assert!(o.status.success(), "the run completes: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(u(&v, "events"), 5);
    let r = &v["skipped_by_reason"];
    assert_eq!(r["invalid JSON"], 1, "{r}");
    assert_eq!(r["not a delivery record"], 1, "{r}");
    assert_eq!(r["wrong field type"], 2, "{r}");
    assert_eq!(r["binary or non-UTF-8 data"], 1, "{r}");
    assert_eq!(r["blank line"], 1, "{r}");
    assert_eq!(u(&v, "malformed"), 5);
    let err = stderr(&o);
    for line in [
        "line 3: invalid JSON",
        "line 5: not a delivery record",
        "line 7: wrong field type",
        "line 8: wrong field type",
        "line 9: binary",
    ] {
        assert!(
            err.contains(&format!("mixed.jsonl: {line}")),
            "stderr names {line}: {err}"
        );
    }
    assert_eq!(v["inputs"][0]["records"], 5);
    assert_eq!(v["inputs"][0]["skipped"], 6);
}

#[test]
fn a_truncated_gzip_keeps_what_was_read_and_says_where_it_stopped() {
    let o = run(&[
        "summary",
        "--format",
        "json",
        &fixture("bad/truncated.jsonl.gz"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(u(&v, "events"), 17);
    assert_eq!(
        v["skipped_by_reason"]["truncated or corrupt gzip"], 1,
        "{}",
        v["skipped_by_reason"]
    );
    assert!(
        stderr(&o).contains("truncated.jsonl.gz: line 18: truncated or corrupt gzip"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn strict_turns_malformed_input_into_a_failing_exit() {
    let o = run(&["summary", "--strict", &fixture("bad/mixed.jsonl")]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Overview"),
        "the summary is still printed"
    );
    assert!(stderr(&o).contains("--strict"));
    // Clean input passes under --strict; expected non-records (write-test object) are not malformed.
    let o = run(&["summary", "--strict", &fixture("export")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn binary_garbage_and_unknown_files_never_panic() {
    let d = tempdir();
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..20000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.push((x & 0xff) as u8);
    }
    write(d.path(), "noise.bin", &noise);
    let mut gz = vec![0x1f, 0x8b];
    gz.extend_from_slice(&noise[..500]);
    write(d.path(), "fake.gz", &gz);
    write(d.path(), "empty.jsonl", b"");
    write(
        d.path(),
        "half.json",
        br#"{"events":[{"message":"{\"status\":\"SUCCESS\""#,
    );
    let o = run(&["summary", "--format", "json", d.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(u(&v, "events"), 0);
    assert!(u(&v, "malformed") >= 3, "{}", v["skipped_by_reason"]);
}

#[test]
fn a_missing_path_is_a_clear_error() {
    let o = run(&["summary", "/nonexistent/exports"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("/nonexistent/exports"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_flags_are_rejected_before_any_work() {
    let o = run(&["summary", "--since", "last tuesday", &fixture("bare.jsonl")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--since"), "{}", stderr(&o));
    let o = run(&[
        "summary",
        "--success-sample-rate",
        "0",
        &fixture("bare.jsonl"),
    ]);
    assert_eq!(o.status.code(), Some(1));
}

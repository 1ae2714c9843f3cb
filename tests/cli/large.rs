//! Inputs big enough to be parsed in parallel blocks (mapped files, gzip streams, stdin) give exactly the
//! generator's truth, and bad lines deep inside them are named by their real line number.

use std::io::Write;

use crate::support::*;

/// Generates `count` records (seed 7) into `dir/records.jsonl`; returns the path and the generator's truth.
fn generate(dir: &std::path::Path, count: u32) -> (std::path::PathBuf, serde_json::Value) {
    generated_records(dir, "records.jsonl", count, 7)
}

fn assert_matches_truth(v: &serde_json::Value, truth: &serde_json::Value) {
    assert_eq!(v["events"], truth["unique"]);
    assert_eq!(v["delivered"], truth["delivered"]);
    assert_eq!(v["failed"], truth["failed"]);
    assert!(
        (f(v, "spend_usd") - f(truth, "spend_usd")).abs() < 1e-6,
        "{} vs {}",
        v["spend_usd"],
        truth["spend_usd"]
    );
    assert_eq!(v["first_quota_failure_at"], truth["quota_exhausted_at"]);
    for (text, n) in truth["by_provider_response"].as_object().unwrap() {
        assert_eq!(response_count(v, text), n.as_u64().unwrap(), "{text}");
    }
}

#[test]
fn a_big_file_read_in_parallel_blocks_gives_the_generators_truth() {
    let d = tempdir();
    let (p, truth) = generate(d.path(), 40_000);
    assert!(
        std::fs::metadata(&p).unwrap().len() > 8 << 20,
        "big enough for the parallel path"
    );
    let v = summary(&[p.to_str().unwrap()]);
    assert_matches_truth(&v, &truth);
    assert_eq!(u(&v, "duplicates"), 0);

    // The same bytes gzip-compressed (decoded by a reader thread) and through stdin.
    let gz = d.path().join("records.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(&std::fs::read(&p).unwrap()).unwrap();
    enc.finish().unwrap();
    assert_matches_truth(&summary(&[gz.to_str().unwrap()]), &truth);
    let o = bin()
        .args(["summary", "--format", "json", "-"])
        .stdin(std::fs::File::open(&p).unwrap())
        .output()
        .unwrap();
    assert_matches_truth(&serde_json::from_slice(&o.stdout).unwrap(), &truth);
}

#[test]
fn bad_lines_deep_in_a_big_file_are_named_by_their_real_line_number() {
    let d = tempdir();
    let (p, _) = generate(d.path(), 40_000);
    let body = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<&str> = body.lines().collect();
    lines[29_999] = "{\"status\":\"SUCCESS\",";
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    let o = run(&["summary", p.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("records.jsonl: line 30000: invalid JSON"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn thousands_of_tiny_export_files_are_all_read() {
    // 6,000 streams: more than the 5,000 at which an earlier design overflowed a worker's stack.
    let d = tempdir();
    let cfg = smslens_gen::GenConfig::new(12_000, 1);
    let truth = smslens_gen::write_export_tree(d.path(), 6000, &cfg).expect("generate export tree");
    let truth = serde_json::to_value(truth).unwrap();
    let v = summary(&[d.path().to_str().unwrap()]);
    assert_matches_truth(&v, &truth);
    assert_eq!(v["inputs"].as_array().unwrap().len(), 6001);
    assert_eq!(v["skipped_by_reason"]["S3 export write-test object"], 1);
}

//! In-process throughput of `smslens summary`'s pipeline, without argument parsing or output: sources →
//! intake → collector (read, parse, dedupe, cube) then `Summary::build`, on N records written by
//! `smslens_gen` to a temp file. Best of 5, std timing only.
//!
//! cargo bench --bench ingest                                 (N = 300000)
//! SMSLENS_BENCH_RECORDS=2000000 cargo bench --bench ingest

use std::fs::File;
use std::io::BufWriter;
use std::time::{Duration, Instant};

use smslens::cli::common::{ingest_and_summarise, InputPlan};
use smslens::sources::open::Input;
use smslens_gen::{write_records, GenConfig};

const ROUNDS: usize = 5;

fn main() {
    let records: usize = match std::env::var("SMSLENS_BENCH_RECORDS") {
        Ok(v) => v
            .parse()
            .expect("SMSLENS_BENCH_RECORDS must be a whole number"),
        Err(_) => 300_000,
    };
    let path = std::env::temp_dir().join(format!(
        "smslens-bench-ingest-{}-{records}.jsonl",
        std::process::id()
    ));
    // what `smslens-gen records --count N --seed 1` writes
    let cfg = GenConfig::new(records, 1);
    {
        let mut w = BufWriter::new(File::create(&path).expect("create the temp file"));
        write_records(&mut w, &cfg).expect("generate records");
    }
    let bytes = std::fs::metadata(&path).expect("stat the temp file").len();
    let plan = InputPlan {
        paths: vec![path.clone()],
        inputs: vec![Input::File(path.clone())],
        walk_skips: Default::default(),
        window: Default::default(),
        strict: false,
        max_line_bytes: smslens::sources::open::MAX_LINE_BYTES,
        progress: false,
    };

    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let (_, summary) =
            ingest_and_summarise(&plan, Default::default(), Default::default()).expect("ingest");
        let elapsed = start.elapsed();
        assert_eq!(
            summary.events + summary.duplicates,
            records as u64,
            "every generated record is counted"
        );
        std::hint::black_box(&summary);
        times.push(elapsed);
    }
    let _ = std::fs::remove_file(&path);

    let best = times
        .iter()
        .copied()
        .min()
        .unwrap_or(Duration::ZERO)
        .as_secs_f64();
    let all: Vec<String> = times
        .iter()
        .map(|t| format!("{:.3}", t.as_secs_f64()))
        .collect();
    println!(
        "sources → intake → collector + Summary::build, {records} records, {:.1} MB ({} bytes)",
        bytes as f64 / 1e6,
        bytes
    );
    println!(
        "  best of {ROUNDS}: {best:.3} s  (all: {} s)",
        all.join(" ")
    );
    println!(
        "  {:.0} records/s, {:.1} MB/s",
        records as f64 / best,
        bytes as f64 / 1e6 / best
    );
}

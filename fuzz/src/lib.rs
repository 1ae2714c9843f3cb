//! What each fuzz target checks, on arbitrary bytes: a broken promise panics. The targets in
//! `fuzz_targets/` call these; smslens's own tests (`tests/cli/fuzz_corpus.rs`, which compiles this file too)
//! replay the committed corpora and past crashes through them.

use std::io::Write;

use smslens::domain::mask::mask_numbers_in;
use smslens::frame::{BatchBuilder, BatchConsumer, Intake, RecordBatch, Window};
use smslens::record::any::parse_any;
use smslens::record::fast::parse_fast_bytes;
use smslens::record::full::parse_record_full;
use smslens::record::Record;
use smslens::sources::open::from_bytes;
use smslens::sources::{
    csv, metric_csv, metric_data, metric_statistics, recognise, sms_attributes, spend_limits,
    user_pool,
};

/// The fast path agrees with the full parser or declines to read; no parser panics.
pub fn record_parsers(data: &[u8]) {
    let mut fast = Record::default();
    let accepted = parse_fast_bytes(data, &mut fast);
    match std::str::from_utf8(data) {
        Ok(text) => {
            let full = parse_record_full(text);
            if accepted {
                assert_eq!(
                    Ok(&fast),
                    full.as_ref(),
                    "the fast path read {text:?} otherwise"
                );
            }
            let _ = parse_any(text);
        }
        Err(_) => assert!(!accepted, "the fast path took bytes that are not UTF-8"),
    }
}

/// Batches are built (the frame) and dropped: the readers are what is fuzzed.
struct Discard;

impl BatchConsumer for Discard {
    fn absorb(&self, _: RecordBatch) {}
    fn fail(&self, e: smslens::frame::PolarsError) {
        panic!("an internal error building a batch: {e}");
    }
}

/// Any bytes as an input file: sniffed and read by the source that recognises it; for a line-shaped file,
/// every line is a record or a counted skip.
pub fn read_input(data: &[u8]) {
    let consumer = Discard;
    let intake = Intake::new(Window::default(), &consumer);
    let mut builder = BatchBuilder::default();
    let mut sink = intake.sink(&mut builder, 0, "fuzz-input");
    let Ok(content) = from_bytes(data.to_vec()) else {
        return;
    };
    let gzip = content.gzip;
    let Some((source, shape)) = recognise(&content.sniffing_head()) else {
        return;
    };
    source.read(content, &mut sink);
    let stats = std::mem::take(&mut sink.stats);
    drop(sink);
    intake.flush(&mut builder);
    let line_shaped = [
        "delivery-records",
        "cloudwatch-s3-export",
        "logs-tail",
        "base64-records",
    ];
    if !gzip && line_shaped.contains(&shape) {
        let text = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
        let lines = text.iter().filter(|&&b| b == b'\n').count() as u64
            + u64::from(!text.is_empty() && !text.ends_with(b"\n"));
        assert_eq!(
            stats.records + stats.skips.total(),
            lines,
            "{shape}: every line is a record or a skip"
        );
    }
    let _ = intake.finish(Vec::new(), Default::default());
}

/// The bytes behind gzip: compressed whole, and cut short.
pub fn gzip_input(data: &[u8]) {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    if gz.write_all(data).is_err() {
        return;
    }
    let Ok(compressed) = gz.finish() else { return };
    read_input(&compressed);
    let cut = compressed.len() * usize::from(data.first().copied().unwrap_or(0)) / 256;
    read_input(&compressed[..cut.max(2)]);
}

/// The metric, settings and CSV readers, on any bytes.
pub fn spend_readers(data: &[u8]) {
    let _ = metric_statistics::parse(data);
    let _ = metric_data::parse(data);
    let _ = sms_attributes::parse(data);
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = user_pool::parse(v.get("UserPool").unwrap_or(&v));
        if let Some(a) = v.get("SpendLimits").and_then(|l| l.as_array()) {
            let _ = spend_limits::parse(a);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = metric_csv::parse(text);
        if let Some((header, rows)) = csv::table(text) {
            for r in rows.iter().flatten() {
                assert!(r.line >= header.line, "rows come after the header");
            }
        }
        let _ = smslens::record::cognito::parse(text);
    }
}

/// No E.164-looking run survives masking: `+`, an optional `(`, then 7 or more digits with up to three
/// spaces, dots, dashes or brackets between two of them (`+44 7700 900123`, `+1 (617) 555-0118`).
pub fn mask(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let masked = mask_numbers_in(text);
    if let Some(run) = plus_number(&without_masked_digits(&masked)) {
        panic!("{run:?} survives masking of {text:?}: {masked:?}");
    }
}

/// `s` with the digits a masked number shows (`+1617•••0118`: the runs touching the bullets) as `x`:
/// next to other text they can look like a longer number, but they are the mask's, by design.
pub fn without_masked_digits(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = chars.clone();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '•' {
            i += 1;
            continue;
        }
        let mut a = i;
        while a > 0 && chars[a - 1].is_ascii_digit() {
            a -= 1;
            out[a] = 'x';
        }
        while i < chars.len() && chars[i] == '•' {
            i += 1;
        }
        while i < chars.len() && chars[i].is_ascii_digit() {
            out[i] = 'x';
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// The first `+` followed by such a run of 7 or more digits, if any.
pub fn plus_number(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    for (i, _) in s.match_indices('+') {
        let mut j = i + 1;
        if b.get(j) == Some(&b'(') {
            j += 1;
        }
        let (mut digits, mut seps, mut end) = (0, 0, j);
        while j < b.len() {
            match b[j] {
                b'0'..=b'9' => {
                    digits += 1;
                    seps = 0;
                    end = j + 1;
                }
                b' ' | b'.' | b'-' | b'(' | b')' if digits > 0 && seps < 3 => seps += 1,
                _ => break,
            }
            j += 1;
        }
        if digits >= 7 {
            return Some(&s[i..end]);
        }
    }
    None
}

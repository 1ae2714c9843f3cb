//! Line-oriented shapes: bare records, CloudWatch S3 export lines (`<ISO>Z <record>`) and `aws logs tail`
//! lines (`<time> [<stream>] <record>`). One parser serves all ([`parse`]): the record is the line from its
//! first `{`, and a leading timestamp, when present, is the fallback event time.
//!
//! Whatever the input, memory stays bounded and time linear: a line longer than the cap
//! (`--max-line-bytes`) is skipped as "line too long" without being held. Big plain files are read in
//! blocks by every worker at once ([`file`]); streams (gzip, stdin) are cut into blocks at line ends by one
//! reader ([`stream`]), and parsed in parallel when big.

mod file;
mod parse;
mod stream;

use super::head::{has_key, time_prefix, Head, TimePrefix};
use super::open::Content;
use super::Source;
use crate::frame::Sink;

/// Every line-shaped export (formats.md §1–3), read by one parser.
pub struct Lines;

const RECORD_LINES: &str = "delivery-records";
const EXPORT_LINES: &str = "cloudwatch-s3-export";
const TAIL_LINES: &str = "logs-tail";
const BASE64_LINES: &str = "base64-records";

/// Share of a head's non-blank lines that must be records for the file to be read line by line (the rest
/// are then counted as skipped lines). Low enough that a damaged file of records is read, high enough that
/// prose quoting a record or two (a README) is not.
const MIN_RECORD_SHARE_PCT: usize = 25;

impl Source for Lines {
    /// A vote over the head's lines, not the first line alone: a file cut mid-line (`tail -c`, `split -b`)
    /// or with a stray line in front is still read, and what does not fit is counted line by line.
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        if head.text.is_empty() {
            return Some(RECORD_LINES); // empty file: nothing to read, nothing to skip
        }
        let mut votes = [0usize; 4];
        let mut other = 0usize;
        for line in head.whole_lines().take(SAMPLE_LINES) {
            let line = line.trim_ascii();
            if line.is_empty() {
                continue;
            }
            match line_kind(line) {
                Some(i) => votes[i] += 1,
                None => other += 1,
            }
        }
        let records: usize = votes.iter().sum();
        if records == 0 || records * 100 < (records + other) * MIN_RECORD_SHARE_PCT {
            return None;
        }
        let best = (0..4).max_by_key(|&i| (votes[i], std::cmp::Reverse(i)))?;
        Some([RECORD_LINES, EXPORT_LINES, TAIL_LINES, BASE64_LINES][best])
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let max_line = content.max_line_bytes;
        if content.is_whole() {
            // Nearly every file of an S3 export: a few records, all in the head already.
            parse::parse_block(sink, &content.head, 1, max_line);
            return;
        }
        let big = content.size.is_none_or(|s| s >= PARALLEL_THRESHOLD);
        if big && content.head_error.is_none() {
            if let (Some(file), Some(size)) = (content.file.as_ref(), content.size) {
                let sha256 = content.block_sha256.as_deref();
                let stats =
                    file::read_parallel(sink, file, size, max_line, &content.read_bytes, sha256);
                sink.stats = std::mem::take(&mut sink.stats).merge(stats);
                return;
            }
        }
        if big {
            let stats = stream::read_parallel(sink, content);
            sink.stats = std::mem::take(&mut sink.stats).merge(stats);
        } else {
            stream::read_sequential(sink, content);
        }
    }
}

/// Keys that make a JSON line a record of some dialect, or an envelope or log around one: SNS, End User
/// Messaging, Pinpoint, EventBridge, an SNS notification, Cognito's error log.
const RECORD_KEYS: [&str; 8] = [
    "notification",
    "eventType",
    "status",
    "delivery",
    "event_type",
    "detail-type",
    "TopicArn",
    "eventSource",
];

/// Lines of the head that vote.
const SAMPLE_LINES: usize = 200;

/// What one whole line is: a record, bare (0) or after an export (1) or `aws logs tail` (2) prefix, or
/// base64-encoded (3, as Kinesis consumers see records).
fn line_kind(line: &[u8]) -> Option<usize> {
    let Some(open) = memchr::memchr(b'{', line) else {
        let decoded = parse::base64_record(line)?;
        return RECORD_KEYS
            .iter()
            .any(|k| has_key(&decoded, k))
            .then_some(3);
    };
    let kind = match open {
        0 => 0,
        _ => match time_prefix(line, open)? {
            TimePrefix::Export => 1,
            TimePrefix::Tail => 2,
        },
    };
    let json = &line[open..];
    RECORD_KEYS.iter().any(|k| has_key(json, k)).then_some(kind)
}

/// Inputs at least this big (on disk; streams of unknown size too) are parsed in parallel blocks.
pub const PARALLEL_THRESHOLD: u64 = 8 * 1024 * 1024;

/// Block size for parallel parsing.
const BLOCK: usize = 4 * 1024 * 1024;

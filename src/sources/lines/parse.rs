//! Parsing a block of whole lines: a line's record (from its first `{`, after an optional timestamp prefix)
//! goes straight to the fast parser, which checks UTF-8 itself (nearly free for ASCII); a line it declines is
//! validated and takes the general path, which also names what is wrong with it.

use crate::domain::time::parse_timestamp_ms;
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::{fast::parse_fast_bytes, Record};

/// Parses every line of `block`, whose first line is number `first_line` (1-based); returns the number of
/// lines read. A line longer than `max_line` bytes is skipped as too long.
pub fn parse_block(sink: &mut Sink<'_, '_>, block: &[u8], first_line: u64, max_line: usize) -> u64 {
    let mut line_no = first_line;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', block) {
        parse_line(sink, &block[start..end], line_no, max_line);
        line_no += 1;
        start = end + 1;
    }
    if start < block.len() {
        parse_line(sink, &block[start..], line_no, max_line);
        line_no += 1;
    }
    line_no - first_line
}

/// Counts a line too long to parse.
pub fn too_long(sink: &mut Sink<'_, '_>, line_no: u64, bytes: u64, max_line: usize) {
    sink.skip(
        SkipReason::LineTooLong,
        Loc::Line(line_no),
        format!("{bytes} bytes, over the --max-line-bytes cap of {max_line}"),
    );
}

fn parse_line(sink: &mut Sink<'_, '_>, line: &[u8], line_no: u64, max_line: usize) {
    if line.len() > max_line {
        return too_long(sink, line_no, line.len() as u64, max_line);
    }
    let trimmed = line.trim_ascii_end();
    // A bare record (nearly every line of a big file) needs no search and has no prefix.
    let open = match trimmed.first() {
        Some(b'{') => Some(0),
        _ => memchr::memchr(b'{', trimmed),
    };
    if let Some(open) = open {
        if let Ok(prefix) = std::str::from_utf8(&trimmed[..open]) {
            let mut rec = Record::default();
            if parse_fast_bytes(&trimmed[open..], &mut rec) {
                let time = if open == 0 { None } else { prefix_time(prefix) };
                return sink.record(&rec, time, Loc::Line(line_no));
            }
        }
    }
    match std::str::from_utf8(line) {
        Ok(text) => parse_text_line(sink, text, line_no),
        Err(_) => sink.skip(SkipReason::NonUtf8, Loc::Line(line_no), ""),
    }
}

fn parse_text_line(sink: &mut Sink<'_, '_>, line: &str, line_no: u64) {
    let loc = Loc::Line(line_no);
    let text = line.trim_end();
    if text.trim_start().is_empty() {
        return sink.skip(SkipReason::BlankLine, loc, "");
    }
    match text.find('{') {
        Some(i) => sink.text(&text[i..], prefix_time(&text[..i]), loc),
        None => match base64_record(text.trim().as_bytes()).map(String::from_utf8) {
            Some(Ok(json)) => sink.text(&json, None, loc),
            _ => sink.skip(SkipReason::InvalidJson, loc, "no JSON object on this line"),
        },
    }
}

/// A line that is a base64-encoded JSON object (Kinesis consumers see records so): the decoded bytes.
pub fn base64_record(line: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    let line = line.trim_ascii();
    let b64 = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=');
    if line.len() < 16 || !line.len().is_multiple_of(4) || !line.iter().all(b64) {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(line)
        .ok()?;
    (bytes.trim_ascii_start().first() == Some(&b'{')).then_some(bytes)
}

/// The time at the start of an export or `aws logs tail` line (`<ISO time>Z <record>`,
/// `<time> <stream> <record>`): the record's fallback event time. None for a bare record.
fn prefix_time(prefix: &str) -> Option<i64> {
    prefix
        .split_whitespace()
        .next()
        .and_then(parse_timestamp_ms)
}

//! Line-oriented shapes: bare records, CloudWatch S3 export lines (`<ISO>Z <record>`) and `aws logs tail`
//! lines (`<time> [<stream>] <record>`). One parser serves all: the record is the line from its first `{`,
//! and a leading timestamp, when present, is the fallback event time.
//!
//! Big inputs are cut into blocks at line boundaries by a reader thread and parsed in parallel; the
//! channel between them is bounded, so memory stays flat whatever the file size.

use std::io::{self, Read};
use std::sync::mpsc::sync_channel;
use std::sync::Mutex;

use super::head::{export_line, has_key, tail_line, Head};
use super::open::{read_full, Content};
use super::{workers, Source};
use crate::domain::time::parse_timestamp_ms;
use crate::frame::{BatchBuilder, FileStats, Intake, Loc, Sink, SkipReason};

/// Every line-shaped export (formats.md §1–3), read by one parser.
pub struct Lines;

const RECORD_LINES: &str = "delivery-records";
const EXPORT_LINES: &str = "cloudwatch-s3-export";
const TAIL_LINES: &str = "logs-tail";

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
        let mut votes = [0usize; 3];
        let mut other = 0usize;
        for line in head.whole_lines() {
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
        let best = (0..3).max_by_key(|&i| (votes[i], std::cmp::Reverse(i)))?;
        Some([RECORD_LINES, EXPORT_LINES, TAIL_LINES][best])
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let big = content.size.is_none_or(|s| s >= PARALLEL_THRESHOLD);
        if big && content.head_error.is_none() {
            // SAFETY: the map is read-only and lives only for this call; smslens reads exports, it does not
            // expect them to change under it (if one is truncated meanwhile, reading it may fault).
            if let Some(map) = content
                .file
                .as_ref()
                .and_then(|f| unsafe { memmap2::Mmap::map(f) }.ok())
            {
                let stats = read_mapped(sink.intake(), sink.source(), sink.path(), &map);
                sink.stats = std::mem::take(&mut sink.stats).merge(stats);
                return;
            }
        }
        let reason = content.read_error_reason();
        let mut reader = content.into_reader();
        if big {
            let stats = read_parallel(sink.intake(), sink.source(), sink.path(), reader, reason);
            sink.stats = std::mem::take(&mut sink.stats).merge(stats);
        } else {
            read_sequential(sink, &mut reader, reason);
        }
    }
}

/// What one whole line is: a record, bare (0) or after an export (1) or `aws logs tail` (2) prefix.
fn line_kind(line: &[u8]) -> Option<usize> {
    let open = memchr::memchr(b'{', line)?;
    let json = &line[open..];
    if !(has_key(json, "notification") || has_key(json, "delivery") || has_key(json, "status")) {
        return None;
    }
    if open == 0 {
        Some(0)
    } else if export_line().is_match(line) {
        Some(1)
    } else if tail_line().is_match(line) {
        Some(2)
    } else {
        None
    }
}

/// Block size for parallel parsing.
const BLOCK: usize = 4 * 1024 * 1024;
/// Inputs at least this big (on disk) are parsed in parallel blocks.
pub const PARALLEL_THRESHOLD: u64 = 8 * 1024 * 1024;

/// Parses every line of `block`, whose first line is number `first_line` (1-based); returns the number of
/// lines read.
pub fn parse_block(sink: &mut Sink<'_, '_>, block: &[u8], first_line: u64) -> u64 {
    let mut line_no = first_line;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', block) {
        parse_line(sink, &block[start..end], line_no);
        line_no += 1;
        start = end + 1;
    }
    if start < block.len() {
        parse_line(sink, &block[start..], line_no);
        line_no += 1;
    }
    line_no - first_line
}

/// A line's record (from its first `{`, after an optional timestamp prefix) goes straight to the fast
/// parser, which checks UTF-8 itself (nearly free for ASCII); a line it declines is validated and takes
/// the general path, which also names what is wrong with it.
fn parse_line(sink: &mut Sink<'_, '_>, line: &[u8], line_no: u64) {
    let trimmed = line.trim_ascii_end();
    // A bare record (nearly every line of a big file) needs no search and has no prefix.
    let open = match trimmed.first() {
        Some(b'{') => Some(0),
        _ => memchr::memchr(b'{', trimmed),
    };
    if let Some(open) = open {
        if let Ok(prefix) = std::str::from_utf8(&trimmed[..open]) {
            let mut rec = crate::record::Record::default();
            if crate::record::fast::parse_fast_bytes(&trimmed[open..], &mut rec) {
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
        None => sink.skip(SkipReason::InvalidJson, loc, "no JSON object on this line"),
    }
}

/// The time at the start of an export or `aws logs tail` line (`<ISO time>Z <record>`,
/// `<time> <stream> <record>`): the record's fallback event time. None for a bare record.
fn prefix_time(prefix: &str) -> Option<i64> {
    prefix
        .split_whitespace()
        .next()
        .and_then(parse_timestamp_ms)
}

/// A block of whole lines and the number of its first line.
struct Block {
    data: Vec<u8>,
    first_line: u64,
}

/// Reads `reader` in blocks cut at line ends; calls `emit` for each; returns the read error that ended it, if
/// any, with the line number where it happened. The partial line before an error is dropped (and reported).
fn read_blocks(
    reader: &mut dyn Read,
    mut emit: impl FnMut(Block) -> bool,
) -> Option<(io::Error, u64)> {
    let mut carry: Vec<u8> = Vec::new();
    let mut line = 1u64;
    loop {
        let mut buf = std::mem::take(&mut carry);
        let old = buf.len();
        buf.resize(old + BLOCK, 0);
        let (got, err) = read_full(reader, &mut buf[old..]);
        buf.truncate(old + got);
        let at_end = got == 0 || err.is_some();
        if at_end && err.is_none() {
            if !buf.is_empty() {
                emit(Block {
                    data: buf,
                    first_line: line,
                });
            }
            return None;
        }
        // Cut after the last newline; the tail waits for the next read.
        let cut = memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1);
        carry = buf.split_off(cut);
        let lines = memchr::memchr_iter(b'\n', &buf).count() as u64;
        if !buf.is_empty()
            && !emit(Block {
                data: buf,
                first_line: line,
            })
        {
            return None;
        }
        line += lines;
        if let Some(e) = err {
            return Some((e, line));
        }
    }
}

/// Reads a whole (small) line-oriented input in this thread, into the caller's builder. The buffer is sized
/// by the content: an S3 export is thousands of files of a few hundred bytes.
fn read_sequential(sink: &mut Sink<'_, '_>, reader: &mut dyn Read, reason: SkipReason) {
    let mut data = Vec::new();
    match reader.read_to_end(&mut data) {
        Ok(_) => {
            parse_block(sink, &data, 1);
        }
        Err(e) => {
            // Keep the whole lines read before the error; the partial one is part of what the error cost.
            let cut = memchr::memrchr(b'\n', &data).map_or(0, |i| i + 1);
            let lines = parse_block(sink, &data[..cut], 1);
            sink.skip(
                reason,
                Loc::Line(lines + 1),
                format!("reading stopped: {e}"),
            );
        }
    }
}

/// Parses a big plain file in place: the file is mapped, cut into blocks at line ends, and the blocks are
/// parsed in parallel. Line numbers are local to each block while parsing and shifted afterwards.
fn read_mapped(intake: &Intake<'_>, source: u32, path: &str, mmap: &memmap2::Mmap) -> FileStats {
    let map: &[u8] = mmap;
    let _ = mmap.advise(memmap2::Advice::Sequential);
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < map.len() {
        let mut end = (start + BLOCK).min(map.len());
        if end < map.len() {
            end = match memchr::memrchr(b'\n', &map[start..end]) {
                Some(i) => start + i + 1,
                // A line longer than a block: extend to its end.
                None => memchr::memchr(b'\n', &map[end..]).map_or(map.len(), |i| end + i + 1),
            };
        }
        blocks.push(start..end);
        start = end;
    }
    // One builder per worker thread: batches stay full and memory stays flat.
    let parsed = workers::run_indexed(intake, blocks.len(), |builder, i| {
        let range = blocks[i].clone();
        let mut sink = intake.sink(builder, source, path);
        let lines = parse_block(&mut sink, &map[range.clone()], 1);
        release(mmap, range);
        (sink.stats, lines)
    });
    let mut stats = FileStats::default();
    let mut before = 0;
    for (mut s, lines) in parsed {
        s.skips.shift_lines(before);
        before += lines;
        stats = stats.merge(s);
    }
    stats
}

/// Done with these pages: drop them from this process so resident memory stays flat (they stay in the page
/// cache). Whole pages only; a failure just keeps them resident.
fn release(mmap: &memmap2::Mmap, range: std::ops::Range<usize>) {
    let page = 4096;
    let from = range.start.div_ceil(page) * page;
    let to = range.end / page * page;
    if to > from {
        // SAFETY: nothing reads this range again; the mapping is read-only and file-backed, so the pages
        // would be re-read from the file if it were.
        let _ = unsafe {
            mmap.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from)
        };
    }
}

/// Reads a big input: one thread reads and cuts blocks, worker threads parse them (one per core).
/// Plain threads over a shared receiver rather than `par_bridge`: a blocking channel inside rayon's
/// bridge serialised the workers.
fn read_parallel(
    intake: &Intake<'_>,
    source: u32,
    path: &str,
    mut reader: Box<dyn Read + Send>,
    reason: SkipReason,
) -> FileStats {
    let (tx, rx) = sync_channel::<Block>(4);
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || read_blocks(&mut *reader, |b| tx.send(b).is_ok()));
        let handles: Vec<_> = (0..workers::count())
            .map(|_| {
                let rx = &rx;
                scope.spawn(move || {
                    let mut builder = BatchBuilder::default();
                    let mut stats = FileStats::default();
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        let Ok(Ok(block)) = next else { break };
                        let mut sink = intake.sink(&mut builder, source, path);
                        parse_block(&mut sink, &block.data, block.first_line);
                        stats = stats.merge(sink.stats);
                    }
                    intake.flush(&mut builder);
                    stats
                })
            })
            .collect();
        let mut stats = FileStats::default();
        for h in handles {
            stats = stats.merge(h.join().unwrap_or_default());
        }
        let ended = reading
            .join()
            .unwrap_or_else(|_| Some((io::Error::other("reader thread panicked"), 0)));
        if let Some((e, line)) = ended {
            let mut builder = BatchBuilder::default();
            let mut sink = intake.sink(&mut builder, source, path);
            sink.skip(reason, Loc::Line(line), format!("reading stopped: {e}"));
            stats = stats.merge(sink.stats);
        }
        stats
    })
}

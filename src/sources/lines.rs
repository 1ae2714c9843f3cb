//! Line-oriented shapes: bare records, CloudWatch S3 export lines (`<ISO>Z <record>`) and `aws logs tail`
//! lines (`<time> [<stream>] <record>`). One parser serves all: the record is the line from its first `{`,
//! and a leading timestamp, when present, is the fallback event time.
//!
//! Big inputs are cut into blocks at line boundaries by a reader thread and parsed in parallel; the
//! channel between them is bounded, so memory stays flat whatever the file size.

use std::io::{self, Read};
use std::sync::mpsc::sync_channel;
use std::sync::Mutex;

use super::open::read_full;
use super::{flush, workers, FileStats, Loc, Sink, SkipReason};
use crate::analysis::collector::Collector;
use crate::frame::BatchBuilder;
use crate::timefmt::parse_timestamp_ms;

/// Block size for parallel parsing.
const BLOCK: usize = 4 * 1024 * 1024;
/// Inputs at least this big (on disk) are parsed in parallel blocks.
pub const PARALLEL_THRESHOLD: u64 = 8 * 1024 * 1024;

/// Parses every line of `block`, whose first line is number `first_line` (1-based); returns the number of
/// lines read.
pub fn parse_block(sink: &mut Sink<'_>, block: &[u8], first_line: u64) -> u64 {
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
fn parse_line(sink: &mut Sink<'_>, line: &[u8], line_no: u64) {
    let trimmed = line.trim_ascii_end();
    // A bare record (nearly every line of a big file) needs no search and has no prefix.
    let open = match trimmed.first() {
        Some(b'{') => Some(0),
        _ => memchr::memchr(b'{', trimmed),
    };
    if let Some(open) = open {
        if let Ok(prefix) = std::str::from_utf8(&trimmed[..open]) {
            let mut rec = crate::record::Record::default();
            if crate::record_fast::parse_fast_bytes(&trimmed[open..], &mut rec) {
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

fn parse_text_line(sink: &mut Sink<'_>, line: &str, line_no: u64) {
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
pub fn read_sequential(sink: &mut Sink<'_>, reader: &mut dyn Read, gzip: bool) {
    let mut data = Vec::new();
    match reader.read_to_end(&mut data) {
        Ok(_) => {
            parse_block(sink, &data, 1);
        }
        Err(e) => {
            // Keep the whole lines read before the error; the partial one is part of what the error cost.
            let cut = memchr::memrchr(b'\n', &data).map_or(0, |i| i + 1);
            let lines = parse_block(sink, &data[..cut], 1);
            report_read_error(sink, e, lines + 1, gzip);
        }
    }
}

fn report_read_error(sink: &mut Sink<'_>, e: io::Error, line: u64, gzip: bool) {
    let reason = if gzip {
        SkipReason::CorruptGzip
    } else {
        SkipReason::Unreadable
    };
    sink.skip(reason, Loc::Line(line), format!("reading stopped: {e}"));
}

/// Parses a big plain file in place: the file is mapped, cut into blocks at line ends, and the blocks are
/// parsed in parallel. Line numbers are local to each block while parsing and shifted afterwards.
pub fn read_mapped(
    collector: &Collector,
    source: u32,
    path: &str,
    mmap: &memmap2::Mmap,
) -> FileStats {
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
    let parsed = workers::run_indexed(collector, blocks.len(), |builder, i| {
        let range = blocks[i].clone();
        let mut sink = Sink::new(collector, builder, source, path);
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
pub fn read_parallel(
    collector: &Collector,
    source: u32,
    path: &str,
    mut reader: Box<dyn Read + Send>,
    gzip: bool,
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
                        let mut sink = Sink::new(collector, &mut builder, source, path);
                        parse_block(&mut sink, &block.data, block.first_line);
                        stats = stats.merge(sink.stats);
                    }
                    flush(collector, &mut builder);
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
            let mut sink = Sink::new(collector, &mut builder, source, path);
            report_read_error(&mut sink, e, line, gzip);
            stats = stats.merge(sink.stats);
        }
        stats
    })
}

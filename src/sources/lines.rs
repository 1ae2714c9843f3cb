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
use super::{flush, FileStats, Loc, SkipReason, Sink};
use crate::analysis::collector::Collector;
use crate::frame::BatchBuilder;
use crate::timefmt::parse_timestamp_ms;

/// Block size for parallel parsing.
const BLOCK: usize = 4 * 1024 * 1024;
/// Inputs at least this big (on disk) are parsed in parallel blocks.
pub const PARALLEL_THRESHOLD: u64 = 8 * 1024 * 1024;

/// Parses every line of `block`, whose first line is number `first_line` (1-based).
pub fn parse_block(sink: &mut Sink<'_>, block: &[u8], first_line: u64) {
    let mut line_no = first_line;
    let mut start = 0;
    while start < block.len() {
        let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
        parse_line(sink, &block[start..end], line_no);
        line_no += 1;
        start = end + 1;
    }
}

fn parse_line(sink: &mut Sink<'_>, line: &[u8], line_no: u64) {
    let loc = Loc::Line(line_no);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return sink.skip(SkipReason::BlankLine, loc, "");
    }
    let Ok(text) = std::str::from_utf8(line) else {
        return sink.skip(SkipReason::NonUtf8, loc, "");
    };
    let text = text.trim_end();
    if text.starts_with('{') {
        return sink.text(text, None, loc);
    }
    match text.find('{') {
        Some(i) => {
            let prefix_time = text[..i].split_whitespace().next().and_then(parse_timestamp_ms);
            sink.text(&text[i..], prefix_time, loc)
        }
        None => sink.skip(SkipReason::InvalidJson, loc, "no JSON object on this line"),
    }
}

/// A block of whole lines and the number of its first line.
struct Block {
    data: Vec<u8>,
    first_line: u64,
}

/// Reads `reader` in blocks cut at line ends; calls `emit` for each; returns the read error that ended it, if
/// any, with the line number where it happened. The partial line before an error is dropped (and reported).
fn read_blocks(reader: &mut dyn Read, mut emit: impl FnMut(Block) -> bool) -> Option<(io::Error, u64)> {
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
                emit(Block { data: buf, first_line: line });
            }
            return None;
        }
        // Cut after the last newline; the tail waits for the next read.
        let cut = memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1);
        carry = buf.split_off(cut);
        let lines = memchr::memchr_iter(b'\n', &buf).count() as u64;
        if !buf.is_empty() && !emit(Block { data: buf, first_line: line }) {
            return None;
        }
        line += lines;
        if let Some(e) = err {
            return Some((e, line));
        }
    }
}

/// Reads a whole line-oriented input in this thread, into the caller's builder.
pub fn read_sequential(sink: &mut Sink<'_>, reader: &mut dyn Read, gzip: bool) {
    if let Some((e, line)) = read_blocks(reader, |b| {
        parse_block(sink, &b.data, b.first_line);
        true
    }) {
        report_read_error(sink, e, line, gzip);
    }
}

fn report_read_error(sink: &mut Sink<'_>, e: io::Error, line: u64, gzip: bool) {
    let reason = if gzip { SkipReason::CorruptGzip } else { SkipReason::Unreadable };
    sink.skip(reason, Loc::Line(line), format!("reading stopped: {e}"));
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
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || read_blocks(&mut *reader, |b| tx.send(b).is_ok()));
        let handles: Vec<_> = (0..workers)
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
        let ended = reading.join().unwrap_or_else(|_| Some((io::Error::other("reader thread panicked"), 0)));
        if let Some((e, line)) = ended {
            let mut builder = BatchBuilder::default();
            let mut sink = Sink::new(collector, &mut builder, source, path);
            report_read_error(&mut sink, e, line, gzip);
            stats = stats.merge(sink.stats);
        }
        stats
    })
}

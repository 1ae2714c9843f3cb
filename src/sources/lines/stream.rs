//! Line-shaped streams (gzip, stdin, small files): one reader cuts the stream into blocks of whole lines;
//! small inputs are parsed as they come, big ones by every worker. A line over the cap is never held: the
//! reader counts its bytes and drops them until the line ends, so time is linear and memory bounded.

use std::io::{self, Read};
use std::sync::mpsc::sync_channel;
use std::sync::Mutex;

use super::parse::{parse_block, too_long};
use super::BLOCK;
use crate::frame::{BatchBuilder, FileStats, Loc, Sink};
use crate::sources::open::{read_full, Content};
use crate::sources::workers;

/// What the reader hands on, in stream order.
pub enum Piece {
    /// Whole lines (the last one of the stream may lack its newline), and the number of the first.
    Lines { data: Vec<u8>, first_line: u64 },
    /// A line over the cap, dropped unread: its number and length.
    TooLong { line: u64, bytes: u64 },
}

/// First read size: most streams are small; reads double up to [`BLOCK`].
const FIRST_READ: usize = 64 * 1024;

/// Cuts `reader` into pieces for `emit` (which returns false to stop). Returns the read error that ended
/// the stream, if any, with the number of the line it cut short (that partial line is not emitted).
pub fn cut(
    reader: &mut dyn Read,
    max_line: usize,
    mut emit: impl FnMut(Piece) -> bool,
) -> Option<(io::Error, u64)> {
    let mut carry: Vec<u8> = Vec::new();
    let mut line = 1u64;
    // Bytes so far of a line over the cap, being dropped.
    let mut dropping: Option<u64> = None;
    let mut chunk = FIRST_READ;
    loop {
        let mut buf = std::mem::take(&mut carry);
        let old = buf.len();
        buf.resize(old + chunk, 0);
        let (got, err) = read_full(reader, &mut buf[old..]);
        buf.truncate(old + got);
        chunk = (chunk * 2).min(BLOCK);
        let at_end = got == 0 || err.is_some();
        if let Some(bytes) = dropping {
            match memchr::memchr(b'\n', &buf) {
                None => {
                    dropping = Some(bytes + buf.len() as u64);
                    if at_end {
                        emit(Piece::TooLong {
                            line,
                            bytes: bytes + buf.len() as u64,
                        });
                        return err.map(|e| (e, line + 1));
                    }
                    continue;
                }
                Some(i) => {
                    if !emit(Piece::TooLong {
                        line,
                        bytes: bytes + i as u64,
                    }) {
                        return None;
                    }
                    line += 1;
                    dropping = None;
                    buf.drain(..=i);
                }
            }
        }
        if at_end && err.is_none() {
            if !buf.is_empty() {
                emit(Piece::Lines {
                    data: buf,
                    first_line: line,
                });
            }
            return None;
        }
        // Cut after the last newline; the rest waits for the next read.
        let cut = memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1);
        carry = buf.split_off(cut);
        let lines = memchr::memchr_iter(b'\n', &buf).count() as u64;
        if !buf.is_empty()
            && !emit(Piece::Lines {
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
        if carry.len() > max_line {
            dropping = Some(carry.len() as u64);
            carry = Vec::new();
        }
    }
}

fn take_piece(sink: &mut Sink<'_, '_>, piece: Piece, max_line: usize) {
    match piece {
        Piece::Lines { data, first_line } => {
            parse_block(sink, &data, first_line, max_line);
        }
        Piece::TooLong { line, bytes } => too_long(sink, line, bytes, max_line),
    }
}

/// Reads a small input in this thread, into the caller's sink.
pub fn read_sequential(sink: &mut Sink<'_, '_>, content: Content) {
    let reason = content.read_error_reason();
    let max_line = content.max_line_bytes;
    let mut reader = content.into_reader();
    let ended = cut(&mut reader, max_line, |piece| {
        take_piece(sink, piece, max_line);
        true
    });
    if let Some((e, line)) = ended {
        sink.skip(reason, Loc::Line(line), format!("reading stopped: {e}"));
    }
}

/// Reads a big stream: one thread reads and cuts, every worker parses (one per core). Plain threads over a
/// shared receiver rather than `par_bridge`: a blocking channel inside rayon's bridge serialised the
/// workers. The channel is bounded, so memory stays flat whatever the size.
pub fn read_parallel(sink: &Sink<'_, '_>, content: Content) -> FileStats {
    let (intake, source, path) = (sink.intake(), sink.source(), sink.path());
    let reason = content.read_error_reason();
    let max_line = content.max_line_bytes;
    let mut reader = content.into_reader();
    let (tx, rx) = sync_channel::<Piece>(4);
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || cut(&mut *reader, max_line, |p| tx.send(p).is_ok()));
        let handles: Vec<_> = (0..workers::count())
            .map(|_| {
                let rx = &rx;
                scope.spawn(move || {
                    let mut builder = BatchBuilder::default();
                    let mut stats = FileStats::default();
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        let Ok(Ok(piece)) = next else { break };
                        let mut s = intake.sink(&mut builder, source, path);
                        take_piece(&mut s, piece, max_line);
                        stats = stats.merge(s.stats);
                    }
                    intake.flush(&mut builder);
                    stats
                })
            })
            .collect();
        let mut stats = FileStats::default();
        for h in handles {
            stats = stats.merge(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        let ended = reading
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        if let Some((e, line)) = ended {
            let mut builder = BatchBuilder::default();
            let mut s = intake.sink(&mut builder, source, path);
            s.skip(reason, Loc::Line(line), format!("reading stopped: {e}"));
            stats = stats.merge(s.stats);
        }
        stats
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &[u8], max_line: usize) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        let end = cut(&mut &text[..], max_line, |p| {
            match p {
                Piece::Lines { data, first_line } => {
                    for (i, l) in String::from_utf8_lossy(&data).lines().enumerate() {
                        out.push((first_line + i as u64, l.to_owned()));
                    }
                }
                Piece::TooLong { line, bytes } => out.push((line, format!("<{bytes} bytes>"))),
            }
            true
        });
        assert!(end.is_none());
        out
    }

    #[test]
    fn long_lines_are_dropped_and_numbered_and_the_rest_read() {
        let long = "x".repeat(300_000);
        let text = format!("a\n{long}\nb\n{long}");
        let got = pieces(text.as_bytes(), 1000);
        assert_eq!(
            got,
            vec![
                (1, "a".to_owned()),
                (2, "<300000 bytes>".to_owned()),
                (3, "b".to_owned()),
                (4, "<300000 bytes>".to_owned())
            ]
        );
    }

    #[test]
    fn short_lines_pass_whole_whatever_the_read_sizes() {
        let text: String = (0..50_000).map(|i| format!("line {i}\n")).collect();
        let got = pieces(text.as_bytes(), 100);
        assert_eq!(got.len(), 50_000);
        assert_eq!(got[49_999], (50_000, "line 49999".to_owned()));
    }
}

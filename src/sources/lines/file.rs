//! Big plain files: cut into blocks by offset, every worker reading its own blocks with positioned reads.
//! No reader thread and no memory map: a file that shrinks while it is read ends early and says so, where
//! a mapped one would kill the process (SIGBUS). A line belongs to the block it starts in; its number is
//! known once the blocks before it are counted, so numbers are local while parsing and shifted after.

use std::cell::RefCell;
use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use super::parse::{parse_block, too_long};
use super::BLOCK;
use crate::frame::{FileStats, Loc, Sink, SkipReason};
use crate::sources::digest::{BlockSha256, Turn};
use crate::sources::open::ReadBytes;
use crate::sources::workers;

/// Reads `size` bytes of `file` in parallel blocks, counting them in `read_bytes`, and feeding each block
/// to `sha256` when there is one.
pub fn read_parallel(
    sink: &Sink<'_, '_>,
    file: &File,
    size: u64,
    max_line: usize,
    read_bytes: &ReadBytes,
    sha256: Option<&BlockSha256>,
) -> FileStats {
    let (intake, source, path) = (sink.intake(), sink.source(), sink.path());
    let blocks = size.div_ceil(BLOCK as u64) as usize;
    let shrank = AtomicBool::new(false);
    let parsed = workers::run_indexed(intake, blocks, |builder, i| {
        let mut s = intake.sink(builder, source, path);
        let at = i as u64 * BLOCK as u64;
        let reader = Block {
            file,
            start: at,
            end: (at + BLOCK as u64).min(size),
            max_line,
            read_bytes,
        };
        let lines = match reader.read(&mut s, sha256.map(|h| h.turn(i))) {
            Ok(lines) => lines,
            Err(Stop::Shrank { at: pos, lines }) => {
                if !shrank.swap(true, Ordering::Relaxed) {
                    s.skip(
                        SkipReason::Unreadable,
                        Loc::Byte(pos),
                        format!("the file shrank while it was read (it had {size} bytes); rest not read"),
                    );
                }
                lines
            }
            Err(Stop::Io {
                at: pos,
                lines,
                error,
            }) => {
                s.skip(
                    SkipReason::Unreadable,
                    Loc::Byte(pos),
                    format!("reading stopped: {error}"),
                );
                lines
            }
        };
        (s.stats, lines)
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

/// Why a block stopped early, with the lines it read by then.
enum Stop {
    Shrank {
        at: u64,
        lines: u64,
    },
    Io {
        at: u64,
        lines: u64,
        error: io::Error,
    },
}

impl Stop {
    /// The same stop, after `lines` lines were read.
    fn after(self, lines: u64) -> Stop {
        match self {
            Stop::Shrank { at, .. } => Stop::Shrank { at, lines },
            Stop::Io { at, error, .. } => Stop::Io { at, lines, error },
        }
    }
}

thread_local! {
    /// One block buffer per worker thread, reused: not zeroed or allocated again for every block.
    static BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The lines that start in `start..end`.
struct Block<'f> {
    file: &'f File,
    start: u64,
    end: u64,
    max_line: usize,
    read_bytes: &'f ReadBytes,
}

impl Block<'_> {
    /// Parses the block's lines into `sink`; returns how many lines it owned. The block's own bytes go to
    /// `turn` as soon as they are read (none when it was not read whole).
    fn read(&self, sink: &mut Sink<'_, '_>, turn: Option<Turn<'_>>) -> Result<u64, Stop> {
        BUF.with_borrow_mut(|buf| {
            // One byte before the block says whether a line starts right at it.
            let from = self.start.saturating_sub(1);
            let want = (self.end - from) as usize;
            buf.resize(want.max(buf.len()), 0);
            let got =
                read_at(self.file, &mut buf[..want], from).map_err(|(at, error)| Stop::Io {
                    at,
                    lines: 0,
                    error,
                })?;
            self.read_bytes.add(got);
            let data = &buf[..got];
            if let Some(turn) = turn {
                let own = (self.start - from) as usize;
                turn.feed((got == want).then(|| &data[own..]));
            }
            let first = if self.start == 0 {
                0
            } else {
                match memchr::memchr(b'\n', data) {
                    Some(i) => i + 1,
                    None => return self.shrank_or(got < want, 0, 0),
                }
            };
            let body = &data[first..];
            let last_nl = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
            let mut lines = parse_block(sink, &body[..last_nl], 1, self.max_line);
            let rest = &body[last_nl..];
            if got < want {
                if !rest.is_empty() {
                    lines += parse_block(sink, rest, lines + 1, self.max_line);
                }
                return self.shrank_or(true, from + got as u64, lines);
            }
            if !rest.is_empty() {
                // The block's last line runs on past its end (or is the file's last, without a newline).
                let tail = self.tail(rest).map_err(|e| e.after(lines))?;
                match tail {
                    Tail::Line(line) => lines += parse_block(sink, &line, lines + 1, self.max_line),
                    Tail::TooLong(bytes) => {
                        too_long(sink, lines + 1, bytes, self.max_line);
                        lines += 1;
                    }
                }
            }
            Ok(lines)
        })
    }

    fn shrank_or(&self, shrank: bool, at: u64, lines: u64) -> Result<u64, Stop> {
        if shrank {
            Err(Stop::Shrank { at, lines })
        } else {
            Ok(lines)
        }
    }

    /// The rest of a line that began in this block, read past its end up to the newline (or the cap).
    fn tail(&self, begun: &[u8]) -> Result<Tail, Stop> {
        let mut line = begun.to_vec();
        let mut bytes = begun.len() as u64;
        let mut at = self.end;
        // A line is a few hundred bytes: read a little past the block first, more only if needed.
        let mut chunk = vec![0u8; 1024];
        let over = |bytes: u64| bytes > self.max_line as u64;
        loop {
            let got = read_at(self.file, &mut chunk, at).map_err(|(pos, error)| Stop::Io {
                at: pos,
                lines: 0,
                error,
            })?;
            if got == 0 {
                return Ok(if over(bytes) {
                    Tail::TooLong(bytes)
                } else {
                    Tail::Line(line)
                });
            }
            let piece = &chunk[..got];
            let nl = memchr::memchr(b'\n', piece);
            let take = nl.unwrap_or(got);
            bytes += take as u64;
            if !over(bytes) {
                line.extend_from_slice(&piece[..take]);
            } else {
                line = Vec::new();
            }
            if nl.is_some() {
                return Ok(if over(bytes) {
                    Tail::TooLong(bytes)
                } else {
                    Tail::Line(line)
                });
            }
            at += got as u64;
            if chunk.len() < 64 * 1024 {
                chunk.resize(chunk.len() * 2, 0);
            }
        }
    }
}

enum Tail {
    Line(Vec<u8>),
    TooLong(u64),
}

/// Fills `buf` from `offset`; fewer bytes only at the end of the file.
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> Result<usize, (u64, io::Error)> {
    let mut got = 0;
    while got < buf.len() {
        match positioned_read(file, &mut buf[got..], offset + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err((offset + got as u64, e)),
        }
    }
    Ok(got)
}

#[cfg(unix)]
fn positioned_read(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn positioned_read(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

//! Reading a run's inputs: every file, in parallel, through the source that recognises it, into the intake.

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::open::{open, Input};
use super::{dataset, recognise, workers, UNRECOGNIZED};
use crate::frame::{BatchBuilder, FileReport, Intake, Loc, Sink, SkipReason};

#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Show a progress line on stderr.
    pub progress: bool,
    /// Compute each input's SHA-256 (the report's audit trail).
    pub sha256: bool,
    /// Lines longer than this are skipped unread.
    pub max_line_bytes: usize,
}

/// Reads every input into `intake`; one report per input, in input order.
pub fn read_all(inputs: &[Input], intake: &Intake<'_>, opts: ReadOptions) -> Vec<FileReport> {
    let files_done = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let mut hashes: Vec<Option<String>> = Vec::new();
    let mut reports = std::thread::scope(|scope| {
        if opts.progress {
            scope.spawn(|| progress(intake, &files_done, inputs.len(), &done));
        }
        // Audit-trail hashes are independent of parsing: one thread computes them meanwhile.
        let hashing = opts
            .sha256
            .then(|| scope.spawn(|| inputs.iter().map(file_sha256).collect::<Vec<_>>()));
        // One dataset read alone holds each message once: its rows need no dedupe.
        let first = inputs.first().and_then(Input::dataset);
        let dedupe = first.is_none() || inputs.iter().any(|i| i.dataset() != first);
        let reports = workers::run_indexed(intake, inputs.len(), |builder, index| {
            let r = read_input(intake, builder, index, &inputs[index], opts, dedupe);
            files_done.fetch_add(1, Ordering::Relaxed);
            r
        });
        done.store(true, Ordering::Relaxed);
        if let Some(h) = hashing {
            hashes = h.join().unwrap_or_default();
        }
        reports
    });
    for (r, h) in reports.iter_mut().zip(hashes) {
        r.sha256 = h;
    }
    reports
}

fn read_input(
    intake: &Intake<'_>,
    builder: &mut BatchBuilder,
    index: usize,
    input: &Input,
    opts: ReadOptions,
    dedupe: bool,
) -> FileReport {
    let path = input.display();
    let mut sink = intake.sink(builder, index as u32, &path);
    let format = match input {
        Input::DatasetManifest(dir) => {
            dataset::read_manifest(dir, &mut sink, dedupe);
            Some(dataset::FORMAT)
        }
        Input::DatasetFile(part) => {
            dataset::read_part(part, &mut sink, dedupe);
            Some(dataset::FORMAT)
        }
        Input::Stdin | Input::File(_) => None,
    };
    let format = match format {
        Some(f) => f,
        None => read_export(input, opts, &mut sink),
    };
    let stats = std::mem::take(&mut sink.stats);
    FileReport {
        path,
        format,
        sha256: None,
        stats,
    }
}

/// An exported file (or stdin): recognised by its content and read by its source.
fn read_export(input: &Input, opts: ReadOptions, sink: &mut Sink<'_, '_>) -> &'static str {
    match open(input) {
        Err(e) => {
            sink.skip(SkipReason::Unreadable, Loc::File, e.to_string());
            UNRECOGNIZED
        }
        Ok(content) if *input == Input::Stdin && content.head.is_empty() && content.is_whole() => {
            sink.skip(
                SkipReason::EmptyInput,
                Loc::File,
                "standard input was empty or closed",
            );
            UNRECOGNIZED
        }
        Ok(mut content) => match recognise(&content.sniffing_head()) {
            Some((source, name)) => {
                content.max_line_bytes = opts.max_line_bytes;
                source.read(content, sink);
                name
            }
            None => {
                sink.skip(
                    SkipReason::UnrecognizedFormat,
                    Loc::File,
                    "not a known SNS log, metric or settings export",
                );
                UNRECOGNIZED
            }
        },
    }
}

fn progress(intake: &Intake<'_>, files: &AtomicU64, total: usize, done: &AtomicBool) {
    let mut shown = false;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        let line = format!(
            "\r  reading: {}/{} files, {} records",
            files.load(Ordering::Relaxed),
            total,
            intake.records_so_far()
        );
        let _ = io::stderr().write_all(line.as_bytes());
        shown = true;
    }
    if shown {
        let _ = io::stderr().write_all(b"\r\x1b[2K");
    }
}

/// SHA-256 of the file as stored (compressed bytes for .gz), for the audit trail. None for stdin. A
/// dataset file's is the one its manifest lists (its reader checks the bytes against it).
pub fn file_sha256(input: &Input) -> Option<String> {
    let p = match input {
        Input::Stdin => return None,
        Input::File(p) => p.clone(),
        Input::DatasetManifest(dir) => dir.join(crate::frame::dataset::manifest::MANIFEST),
        Input::DatasetFile(part) => return Some(part.sha256.clone()),
    };
    let mut f = std::fs::File::open(p).ok()?;
    let mut hasher = Sha256::new();
    // Large reads: io::copy's 8 KiB buffer costs a system call per 8 KiB.
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    let digest = hasher.finalize();
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

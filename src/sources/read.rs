//! Reading a run's inputs: every file, in parallel, through the source that recognises it, into the intake.

use std::fs::File;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::digest::{self, BlockSha256};
use super::open::{open, Content, Input, ReadBytes};
use super::{dataset, not_data, recognise, usage_report, workers, UNRECOGNIZED};
use crate::domain::aws::region_and_account;
use crate::frame::digests::{Digest, Digests, FileKey};
use crate::frame::{BatchBuilder, FileReport, Intake, Loc, SkipReason};

#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Show a progress bar on stderr (the caller checks that stderr is a terminal).
    pub progress: bool,
    /// Each input's SHA-256 (the report's audit trail), reusing these digests of unchanged files.
    pub sha256: Option<&'a Digests>,
    /// Lines longer than this are skipped unread.
    pub max_line_bytes: usize,
    /// A dataset's manifest, parsed while its snapshot loaded.
    pub manifest_ahead: Option<&'a dataset::ManifestAhead>,
}

/// Whether rows are deduplicated: unless the inputs are one dataset's, which holds each message once.
pub fn dedupes(inputs: &[Input]) -> bool {
    let first_dataset = inputs.first().and_then(Input::dataset);
    first_dataset.is_none() || inputs.iter().any(|i| i.dataset() != first_dataset)
}

/// Reads every input into `intake`; one report per input, in input order.
pub fn read_all(inputs: &[Input], intake: &Intake<'_>, opts: ReadOptions<'_>) -> Vec<FileReport> {
    let files_done = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let read_bytes = ReadBytes::default();
    std::thread::scope(|scope| {
        if opts.progress {
            let counts = Counts {
                intake,
                read_bytes: &read_bytes,
                files_done: &files_done,
            };
            scope.spawn(|| progress(inputs, counts, &done));
        }
        let dedupe = dedupes(inputs);
        // Usage reports first, so that the logs read after them are matched exactly (usage_report.rs);
        // only files named like them are looked at twice.
        let early: Vec<usize> = (0..inputs.len())
            .filter(|&i| named_like_a_usage_report(&inputs[i]))
            .collect();
        let mut reports: Vec<Option<FileReport>> = (0..inputs.len()).map(|_| None).collect();
        let first = workers::run_indexed(intake, early.len(), |builder, k| {
            let i = early[k];
            // Counted only when it was read: another shape is read again below.
            let tried = ReadBytes::default();
            let only = Some(usage_report::NAME);
            let r = read_input(
                intake,
                builder,
                (i, &inputs[i]),
                &tried,
                (opts, dedupe),
                only,
            );
            if r.is_some() {
                read_bytes.add(tried.get() as usize);
            }
            r
        });
        for (k, r) in first.into_iter().enumerate() {
            if r.is_some() {
                files_done.fetch_add(1, Ordering::Relaxed);
            }
            reports[early[k]] = r;
        }
        let rest: Vec<usize> = (0..inputs.len())
            .filter(|&i| reports[i].is_none())
            .collect();
        let second = workers::run_indexed(intake, rest.len(), |builder, k| {
            let i = rest[k];
            let r = read_input(
                intake,
                builder,
                (i, &inputs[i]),
                &read_bytes,
                (opts, dedupe),
                None,
            );
            files_done.fetch_add(1, Ordering::Relaxed);
            r
        });
        for (k, r) in second.into_iter().enumerate() {
            reports[rest[k]] = r;
        }
        let reports: Vec<FileReport> = reports.into_iter().flatten().collect();
        done.store(true, Ordering::Relaxed);
        reports
    })
}

/// A file S3 or a user would name like a usage report (`SMSUsageReports/.../001.csv.gz`).
fn named_like_a_usage_report(input: &Input) -> bool {
    let Input::File(p) = input else { return false };
    // Bytes, not a lower-cased copy: it is asked of every input before any is read.
    let p = p.as_os_str().as_encoded_bytes();
    let ends =
        |tail: &[u8]| p.len() >= tail.len() && p[p.len() - tail.len()..].eq_ignore_ascii_case(tail);
    ends(b".csv")
        || ends(b".csv.gz")
        || p.windows(15)
            .any(|w| w.eq_ignore_ascii_case(b"smsusagereports"))
}

/// Reads one input; with `only`, only if it is of that shape (`None` otherwise, nothing read).
fn read_input(
    intake: &Intake<'_>,
    builder: &mut BatchBuilder,
    (index, input): (usize, &Input),
    read_bytes: &ReadBytes,
    (opts, dedupe): (ReadOptions<'_>, bool),
    only: Option<&'static str>,
) -> Option<FileReport> {
    let path = input.display();
    let mut sink = intake.sink(builder, index as u32, &path);
    let dataset = match input {
        _ if only.is_some() => false,
        Input::DatasetManifest(dir) => {
            dataset::read_manifest(dir, &mut sink, dedupe, opts.manifest_ahead);
            true
        }
        Input::DatasetFile(part) => {
            dataset::read_part(part, &mut sink, dedupe);
            read_bytes.add(part.bytes as usize);
            true
        }
        Input::Stdin | Input::File(_) => false,
    };
    if dataset {
        let stats = std::mem::take(&mut sink.stats);
        return Some(FileReport {
            path,
            format: dataset::FORMAT,
            digest: opts.sha256.and_then(|known| read_again(input, known)),
            stats,
        });
    }
    // Folder names often say where the logs came from (`sns/us-east-1/111122223333/...`).
    let (region, account) = region_and_account(&path);
    sink.set_context(region, account);
    let mut hashing = Hashing::ReadAgain;
    let format = match open(input, read_bytes) {
        Err(_) if only.is_some() => return None,
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
        Ok(content)
            if only.is_some() && recognise(&content.sniffing_head()).map(|r| r.1) != only =>
        {
            return None;
        }
        Ok(mut content) => match recognise(&content.sniffing_head()) {
            Some((source, name)) => {
                content.max_line_bytes = opts.max_line_bytes;
                if let Some(known) = opts.sha256 {
                    hashing = hash_while_read(&mut content, known);
                }
                source.read(content, &mut sink);
                name
            }
            None => {
                match not_data::what(&content.head, &content.sniffing_head()) {
                    Some(what) => sink.skip(SkipReason::NotData, Loc::File, what),
                    None => sink.skip(
                        SkipReason::UnrecognizedFormat,
                        Loc::File,
                        "not a known log, event, metric or settings export",
                    ),
                }
                UNRECOGNIZED
            }
        },
    };
    let stats = std::mem::take(&mut sink.stats);
    let digest = opts.sha256.and_then(|known| match hashing {
        Hashing::Known(d) => Some(d),
        Hashing::Blocks(h, file, before) => {
            let size = file.metadata().map_or(0, |m| m.len());
            match h.finish(size) {
                Some(sha) => Some(Digest::computed(sha, before, &file)),
                None => read_again(input, known),
            }
        }
        Hashing::ReadAgain => read_again(input, known),
    });
    Some(FileReport {
        path,
        format,
        digest,
        stats,
    })
}

/// How an input's digest is had once it is read.
enum Hashing {
    /// Known before the read.
    Known(Digest),
    /// From the blocks its workers read, fed to this hasher (the file's key was `Option<FileKey>` before).
    Blocks(Arc<BlockSha256>, Arc<File>, Option<FileKey>),
    /// By reading the file again.
    ReadAgain,
}

/// Before an input is read: its digest from the cache, or from its head when that holds all of a plain
/// file, or else a hasher its block readers feed (used only if the file is read in blocks).
fn hash_while_read(content: &mut Content, known: &Digests) -> Hashing {
    let Some(file) = content.file.clone() else {
        return Hashing::ReadAgain;
    };
    let before = match known.cached(&file) {
        Ok(reused) => return Hashing::Known(reused),
        Err(before) => before,
    };
    if content.is_whole() {
        let sha = digest::bytes_sha256(&content.head);
        return Hashing::Known(Digest::computed(sha, before, &file));
    }
    let h = Arc::new(BlockSha256::default());
    content.block_sha256 = Some(h.clone());
    Hashing::Blocks(h, file, before)
}

/// What the progress bar reads while the workers run.
struct Counts<'a, 'c> {
    intake: &'a Intake<'c>,
    read_bytes: &'a ReadBytes,
    files_done: &'a AtomicU64,
}

/// The bar is redrawn every tick; runs shorter than three ticks show no bar at all (no flicker for the
/// common small run). `SMSLENS_PROGRESS_TICK_MS` sets the tick, so that a test sees the bar on a fast read.
fn progress_tick() -> Duration {
    let ms = std::env::var("SMSLENS_PROGRESS_TICK_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .unwrap_or(100);
    Duration::from_millis(ms)
}

/// A progress bar on stderr until `done`: bytes read of the inputs' total size on disk (unknown with
/// stdin), rate and time left, files and records so far.
fn progress(inputs: &[Input], counts: Counts<'_, '_>, done: &AtomicBool) {
    let started = Instant::now();
    // Sizes on disk, as the readers count them (compressed bytes for gzip); stdin has none.
    let total: Option<u64> = inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => std::fs::metadata(p).map(|m| m.len()).ok().or(Some(0)),
            Input::DatasetFile(part) => Some(part.bytes),
            Input::DatasetManifest(_) => Some(0),
            Input::Stdin => None,
        })
        .sum();
    let template = match total {
        Some(_) => {
            "{bytes}/{total_bytes} [{bar:12}] {binary_bytes_per_sec}, {eta} left · {wide_msg}"
        }
        None => "{spinner} {bytes} read, {binary_bytes_per_sec} · {wide_msg}",
    };
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden()).with_style(style);
    let mut shown = false;
    let tick = progress_tick();
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(tick);
        if !shown && started.elapsed() >= 3 * tick {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            shown = true;
        }
        // A big plain file's first bytes are read twice (sniffing, then by offset): never past the total.
        let read = counts.read_bytes.get();
        bar.set_position(total.map_or(read, |t| read.min(t)));
        bar.set_message(format!(
            "{}/{} files, {} records",
            counts.files_done.load(Ordering::Relaxed),
            inputs.len(),
            counts.intake.records_so_far()
        ));
    }
    bar.finish_and_clear();
}

/// The digest of the file as stored (compressed bytes for .gz), read again from its start. None for stdin.
/// A dataset file's is the one its manifest lists (its reader checks the bytes against the CRC-32 beside it).
fn read_again(input: &Input, known: &Digests) -> Option<Digest> {
    let p = match input {
        Input::Stdin => return None,
        Input::File(p) => p.clone(),
        Input::DatasetManifest(dir) => dir.join(crate::frame::dataset::manifest::MANIFEST),
        Input::DatasetFile(part) => {
            return Some(Digest {
                sha256: part.sha256.clone(),
                key: None,
                reused: false,
            })
        }
    };
    let f = File::open(p).ok()?;
    known.digest(&f, digest::file_sha256)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{BatchConsumer, PolarsError, RecordBatch, Window};
    use crate::sources::{lines, Source};

    #[test]
    fn usage_reports_are_told_by_their_folder_or_extension_in_any_case() {
        let named = |p: &str| named_like_a_usage_report(&Input::File(p.into()));
        for p in [
            "SMSUsageReports/us-east-1/2026/03/01/001.csv.gz",
            "exports/smsusagereports/x",
            "usage/March.CSV",
            "usage/march.Csv.GZ",
        ] {
            assert!(named(p), "{p}");
        }
        for p in [
            "logs/000000.gz",
            "csv",
            "a.csv.gz.txt",
            "SMSUsageReport/001.json",
        ] {
            assert!(!named(p), "{p}");
        }
        assert!(!named_like_a_usage_report(&Input::Stdin));
    }

    struct Discard;
    impl BatchConsumer for Discard {
        fn absorb(&self, _: RecordBatch) {}
        fn fail(&self, e: PolarsError) {
            panic!("{e}")
        }
    }

    #[test]
    fn a_file_read_in_blocks_is_hashed_from_its_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.jsonl");
        let mut text = String::new();
        let mut i = 0u64;
        // Past the parallel threshold, its last block short.
        while text.len() < (9 << 20) + 4321 {
            text.push_str(&format!(
                r#"{{"notification":{{"messageId":"m-{i}","timestamp":"2026-03-01 00:00:05.1"}},"delivery":{{"providerResponse":"Delivered","destination":"+1617555{:04}"}},"status":"SUCCESS"}}"#,
                i % 10_000
            ));
            text.push('\n');
            i += 1;
        }
        std::fs::write(&p, &text).unwrap();
        let mut content = open(&Input::File(p.clone()), &ReadBytes::default()).unwrap();
        let Hashing::Blocks(h, _, _) = hash_while_read(&mut content, &Digests::default()) else {
            panic!("a big plain file is hashed from its blocks");
        };
        let intake = Intake::new(Window::default(), &Discard);
        let mut builder = BatchBuilder::default();
        let mut sink = intake.sink(&mut builder, 0, "big.jsonl");
        lines::Lines.read(content, &mut sink);
        assert_eq!(sink.stats.records, i);
        assert!(text.len() > 8 << 20, "three 4 MiB blocks");
        assert_eq!(
            h.finish(text.len() as u64),
            Some(digest::bytes_sha256(text.as_bytes()))
        );
    }
}

//! Ingest: every input file, in parallel, through its shape's reader into the collector.

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::analysis::collector::{Collected, Collector};
use crate::frame::{BatchBuilder, Window};
use crate::sources::metrics::{self, MetricSeries, SmsSettings, SpendRead};
use crate::sources::open::{open, Input};
use crate::sources::{
    cli_events, detect, firehose, insights, lines, workers, FileStats, Format, Loc, Sink,
    SkipReason, Skips,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct IngestOptions {
    pub window: Window,
    /// Show a progress line on stderr.
    pub progress: bool,
    /// Compute each input's SHA-256 (the report's audit trail).
    pub sha256: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InputReport {
    pub path: String,
    pub format: Format,
    /// Records (or datapoints, for metric files) read.
    pub records: u64,
    pub skipped: u64,
    pub sha256: Option<String>,
}

pub struct Ingested {
    pub collected: Collected,
    pub inputs: Vec<InputReport>,
    pub skips: Skips,
    pub metrics: Vec<MetricSeries>,
    pub settings: Vec<(String, SmsSettings)>,
}

struct FileResult {
    index: usize,
    report: InputReport,
    skips: Skips,
    spend: SpendRead,
}

pub fn ingest(inputs: &[Input], opts: IngestOptions) -> anyhow::Result<Ingested> {
    let collector = Collector::new(opts.window);
    let files_done = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let mut hashes: Vec<Option<String>> = Vec::new();
    let results: Vec<FileResult> = std::thread::scope(|scope| {
        if opts.progress {
            scope.spawn(|| progress(&collector, &files_done, inputs.len(), &done));
        }
        // Audit-trail hashes are independent of parsing: one thread computes them meanwhile.
        let hashing = opts
            .sha256
            .then(|| scope.spawn(|| inputs.iter().map(file_sha256).collect::<Vec<_>>()));
        let results = workers::run_indexed(&collector, inputs.len(), |builder, index| {
            let r = read_input(&collector, builder, index, &inputs[index]);
            files_done.fetch_add(1, Ordering::Relaxed);
            r
        });
        done.store(true, Ordering::Relaxed);
        if let Some(h) = hashing {
            hashes = h.join().unwrap_or_default();
        }
        results
    });
    let mut skips = Skips::default();
    let mut metrics = Vec::new();
    let mut settings = Vec::new();
    let mut reports = Vec::new();
    for mut r in results {
        r.report.sha256 = hashes.get(r.index).cloned().flatten();
        skips.merge(r.skips);
        metrics.extend(r.spend.series);
        if let Some(s) = r.spend.settings {
            settings.push((r.report.path.clone(), s));
        }
        reports.push(r.report);
    }
    let collected = collector.finish()?;
    Ok(Ingested {
        collected,
        inputs: reports,
        skips,
        metrics,
        settings,
    })
}

fn progress(c: &Collector, files: &AtomicU64, total: usize, done: &AtomicBool) {
    use std::io::Write;
    let mut shown = false;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        let line = format!(
            "\r  reading: {}/{} files, {} records",
            files.load(Ordering::Relaxed),
            total,
            c.accepted.load(Ordering::Relaxed) + c.duplicates.load(Ordering::Relaxed)
        );
        let _ = io::stderr().write_all(line.as_bytes());
        shown = true;
    }
    if shown {
        let _ = io::stderr().write_all(b"\r\x1b[2K");
    }
}

/// Yields `head`, then the error that cut it short.
struct HeadThenError {
    head: io::Cursor<Vec<u8>>,
    err: Option<io::Error>,
}

impl Read for HeadThenError {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.head.read(buf)?;
        if n == 0 {
            if let Some(e) = self.err.take() {
                return Err(e);
            }
        }
        Ok(n)
    }
}

fn read_input(
    collector: &Collector,
    builder: &mut BatchBuilder,
    index: usize,
    input: &Input,
) -> FileResult {
    let path = input.display();
    let source = index as u32;
    let mut report = InputReport {
        path: path.clone(),
        format: Format::Unrecognized,
        records: 0,
        skipped: 0,
        sha256: None,
    };
    let mut spend = SpendRead::default();
    let mut sink = Sink::new(collector, builder, source, &path);
    let opened = match open(input) {
        Ok(o) => o,
        Err(e) => {
            sink.skip(SkipReason::Unreadable, Loc::File, e.to_string());
            return finish(index, report, sink.stats, spend);
        }
    };
    let whole = opened.head.len() < crate::sources::open::HEAD_BYTES && opened.head_error.is_none();
    let format = detect::detect(&opened.head, whole);
    report.format = format;
    let gzip = opened.gzip;
    let big = opened.size.is_some_and(|s| s >= lines::PARALLEL_THRESHOLD) || opened.size.is_none();
    if format.is_line_shaped() && big && opened.head_error.is_none() {
        // SAFETY: the map is read-only and lives only for this call; smslens reads exports, it does not
        // expect them to change under it (if one is truncated meanwhile, reading it may fault).
        if let Some(map) = opened
            .file
            .as_ref()
            .and_then(|f| unsafe { memmap2::Mmap::map(f) }.ok())
        {
            let stats = lines::read_mapped(collector, source, &path, &map);
            sink.stats = std::mem::take(&mut sink.stats).merge(stats);
            return finish(index, report, sink.stats, spend);
        }
    }
    let mut reader: Box<dyn Read + Send> = match opened.head_error {
        Some(e) => Box::new(HeadThenError {
            head: io::Cursor::new(opened.head),
            err: Some(e),
        }),
        None => Box::new(io::Cursor::new(opened.head).chain(opened.rest)),
    };
    match format {
        _ if format.is_line_shaped() => {
            if big {
                let stats = lines::read_parallel(collector, source, &path, reader, gzip);
                sink.stats = std::mem::take(&mut sink.stats).merge(stats);
            } else {
                lines::read_sequential(&mut sink, &mut reader, gzip);
            }
        }
        Format::WriteTest => sink.skip(
            SkipReason::WriteTest,
            Loc::File,
            "permission-check object, not logs",
        ),
        Format::Unrecognized => sink.skip(
            SkipReason::UnrecognizedFormat,
            Loc::File,
            "not a known SNS log, metric or settings export",
        ),
        _ => {
            let mut data = Vec::new();
            if let Err(e) = reader.read_to_end(&mut data) {
                let reason = if gzip {
                    SkipReason::CorruptGzip
                } else {
                    SkipReason::Unreadable
                };
                sink.skip(
                    reason,
                    Loc::Byte(data.len() as u64),
                    format!("reading stopped: {e}"),
                );
            }
            let data = detect::strip_bom(&data);
            match format {
                Format::CliEvents => cli_events::read(&mut sink, data),
                Format::Firehose => firehose::read(&mut sink, data),
                Format::InsightsJson => insights::read_json(&mut sink, data),
                Format::InsightsCsv => match std::str::from_utf8(data) {
                    Ok(text) => insights::read_csv(&mut sink, text),
                    Err(e) => sink.skip(SkipReason::NonUtf8, Loc::Byte(e.valid_up_to() as u64), ""),
                },
                Format::MetricStatistics => spend = metrics::read_statistics(data),
                Format::MetricData => spend = metrics::read_metric_data(data),
                Format::MetricCsv => match std::str::from_utf8(data) {
                    Ok(text) => spend = metrics::read_csv(text),
                    Err(e) => sink.skip(SkipReason::NonUtf8, Loc::Byte(e.valid_up_to() as u64), ""),
                },
                Format::SmsAttributes => spend = metrics::read_sms_attributes(data),
                _ => {}
            }
        }
    }
    for (reason, loc, detail) in std::mem::take(&mut spend.problems) {
        sink.skip(reason, loc, detail);
    }
    if !format.has_records() {
        sink.stats.records += spend.points;
    }
    finish(index, report, sink.stats, spend)
}

fn finish(index: usize, mut report: InputReport, stats: FileStats, spend: SpendRead) -> FileResult {
    report.records = stats.records;
    report.skipped = stats.skips.total();
    FileResult {
        index,
        report,
        skips: stats.skips,
        spend,
    }
}

/// SHA-256 of the file as stored (compressed bytes for .gz), for the audit trail. None for stdin.
fn file_sha256(input: &Input) -> Option<String> {
    let Input::File(p) = input else { return None };
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

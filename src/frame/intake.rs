//! The intake: where sources put what they read. It applies the time window, drops records repeated across
//! inputs, counts every record and every skipped line, and fills batches for a [`BatchConsumer`]; so every
//! line a source reads is either a record or a counted skip. Sources know nothing beyond this interface,
//! and analysis knows nothing of sources.

use std::sync::atomic::{AtomicU64, Ordering};

use polars::prelude::PolarsError;

use super::builder::{resolve_status, BatchBuilder};
use super::dedupe::{record_key, DedupeSet};
use super::skips::{Loc, SkipReason, Skips};
use super::RecordBatch;
use crate::record::metric::{MetricSeries, SmsSettings};
use crate::record::types::TIME_RANGE_MS;
use crate::record::{parse_record, Record, RecordError};

/// Inclusive-exclusive `[since, until)` filter on event time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

impl Window {
    pub fn contains(&self, t: i64) -> bool {
        self.since_ms.is_none_or(|s| t >= s) && self.until_ms.is_none_or(|u| t < u)
    }
}

/// Where full batches go (the analysis stage). Called from every worker thread, with the heavy work of a
/// batch still on that worker.
pub trait BatchConsumer: Sync {
    fn absorb(&self, batch: RecordBatch);
    /// An internal error (the frame is smslens's own): the run fails at the end.
    fn fail(&self, e: PolarsError);
}

/// Shared by every worker of a run.
pub struct Intake<'c> {
    window: Window,
    dedupe: DedupeSet,
    duplicates: AtomicU64,
    outside_window: AtomicU64,
    accepted: AtomicU64,
    consumer: &'c dyn BatchConsumer,
}

impl<'c> Intake<'c> {
    pub fn new(window: Window, consumer: &'c dyn BatchConsumer) -> Self {
        Intake {
            window,
            dedupe: DedupeSet::default(),
            duplicates: AtomicU64::new(0),
            outside_window: AtomicU64::new(0),
            accepted: AtomicU64::new(0),
            consumer,
        }
    }

    /// A worker's way in, for one input (`source` is its index in the run's input list).
    pub fn sink<'a>(
        &'a self,
        builder: &'a mut BatchBuilder,
        source: u32,
        path: &'a str,
    ) -> Sink<'a, 'c> {
        Sink {
            intake: self,
            builder,
            source,
            path,
            stats: FileStats::default(),
        }
    }

    /// Hands the builder's rows to the consumer.
    pub fn flush(&self, builder: &mut BatchBuilder) {
        if builder.is_empty() {
            return;
        }
        match builder.take_batch() {
            Ok(batch) => self.deliver(batch),
            Err(e) => self.consumer.fail(e),
        }
    }

    /// Hands a batch built elsewhere (from a dataset's rows, already admitted) to the consumer.
    pub fn deliver(&self, batch: RecordBatch) {
        self.accepted
            .fetch_add(batch.df.height() as u64, Ordering::Relaxed);
        self.consumer.absorb(batch);
    }

    /// An internal error building a batch outside the builder: the run fails at the end.
    pub fn fail(&self, e: PolarsError) {
        self.consumer.fail(e);
    }

    pub fn window(&self) -> Window {
        self.window
    }

    /// Window and dedupe for a dataset's rows, already normalised: `keep[i]` says whether `rows[i]`
    /// (event time, [`super::dedupe`] key) is inside the window and new. The others are counted as outside
    /// the window or as duplicates, like records. `dedupe: false` when the rows are known to be unique
    /// (one dataset read alone).
    pub fn admit(&self, rows: &[(i64, u64)], dedupe: bool, keep: &mut Vec<bool>) {
        keep.clear();
        keep.extend(rows.iter().map(|(t, _)| self.window.contains(*t)));
        let inside = keep.iter().filter(|k| **k).count();
        self.outside_window
            .fetch_add((rows.len() - inside) as u64, Ordering::Relaxed);
        if !dedupe {
            return;
        }
        let mut fresh = Vec::new();
        if inside == rows.len() {
            self.dedupe.insert_many(rows, &mut fresh);
        } else {
            let offered: Vec<(i64, u64)> = rows
                .iter()
                .zip(keep.iter())
                .filter(|(_, k)| **k)
                .map(|(r, _)| *r)
                .collect();
            self.dedupe.insert_many(&offered, &mut fresh);
        }
        let mut fresh = fresh.into_iter();
        let mut dropped = 0;
        for k in keep.iter_mut().filter(|k| **k) {
            *k = fresh.next().unwrap_or(false);
            dropped += u64::from(!*k);
        }
        self.duplicates.fetch_add(dropped, Ordering::Relaxed);
    }

    /// Rows already in the dataset an export adds to: their records count as duplicates when met again.
    pub fn seed(&self, rows: &[(i64, u64)]) {
        let mut fresh = Vec::new();
        self.dedupe.insert_many(rows, &mut fresh);
    }

    /// Rows counted outside the window without being read (a dataset file entirely outside it).
    pub fn count_outside(&self, rows: u64) {
        self.outside_window.fetch_add(rows, Ordering::Relaxed);
    }

    /// Records offered so far (for a progress display).
    pub fn records_so_far(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed) + self.duplicates.load(Ordering::Relaxed)
    }

    /// What the run received, once every source is done (`walk` holds what the directory walk passed over).
    pub fn finish(self, files: Vec<FileReport>, walk: Skips) -> Received {
        let mut r = Received {
            duplicates: self.duplicates.into_inner(),
            outside_window: self.outside_window.into_inner(),
            skips: walk,
            ..Received::default()
        };
        for f in files {
            let skipped = f.stats.skips.total();
            r.skips.merge(f.stats.skips);
            r.metrics.extend(f.stats.metrics);
            r.settings
                .extend(f.stats.settings.into_iter().map(|s| (f.path.clone(), s)));
            r.settings.extend(f.stats.recorded_settings);
            r.duplicates += f.stats.prior_duplicates;
            r.outside_window += f.stats.prior_outside_window;
            r.inputs.push(InputStats {
                records: f.stats.records,
                skipped,
                path: f.path,
                format: f.format,
                sha256: f.sha256,
            });
        }
        r
    }
}

/// Per-input tallies, and the spend inputs it held.
#[derive(Debug, Default, Clone)]
pub struct FileStats {
    /// Records parsed (duplicates and out-of-window ones included), or datapoints of a metric file.
    pub records: u64,
    pub skips: Skips,
    pub metrics: Vec<MetricSeries>,
    pub settings: Vec<SmsSettings>,
    /// What an earlier run recorded (a dataset's manifest): settings with the path they were read from,
    /// and the duplicates and out-of-window records it dropped.
    pub recorded_settings: Vec<(String, SmsSettings)>,
    pub prior_duplicates: u64,
    pub prior_outside_window: u64,
}

impl FileStats {
    pub fn merge(mut self, other: FileStats) -> FileStats {
        self.records += other.records;
        self.skips.merge(other.skips);
        self.metrics.extend(other.metrics);
        self.settings.extend(other.settings);
        self.recorded_settings.extend(other.recorded_settings);
        self.prior_duplicates += other.prior_duplicates;
        self.prior_outside_window += other.prior_outside_window;
        self
    }
}

/// One input as a source read it.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    /// The shape's name (`inputs[].format`).
    pub format: &'static str,
    pub sha256: Option<String>,
    pub stats: FileStats,
}

/// One input as the summary lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct InputStats {
    pub path: String,
    pub format: &'static str,
    /// Records (or datapoints, for metric files) read.
    pub records: u64,
    pub skipped: u64,
    pub sha256: Option<String>,
}

/// Everything the intake received besides the record batches, for the analysis.
#[derive(Debug, Default)]
pub struct Received {
    pub inputs: Vec<InputStats>,
    pub skips: Skips,
    pub metrics: Vec<MetricSeries>,
    /// Settings exports, with the path each came from.
    pub settings: Vec<(String, SmsSettings)>,
    pub duplicates: u64,
    pub outside_window: u64,
}

/// A worker's handle on the intake, for one input.
pub struct Sink<'a, 'c> {
    intake: &'a Intake<'c>,
    builder: &'a mut BatchBuilder,
    source: u32,
    path: &'a str,
    pub stats: FileStats,
}

impl<'a, 'c> Sink<'a, 'c> {
    pub fn intake(&self) -> &'a Intake<'c> {
        self.intake
    }

    /// The input's index in the run's input list.
    pub fn source(&self) -> u32 {
        self.source
    }

    pub fn path(&self) -> &'a str {
        self.path
    }

    /// One record as JSON text; `fallback_time_ms` is the wrapper's time (export prefix, event timestamp).
    pub fn text(&mut self, json: &str, fallback_time_ms: Option<i64>, loc: Loc) {
        match parse_record(json) {
            Ok(rec) => self.record(&rec, fallback_time_ms, loc),
            Err(e) => self.reject(e, loc),
        }
    }

    pub fn reject(&mut self, e: RecordError, loc: Loc) {
        let reason = match e {
            RecordError::BadJson(_) => SkipReason::InvalidJson,
            RecordError::NotARecord => SkipReason::NotARecord,
            RecordError::WrongType(_) => SkipReason::WrongType,
            RecordError::OutOfRange(_) => SkipReason::OutOfRange,
            RecordError::NoTimestamp => SkipReason::NoTimestamp,
        };
        self.skip(reason, loc, e.to_string());
    }

    pub fn record(&mut self, rec: &Record<'_>, fallback_time_ms: Option<i64>, loc: Loc) {
        let Some(time) = rec.time_ms.or(fallback_time_ms) else {
            return self.reject(RecordError::NoTimestamp, loc);
        };
        if !TIME_RANGE_MS.contains(&time) {
            let e = RecordError::OutOfRange(format!(
                "event time {} is outside 2000..2100",
                crate::domain::time::rfc3339(time)
            ));
            return self.reject(e, loc);
        }
        let status = match resolve_status(rec) {
            Ok(s) => s,
            Err(e) => return self.reject(e, loc),
        };
        self.stats.records += 1;
        let intake = self.intake;
        if !intake.window.contains(time) {
            intake.outside_window.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if !intake.dedupe.insert(time, record_key(rec, time, status)) {
            intake.duplicates.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.builder.push(rec, time, status, self.source);
        if self.builder.is_full() {
            intake.flush(self.builder);
        }
    }

    pub fn skip(&mut self, reason: SkipReason, loc: Loc, detail: impl Into<String>) {
        self.stats.skips.add(reason, self.path, loc, detail.into());
    }

    /// A metric series from a spend export: its points count as the file's records.
    pub fn metric(&mut self, series: MetricSeries) {
        self.stats.records += series.points.len() as u64;
        self.stats.metrics.push(series);
    }

    pub fn settings(&mut self, settings: SmsSettings) {
        self.stats.records += 1;
        self.stats.settings.push(settings);
    }
}

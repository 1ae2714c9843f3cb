//! Input files → records. One module per export shape; this module detects the shape from content (never
//! from the file name), decodes gzip transparently, and gives readers a [`Sink`] that parses, dedupes,
//! counts and batches records, so that every line read is either a record or a counted skip.

pub mod cli_events;
pub mod csv;
pub mod detect;
pub mod documents;
pub mod firehose;
pub mod insights;
pub mod lines;
pub mod metrics;
pub mod open;
pub mod skips;
pub mod workers;

use std::sync::atomic::Ordering;

pub use detect::Format;
pub use skips::{Loc, SkipReason, Skips};

use crate::analysis::collector::Collector;
use crate::frame::dedupe::record_key;
use crate::frame::{resolve_outcome, BatchBuilder};
use crate::record::{parse_record, Record, RecordError};

/// Per-file tallies.
#[derive(Debug, Default, Clone)]
pub struct FileStats {
    /// Records parsed from this file (duplicates and out-of-window ones included).
    pub records: u64,
    pub skips: Skips,
}

impl FileStats {
    pub fn merge(mut self, other: FileStats) -> FileStats {
        self.records += other.records;
        self.skips.merge(other.skips);
        self
    }
}

/// Where a reader puts what it reads.
pub struct Sink<'a> {
    pub collector: &'a Collector,
    builder: &'a mut BatchBuilder,
    source: u32,
    path: &'a str,
    pub stats: FileStats,
}

impl<'a> Sink<'a> {
    pub fn new(
        collector: &'a Collector,
        builder: &'a mut BatchBuilder,
        source: u32,
        path: &'a str,
    ) -> Self {
        Sink {
            collector,
            builder,
            source,
            path,
            stats: FileStats::default(),
        }
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
            RecordError::NoTimestamp => SkipReason::NoTimestamp,
        };
        self.skip(reason, loc, e.to_string());
    }

    pub fn record(&mut self, rec: &Record<'_>, fallback_time_ms: Option<i64>, loc: Loc) {
        let Some(time) = rec.time_ms.or(fallback_time_ms) else {
            return self.reject(RecordError::NoTimestamp, loc);
        };
        let outcome = match resolve_outcome(rec) {
            Ok(o) => o,
            Err(e) => return self.reject(e, loc),
        };
        self.stats.records += 1;
        let c = self.collector;
        if !c.window.contains(time) {
            c.outside_window.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if !c.dedupe.insert(time, record_key(rec, time)) {
            c.duplicates.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.builder.push(rec, time, outcome, self.source);
        if self.builder.is_full() {
            flush(c, self.builder);
        }
    }

    pub fn skip(&mut self, reason: SkipReason, loc: Loc, detail: impl Into<String>) {
        self.stats.skips.add(reason, self.path, loc, detail.into());
    }
}

/// Hands the builder's rows to the collector.
pub fn flush(collector: &Collector, builder: &mut BatchBuilder) {
    if builder.is_empty() {
        return;
    }
    collector
        .accepted
        .fetch_add(builder.len() as u64, Ordering::Relaxed);
    match builder.take_batch() {
        Ok(batch) => collector.absorb(batch),
        Err(e) => collector.fail(e),
    }
}

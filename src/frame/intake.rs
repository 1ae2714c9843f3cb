//! The intake: where sources put what they read. It applies the time window, drops records repeated across
//! inputs, counts every record and every skipped line, and fills batches for a [`BatchConsumer`]; so every
//! line a source reads is either a record or a counted skip. Sources know nothing beyond this interface,
//! and analysis knows nothing of sources.

use std::sync::atomic::{AtomicU64, Ordering};

use polars::prelude::{IntoColumn, PolarsError, UInt64Chunked};

use super::builder::BatchBuilder;
use super::dataset::pseudonym::Key;
use super::dedupe::{record_key, DedupeSet};
use super::dict::FxHashMap;
use super::digests::Digest;
use super::messages::{message_key, MessageKey, Messages};
use super::outcome::{resolve, Outcome};
use super::skips::{Loc, SkipReason, Skips};
use super::usage::{UsageMessages, UsagePart};
use super::{col, recipient, RecordBatch};
use crate::record::any::{parse_any, Parsed};
use crate::record::cognito::CognitoError;
use crate::record::metric::{MetricSeries, SmsSettings, SpendLimits, UserPool};
use crate::record::types::SourceKind;
use crate::record::types::TIME_RANGE_MS;
use crate::record::{Record, RecordError};

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
    messages: Messages,
    usage: UsageMessages,
    consumer: &'c dyn BatchConsumer,
    /// The pseudonym key of the dataset read beside raw inputs: their recipients are keyed by it too.
    join_key: Option<Key>,
    /// The consumer reads no message ids: batches carry them as nulls (see [`BatchBuilder`]).
    without_message_ids: bool,
}

impl<'c> Intake<'c> {
    pub fn new(window: Window, consumer: &'c dyn BatchConsumer) -> Self {
        Intake {
            window,
            dedupe: DedupeSet::default(),
            duplicates: AtomicU64::new(0),
            outside_window: AtomicU64::new(0),
            accepted: AtomicU64::new(0),
            messages: Messages::default(),
            usage: UsageMessages::default(),
            consumer,
            join_key: None,
            without_message_ids: false,
        }
    }

    /// Batches carry no message ids (the column is all null): for a consumer that reads none, such as
    /// the summary's collector. Ids are still read, deduplicated on and kept as evidence.
    pub fn without_message_ids(&mut self) {
        self.without_message_ids = true;
    }

    /// A worker's way in, for one input (`source` is its index in the run's input list).
    pub fn sink<'a>(
        &'a self,
        builder: &'a mut BatchBuilder,
        source: u32,
        path: &'a str,
    ) -> Sink<'a, 'c> {
        builder.without_message_ids(self.without_message_ids);
        Sink {
            intake: self,
            builder,
            source,
            path,
            context: Context::default(),
            stats: FileStats::default(),
        }
    }

    /// Keys the recipients of raw inputs by `key`'s pseudonyms, as the dataset read beside them does: a
    /// recipient met in both is then one recipient, whichever copy of a message is kept.
    pub fn join_recipients(&mut self, key: Key) {
        self.join_key = Some(key);
    }

    /// Hands the builder's rows to the consumer.
    pub fn flush(&self, builder: &mut BatchBuilder) {
        if builder.is_empty() {
            return;
        }
        let batch = builder.take_batch().and_then(|mut b| {
            if let Some(key) = &self.join_key {
                pseudonymise(&mut b, key)?;
            }
            Ok(b)
        });
        match batch {
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

    /// Turns the usage-report messages that no log held into records (in time order, into the consumer).
    fn emit_usage_only(&self, messages: UsageMessages) -> u64 {
        let mut builder = BatchBuilder::default();
        builder.without_message_ids(self.without_message_ids);
        let mut n = 0;
        for m in messages.unmatched() {
            let p = &m.first;
            let destination = p.destination.as_deref().map(|d| {
                let d = d.trim();
                if d.starts_with('+') {
                    d.to_owned()
                } else {
                    format!("+{d}")
                }
            });
            let rec = Record {
                source: SourceKind::UsageReport,
                time_ms: Some(p.time_ms),
                message_id: Some(p.message_id.as_str().into()),
                provider_response: p.delivery_status.as_deref().map(Into::into),
                sms_type: p.message_type.as_deref().map(Into::into),
                destination: destination.map(Into::into),
                price_usd: Some(m.price_usd),
                parts: Some(m.parts()),
                region: p.region.as_deref().map(Into::into),
                account: p.account.as_deref().map(Into::into),
                ..Record::default()
            };
            let (Ok(Outcome::Final(status, class)), true) =
                (resolve(&rec), self.window.contains(p.time_ms))
            else {
                continue;
            };
            n += 1;
            builder.push(&rec, p.time_ms, (status, class), u32::MAX, (None, None));
            if builder.is_full() {
                self.flush(&mut builder);
            }
        }
        self.flush(&mut builder);
        n
    }

    /// Records offered so far (for a progress display).
    pub fn records_so_far(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed) + self.duplicates.load(Ordering::Relaxed)
    }

    /// What the run received, once every source is done (`walk` holds what the directory walk passed over).
    /// Usage-report messages no log held become records now.
    pub fn finish(mut self, files: Vec<FileReport>, walk: Skips) -> Received {
        let usage = std::mem::take(&mut self.usage);
        let usage_only = self.emit_usage_only(usage);
        let no_final = self.messages.without_final();
        let mut r = Received {
            usage_only_messages: usage_only,
            no_final_outcome: no_final.iter().map(|(_, n)| n).sum(),
            no_final_outcome_by_hour: no_final,
            duplicates: self.duplicates.into_inner(),
            outside_window: self.outside_window.into_inner(),
            skips: walk,
            ..Received::default()
        };
        for f in files {
            let skipped = f.stats.skips.total();
            r.skips.merge(f.stats.skips);
            r.metrics.extend(f.stats.metrics);
            r.cognito_errors.extend(f.stats.cognito_errors);
            r.price_from_usage_usd += f.stats.price_from_usage_usd;
            r.parts_from_usage += f.stats.parts_from_usage;
            r.settings
                .extend(f.stats.settings.into_iter().map(|s| (f.path.clone(), s)));
            let rec = f.stats.recorded;
            r.settings.extend(rec.settings);
            r.user_pools.extend(rec.user_pools);
            r.spend_limits.extend(rec.spend_limits);
            r.duplicates += rec.duplicates;
            r.outside_window += rec.outside_window;
            r.no_final_outcome += rec.no_final_outcome;
            r.no_final_outcome_by_hour
                .extend(rec.no_final_outcome_by_hour);
            r.usage_only_messages += rec.usage_only_messages;
            r.user_pools
                .extend(f.stats.user_pools.into_iter().map(|s| (f.path.clone(), s)));
            r.spend_limits.extend(
                f.stats
                    .spend_limits
                    .into_iter()
                    .map(|s| (f.path.clone(), s)),
            );
            r.inputs.push(InputStats {
                records: f.stats.records,
                skipped,
                path: f.path,
                format: f.format,
                sha256: f.digest.as_ref().map(|d| d.sha256.clone()),
            });
            if let Some(d) = f.digest {
                r.digests_reused += u64::from(d.reused);
                r.digests.push(d);
            }
        }
        r.cognito_errors.sort_by(|a, b| {
            a.time_ms
                .cmp(&b.time_ms)
                .then_with(|| a.details.cmp(&b.details))
        });
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
    /// What an earlier run recorded (a dataset's manifest): settings exports with the path they were read
    /// from, and what its intake counted.
    pub recorded: Recorded,
    pub user_pools: Vec<UserPool>,
    pub spend_limits: Vec<SpendLimits>,
    pub cognito_errors: Vec<CognitoError>,
    /// Price (USD) and parts that usage reports supplied to logged records that had none.
    pub price_from_usage_usd: f64,
    pub parts_from_usage: u64,
}

impl FileStats {
    pub fn merge(mut self, other: FileStats) -> FileStats {
        self.records += other.records;
        self.skips.merge(other.skips);
        self.metrics.extend(other.metrics);
        self.settings.extend(other.settings);
        self.recorded.add(other.recorded);
        self.user_pools.extend(other.user_pools);
        self.spend_limits.extend(other.spend_limits);
        self.cognito_errors.extend(other.cognito_errors);
        self.price_from_usage_usd += other.price_from_usage_usd;
        self.parts_from_usage += other.parts_from_usage;
        self
    }
}

/// What an export recorded in a dataset's manifest beyond its rows: settings exports with their paths,
/// and its intake's counts.
#[derive(Debug, Default, Clone)]
pub struct Recorded {
    pub settings: Vec<(String, SmsSettings)>,
    pub user_pools: Vec<(String, UserPool)>,
    pub spend_limits: Vec<(String, SpendLimits)>,
    pub duplicates: u64,
    pub outside_window: u64,
    pub no_final_outcome: u64,
    /// The same by the hour the messages were sent (as [`Received::no_final_outcome_by_hour`]).
    pub no_final_outcome_by_hour: Vec<(Option<i64>, u64)>,
    pub usage_only_messages: u64,
}

impl Recorded {
    pub fn add(&mut self, o: Recorded) {
        self.settings.extend(o.settings);
        self.user_pools.extend(o.user_pools);
        self.spend_limits.extend(o.spend_limits);
        self.duplicates += o.duplicates;
        self.outside_window += o.outside_window;
        self.no_final_outcome += o.no_final_outcome;
        self.no_final_outcome_by_hour
            .extend(o.no_final_outcome_by_hour);
        self.usage_only_messages += o.usage_only_messages;
    }
}

/// One input as a source read it.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    /// The shape's name (`inputs[].format`).
    pub format: &'static str,
    pub digest: Option<Digest>,
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
    /// The inputs' digests, when they were asked for (what a report directory caches).
    pub digests: Vec<Digest>,
    /// How many of them came from the cache.
    pub digests_reused: u64,
    pub skips: Skips,
    pub metrics: Vec<MetricSeries>,
    /// Settings exports, with the path each came from: SNS SMS attributes, Cognito user pools, End User
    /// Messaging spend limits.
    pub settings: Vec<(String, SmsSettings)>,
    pub user_pools: Vec<(String, UserPool)>,
    pub spend_limits: Vec<(String, SpendLimits)>,
    pub duplicates: u64,
    pub outside_window: u64,
    /// Messages of event-stream sources seen only in flight (no final event in the data).
    pub no_final_outcome: u64,
    /// The same by the hour they were sent (its start, epoch ms; `None`: the events do not say), so that
    /// a dataset read with a window can count those of the window.
    pub no_final_outcome_by_hour: Vec<(Option<i64>, u64)>,
    /// Texts Cognito could not hand to SNS or End User Messaging, in time order.
    pub cognito_errors: Vec<CognitoError>,
    /// Messages only the usage reports held (now records of their own).
    pub usage_only_messages: u64,
    /// What usage reports supplied to logged records that lacked it: price (USD) and parts.
    pub price_from_usage_usd: f64,
    pub parts_from_usage: u64,
}

/// Where the records being read were logged, as the file or its wrapper says (a record's own fields win).
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub region: Option<String>,
    pub account: Option<String>,
}

/// A worker's handle on the intake, for one input.
pub struct Sink<'a, 'c> {
    intake: &'a Intake<'c>,
    builder: &'a mut BatchBuilder,
    source: u32,
    path: &'a str,
    context: Context,
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

    /// Where what follows was logged, when the file or document says (given parts replace the old ones).
    pub fn set_context(&mut self, region: Option<&str>, account: Option<&str>) {
        if let Some(r) = region {
            self.context.region = Some(r.to_owned());
        }
        if let Some(a) = account {
            self.context.account = Some(a.to_owned());
        }
    }

    /// One record as JSON text, of any dialect, maybe inside an envelope; `fallback_time_ms` is the
    /// wrapper's time (export prefix, event timestamp).
    pub fn text(&mut self, json: &str, fallback_time_ms: Option<i64>, loc: Loc) {
        self.text_within(json, fallback_time_ms, loc, 0);
    }

    fn text_within(&mut self, json: &str, fallback_time_ms: Option<i64>, loc: Loc, depth: u32) {
        match parse_any(json) {
            Ok(Parsed::Record(rec)) => self.record(&rec, fallback_time_ms, loc),
            Ok(Parsed::Cognito(e)) => {
                self.stats.records += 1;
                self.stats.cognito_errors.push(e);
            }
            Ok(Parsed::Wrapped(w)) if depth < 3 => {
                let outer = self.context.clone();
                self.set_context(w.region.as_deref(), w.account.as_deref());
                let time = w.time_ms.or(fallback_time_ms);
                self.text_within(&w.inner, time, loc, depth + 1);
                self.context = outer;
            }
            Ok(Parsed::Wrapped(_)) => {
                self.skip(SkipReason::NotARecord, loc, "envelopes nested too deep")
            }
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
        let Some(time) = rec.time_ms.or(rec.event_time_ms).or(fallback_time_ms) else {
            return self.reject(RecordError::NoTimestamp, loc);
        };
        if !TIME_RANGE_MS.contains(&time) {
            let e = RecordError::OutOfRange(format!(
                "event time {} is outside 2000..2100",
                crate::domain::time::rfc3339(time)
            ));
            return self.reject(e, loc);
        }
        let outcome = match resolve(rec) {
            Ok(o) => o,
            Err(e) => return self.reject(e, loc),
        };
        if outcome == Outcome::OtherChannel {
            let what = rec.event_type.as_deref().or(rec.pinpoint_event.as_deref());
            let detail = format!("event {}", what.unwrap_or("?"));
            return self.skip(SkipReason::OtherChannel, loc, detail);
        }
        self.stats.records += 1;
        let intake = self.intake;
        if !intake.window.contains(time) {
            intake.outside_window.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let message = rec
            .message_id
            .as_deref()
            .filter(|_| rec.source.is_event_stream())
            .map(|id| MessageKey {
                sent_ms: rec.time_ms,
                key: message_key(id),
            });
        let outcome = match (outcome, message) {
            (Outcome::Final(status, class), _) => (status, class),
            (_, Some(key)) => return intake.messages.in_flight(key),
            // An in-flight event without a message id says nothing that can be counted.
            (_, None) => return,
        };
        let first = match message {
            Some(key) => intake.messages.final_once(key),
            None => intake.dedupe.insert(time, record_key(rec, time)),
        };
        if !first {
            intake.duplicates.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let context = (
            self.context.region.as_deref(),
            self.context.account.as_deref(),
        );
        let reported = match rec.message_id.as_deref() {
            Some(id) if rec.source != SourceKind::UsageReport => intake.usage.logged(id),
            _ => None,
        };
        match reported {
            Some(m) if rec.cost_usd().is_none() || rec.parts.is_none() => {
                // The usage report supplies what the log lacks.
                let mut with = rec.clone();
                if with.cost_usd().is_none() {
                    with.price_usd = Some(m.price_usd);
                    self.stats.price_from_usage_usd += m.price_usd;
                }
                if with.parts.is_none() {
                    with.parts = Some(m.parts());
                    self.stats.parts_from_usage += u64::from(m.parts());
                }
                self.builder
                    .push(&with, time, outcome, self.source, context);
            }
            _ => self.builder.push(rec, time, outcome, self.source, context),
        }
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

    /// One row of a usage report; a part already read (overlapping reports) is a duplicate.
    pub fn usage_part(&mut self, part: UsagePart) {
        self.stats.records += 1;
        let intake = self.intake;
        if !intake.usage.add(part) {
            intake.duplicates.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn settings(&mut self, settings: SmsSettings) {
        self.stats.records += 1;
        self.stats.settings.push(settings);
    }

    pub fn user_pool(&mut self, pool: UserPool) {
        self.stats.records += 1;
        self.stats.user_pools.push(pool);
    }

    pub fn spend_limits(&mut self, limits: SpendLimits) {
        self.stats.records += 1;
        self.stats.spend_limits.push(limits);
    }
}

/// A raw batch's recipient keys as the pseudonym keys a dataset with `key` holds for the same numbers.
fn pseudonymise(batch: &mut RecordBatch, key: &Key) -> Result<(), PolarsError> {
    let numbers = batch.numbers();
    let mut of: FxHashMap<u64, u64> = FxHashMap::default();
    let mut text = String::new();
    let keys: Vec<u64> = batch
        .df
        .column(col::RECIPIENT)?
        .u64()?
        .into_no_null_iter()
        .map(|k| match k {
            recipient::NONE => k,
            _ => *of.entry(k).or_insert_with(|| {
                if numbers.text_into(k, &mut text) {
                    recipient::from_pseudonym(key.pseudonym(&text))
                } else {
                    k
                }
            }),
        })
        .collect();
    let column = UInt64Chunked::from_vec(col::RECIPIENT.into(), keys).into_column();
    batch.df.replace(col::RECIPIENT, column)?;
    Ok(())
}

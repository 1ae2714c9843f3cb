//! Synthetic Amazon SNS SMS delivery-status data, and the End User Messaging SMS events of the same texts,
//! in every export shape smslens reads: the data of smslens's benchmarks, its integration-test fixtures
//! (`tests/fixtures/`) and its bundled samples (`samples/`). Not part of smslens: it shares no code with
//! the reader it tests.
//!
//! Every data set tells the same month-long story of Cognito MFA / verification texts
//! (smsType `Transactional`):
//!
//! * recipients in US, CA, IN, GB, BR, SG, DE, MX and JM (weights 45/8/15/8/8/4/5/5/2 %), a recipient
//!   pool of about `records / 4` numbers (fictional `+1NXX55501xx` numbers for +1, plausible mobile
//!   numbers elsewhere), a few frequent users; or about [`GenConfig::recipients`] distinct numbers;
//! * most texts succeed (`Message has been accepted by phone carrier`, some `Delivered`, some
//!   `Message has been accepted by phone`);
//! * from day 10 of the month about 40 % of texts to India on Airtel fail with
//!   `Phone carrier has blocked this message` (carrier kept on most of them, so the concentration shows);
//! * about 1 % of recipients are dead numbers: every text to them fails with
//!   `Phone is currently unreachable/unavailable`, and those users retry;
//! * sprinkles: opted-out and invalid numbers, unknown errors, a carrier outage (Telcel, MX, day 15, 12-18 UTC),
//!   two old-wording `Phone is blacklisted`, three texts with a response that is in no table;
//! * spend accumulates `priceInUSD` (failures are charged too); once it reaches the spend limit every later
//!   text fails with the minimal `No quota left for account` record (no price).
//!
//! The End User Messaging events ([`write_eum_events`]) are those texts as a pool sending through End User
//! Messaging directly gets them: one to three events per text, final outcomes mapped onto the `TEXT_*`
//! types of provider-responses.md, texts End User Messaging refuses (opted-out numbers, the spend limit)
//! without any event.
//!
//! `model` decides who is sent what, when, with which outcome (and `model::events` which events); `writers`
//! spell those texts in each export shape; `samples` and `fixtures` compose them into the committed files; `truth` counts what was written.
//!
//! Everything is deterministic: the same [`GenConfig`] gives the same bytes (gzip headers carry mtime 0).

mod fixtures;
mod model;
mod rng;
mod samples;
mod spell;
mod truth;
mod writers;

use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;

pub use model::events::EumTruth;
pub use samples::eum::EumSampleTruth;
pub use truth::GenTruth;
pub use writers::eum::EumShape;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenConfig {
    /// Number of delivery records (exactly this many are written).
    pub records: usize,
    /// PRNG seed; same seed, same bytes.
    pub seed: u64,
    /// A day of the UTC month to cover (normally its first day; any day selects that month).
    pub month_start: NaiveDate,
    /// Account `MonthlySpendLimit` in USD; `f64::INFINITY` for none.
    pub spend_limit_usd: f64,
    /// About this many distinct recipients. `None`: a pool of about `records / 4` numbers, as in the
    /// samples. At most one new number per new text, and the +1 countries have only 30,900 fictional
    /// numbers: their excess goes to the other countries, which can take at most one per text sent to
    /// them (about 55 % of the texts that are not retries).
    pub recipients: Option<u64>,
}

impl GenConfig {
    /// `records` texts in March 2026 with the suggested spend limit and the default recipients: what
    /// `smslens-gen records --count N --seed S` writes.
    pub fn new(records: usize, seed: u64) -> GenConfig {
        GenConfig {
            records,
            seed,
            month_start: NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date"),
            spend_limit_usd: GenConfig::suggested_spend_limit_usd(records),
            recipients: None,
        }
    }

    /// A spend limit that a month of `records` texts reaches around the 22nd, as in the samples
    /// (about 0.0139 USD per record).
    pub fn suggested_spend_limit_usd(records: usize) -> f64 {
        (records as f64 * samples::SAMPLE_LIMIT_USD / samples::SAMPLE_RECORDS as f64 * 100.0)
            .round()
            / 100.0
    }
}

/// Bare delivery records, one compact JSON object per line (formats.md section 1), in time order
/// (by notification.timestamp) over the month.
pub fn write_records(out: &mut dyn Write, cfg: &GenConfig) -> io::Result<GenTruth> {
    let mut g = model::Gen::new(cfg);
    writers::record::write_lines(out, g.by_ref())?;
    Ok(g.truth())
}

/// A CloudWatch Logs export-to-S3 tree (formats.md section 2):
/// `<dir>/exportedlogs/<taskid>/<stream>/000000.gz`, `min(files, records)` streams with the records
/// spread evenly over them in time order (lines inside a file are sometimes out of order, as in real
/// exports), each line `<event time ISO ms Z> <record>`, plus `<dir>/exportedlogs/aws-logs-write-test`.
pub fn write_export_tree(dir: &Path, files: usize, cfg: &GenConfig) -> io::Result<GenTruth> {
    writers::export::write_tree(dir, files, cfg)
}

/// The same month's texts as End User Messaging SMS events (formats.md §7.1), as a user pool that sends
/// through End User Messaging directly gets them from a configuration set's event destination: one line per
/// event in `shape`, in event-time order. A text has one to three events (a non-final `TEXT_SUCCESSFUL`,
/// `TEXT_PENDING` or `TEXT_QUEUED` before its final one for about half of them); a text whose carrier
/// sends no receipt ends `TEXT_UNKNOWN` after 72 hours, so the texts of the month's last three days among
/// them have no final outcome in the data. From the 12th an account-default protect configuration applies
/// (`protectStatus: ALLOW`). Texts End User Messaging refuses (opted-out numbers, and every text once
/// `cfg.spend_limit_usd` is reached: pass `f64::INFINITY` for none) have no event. Account 111122223333,
/// us-east-1.
pub fn write_eum_events(
    out: &mut dyn Write,
    cfg: &GenConfig,
    shape: EumShape,
) -> io::Result<EumTruth> {
    let mut s = eum_stream(cfg);
    writers::eum::write_lines(out, s.by_ref(), &writers::eum::BENCH_ORIGIN, shape)?;
    Ok(s.truth())
}

/// The events of [`write_eum_events`] as Firehose delivered them to S3: gzip objects of at most 300 s of
/// events each under `dir/YYYY/MM/DD/HH/`, the events concatenated with nothing between them, or one a line
/// when `ndjson` (the stream's "new line delimiter" option).
pub fn write_eum_firehose(dir: &Path, cfg: &GenConfig, ndjson: bool) -> io::Result<EumTruth> {
    let mut s = eum_stream(cfg);
    let events = s.by_ref().filter_map(|i| match i {
        model::events::Item::Event(e) => Some(e),
        model::events::Item::Refused(..) => None,
    });
    let buffering = writers::eum::Buffering {
        interval_ms: 300_000,
        size: 5 << 20,
    };
    writers::eum::write_firehose(
        dir,
        "",
        "sms-voice-events",
        events,
        &writers::eum::BENCH_ORIGIN,
        buffering,
        &|_| ndjson,
    )?;
    Ok(s.truth())
}

fn eum_stream(cfg: &GenConfig) -> model::events::EumStream<model::Gen> {
    let g = model::Gen::new(cfg);
    let (start, end) = g.month();
    let story = model::events::EumStory {
        seed: cfg.seed,
        protect: Some(model::events::Protect {
            from: start + 11 * model::traffic::MS_DAY,
            blocked_country: None,
        }),
        denied: None,
        end,
    };
    model::events::EumStream::new(g, story)
}

/// The bundled sample set in `dir` (normally `samples/`), with `README.md`: a month through SNS (March
/// 2026, 60 USD limit reached on the 22nd; its truth is returned), and in `end-user-messaging/` a month on
/// the End User Messaging direct path ([`write_eum_samples`]). Deterministic bytes.
pub fn write_samples(dir: &Path) -> io::Result<GenTruth> {
    samples::write(dir)
}

/// The sample set's second story alone (February 2026, a user pool on the End User Messaging direct path:
/// `samples/end-user-messaging/`) in `dir`, and its true numbers. Deterministic bytes.
pub fn write_eum_samples(dir: &Path) -> io::Result<EumSampleTruth> {
    samples::eum::write(dir).map(|s| s.truth)
}

/// Regenerates the small integration-test fixtures in `dir` (normally `tests/fixtures/`), all files
/// except `README.md` (whose counts were taken from these exact bytes). Deterministic bytes.
pub fn write_fixtures(dir: &Path) -> io::Result<()> {
    fixtures::write(dir)
}

#[cfg(test)]
mod tests;

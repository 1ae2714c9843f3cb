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
mod scenarios;
mod spell;
mod truth;
mod writers;

use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;

pub use model::events::EumTruth;
pub use samples::eum::EumSampleTruth;
pub use truth::{GenTruth, ScenarioTruth};
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
    /// `None`: the story above. `Some`: a month of ordinary background failures (2-4 % unreachable or
    /// unknown) with exactly this one cause, drawn from the seed (then `spend_limit_usd` is the
    /// scenario's own, see [`Scenario`]).
    pub scenario: Option<Scenario>,
    /// Share of the texts (0 to 1) written a second time, byte for byte and later in the file, as
    /// overlapping exports repeat records ([`write_records`] only). `records` lines are still written in
    /// all: about `records / (1 + duplicates)` distinct texts, the rest their repeats.
    pub duplicates: f64,
}

/// A scenario month: ordinary background failures, varying with the seed, and one injected cause whose
/// onset (day 4 to 26), duration, size and target vary with the seed too. The generator reports the
/// cause it injected ([`GenTruth::scenario`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// Nothing but the background, with the month's growth varying with the seed.
    Healthy,
    /// Healthy, plus a 2-6 hour promotional campaign to the usual users at 3-8 times the usual traffic.
    MarketingBurst,
    /// The monthly spend limit, set at 30-90 % of the month's spend, is reached.
    SpendLimit,
    /// 30-85 % of the texts to one carrier of one country are blocked by the carrier.
    CarrierBlock,
    /// A 2-4 hour outage: 85-98 % of one carrier's texts fail as carrier-unreachable (some unknown).
    CarrierOutage,
    /// A wave of opt-outs: 3-10 % of the recipients replied STOP.
    OptedOut,
    /// 20-60 % of the texts to one country carry an invalid number (a form that broke the format).
    InvalidNumbers,
    /// Every text to one expensive country is refused: above the per-message MaxPrice.
    MaxPrice,
    /// 30-85 % of the texts to one carrier are blocked as spam.
    Spam,
    /// The account goes under review (SMS sandbox): only three verified numbers still receive texts.
    AccountReview,
    /// For 6-72 hours, bulk jobs send bursts within seconds above the account's 10-25 texts per second.
    Throttling,
    /// Cognito switches to another SNS region, whose default 1 USD limit is reached within hours, while
    /// the settings exported (from the first region) show a comfortable limit. Written as Firehose
    /// objects, whose log groups name the region.
    WrongRegion,
    /// SMS pumping: 24-60 hours of 0.6-1.5 times the usual traffic, delivered, to sequential runs of
    /// made-up numbers in a few blocks in three high-cost countries the app has almost no users in.
    Pumping,
}

impl Scenario {
    pub const ALL: [Scenario; 13] = [
        Scenario::Healthy,
        Scenario::MarketingBurst,
        Scenario::SpendLimit,
        Scenario::CarrierBlock,
        Scenario::CarrierOutage,
        Scenario::OptedOut,
        Scenario::InvalidNumbers,
        Scenario::MaxPrice,
        Scenario::Spam,
        Scenario::AccountReview,
        Scenario::Throttling,
        Scenario::WrongRegion,
        Scenario::Pumping,
    ];

    /// The name on the command line (`smslens-gen scenario --name ...`) and in the truth.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Healthy => "healthy",
            Scenario::MarketingBurst => "marketing-burst",
            Scenario::SpendLimit => "spend-limit",
            Scenario::CarrierBlock => "carrier-block",
            Scenario::CarrierOutage => "carrier-outage",
            Scenario::OptedOut => "opted-out",
            Scenario::InvalidNumbers => "invalid-numbers",
            Scenario::MaxPrice => "max-price",
            Scenario::Spam => "spam",
            Scenario::AccountReview => "account-review",
            Scenario::Throttling => "throttling",
            Scenario::WrongRegion => "wrong-region",
            Scenario::Pumping => "pumping",
        }
    }

    pub fn parse(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }
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
            scenario: None,
            duplicates: 0.0,
        }
    }

    /// A scenario month of `records` texts in March 2026.
    pub fn scenario(scenario: Scenario, records: usize, seed: u64) -> GenConfig {
        GenConfig {
            scenario: Some(scenario),
            ..GenConfig::new(records, seed)
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
/// (by notification.timestamp) over the month; with [`GenConfig::duplicates`], the repeats out of that
/// order (each between one and `records / 20` texts after its first copy).
pub fn write_records(out: &mut dyn Write, cfg: &GenConfig) -> io::Result<GenTruth> {
    if cfg.duplicates <= 0.0 {
        let mut g = model::Gen::new(cfg);
        writers::record::write_lines(out, g.by_ref())?;
        return Ok(g.truth());
    }
    let (texts, repeats) = model::duplicates::split(cfg.records, cfg.duplicates.min(1.0));
    let mut g = model::Gen::new(&GenConfig {
        records: texts,
        ..cfg.clone()
    });
    let lines = model::duplicates::WithRepeats::new(g.by_ref(), texts, repeats, cfg.seed);
    writers::record::write_lines(out, lines)?;
    let mut truth = g.truth();
    truth.records += repeats as u64;
    Ok(truth)
}

/// A CloudWatch Logs export-to-S3 tree (formats.md section 2):
/// `<dir>/exportedlogs/<taskid>/<stream>/000000.gz`, `min(files, records)` streams with the records
/// spread evenly over them in time order (lines inside a file are sometimes out of order, as in real
/// exports), each line `<event time ISO ms Z> <record>`, plus `<dir>/exportedlogs/aws-logs-write-test`.
pub fn write_export_tree(dir: &Path, files: usize, cfg: &GenConfig) -> io::Result<GenTruth> {
    writers::export::write_tree(dir, files, cfg)
}

/// A scenario month ([`GenConfig::scenario`]; the standard story when `None`) in `dir`: `records.jsonl`
/// (bare records), except for [`Scenario::WrongRegion`], written as Firehose objects under `firehose/`
/// (their log groups name each text's region); plus `settings/sms-attributes.json` and
/// `metrics/SMSMonthToDateSpentUSD.json` when the scenario has them. The truth says what was injected.
pub fn write_scenario(dir: &Path, cfg: &GenConfig) -> io::Result<GenTruth> {
    scenarios::write(dir, cfg)
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

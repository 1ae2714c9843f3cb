//! What a finding is, as every output shows it (`summary --format json` documents it in the README).

use serde::Serialize;

use crate::domain::outcome::{Class, Severity};
use crate::domain::time::rfc3339;

/// What a finding is about: one outcome class, or a cause the classes alone do not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    Class(Class),
    /// A burst of carrier-network errors on one carrier.
    CarrierOutage,
    /// Artificially inflated traffic: delivered texts to made-up numbers.
    SmsPumping,
    /// The spend limit (or settings) in force is not the one exported: texts go through another region.
    WrongRegion,
    /// Hours with sends but no delivery records.
    LoggingGap,
    /// Successes logged only in part, with no correction.
    SuccessSampling,
}

impl FindingKind {
    /// Stable identifier, e.g. `spend_limit`, `carrier_blocked`, `carrier_outage`, `sms_pumping`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Class(c) => c.as_str(),
            FindingKind::CarrierOutage => "carrier_outage",
            FindingKind::SmsPumping => "sms_pumping",
            FindingKind::WrongRegion => "wrong_region",
            FindingKind::LoggingGap => "logging_gap",
            FindingKind::SuccessSampling => "success_sampling",
        }
    }

    /// About the logs themselves: said before any finding computed from rates.
    pub fn is_data_quality(self) -> bool {
        matches!(self, FindingKind::LoggingGap | FindingKind::SuccessSampling)
    }
}

impl Serialize for FindingKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// When a finding happened.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Window {
    /// RFC 3339 UTC.
    pub start: String,
    pub end: String,
    /// Still going at the end of the data.
    pub ongoing: bool,
    #[serde(skip)]
    pub start_ms: i64,
    #[serde(skip)]
    pub end_ms: i64,
}

impl Window {
    pub fn new(start_ms: i64, end_ms: i64, ongoing: bool) -> Window {
        Window {
            start: rfc3339(start_ms),
            end: rfc3339(end_ms),
            ongoing,
            start_ms,
            end_ms,
        }
    }
}

/// Where a finding concentrates (names masked unless `--show-numbers`).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Scope {
    /// The one country it is about, when it is about one.
    pub country: Option<String>,
    /// The one carrier it is about, when it is about one.
    pub carrier: Option<String>,
    /// Several countries (pumping).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// Number prefixes (pumping: the numbers minus their last 3-4 digits).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<String>,
    /// An SNS region (wrong region).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    pub title: String,
    /// Texts of this finding's kind in its scope and window.
    pub texts: u64,
    /// What the baseline rate predicts for them.
    pub expected: f64,
    /// Texts explained beyond the baseline (`texts - expected`, at least 0): what ranks findings.
    pub excess: u64,
    /// `excess` as a share of all failed texts.
    pub share_of_failures: f64,
    pub window: Window,
    pub scope: Scope,
    /// Where it concentrates, e.g. "91% in IN, 88% on Airtel".
    pub concentration: Option<String>,
    /// How the baseline was taken, with its rate.
    pub baseline: String,
    /// Distinct recipients of its failures.
    pub recipients: u64,
    /// What it cost in USD, when money is the point (pumping).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    pub evidence: Vec<String>,
    pub remedy: String,
    /// Example message ids for a support case.
    pub message_ids: Vec<String>,
    /// Failure classes whose texts it explains (bit set of `Class` codes).
    #[serde(skip)]
    pub classes: u32,
    /// Failure share in its scope during its window.
    #[serde(skip)]
    pub rate_in: f64,
    /// The window of texts is a significant change from the rest of the data (not a steady level).
    #[serde(skip)]
    pub is_change: bool,
    /// It led to another finding (pumping that used up the spend limit): ranked before it.
    #[serde(skip)]
    pub root_cause: bool,
    /// Its excess is fewer than a few recipients' worth of texts (or, for a class that is a property of
    /// the recipient, fewer than a few began failing in its change): users retrying, not a cause.
    #[serde(skip)]
    pub few_recipients: bool,
    /// Pumping: texts and spend per hour of each country, around the surge (the report's chart).
    #[serde(skip)]
    pub chart: Option<SurgeChart>,
}

/// Hourly texts and spend of the countries of a surge.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SurgeChart {
    /// The first hour, epoch ms.
    pub start_ms: i64,
    pub series: Vec<SurgeSeries>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SurgeSeries {
    pub country: String,
    /// Per hour from `start_ms`.
    pub texts: Vec<f64>,
    pub usd: Vec<f64>,
}

impl Finding {
    /// The classes of `bits`.
    pub fn explains(&self, class: Class) -> bool {
        self.classes & (1 << class.code()) != 0
    }
}

/// A recipient who got no successful delivery in the window, and what locked them out.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Recipient {
    /// Masked unless `--show-numbers`.
    pub number: String,
    pub country: String,
    pub failed_texts: u64,
    pub first_attempt: String,
    pub last_attempt: String,
    pub failure_classes: Vec<&'static str>,
    /// The finding that explains their failures (its kind), else their failure class.
    pub cause: &'static str,
}

/// The bit of a class in a class set.
pub fn bit(c: Class) -> u32 {
    1 << c.code()
}

//! The true numbers of a generated data set, counted while it is generated: what smslens must report.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::population::{mobile_plan, COUNTRIES};
use crate::model::scenario::{Block, Cause, Plan};
use crate::model::{
    Rec, NRESP, REGIONS, RESPONSES, R_CARRIER_UNREACHABLE, R_QUOTA, R_SPAM, R_UNKNOWN_ERROR,
    R_UNREACHABLE,
};
use crate::spell::{fmt_ts, push_iso_ms_z};

/// The true numbers of a generated data set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GenTruth {
    /// Record occurrences written (duplicates from overlapping exports included).
    pub records: u64,
    /// Distinct records (by messageId).
    pub unique: u64,
    /// Unique records with status SUCCESS.
    pub delivered: u64,
    /// Unique records with status FAILURE.
    pub failed: u64,
    /// Sum of priceInUSD over unique records.
    pub spend_usd: f64,
    /// Unique records per providerResponse.
    pub by_provider_response: BTreeMap<String, u64>,
    /// RFC 3339 (ms, `Z`) notification time of the first "No quota left for account" failure.
    pub quota_exhausted_at: Option<String>,
    /// A scenario month's cause (absent for the standard story).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioTruth>,
}

/// Running counts of the generated texts (each counted once).
#[derive(Default, Clone)]
pub(crate) struct Tally {
    records: u64,
    delivered: u64,
    failed: u64,
    /// in 0.00001 USD: exact
    spend: u64,
    by: [u64; NRESP],
    quota_first: Option<i64>,
}

impl Tally {
    pub(crate) fn add(&mut self, r: &Rec) {
        self.records += 1;
        if r.success() {
            self.delivered += 1;
        } else {
            self.failed += 1;
        }
        self.spend += r.price as u64;
        self.by[r.resp as usize] += 1;
        if r.resp == R_QUOTA {
            self.quota_first = Some(self.quota_first.map_or(r.t, |q| q.min(r.t)));
        }
    }

    pub(crate) fn truth(&self) -> GenTruth {
        GenTruth {
            records: self.records,
            unique: self.records,
            delivered: self.delivered,
            failed: self.failed,
            spend_usd: self.spend as f64 / 100_000.0,
            by_provider_response: self
                .by
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, &n)| (RESPONSES[i].to_string(), n))
                .collect(),
            quota_exhausted_at: self.quota_first.map(|t| fmt_ts(t, push_iso_ms_z)),
            scenario: None,
        }
    }
}

/// What a scenario month's one cause was and did: what smslens's top finding must say.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScenarioTruth {
    pub scenario: &'static str,
    /// The finding kind that must come first; null for a healthy month (nothing above info).
    pub cause: Option<&'static str>,
    /// The first and last text the cause decided (RFC 3339, ms, `Z`); for a cause still going at the
    /// end of the month, `end` is the month's last text.
    pub start: Option<String>,
    pub end: Option<String>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    /// The cause was still going when the month ended.
    pub ongoing: bool,
    pub country: Option<&'static str>,
    pub carrier: Option<&'static str>,
    /// Pumping: the three destination countries and the number blocks (`+<cc><digits>`: every pumped
    /// number starts with one of them).
    pub countries: Vec<&'static str>,
    pub prefixes: Vec<String>,
    /// Wrong region: the region the texts went through once Cognito switched.
    pub region: Option<&'static str>,
    /// Texts the cause decided (pumping: the pumped texts).
    pub texts: u64,
    /// Pumping: distinct pumped numbers.
    pub numbers: u64,
    /// Pumping: what the pumped texts cost, USD.
    pub cost_usd: f64,
    /// Share of the texts the cause did not decide that failed as unreachable, unknown or
    /// carrier-unreachable.
    pub background_failure_rate: f64,
    /// The MonthlySpendLimit of the settings file the scenario wrote, if it wrote one.
    pub settings_limit_usd: Option<f64>,
}

/// Counted while a scenario month is generated.
pub(crate) struct ScenarioTally {
    first: Option<i64>,
    last: Option<i64>,
    last_text: i64,
    texts: u64,
    cost: u64,
    numbers: std::collections::HashSet<(u8, u64)>,
    others: u64,
    background: u64,
}

impl ScenarioTally {
    pub(crate) fn new(_plan: &Plan) -> ScenarioTally {
        ScenarioTally {
            first: None,
            last: None,
            last_text: 0,
            texts: 0,
            cost: 0,
            numbers: Default::default(),
            others: 0,
            background: 0,
        }
    }

    pub(crate) fn add(&mut self, r: &Rec, caused: bool) {
        self.last_text = self.last_text.max(r.t);
        if caused {
            self.first = Some(self.first.map_or(r.t, |f| f.min(r.t)));
            self.last = Some(self.last.map_or(r.t, |l| l.max(r.t)));
            self.texts += 1;
            self.cost += r.price as u64;
            if r.nsn != 0 {
                self.numbers.insert((r.country, r.nsn));
            }
        } else {
            self.others += 1;
            self.background += u64::from(matches!(
                r.resp,
                R_UNREACHABLE | R_UNKNOWN_ERROR | R_CARRIER_UNREACHABLE
            ));
        }
    }

    pub(crate) fn truth(&self, plan: &Plan) -> ScenarioTruth {
        let iso = |c: usize| COUNTRIES[c].iso;
        let mut t = ScenarioTruth {
            scenario: plan.scenario.name(),
            texts: self.texts,
            numbers: self.numbers.len() as u64,
            cost_usd: self.cost as f64 / 100_000.0,
            background_failure_rate: self.background as f64 / self.others.max(1) as f64,
            settings_limit_usd: plan.settings_limit_usd,
            ..ScenarioTruth::default()
        };
        let ongoing = match &plan.cause {
            Cause::None | Cause::Marketing => return t,
            Cause::SpendLimit => {
                t.cause = Some("spend_limit");
                true
            }
            Cause::Block {
                country,
                carrier,
                resp,
                ..
            } => {
                t.cause = Some(if *resp == R_SPAM {
                    "spam"
                } else {
                    "carrier_blocked"
                });
                t.country = Some(iso(*country));
                t.carrier = Some(carrier);
                true
            }
            Cause::Outage {
                country, carrier, ..
            } => {
                t.cause = Some("carrier_outage");
                t.country = Some(iso(*country));
                t.carrier = Some(COUNTRIES[*country].carriers[*carrier].name);
                false
            }
            Cause::OptedOut { .. } => {
                t.cause = Some("opted_out");
                true
            }
            Cause::Invalid { country, .. } => {
                t.cause = Some("invalid_number");
                t.country = Some(iso(*country));
                true
            }
            Cause::MaxPrice { country } => {
                t.cause = Some("max_price");
                t.country = Some(iso(*country));
                true
            }
            Cause::Review => {
                t.cause = Some("account_review");
                true
            }
            Cause::Throttle { .. } => {
                t.cause = Some("throttled");
                false
            }
            Cause::WrongRegion => {
                t.cause = Some("wrong_region");
                t.region = Some(REGIONS[1]);
                true
            }
            Cause::Pumping {
                countries, blocks, ..
            } => {
                t.cause = Some("sms_pumping");
                t.countries = countries.iter().map(|&c| iso(c)).collect();
                t.prefixes = blocks.iter().map(block_prefix).collect();
                false
            }
        };
        t.ongoing = ongoing;
        let end = if ongoing {
            Some(self.last_text)
        } else {
            self.last
        };
        t.start_ms = self.first;
        t.end_ms = end;
        t.start = self.first.map(|v| fmt_ts(v, push_iso_ms_z));
        t.end = end.map(|v| fmt_ts(v, push_iso_ms_z));
        t
    }
}

/// `+<cc><the block's digits>`.
fn block_prefix(b: &Block) -> String {
    let cc = mobile_plan(b.country).map_or("", |(cc, _, _)| cc);
    let len = mobile_plan(b.country).map_or(10, |(_, _, l)| l);
    let digits = (len - b.digits) as usize;
    format!("+{cc}{:0digits$}", b.prefix)
}

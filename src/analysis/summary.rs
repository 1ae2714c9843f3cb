//! The summary: totals and breakdowns from the cube, in the shape `summary --format json` promises.

use std::borrow::Cow;
use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use super::collector::Collected;
use super::compare::Comparison;
use super::cube::{self, rollup};
use super::findings::model::Finding;
use super::sampling::{failure_rate, success_weight};
use super::spend::{self, Spend, SpendOverrides};
use crate::domain::mask::mask_numbers_in;
use crate::domain::money::round_usd;
use crate::domain::outcome::Class;
use crate::domain::time::rfc3339;
use crate::frame::Received;
use crate::record::types::SourceKind;
use crate::record::Status;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResponseRow {
    pub provider_response: String,
    pub status: &'static str,
    pub class: &'static str,
    pub count: u64,
    /// First time this outcome was seen (RFC 3339).
    pub first_seen: String,
    pub last_seen: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupRow {
    /// The country, carrier or smsType (the JSON key is renamed per table).
    #[serde(skip)]
    pub key: String,
    pub events: u64,
    pub failed: u64,
    /// Failed share of (sampling-corrected) sends, 0..1.
    pub failure_rate: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputRow {
    pub path: String,
    pub format: &'static str,
    pub records: u64,
    pub skipped: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SkipExampleRow {
    pub path: String,
    pub location: String,
    pub reason: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceFigures {
    pub source: &'static str,
    pub messages: u64,
    pub spend_usd: f64,
    pub message_parts: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegionRow {
    pub region: String,
    pub account: String,
    pub events: u64,
    pub failed: u64,
    pub failure_rate: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CognitoRow {
    /// RFC 3339, when the log says.
    pub time: Option<String>,
    pub user_pool_id: Option<String>,
    pub log_level: Option<String>,
    pub details: String,
}

/// Hourly counts, for the over-time chart and findings.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HourRow {
    pub hour_start: String,
    #[serde(skip)]
    pub hour_ms: i64,
    pub events: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub events: u64,
    pub delivered: u64,
    pub failed: u64,
    /// Failure share of sends, with successes re-weighted when success logging is sampled.
    pub failure_rate: f64,
    pub duplicates: u64,
    /// Malformed input lines/items (errors); expected non-records are in `skipped_by_reason` only.
    pub malformed: u64,
    pub skipped: u64,
    pub outside_window: u64,
    pub spend_usd: f64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    pub by_provider_response: Vec<ResponseRow>,
    #[serde(serialize_with = "ser_groups::country")]
    pub by_country: Vec<GroupRow>,
    #[serde(serialize_with = "ser_groups::carrier")]
    pub by_carrier: Vec<GroupRow>,
    #[serde(serialize_with = "ser_groups::sms_type")]
    pub by_sms_type: Vec<GroupRow>,
    pub inputs: Vec<InputRow>,
    pub skipped_by_reason: BTreeMap<&'static str, u64>,
    pub skipped_examples: Vec<SkipExampleRow>,
    /// Record keys seen but not modelled, with counts.
    pub unknown_fields: BTreeMap<String, u64>,
    /// Messages from which kind of source (SNS delivery logs, End User Messaging, Pinpoint, usage reports).
    #[serde(serialize_with = "ser_groups::source")]
    pub by_source: Vec<GroupRow>,
    /// Per region and account where the records were logged ("unknown" where the data does not say).
    pub by_region: Vec<RegionRow>,
    /// Which source each figure came from: messages, spend and message parts per kind of source (a usage
    /// report's price and parts supplied to logged records that had none count for the report).
    pub figures_by_source: Vec<SourceFigures>,
    /// Message parts (SNS bills each), from logs and usage reports.
    pub message_parts: u64,
    /// Messages of event-stream sources with no final event in the data: neither delivered nor failed.
    pub no_final_outcome: u64,
    /// Why the recipients of raw inputs and of datasets read together are counted apart (a recipient in
    /// both then counts twice); absent when they are not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipients_note: Option<String>,
    /// Texts Cognito could not hand to SNS or End User Messaging at all (its `userNotification` error log).
    pub cognito_errors: Vec<CognitoRow>,
    /// Spend, limit, quota exhaustion and forecast (flattened into the same JSON object).
    #[serde(flatten)]
    pub spend: Spend,
    /// The one-sentence diagnosis, spoken from the top finding.
    pub verdict: String,
    /// What went wrong, ranked: data-quality findings first, then by severity and the texts each
    /// explains beyond the baseline.
    pub findings: Vec<Finding>,
    /// What changed against `--baseline` (absent without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    #[serde(skip)]
    pub hourly: Vec<HourRow>,
    #[serde(skip)]
    pub first_ms: Option<i64>,
    #[serde(skip)]
    pub last_ms: Option<i64>,
}

mod ser_groups {
    use super::GroupRow;
    use serde::ser::{SerializeMap, SerializeSeq, Serializer};

    fn rows<S: Serializer>(rows: &[GroupRow], key: &str, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(rows.len()))?;
        for r in rows {
            seq.serialize_element(&Row { key, r })?;
        }
        seq.end()
    }

    struct Row<'a> {
        key: &'a str,
        r: &'a GroupRow,
    }

    impl serde::Serialize for Row<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(4))?;
            m.serialize_entry(self.key, &self.r.key)?;
            m.serialize_entry("events", &self.r.events)?;
            m.serialize_entry("failed", &self.r.failed)?;
            m.serialize_entry("failure_rate", &self.r.failure_rate)?;
            m.end()
        }
    }

    pub fn country<S: Serializer>(r: &[GroupRow], s: S) -> Result<S::Ok, S::Error> {
        rows(r, "country", s)
    }
    pub fn carrier<S: Serializer>(r: &[GroupRow], s: S) -> Result<S::Ok, S::Error> {
        rows(r, "carrier", s)
    }
    pub fn sms_type<S: Serializer>(r: &[GroupRow], s: S) -> Result<S::Ok, S::Error> {
        rows(r, "sms_type", s)
    }
    pub fn source<S: Serializer>(r: &[GroupRow], s: S) -> Result<S::Ok, S::Error> {
        rows(r, "source", s)
    }
}

impl Summary {
    /// The summary of a run; phone numbers in every string from the logs or the file system are masked
    /// unless `show_numbers`.
    pub fn build(
        c: &Collected,
        received: &Received,
        overrides: SpendOverrides,
        show_numbers: bool,
    ) -> PolarsResult<Summary> {
        let cube = &c.cube;
        let spend = spend::analyse(c, received, overrides)?;
        let weight = success_weight(spend.success_sample_rate);
        let sum_u64 =
            |name: &str| -> PolarsResult<u64> { Ok(cube::u64s(cube, name)?.iter().sum()) };
        let events = sum_u64(cube::EVENTS)?;
        let failed = sum_u64(cube::FAILED)?;
        let spend_usd = cube::f64s(cube, cube::PRICE_USD)?.iter().sum::<f64>();
        let firsts = cube::i64s(cube, cube::FIRST_MS)?;
        let lasts = cube::i64s(cube, cube::LAST_MS)?;
        let first_ms = firsts.iter().copied().min();
        let last_ms = lasts.iter().copied().max();

        let by_provider_response = responses(cube, &c.dicts.provider_response)?;
        let by_country = groups(cube, cube::COUNTRY, &c.dicts.country, weight)?;
        let by_carrier = groups(cube, cube::CARRIER, &c.dicts.carrier, weight)?;
        let by_sms_type = groups(cube, cube::SMS_TYPE, &c.dicts.sms_type, weight)?;
        let by_source = sources(cube, weight)?;
        let figures_by_source = source_figures(cube, received)?;
        let message_parts = sum_u64(cube::MESSAGE_PARTS)?;
        let by_region = regions(cube, &c.dicts.region, &c.dicts.account, weight)?;
        let hourly = hourly(cube)?;

        let inputs = received
            .inputs
            .iter()
            .map(|i| InputRow {
                path: i.path.clone(),
                format: i.format,
                records: i.records,
                skipped: i.skipped,
                sha256: i.sha256.clone(),
            })
            .collect();
        let mut summary = Summary {
            events,
            delivered: events - failed,
            failed,
            failure_rate: failure_rate(events, failed, weight),
            duplicates: received.duplicates,
            malformed: received.skips.malformed(),
            skipped: received.skips.total(),
            outside_window: received.outside_window,
            spend_usd: round_usd(spend_usd),
            first_event: first_ms.map(rfc3339),
            last_event: last_ms.map(rfc3339),
            by_provider_response,
            by_country,
            by_carrier,
            by_sms_type,
            inputs,
            skipped_by_reason: received
                .skips
                .counts
                .iter()
                .map(|(r, n)| (r.as_str(), *n))
                .collect(),
            skipped_examples: received
                .skips
                .examples
                .iter()
                .map(|e| SkipExampleRow {
                    path: e.path.clone(),
                    location: e.loc.to_string(),
                    reason: e.reason.as_str(),
                    detail: e.detail.clone(),
                })
                .collect(),
            unknown_fields: c.unknown_fields.clone(),
            by_source,
            by_region,
            figures_by_source,
            message_parts,
            no_final_outcome: received.no_final_outcome,
            recipients_note: None,
            cognito_errors: received
                .cognito_errors
                .iter()
                .map(|e| CognitoRow {
                    time: e.time_ms.map(rfc3339),
                    user_pool_id: e.user_pool_id.clone(),
                    log_level: e.log_level.clone(),
                    details: e.details.clone(),
                })
                .collect(),
            spend,
            verdict: String::new(),
            findings: Vec::new(),
            comparison: None,
            hourly,
            first_ms,
            last_ms,
        };
        if !show_numbers {
            summary.hide_numbers();
        }
        Ok(summary)
    }

    /// Masks phone numbers in every string that came from the logs or the file system.
    fn hide_numbers(&mut self) {
        fn hide(s: &mut String) {
            if let Cow::Owned(masked) = mask_numbers_in(s) {
                *s = masked;
            }
        }
        for r in &mut self.by_provider_response {
            hide(&mut r.provider_response);
        }
        for r in self
            .by_country
            .iter_mut()
            .chain(&mut self.by_carrier)
            .chain(&mut self.by_sms_type)
        {
            hide(&mut r.key);
        }
        for i in &mut self.inputs {
            hide(&mut i.path);
        }
        for e in &mut self.skipped_examples {
            hide(&mut e.path);
            hide(&mut e.detail);
        }
        let mut fields = BTreeMap::new();
        for (k, n) in std::mem::take(&mut self.unknown_fields) {
            *fields.entry(mask_numbers_in(&k).into_owned()).or_insert(0) += n;
        }
        self.unknown_fields = fields;
        if let Some(p) = &mut self.spend.spend_limit_source {
            hide(p);
        }
        for e in &mut self.cognito_errors {
            hide(&mut e.details);
        }
    }
}

fn responses(cube: &DataFrame, names: &crate::frame::Dict) -> PolarsResult<Vec<ResponseRow>> {
    let r = rollup(cube, &[cube::PROVIDER_RESPONSE, cube::STATUS, cube::CLASS])?;
    let (pr, st, cl) = (
        cube::u32s(&r, cube::PROVIDER_RESPONSE)?,
        cube::u32s(&r, cube::STATUS)?,
        cube::u32s(&r, cube::CLASS)?,
    );
    let (ev, first, last) = (
        cube::u64s(&r, cube::EVENTS)?,
        cube::i64s(&r, cube::FIRST_MS)?,
        cube::i64s(&r, cube::LAST_MS)?,
    );
    let mut rows: Vec<ResponseRow> = (0..r.height())
        .map(|i| ResponseRow {
            provider_response: names.name(pr[i]).to_owned(),
            status: if st[i] == Status::Success as u32 {
                "SUCCESS"
            } else {
                "FAILURE"
            },
            class: Class::from_code(cl[i]).as_str(),
            count: ev[i],
            first_seen: rfc3339(first[i]),
            last_seen: rfc3339(last[i]),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.provider_response.cmp(&b.provider_response))
            .then(a.status.cmp(b.status))
    });
    Ok(rows)
}

/// Events and failures per value of one dimension, most events first.
pub fn groups(
    cube: &DataFrame,
    key: &str,
    names: &crate::frame::Dict,
    weight: f64,
) -> PolarsResult<Vec<GroupRow>> {
    let r = rollup(cube, &[key])?;
    let (k, ev, fl) = (
        cube::u32s(&r, key)?,
        cube::u64s(&r, cube::EVENTS)?,
        cube::u64s(&r, cube::FAILED)?,
    );
    let mut rows: Vec<GroupRow> = (0..r.height())
        .map(|i| GroupRow {
            key: names.name(k[i]).to_owned(),
            events: ev[i],
            failed: fl[i],
            failure_rate: failure_rate(ev[i], fl[i], weight),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.events
            .cmp(&a.events)
            .then_with(|| b.failed.cmp(&a.failed))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(rows)
}

fn hourly(cube: &DataFrame) -> PolarsResult<Vec<HourRow>> {
    let r = rollup(cube, &[cube::HOUR])?;
    let (h, ev, fl) = (
        cube::i64s(&r, cube::HOUR)?,
        cube::u64s(&r, cube::EVENTS)?,
        cube::u64s(&r, cube::FAILED)?,
    );
    let mut rows: Vec<HourRow> = (0..r.height())
        .map(|i| {
            let ms = h[i] * crate::domain::time::HOUR_MS;
            HourRow {
                hour_start: rfc3339(ms),
                hour_ms: ms,
                events: ev[i],
                failed: fl[i],
            }
        })
        .collect();
    rows.sort_by_key(|r| r.hour_ms);
    Ok(rows)
}

/// Events and failures per kind of source, most events first.
fn sources(cube: &DataFrame, weight: f64) -> PolarsResult<Vec<GroupRow>> {
    let r = rollup(cube, &[cube::SOURCE_KIND])?;
    let (k, ev, fl) = (
        cube::u32s(&r, cube::SOURCE_KIND)?,
        cube::u64s(&r, cube::EVENTS)?,
        cube::u64s(&r, cube::FAILED)?,
    );
    let mut rows: Vec<GroupRow> = (0..r.height())
        .map(|i| GroupRow {
            key: SourceKind::from_code(k[i]).as_str().to_owned(),
            events: ev[i],
            failed: fl[i],
            failure_rate: failure_rate(ev[i], fl[i], weight),
        })
        .collect();
    rows.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.key.cmp(&b.key)));
    Ok(rows)
}

/// Events and failures per (region, account), most events first.
fn regions(
    cube: &DataFrame,
    regions: &crate::frame::Dict,
    accounts: &crate::frame::Dict,
    weight: f64,
) -> PolarsResult<Vec<RegionRow>> {
    let r = rollup(cube, &[cube::REGION, cube::ACCOUNT])?;
    let (rg, ac, ev, fl) = (
        cube::u32s(&r, cube::REGION)?,
        cube::u32s(&r, cube::ACCOUNT)?,
        cube::u64s(&r, cube::EVENTS)?,
        cube::u64s(&r, cube::FAILED)?,
    );
    let mut rows: Vec<RegionRow> = (0..r.height())
        .map(|i| RegionRow {
            region: regions.name(rg[i]).to_owned(),
            account: accounts.name(ac[i]).to_owned(),
            events: ev[i],
            failed: fl[i],
            failure_rate: failure_rate(ev[i], fl[i], weight),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.events
            .cmp(&a.events)
            .then_with(|| (&a.region, &a.account).cmp(&(&b.region, &b.account)))
    });
    Ok(rows)
}

/// Messages, spend and parts per kind of source; what usage reports supplied to logged records is moved from
/// the logs' row to the reports'.
fn source_figures(cube: &DataFrame, received: &Received) -> PolarsResult<Vec<SourceFigures>> {
    let r = rollup(cube, &[cube::SOURCE_KIND])?;
    let (k, ev, price, parts) = (
        cube::u32s(&r, cube::SOURCE_KIND)?,
        cube::u64s(&r, cube::EVENTS)?,
        cube::f64s(&r, cube::PRICE_USD)?,
        cube::u64s(&r, cube::MESSAGE_PARTS)?,
    );
    let mut rows: Vec<SourceFigures> = SourceKind::ALL
        .iter()
        .map(|s| SourceFigures {
            source: s.as_str(),
            messages: 0,
            spend_usd: 0.0,
            message_parts: 0,
        })
        .collect();
    for i in 0..r.height() {
        let row = &mut rows[SourceKind::from_code(k[i]) as usize];
        row.messages += ev[i];
        row.spend_usd += price[i];
        row.message_parts += parts[i];
    }
    let (logs, report) = (
        SourceKind::SnsDeliveryLog as usize,
        SourceKind::UsageReport as usize,
    );
    rows[logs].spend_usd -= received.price_from_usage_usd;
    rows[report].spend_usd += received.price_from_usage_usd;
    rows[logs].message_parts = rows[logs]
        .message_parts
        .saturating_sub(received.parts_from_usage);
    rows[report].message_parts += received.parts_from_usage;
    rows.retain(|r| r.messages > 0 || r.spend_usd > 0.0 || r.message_parts > 0);
    for r in &mut rows {
        r.spend_usd = round_usd(r.spend_usd);
    }
    Ok(rows)
}

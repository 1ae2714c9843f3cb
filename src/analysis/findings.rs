//! Findings: what went wrong, ranked by how many texts it cost, each with its evidence and remedy
//! (from `provider-responses.md`). Every finding is raised from the data; nothing is printed by default.

use polars::prelude::*;
use serde::Serialize;

use super::collector::Collected;
use super::cube::{self, rollup};
use super::summary::Summary;
use crate::domain::mask::mask_text;
use crate::domain::outcome::{classify, Class, Phrase};
use crate::domain::time::{human, rfc3339, HOUR_MS};
use crate::frame::Evidence;

/// What a finding is about: one outcome class, or an event the classes alone do not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    Class(Class),
    CarrierOutage,
}

impl FindingKind {
    /// Stable identifier, e.g. `spend_limit`, `carrier_blocked`, `carrier_outage`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Class(c) => c.as_str(),
            FindingKind::CarrierOutage => "carrier_outage",
        }
    }
}

impl Serialize for FindingKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub title: String,
    /// Texts this finding explains.
    pub texts: u64,
    /// Share of all failed texts.
    pub share_of_failures: f64,
    pub first_seen: String,
    pub last_seen: String,
    pub recipients: u64,
    /// Where it concentrates, e.g. "91% in IN, 88% on Airtel".
    pub concentration: Option<String>,
    pub evidence: Vec<String>,
    pub remedy: String,
    /// Example message ids for a support case.
    pub message_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Recipient {
    /// Masked unless `--show-numbers`.
    pub number: String,
    pub country: String,
    pub failed_texts: u64,
    pub first_attempt: String,
    pub last_attempt: String,
    pub failure_classes: Vec<&'static str>,
}

/// Largest share of `rows` (name, count) in one name, as "88% in X".
fn top_share(rows: &[(String, u64)], total: u64, word: &str) -> Option<(String, f64, String)> {
    let (name, n) = rows
        .iter()
        .max_by_key(|(n, c)| (*c, std::cmp::Reverse(n.clone())))?;
    (total > 0).then(|| {
        let share = *n as f64 / total as f64;
        (
            name.clone(),
            share,
            format!("{:.0}% {word} {name}", share * 100.0),
        )
    })
}

/// Texts of `class` per value of `key` (names masked unless `show`).
fn per_class(
    cube: &DataFrame,
    key: &str,
    names: &crate::frame::Dict,
    class: Class,
    show: bool,
) -> PolarsResult<Vec<(String, u64)>> {
    let rows = rollup(&cube::filter_eq(cube, cube::CLASS, class.code())?, &[key])?;
    let (k, ev) = (cube::u32s(&rows, key)?, cube::u64s(&rows, cube::EVENTS)?);
    Ok(k.iter()
        .zip(ev)
        .map(|(k, e)| (mask_text(names.name(*k), show).into_owned(), e))
        .collect())
}

fn recipients_with(c: &Collected, class: Class) -> u64 {
    c.recipients
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.failure_classes & (1 << class.code()) != 0)
        .count() as u64
}

fn ids(evidence: &[Evidence], class: Class) -> Vec<String> {
    evidence
        .iter()
        .filter(|e| e.class == class)
        .map(|e| e.message_id.clone())
        .collect()
}

/// A burst of carrier-unreachable/unknown errors on one carrier within a few hours.
struct Outage {
    carrier: String,
    start_ms: i64,
    end_ms: i64,
    failures: u64,
    texts: u64,
}

const OUTAGE_WINDOW_HOURS: i64 = 6;

fn find_outage(c: &Collected) -> PolarsResult<Option<Outage>> {
    let cube = &c.cube;
    let rows = rollup(cube, &[cube::CARRIER, cube::HOUR, cube::CLASS])?;
    let (car, hour, cls, ev) = (
        cube::u32s(&rows, cube::CARRIER)?,
        cube::i64s(&rows, cube::HOUR)?,
        cube::u32s(&rows, cube::CLASS)?,
        cube::u64s(&rows, cube::EVENTS)?,
    );
    // carrier → hour → (network failures, all texts)
    let mut per: std::collections::BTreeMap<u32, std::collections::BTreeMap<i64, (u64, u64)>> =
        Default::default();
    for i in 0..rows.height() {
        let e = per.entry(car[i]).or_default().entry(hour[i]).or_default();
        e.1 += ev[i];
        if matches!(
            Class::from_code(cls[i]),
            Class::CarrierUnreachable | Class::Unknown
        ) {
            e.0 += ev[i];
        }
    }
    let mut best: Option<Outage> = None;
    for (carrier, hours) in per {
        let total_fail: u64 = hours.values().map(|v| v.0).sum();
        if total_fail < 10 {
            continue;
        }
        let list: Vec<(i64, (u64, u64))> = hours.into_iter().collect();
        for (i, &(h0, _)) in list.iter().enumerate() {
            let in_window: Vec<&(i64, (u64, u64))> = list[i..]
                .iter()
                .take_while(|(h, _)| *h < h0 + OUTAGE_WINDOW_HOURS)
                .collect();
            let fails: u64 = in_window.iter().map(|(_, v)| v.0).sum();
            let texts: u64 = in_window.iter().map(|(_, v)| v.1).sum();
            // A burst: most of this carrier's network errors, in a window where most texts failed.
            if fails >= 10
                && fails * 2 >= total_fail
                && fails * 10 >= texts * 3
                && best.as_ref().is_none_or(|b| fails > b.failures)
            {
                // The window, trimmed to the hours that had errors.
                let failing: Vec<i64> = in_window
                    .iter()
                    .filter(|(_, v)| v.0 > 0)
                    .map(|(h, _)| *h)
                    .collect();
                let (first_h, last_h) = (
                    failing.first().copied().unwrap_or(h0),
                    failing.last().copied().unwrap_or(h0),
                );
                best = Some(Outage {
                    carrier: c.dicts.carrier.name(carrier).to_owned(),
                    start_ms: first_h * HOUR_MS,
                    end_ms: (last_h + 1) * HOUR_MS,
                    failures: fails,
                    texts,
                });
            }
        }
    }
    Ok(best.filter(|o| o.carrier != crate::frame::UNKNOWN))
}

/// Every finding, most texts first; names from the logs masked unless `show_numbers`.
pub fn findings(c: &Collected, s: &Summary, show_numbers: bool) -> PolarsResult<Vec<Finding>> {
    let cube = &c.cube;
    let failed_total = s.failed.max(1);
    let mut out = Vec::new();
    let by_class = rollup(cube, &[cube::CLASS])?;
    let (cls, ev, first, last) = (
        cube::u32s(&by_class, cube::CLASS)?,
        cube::u64s(&by_class, cube::EVENTS)?,
        cube::i64s(&by_class, cube::FIRST_MS)?,
        cube::i64s(&by_class, cube::LAST_MS)?,
    );
    let outage = find_outage(c)?.map(|mut o| {
        o.carrier = mask_text(&o.carrier, show_numbers).into_owned();
        o
    });
    for i in 0..by_class.height() {
        let class = Class::from_code(cls[i]);
        if class == Class::Delivered || ev[i] == 0 {
            continue;
        }
        let countries = per_class(cube, cube::COUNTRY, &c.dicts.country, class, show_numbers)?;
        let carriers = per_class(cube, cube::CARRIER, &c.dicts.carrier, class, show_numbers)?;
        let known_carriers: Vec<(String, u64)> = carriers
            .iter()
            .filter(|(n, _)| n != crate::frame::UNKNOWN)
            .cloned()
            .collect();
        let mut conc = Vec::new();
        let mut evidence = Vec::new();
        if let Some((_, share, text)) = top_share(&countries, ev[i], "in") {
            if share >= 0.5 && countries.len() > 1 || s.by_country.len() > 1 && share >= 0.8 {
                conc.push(text);
            }
        }
        if let Some((_, share, text)) = top_share(&known_carriers, ev[i], "on") {
            if share >= 0.5 {
                conc.push(text);
            }
        }
        if class == Class::SpendLimit {
            if let Some(l) = s.spend.spend_limit_usd {
                evidence.push(format!("monthly spend limit: {l} USD"));
            }
            if let Some(t) = &s.spend.limit_reached_at_metric {
                evidence.push(format!("SMSMonthToDateSpentUSD reached the limit at {t}"));
            }
        }
        if class == Class::Unknown {
            let odd: Vec<String> = s
                .by_provider_response
                .iter()
                .filter(|r| {
                    r.class == "unknown"
                        && classify(Some(&r.provider_response)) == Class::Unknown
                        && r.provider_response != "Unknown error attempting to reach phone"
                })
                .map(|r| {
                    format!(
                        "unrecognised providerResponse \"{}\" ({} texts)",
                        r.provider_response, r.count
                    )
                })
                .collect();
            evidence.extend(odd);
        }
        out.push(Finding {
            kind: FindingKind::Class(class),
            title: class.outcome().title.render(s.spend.spend_limit_usd),
            texts: ev[i],
            share_of_failures: ev[i] as f64 / failed_total as f64,
            first_seen: rfc3339(first[i]),
            last_seen: rfc3339(last[i]),
            recipients: recipients_with(c, class),
            concentration: (!conc.is_empty()).then(|| conc.join(", ")),
            evidence,
            remedy: class.outcome().remedy.to_owned(),
            message_ids: ids(&c.evidence, class),
        });
    }
    if let Some(o) = outage {
        let mut message_ids = ids(&c.evidence, Class::CarrierUnreachable);
        message_ids.extend(ids(&c.evidence, Class::Unknown));
        message_ids.truncate(3);
        out.push(Finding {
            kind: FindingKind::CarrierOutage,
            title: format!("Probable outage on {}", o.carrier),
            texts: o.failures,
            share_of_failures: o.failures as f64 / failed_total as f64,
            first_seen: rfc3339(o.start_ms),
            last_seen: rfc3339(o.end_ms),
            recipients: 0,
            concentration: Some(format!(
                "{} of {} texts on {} failed in this window",
                o.failures, o.texts, o.carrier
            )),
            evidence: vec![format!(
                "burst of carrier-unreachable/unknown errors on {} from {} to {}",
                o.carrier,
                human(o.start_ms),
                human(o.end_ms)
            )],
            remedy: Class::CarrierUnreachable.outcome().remedy.to_owned(),
            message_ids,
        });
    }
    out.sort_by(|a, b| {
        b.texts
            .cmp(&a.texts)
            .then_with(|| a.kind.as_str().cmp(b.kind.as_str()))
    });
    Ok(out)
}

/// Recipients with no successful delivery in the window: the users locked out of MFA.
#[derive(Debug, Default)]
pub struct LockedOut {
    /// How many there are.
    pub total: u64,
    /// The worst of them (most failed texts, then earliest last attempt, then number), at most the limit.
    pub worst: Vec<Recipient>,
}

/// The locked-out recipients: all of them counted, the worst `limit` (all with `None`) listed. A sign-up
/// surge or a pumping attack leaves hundreds of thousands; only the listed ones are formatted.
pub fn locked_out(c: &Collected, show_numbers: bool, limit: Option<usize>) -> LockedOut {
    // (failed texts, last attempt, key): the order without the number, which only breaks ties.
    let mut all: Vec<(u64, i64, u64)> = c
        .recipients
        .iter()
        .filter(|(_, r)| r.texts > 0 && r.failed == r.texts)
        .map(|(k, r)| (r.failed, r.last_ms, *k))
        .collect();
    let total = all.len() as u64;
    let order = |a: &(u64, i64, u64), b: &(u64, i64, u64)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if let Some(n) = limit.filter(|&n| n < all.len()) {
        // Keep the first n by that order and every tie of the n-th: the number decides among those.
        let edge = if n == 0 {
            None
        } else {
            Some(*all.select_nth_unstable_by(n - 1, order).1)
        };
        all.retain(|r| edge.is_some_and(|e| order(r, &e).is_le()));
    }
    let mut worst: Vec<Recipient> = all
        .into_iter()
        .filter_map(|(_, _, k)| Some((k, c.recipients.get(k)?)))
        // A number, or for a dataset's recipient its masked number or pseudonym.
        .map(|(k, r)| Recipient {
            number: c.recipient_name(k, show_numbers),
            country: c.dicts.country.name(r.country).to_owned(),
            failed_texts: r.failed,
            first_attempt: rfc3339(r.first_ms),
            last_attempt: rfc3339(r.last_ms),
            failure_classes: Class::ALL
                .iter()
                .filter(|c| r.failure_classes & (1 << c.code()) != 0)
                .map(|c| c.as_str())
                .collect(),
        })
        .collect();
    worst.sort_by(|a, b| {
        b.failed_texts
            .cmp(&a.failed_texts)
            .then_with(|| a.last_attempt.cmp(&b.last_attempt))
            .then_with(|| a.number.cmp(&b.number))
    });
    worst.truncate(limit.unwrap_or(usize::MAX));
    LockedOut { total, worst }
}

/// One sentence a support engineer can paste.
pub fn verdict(s: &Summary, findings: &[Finding]) -> String {
    if s.events == 0 {
        return "No delivery records were found in the inputs.".into();
    }
    let rate = s.failure_rate * 100.0;
    let Some(top) = findings.first() else {
        return format!(
            "{rate:.0}% of {} texts failed; no failure pattern stands out.",
            s.events
        );
    };
    let why = because(top, s.spend.spend_limit_usd);
    // Share of the failures since this finding began that it explains.
    let since_ms = crate::domain::time::parse_timestamp_ms(&top.first_seen).unwrap_or(0);
    let since_failed: u64 = s
        .hourly
        .iter()
        .filter(|h| h.hour_ms + HOUR_MS > since_ms)
        .map(|h| h.failed)
        .sum();
    let share = if since_failed > 0 {
        (top.texts as f64 / since_failed as f64).min(1.0)
    } else {
        1.0
    };
    let label = match s
        .by_provider_response
        .iter()
        .find(|r| r.class == top.kind.as_str())
    {
        Some(r) => format!("`{}`", r.provider_response),
        None if top.kind == FindingKind::CarrierOutage => "carrier-network errors".to_owned(),
        None => top.title.clone(),
    };
    format!(
        "{rate:.0}% of texts failed; {:.0}% of failures since {} are {label}: {why}.",
        share * 100.0,
        human(since_ms)
    )
}

/// Why the texts failed, as the verdict says it.
fn because(top: &Finding, limit_usd: Option<f64>) -> String {
    let concentration = || {
        top.concentration
            .as_ref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default()
    };
    match top.kind {
        FindingKind::CarrierOutage => format!(
            "a probable carrier outage ({})",
            top.concentration.as_deref().unwrap_or_default()
        ),
        FindingKind::Class(class) => {
            let o = class.outcome();
            let said = o
                .because
                .map_or_else(|| top.title.to_lowercase(), |p: Phrase| p.render(limit_usd));
            if o.because_names_concentration {
                said + &concentration()
            } else {
                said
            }
        }
    }
}

//! SMS pumping (artificially inflated traffic): from delivery records alone, a surge of texts to one or
//! more countries far above their own share of the traffic, made of numbers never texted before, each
//! receiving one or a few texts, in blocks of numbers that share all but their last 3-4 digits and in
//! sequential runs. The texts are delivered, so no failure class shows it: volume, numbers and money do.
//!
//! Every test is against the country's own baseline, so that an ordinary month, a campaign to the usual
//! countries (their shares do not move, and it reaches known users) and growth (new users spread over
//! the usual countries, numbers scattered) raise nothing: the surge must change the country's share of
//! all texts ([`super::scan`]), be mostly new numbers, and those numbers must cluster far more than the
//! country's earlier numbers do.

use std::collections::BTreeMap;

use super::grid::{sum, Grid, Scope};
use super::model::{Finding, FindingKind, SurgeChart, SurgeSeries, Window};
use super::scan::{scan, Fit, LLR_MIN};
use super::{count, only, pct, usd, Ctx};
use crate::domain::country::calling_code_len;
use crate::domain::outcome::{Class, Severity};
use crate::domain::time::{DAY_MS, HOUR_MS};
use crate::frame::recipient;

/// Fewest texts beyond the country's own share for a surge.
const MIN_SURGE: f64 = 50.0;
/// The country's share of all texts in the surge, against outside it.
const MIN_RATIO: f64 = 3.0;
/// Fewest new numbers.
const MIN_NEW: usize = 30;
/// Share of the surge's texts that went to numbers first seen in it.
const NEW_SHARE: f64 = 0.5;
/// Pumped numbers get a code, maybe a resend: at most this many texts each on average.
const MAX_TEXTS_PER_NUMBER: f64 = 3.0;
/// Share of the new numbers in shared blocks or sequential runs...
const PATTERN_SHARE: f64 = 0.3;
/// ...and at least this many times the share among the country's earlier numbers.
const PATTERN_RATIO: f64 = 2.0;

/// The country's usual numbers are those first texted this long before the surge: an attack comes in
/// waves and the scan may fit only the biggest, so an earlier wave's numbers are not the usual ones.
const WAVE_GUARD_MS: i64 = 2 * DAY_MS;

/// Traffic seen before a surge for its numbers to count as new.
const MIN_HISTORY_MS: i64 = DAY_MS;

/// Twilio's high-risk list (error 30649) and the Central Asian destinations operators report.
const HIGH_RISK: &[&str] = &[
    "BD", "IL", "NG", "PK", "PS", "LK", "AZ", "TJ", "OM", "TN", "DZ", "UZ", "KG", "KZ", "TM",
];

/// A recipient as pumping looks at it: its number's digits, when it was first and last texted, and how
/// many texts it got.
#[derive(Clone, Copy)]
struct Number {
    value: u64,
    len: usize,
    first_ms: i64,
    last_ms: i64,
    texts: u64,
}

/// How a set of numbers clusters: the share in blocks (all but the last `digits` digits shared with at
/// least two others) and in sequential runs, and the blocks, biggest first.
struct Pattern {
    share: f64,
    blocks: Vec<(u64, usize, usize)>,
    digits: u32,
    sequential: f64,
    longest_run: usize,
    /// The numbers in blocks or runs.
    members: Vec<usize>,
}

fn pattern(numbers: &[Number]) -> Pattern {
    let mut order: Vec<usize> = (0..numbers.len()).collect();
    order.sort_by_key(|&i| numbers[i].value);
    let mut members = vec![false; numbers.len()];
    // sequential runs: consecutive numbers at most 2 apart, three or more
    let (mut in_runs, mut longest) = (0usize, 1usize);
    let mut run_start = 0;
    for j in 1..=order.len() {
        let continues = j < order.len()
            && numbers[order[j]].value - numbers[order[j - 1]].value <= 2
            && numbers[order[j]].value != numbers[order[j - 1]].value;
        if !continues {
            let len = j - run_start;
            if len >= 3 {
                in_runs += len;
                for &i in &order[run_start..j] {
                    members[i] = true;
                }
            }
            longest = longest.max(len);
            run_start = j;
        }
    }
    let mut best = (0.0, Vec::new(), 3);
    for digits in [3u32, 4] {
        let size = 10u64.pow(digits);
        let min = if digits == 3 { 3 } else { 5 };
        let mut per: BTreeMap<u64, (usize, usize)> = BTreeMap::new();
        for n in numbers {
            per.entry(n.value / size).or_insert((0, n.len)).0 += 1;
        }
        let fanned: usize = per.values().filter(|v| v.0 >= min).map(|v| v.0).sum();
        let share = fanned as f64 / numbers.len().max(1) as f64;
        if share > best.0 + 0.05 || best.1.is_empty() && share > 0.0 {
            let mut blocks: Vec<(u64, usize, usize)> = per
                .into_iter()
                .filter(|(_, v)| v.0 >= min)
                .map(|(b, v)| (b, v.0, v.1))
                .collect();
            blocks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            best = (share, blocks, digits);
        }
    }
    let size = 10u64.pow(best.2);
    for (i, n) in numbers.iter().enumerate() {
        if best.1.iter().any(|b| b.0 == n.value / size) {
            members[i] = true;
        }
    }
    Pattern {
        share: best.0,
        blocks: best.1,
        digits: best.2,
        sequential: in_runs as f64 / numbers.len().max(1) as f64,
        longest_run: longest,
        members: (0..numbers.len()).filter(|&i| members[i]).collect(),
    }
}

/// A block as people read it: `+880 1712345xxx`.
fn block_text(block: u64, len: usize, digits: u32) -> String {
    let head = format!("{:0w$}", block, w = len - digits as usize);
    let cc = calling_code_len(&head).unwrap_or(1).min(head.len());
    format!(
        "+{} {}{}",
        &head[..cc],
        &head[cc..],
        "x".repeat(digits as usize)
    )
}

/// One country's surge.
struct Surge {
    country: usize,
    fit: Fit,
    new: Vec<Number>,
    pattern: Pattern,
}

pub(super) fn findings(cx: &Ctx<'_>) -> Vec<Finding> {
    let g = &cx.grid;
    if g.hours == 0 {
        return Vec::new();
    }
    let total = g.texts(&Scope::All);
    // Numbers only of the countries whose traffic rose: a run can have millions of recipients.
    let rose: Vec<(usize, Fit)> = (0..g.countries.len())
        .filter_map(|c| Some((c, rise(g, &total, c)?)))
        .collect();
    if rose.is_empty() {
        return Vec::new();
    }
    let wanted: Vec<&str> = rose.iter().map(|(c, _)| g.countries[*c].as_str()).collect();
    let numbers = numbers_by_country(cx, &wanted);
    let mut surges: Vec<Surge> = rose
        .into_iter()
        .filter_map(|(c, fit)| surge(g, c, fit, numbers.get(g.countries[c].as_str())?))
        .collect();
    surges.sort_by(|a, b| excess(&b.fit).total_cmp(&excess(&a.fit)));
    let mut out = Vec::new();
    while !surges.is_empty() {
        let first = surges.remove(0);
        let (a, b) = (first.fit.a, first.fit.b);
        let mut group = vec![first];
        let (rest, apart): (Vec<Surge>, Vec<Surge>) = std::mem::take(&mut surges)
            .into_iter()
            .partition(|s| s.fit.a <= b && a <= s.fit.b);
        group.extend(rest);
        surges = apart;
        out.push(finding(cx, &group, &total));
    }
    out
}

fn excess(f: &Fit) -> f64 {
    f.k_in - f.rate_out() * f.n_in
}

/// The numbers texted per country of `wanted` (packed E.164 keys only: hashed ones have no digits to
/// compare).
fn numbers_by_country<'a>(cx: &'a Ctx<'_>, wanted: &[&str]) -> BTreeMap<&'a str, Vec<Number>> {
    let mut per: BTreeMap<&str, Vec<Number>> = BTreeMap::new();
    for (k, r) in cx.c.recipients.iter() {
        let country = cx.c.dicts.country.name(r.country);
        if !wanted.contains(&country) {
            continue;
        }
        if let Some((value, len)) = recipient::digits(*k) {
            per.entry(country).or_default().push(Number {
                value,
                len,
                first_ms: r.first_ms,
                last_ms: r.last_ms,
                texts: r.texts,
            });
        }
    }
    per
}

/// Country `c`'s rise in its share of the traffic, if it rose enough to look at its numbers.
fn rise(g: &Grid, total: &[f64], c: usize) -> Option<Fit> {
    let k = g.texts(&Scope::Country(c));
    if k.iter().sum::<f64>() < MIN_SURGE {
        return None;
    }
    let fit = scan(&k, total, g.hours)?;
    let enough = fit.llr >= LLR_MIN
        && fit.rate_in() >= MIN_RATIO * fit.rate_out()
        && excess(&fit) >= MIN_SURGE;
    enough.then_some(fit)
}

/// Country `c`'s surge, if its rise (`fit`) is made of clustered new numbers.
fn surge(g: &Grid, c: usize, fit: Fit, numbers: &[Number]) -> Option<Surge> {
    let (from, to) = (g.hour_ms(fit.a), g.hour_ms(fit.b + 1));
    // Numbers are new only against a history: a rise in the data's first day has none to be new to.
    if from - g.hour_ms(0) < MIN_HISTORY_MS {
        return None;
    }
    let new: Vec<Number> = numbers
        .iter()
        .copied()
        .filter(|n| n.first_ms >= from && n.first_ms < to)
        .collect();
    let new_texts: u64 = new.iter().map(|n| n.texts).sum();
    if new.len() < MIN_NEW
        || (new_texts as f64) < NEW_SHARE * fit.k_in
        || new_texts as f64 / new.len() as f64 > MAX_TEXTS_PER_NUMBER
    {
        return None;
    }
    let p = pattern(&new);
    let earlier: Vec<Number> = numbers
        .iter()
        .copied()
        .filter(|n| n.first_ms < from - WAVE_GUARD_MS)
        .collect();
    let before = if earlier.len() >= MIN_NEW {
        let q = pattern(&earlier);
        q.share.max(q.sequential)
    } else {
        0.0
    };
    let now = p.share.max(p.sequential);
    (now >= PATTERN_SHARE && now >= PATTERN_RATIO * before).then_some(Surge {
        country: c,
        fit,
        new,
        pattern: p,
    })
}

/// The finding of a group of countries that surged together.
fn finding(cx: &Ctx<'_>, group: &[Surge], total: &[f64]) -> Finding {
    let g = &cx.grid;
    let names: Vec<String> = group
        .iter()
        .map(|s| g.countries[s.country].clone())
        .collect();
    // the window: from the first to the last text to the numbers in blocks and runs
    let members = group
        .iter()
        .flat_map(|s| s.pattern.members.iter().map(move |&i| s.new[i]));
    let (first, last) = members.fold((i64::MAX, i64::MIN), |acc, n| {
        (acc.0.min(n.first_ms), acc.1.max(n.last_ms))
    });
    let a = group.iter().map(|s| s.fit.a).min().unwrap_or(0);
    let b = group.iter().map(|s| s.fit.b).max().unwrap_or(0);
    let (first, last) = if first <= last {
        (first, last)
    } else {
        (g.hour_ms(a), g.hour_ms(b + 1))
    };
    let ongoing = last >= g.last_ms - HOUR_MS;
    let window = Window::new(first, if ongoing { g.last_ms } else { last }, ongoing);
    let (ha, hb) = (g.hour_of(first), g.hour_of(last));
    let in_all = sum(total, (ha, hb));
    let out_all = total.iter().sum::<f64>() - in_all;
    let spend_all = g.spend(&Scope::All);
    let (mut texts, mut expected, mut cost) = (0.0, 0.0, 0.0);
    let mut lines = Vec::new();
    for s in group {
        let scope = Scope::Country(s.country);
        let k = g.texts(&scope);
        let spend = g.spend(&scope);
        let (k_in, s_in) = (sum(&k, (ha, hb)), sum(&spend, (ha, hb)));
        let (k_out, s_out) = (
            k.iter().sum::<f64>() - k_in,
            spend.iter().sum::<f64>() - s_in,
        );
        let share = if out_all > 0.0 { k_out / out_all } else { 0.0 };
        let per_text = if out_all > 0.0 { s_out / out_all } else { 0.0 };
        texts += k_in;
        expected += share * in_all;
        cost += (s_in - per_text * in_all).max(0.0);
        lines.push(format!(
            "{}: {} texts ({} of all texts, against {} the rest of the time), {} new numbers",
            g.countries[s.country],
            count(k_in),
            pct(k_in / in_all.max(1.0)),
            pct(share),
            count(s.new.len() as f64)
        ));
    }
    let new_numbers: usize = group.iter().map(|s| s.new.len()).sum();
    let hours = ((last - first) as f64 / HOUR_MS as f64).max(1.0);
    let mut evidence = vec![format!(
        "{} numbers never texted before got {} texts in {:.0} hours",
        count(new_numbers as f64),
        count(texts),
        hours
    )];
    evidence.extend(lines);
    for s in group {
        let p = &s.pattern;
        evidence.push(format!(
            "{}: {} of the new numbers share all but their last {} digits with at least {} others ({} blocks), {} come in sequential runs (the longest {} numbers)",
            g.countries[s.country],
            pct(p.share),
            p.digits,
            if p.digits == 3 { 2 } else { 4 },
            p.blocks.len(),
            pct(p.sequential),
            p.longest_run
        ));
    }
    evidence.extend(spend_rise(g, &spend_all, (ha, hb)));
    let risky: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|c| HIGH_RISK.contains(c))
        .collect();
    if !risky.is_empty() {
        evidence.push(format!(
            "{} on the lists of high-risk (pumped) destinations",
            risky.join(", ")
        ));
    }
    let mut blocks: Vec<(usize, String)> = group
        .iter()
        .flat_map(|s| {
            s.pattern
                .blocks
                .iter()
                .map(|&(b, n, len)| (n, block_text(b, len, s.pattern.digits)))
        })
        .collect();
    blocks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let message_ids: Vec<String> = names
        .iter()
        .flat_map(|c| cx.message_ids(only(Class::Delivered), Some(c), &[], (first, last)))
        .take(3)
        .collect();
    let excess_texts = (texts - expected).max(0.0);
    Finding {
        kind: FindingKind::SmsPumping,
        severity: Severity::Info,
        title: format!("Probable SMS pumping to {}", names.join(", ")),
        texts: texts.round() as u64,
        expected,
        excess: excess_texts.round() as u64,
        share_of_failures: 0.0,
        recipients: new_numbers as u64,
        message_ids,
        window,
        scope: super::model::Scope {
            country: (names.len() == 1).then(|| names[0].clone()),
            countries: names.clone(),
            prefixes: blocks.into_iter().take(10).map(|b| b.1).collect(),
            ..Default::default()
        },
        concentration: Some(format!(
            "{} of all texts in the surge went to {}",
            pct(texts / in_all.max(1.0)),
            names.join(", ")
        )),
        baseline: "each country's own share of all texts outside the surge".into(),
        cost_usd: Some((cost * 100.0).round() / 100.0),
        evidence,
        remedy: format!(
            "Stop the traffic first: an End User Messaging SMS protect configuration with country rules that block (or filter) {} (it also applies to SNS and Cognito sends); CAPTCHA or AWS WAF rate-based rules in front of the Cognito sign-up, resend-code and forgot-password endpoints; a cap on texts per number and per IP. Raise the spend limit only after the traffic has stopped.",
            names.join(", ")
        ),
        classes: 0,
        rate_in: texts / in_all.max(1.0),
        is_change: true,
        root_cause: false,
        few_recipients: false,
        chart: Some(chart(g, group, (ha, hb))),
    }
}

/// "spend per day rose from 40.12 USD to 121.80 USD (3.0x)", against the whole days before the surge.
fn spend_rise(g: &Grid, spend: &[f64], (a, b): (usize, usize)) -> Option<String> {
    let day_hours = (DAY_MS / HOUR_MS) as usize;
    let mut days: Vec<f64> = spend[..a]
        .chunks(day_hours)
        .filter(|d| d.len() == day_hours)
        .map(|d| d.iter().sum())
        .collect();
    if days.is_empty() {
        return None;
    }
    days.sort_by(f64::total_cmp);
    let usual = days[days.len() / 2];
    let during = sum(spend, (a, b)) / ((b - a + 1) as f64 / day_hours as f64);
    let _ = g;
    (usual > 0.0).then(|| {
        format!(
            "spend per day rose from {} USD (the median day before) to {} USD during the surge ({:.1}x), with the texts delivered",
            usd(usual),
            usd(during),
            during / usual
        )
    })
}

/// Two days before the surge to a day after it: texts and spend per hour of each of its countries.
fn chart(g: &Grid, group: &[Surge], (a, b): (usize, usize)) -> SurgeChart {
    let from = a.saturating_sub(48);
    let to = (b + 24).min(g.hours - 1);
    SurgeChart {
        start_ms: g.hour_ms(from),
        series: group
            .iter()
            .map(|s| {
                let scope = Scope::Country(s.country);
                SurgeSeries {
                    country: g.countries[s.country].clone(),
                    texts: g.texts(&scope)[from..=to].to_vec(),
                    usd: g.spend(&scope)[from..=to].to_vec(),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(value: u64) -> Number {
        Number {
            value,
            len: 13,
            first_ms: 0,
            last_ms: 0,
            texts: 1,
        }
    }

    #[test]
    fn runs_and_blocks_are_seen_and_scattered_numbers_are_not() {
        let pumped: Vec<Number> = (0..40).map(|i| n(8801712345000 + i)).collect();
        let p = pattern(&pumped);
        assert_eq!(p.share, 1.0);
        assert_eq!(p.sequential, 1.0);
        assert_eq!(p.longest_run, 40);
        assert_eq!(block_text(p.blocks[0].0, 13, p.digits), "+880 1712345xxx");
        let scattered: Vec<Number> = (0..40u64)
            .map(|i| n(8801700000000 + (i * 7_654_321 + 3_141_593) % 99_999_999))
            .collect();
        let q = pattern(&scattered);
        assert_eq!((q.share, q.sequential), (0.0, 0.0));
    }
}

//! The logs themselves, said before any finding that a rate depends on: hours with sends but no delivery
//! records (logging off, not yet on, or an export that missed them), and successes logged only in part
//! with nothing to correct for it.

use super::grid::Scope;
use super::model::{Finding, FindingKind, Window};
use super::{count, pct, usd, Ctx};
use crate::domain::outcome::Severity;
use crate::domain::time::{human, month_bounds, HOUR_MS};

/// An empty stretch of hours is a gap when the same hours of the neighbouring days had at least this
/// many texts in all: the chance that a Poisson count with that mean is 0 is e^-14 (below one in a
/// million), so a month of ~700 hours of ordinary quiet hours flags none by chance.
const GAP_EXPECTED: f64 = 14.0;

/// Metric spend above the logs' by this share of the metric (and 1 USD) is more than rounding.
const UNLOGGED_SHARE: f64 = 0.1;

pub(super) fn findings(cx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(gaps(cx));
    out.extend(sampling(cx));
    out
}

/// Runs of hours with no record where the neighbouring days' same hours were busy, or where the spend
/// metric rose (a single empty hour needs a rise of at least [`METRIC_RISE_USD`]: a text at the turn of
/// an hour can land in the metric's next hour).
fn gaps(cx: &Ctx<'_>) -> Option<Finding> {
    let g = &cx.grid;
    let texts = g.texts(&Scope::All);
    let h = texts.len();
    let (rise, before) = metric_rises(cx, &texts);
    // (first hour, last hour, texts the neighbouring days suggest, metric USD)
    let mut runs: Vec<(usize, usize, f64, f64)> = Vec::new();
    let mut i = 0;
    while i < h {
        if texts[i] > 0.0 {
            i += 1;
            continue;
        }
        let start = i;
        let (mut expected, mut usd_rise) = (0.0, 0.0);
        while i < h && texts[i] <= 0.0 {
            expected += neighbours(&texts, i);
            usd_rise += rise[i];
            i += 1;
        }
        let long = i - start >= 2;
        if expected >= GAP_EXPECTED || usd_rise > 0.0 && (long || usd_rise >= METRIC_RISE_USD) {
            runs.push((start, i - 1, expected, usd_rise));
        }
    }
    if runs.is_empty() && before.is_none() {
        return None;
    }
    let mut evidence: Vec<String> = runs
        .iter()
        .take(5)
        .map(|&(a, b, e, m)| {
            let mut s = format!(
                "no records from {} to {}",
                human(g.hour_ms(a)),
                human(g.hour_ms(b + 1))
            );
            if e > 0.0 {
                s += &format!(
                    ", when the same hours of the days around had {} texts",
                    count(e)
                );
            }
            if m > 0.0 {
                s += &format!(", while SMSMonthToDateSpentUSD rose by {} USD", usd(m));
            }
            s
        })
        .collect();
    if runs.len() > 5 {
        evidence.push(format!("and {} more such stretches", runs.len() - 5));
    }
    if let Some(v) = before {
        evidence.push(format!(
            "the records begin at {}, when SMSMonthToDateSpentUSD already stood at {} USD: logging started (or the export begins) after texts were sent",
            human(g.first_ms),
            usd(v)
        ));
    }
    let missing_texts: f64 = runs.iter().map(|r| r.2).sum();
    let (start, end) = match (runs.first(), runs.last()) {
        (Some(a), Some(b)) => (g.hour_ms(a.0), g.hour_ms(b.1 + 1)),
        _ => (g.first_ms, g.first_ms),
    };
    Some(data_finding(
        FindingKind::LoggingGap,
        "Hours with sends but no delivery records".into(),
        missing_texts,
        Window::new(start, end, false),
        evidence,
        "Turn on (or check) SNS delivery-status logging for successes and failures in the region the texts are sent through, and export every hour you need; logging is not retroactive, and a record can arrive up to 72 hours after the send. Rates and counts here leave these hours out.",
    ))
}

/// A single empty hour is a gap when the metric rose by this much in it.
const METRIC_RISE_USD: f64 = 0.1;

/// The median of the same hour on the three days before and after.
fn neighbours(texts: &[f64], i: usize) -> f64 {
    let mut same: Vec<f64> = (1..=3)
        .flat_map(|d| [i.checked_sub(24 * d), Some(i + 24 * d)])
        .flatten()
        .filter(|&j| j < texts.len())
        .map(|j| texts[j])
        .collect();
    same.sort_by(f64::total_cmp);
    same.get(same.len() / 2).copied().unwrap_or(0.0)
}

/// Per hour of the data: how much the month-to-date metric rose in it when no record exists there; and
/// the metric's value just before the first record, when it had already risen in that month.
fn metric_rises(cx: &Ctx<'_>, texts: &[f64]) -> (Vec<f64>, Option<f64>) {
    let sp = &cx.s.spend;
    let g = &cx.grid;
    let mut rise = vec![0.0; texts.len()];
    if !sp.trajectory_from_metric || g.hours == 0 {
        return (rise, None);
    }
    for w in sp.trajectory.windows(2) {
        let ((t0, v0), (t1, v1)) = (w[0], w[1]);
        let same_month = month_bounds(t0) == month_bounds(t1);
        if !same_month || v1 - v0 <= 0.005 || t1 < g.first_ms || t1 > g.last_ms {
            continue;
        }
        let hour = g.hour_of(t1);
        if t1 - t0 <= HOUR_MS && texts.get(hour).is_some_and(|&n| n <= 0.0) {
            rise[hour] += v1 - v0;
        }
    }
    let before = month_bounds(g.first_ms).and_then(|(m0, _)| {
        sp.trajectory
            .iter()
            .filter(|p| p.0 >= m0 && p.0 < g.first_ms.div_euclid(HOUR_MS) * HOUR_MS)
            .max_by_key(|p| p.0)
            .map(|p| p.1)
            .filter(|&v| v > 0.01)
    });
    (rise, before)
}

/// Successes missing from the logs with nothing correcting for it: only failures exported, or the spend
/// metric well above what the logged texts cost while the sampling rate is unknown.
fn sampling(cx: &Ctx<'_>) -> Option<Finding> {
    let s = cx.s;
    let g = &cx.grid;
    if s.spend.success_sample_rate.is_some() {
        return None;
    }
    if s.delivered == 0 && s.failed >= 10 {
        return Some(data_finding(
            FindingKind::SuccessSampling,
            "Only failures were logged or exported".into(),
            s.failed as f64,
            Window::new(g.first_ms, g.last_ms, false),
            vec![format!(
                "{} records, every one a FAILURE: the success log group (sns/<region>/<account>/DirectPublishToPhoneNumber) is missing, or DeliveryStatusSuccessSamplingRate is 0",
                count(s.failed as f64)
            )],
            "Export the success log group too, or pass --success-sample-rate with the account's DeliveryStatusSuccessSamplingRate: failure rates computed from failures alone are meaningless.",
        ));
    }
    let worst = s
        .spend
        .spend_by_month
        .iter()
        .filter_map(|m| Some((m, m.metric_max_usd?, m.metric_minus_logs_usd?)))
        .filter(|(_, metric, diff)| *diff > 1.0 && *diff > UNLOGGED_SHARE * metric)
        .max_by(|a, b| a.2.total_cmp(&b.2))?;
    let (m, metric, diff) = worst;
    Some(data_finding(
        FindingKind::SuccessSampling,
        "The logs account for less spend than SMSMonthToDateSpentUSD".into(),
        0.0,
        Window::new(g.first_ms, g.last_ms, false),
        vec![format!(
            "in {}, the logged texts cost {} USD but the metric reached {} USD: {} of the spend has no record",
            m.month,
            usd(metric - diff),
            usd(metric),
            pct(diff / metric)
        )],
        "Success logging is probably sampled (DeliveryStatusSuccessSamplingRate below 100) or records are missing: pass --success-sample-rate (or export get-sms-attributes) so counts, rates and spend are re-weighted, and check for hours without records.",
    ))
}

fn data_finding(
    kind: FindingKind,
    title: String,
    texts: f64,
    window: Window,
    evidence: Vec<String>,
    remedy: &str,
) -> Finding {
    Finding {
        kind,
        severity: Severity::Warning,
        title,
        texts: texts.round() as u64,
        expected: 0.0,
        excess: texts.round() as u64,
        share_of_failures: 0.0,
        window,
        scope: Default::default(),
        concentration: None,
        baseline: "the neighbouring days' same hours, and the spend metric".into(),
        recipients: 0,
        cost_usd: None,
        evidence,
        remedy: remedy.to_owned(),
        message_ids: Vec::new(),
        classes: 0,
        rate_in: 0.0,
        is_change: true,
        root_cause: false,
        few_recipients: false,
        chart: None,
    }
}

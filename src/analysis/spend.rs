//! Spend: month-to-date trajectory, the monthly spend limit, when it was reached, and when it will be next.
//!
//! Sources, best first: the `SMSMonthToDateSpentUSD` metric (what SNS itself compares with the limit), then
//! the delivery records' `priceInUSD` (which miss unlogged successes when success logging is sampled).
//! Flags beat files: `--spend-limit` over `MonthlySpendLimit`, `--success-sample-rate` over the attribute.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use super::collector::{Collected, RecipientStats};
use super::cube;
use super::sampling::success_weight;
use crate::domain::money::round_usd;
use crate::domain::outcome::Class;
use crate::domain::time::{month_bounds, month_string, rfc3339, DAY_MS, HOUR_MS};
use crate::frame::Received;
use crate::record::metric::{MetricSeries, MONTH_TO_DATE_SPEND};

/// What the user said on the command line; `None` defers to the files.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpendOverrides {
    pub spend_limit_usd: Option<f64>,
    pub success_sample_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MonthRow {
    pub month: String,
    /// Sum of priceInUSD over the month's unique records.
    pub spend_usd: f64,
    /// Re-weighted for sampled success logging (equal to `spend_usd` at 100%).
    pub spend_usd_estimated: f64,
    /// Highest `SMSMonthToDateSpentUSD` in the month, when the metric was given.
    pub metric_max_usd: Option<f64>,
    /// metric − logs, when both exist.
    pub metric_minus_logs_usd: Option<f64>,
    pub texts: u64,
    pub quota_failures: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DayRow {
    pub day: String,
    pub spend_usd: f64,
    pub texts: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Forecast {
    /// When the latest month reaches (or reached) the limit; null = not this month, or no limit known.
    pub limit_reached_at: Option<String>,
    /// True when `limit_reached_at` is a projection rather than an observation.
    pub projected: bool,
    pub month: Option<String>,
    pub month_to_date_usd: f64,
    /// Spend per day over the last 7 days of data (sampling-corrected).
    pub daily_rate_usd: f64,
    /// Highest monthly demand seen, including the texts the limit blocked (priced at the month's average).
    pub busiest_month_demand_usd: f64,
    pub suggested_limit_usd: f64,
    pub alarm_threshold_usd: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Spend {
    pub spend_limit_usd: Option<f64>,
    /// Where the limit came from: "flag", a settings file path, or null.
    pub spend_limit_source: Option<String>,
    pub success_sample_rate: Option<f64>,
    /// Human-readable caveat when successes were sampled (every output repeats it).
    pub sampling_note: Option<String>,
    pub spend_usd_estimated: f64,
    pub spend_by_month: Vec<MonthRow>,
    pub spend_by_day: Vec<DayRow>,
    /// First metric datapoint at or above the limit.
    pub limit_reached_at_metric: Option<String>,
    /// First `No quota left for account` failure in the logs.
    pub first_quota_failure_at: Option<String>,
    /// The earliest of the two above.
    pub quota_exhausted_at: Option<String>,
    pub quota_failures: u64,
    pub quota_recipients: u64,
    /// Times the month-to-date metric dropped back (new month).
    pub metric_month_resets: u64,
    pub forecast: Option<Forecast>,
    /// Commands a person would run (printed only; smslens never calls AWS).
    pub commands: Vec<String>,
    /// Month-to-date points for the chart: (epoch ms, USD), from the metric, else rebuilt from the logs.
    #[serde(skip)]
    pub trajectory: Vec<(i64, f64)>,
    #[serde(skip)]
    pub trajectory_from_metric: bool,
    #[serde(skip)]
    pub exhausted_ms: Option<i64>,
    #[serde(skip)]
    pub forecast_line: Vec<(i64, f64)>,
}

/// The month-to-date spend series, if a metric export holds it (Maximum preferred).
pub fn month_to_date_metric(series: &[MetricSeries]) -> Option<&MetricSeries> {
    let mtd: Vec<&MetricSeries> = series
        .iter()
        .filter(|s| s.label.contains(MONTH_TO_DATE_SPEND))
        .collect();
    mtd.iter()
        .find(|s| s.stat.as_deref() == Some("Maximum"))
        .or_else(|| mtd.iter().find(|s| s.stat.is_none()))
        .or_else(|| mtd.first())
        .copied()
}

/// Drops of more than half the previous value mark a new month.
fn resets(points: &[(i64, f64)]) -> u64 {
    points
        .windows(2)
        .filter(|w| w[1].1 < w[0].1 * 0.5 && w[0].1 > 0.0)
        .count() as u64
}

pub fn analyse(c: &Collected, ing: &Received, over: SpendOverrides) -> PolarsResult<Spend> {
    let (limit, limit_source) = match over.spend_limit_usd {
        Some(l) => (Some(l), Some("flag".to_owned())),
        None => ing
            .settings
            .iter()
            .find_map(|(p, s)| {
                s.monthly_spend_limit_usd
                    .map(|l| (Some(l), Some(p.clone())))
            })
            .unwrap_or((None, None)),
    };
    let rate = over.success_sample_rate.or_else(|| {
        ing.settings
            .iter()
            .find_map(|(_, s)| s.success_sampling_rate)
    });
    let weight = success_weight(rate);
    let sampling_note = (weight > 1.0).then(|| {
        format!(
            "Only {}% of successful deliveries were logged (DeliveryStatusSuccessSamplingRate); delivered counts, \
             failure rates and spend are re-weighted by x{:.2}.",
            rate.unwrap_or(100.0),
            weight
        )
    });

    // Per-hour spend and counts from the cube, sampling-corrected.
    let by_hour = cube::rollup(&c.cube, &[cube::HOUR, cube::STATUS, cube::CLASS])?;
    let (hours, status, class) = (
        cube::i64s(&by_hour, cube::HOUR)?,
        cube::u32s(&by_hour, cube::STATUS)?,
        cube::u32s(&by_hour, cube::CLASS)?,
    );
    let (events, failed, price) = (
        cube::u64s(&by_hour, cube::EVENTS)?,
        cube::u64s(&by_hour, cube::FAILED)?,
        cube::f64s(&by_hour, cube::PRICE_USD)?,
    );
    #[derive(Default, Clone, Copy)]
    struct Acc {
        spend: f64,
        spend_est: f64,
        texts: u64,
        failed: u64,
        quota: u64,
        delivered_price: f64,
        delivered_texts: u64,
    }
    let mut hourly: BTreeMap<i64, Acc> = BTreeMap::new();
    for i in 0..by_hour.height() {
        let a = hourly.entry(hours[i] * HOUR_MS).or_default();
        let success = status[i] == crate::record::Status::Success as u32;
        a.spend += price[i];
        a.spend_est += if success { price[i] * weight } else { price[i] };
        a.texts += events[i];
        a.failed += failed[i];
        if Class::from_code(class[i]) == Class::SpendLimit {
            a.quota += events[i];
        }
        if success {
            a.delivered_price += price[i];
            a.delivered_texts += events[i];
        }
    }

    let metric = month_to_date_metric(&ing.metrics);
    let mut months: BTreeMap<String, (Acc, Option<f64>, i64)> = BTreeMap::new();
    for (&h, a) in &hourly {
        let e = months
            .entry(month_string(h))
            .or_insert((Acc::default(), None, h));
        e.0.spend += a.spend;
        e.0.spend_est += a.spend_est;
        e.0.texts += a.texts;
        e.0.quota += a.quota;
        e.0.delivered_price += a.delivered_price;
        e.0.delivered_texts += a.delivered_texts;
    }
    if let Some(m) = metric {
        for &(t, v) in &m.points {
            let e = months
                .entry(month_string(t))
                .or_insert((Acc::default(), None, t));
            e.1 = Some(e.1.map_or(v, |x: f64| x.max(v)));
        }
    }
    let spend_by_month: Vec<MonthRow> = months
        .iter()
        .map(|(m, (a, mx, _))| MonthRow {
            month: m.clone(),
            spend_usd: round_usd(a.spend),
            spend_usd_estimated: round_usd(a.spend_est),
            metric_max_usd: *mx,
            metric_minus_logs_usd: mx
                .filter(|_| a.texts > 0)
                .map(|x| round_usd(x - a.spend_est)),
            texts: a.texts,
            quota_failures: a.quota,
        })
        .collect();
    let mut days: BTreeMap<i64, DayRow> = BTreeMap::new();
    for (&h, a) in &hourly {
        let d = h.div_euclid(DAY_MS) * DAY_MS;
        let row = days.entry(d).or_insert(DayRow {
            day: crate::domain::time::day_string(d),
            spend_usd: 0.0,
            texts: 0,
            failed: 0,
        });
        row.spend_usd += a.spend_est;
        row.texts += a.texts;
        row.failed += a.failed;
    }
    let spend_by_day: Vec<DayRow> = days
        .into_values()
        .map(|mut r| {
            r.spend_usd = round_usd(r.spend_usd);
            r
        })
        .collect();

    // The trajectory: metric points, or month-to-date rebuilt from hourly log spend.
    let (trajectory, from_metric) = match metric {
        Some(m) => (m.points.clone(), true),
        None => {
            let mut pts = Vec::new();
            let mut month = None;
            let mut total = 0.0;
            for (&h, a) in &hourly {
                let m = month_bounds(h).map(|b| b.0);
                if m != month {
                    month = m;
                    total = 0.0;
                }
                total += a.spend_est;
                pts.push((h + HOUR_MS, round_usd(total)));
            }
            (pts, false)
        }
    };

    let limit_reached_metric = limit
        .and_then(|l| metric.and_then(|m| m.points.iter().find(|p| p.1 >= l - 0.005).map(|p| p.0)));
    let quota_class = cube::filter_eq(&c.cube, cube::CLASS, Class::SpendLimit.code())?;
    let first_quota = cube::i64s(&quota_class, cube::FIRST_MS)?.into_iter().min();
    let quota_failures: u64 = cube::u64s(&quota_class, cube::EVENTS)?.iter().sum();
    let exhausted_ms = [limit_reached_metric, first_quota]
        .into_iter()
        .flatten()
        .min();
    let quota_recipients = count_recipients_with(&c.recipients, Class::SpendLimit);

    let forecast = forecast(
        limit,
        &trajectory,
        &hourly
            .iter()
            .map(|(&h, a)| (h, a.spend_est))
            .collect::<Vec<_>>(),
        &months
            .values()
            .map(|(a, mx, t)| MonthDemand {
                start_ms: *t,
                logged: a.spend_est,
                metric_max: *mx,
                // Blocked texts priced at the month's average delivered price.
                lost: if a.delivered_texts > 0 {
                    a.quota as f64 * a.delivered_price / a.delivered_texts as f64
                } else {
                    0.0
                },
            })
            .collect::<Vec<_>>(),
        exhausted_ms,
    );
    let commands = forecast.as_ref().map(commands).unwrap_or_default();
    let forecast_line = forecast_line(&forecast, &trajectory, limit);

    Ok(Spend {
        spend_limit_usd: limit,
        spend_limit_source: limit_source,
        success_sample_rate: rate,
        sampling_note,
        spend_usd_estimated: round_usd(hourly.values().map(|a| a.spend_est).sum()),
        spend_by_month,
        spend_by_day,
        limit_reached_at_metric: limit_reached_metric.map(rfc3339),
        first_quota_failure_at: first_quota.map(rfc3339),
        quota_exhausted_at: exhausted_ms.map(rfc3339),
        quota_failures,
        quota_recipients,
        metric_month_resets: metric.map_or(0, |m| resets(&m.points)),
        forecast,
        commands,
        trajectory,
        trajectory_from_metric: from_metric,
        exhausted_ms,
        forecast_line,
    })
}

fn count_recipients_with(recipients: &[(u64, RecipientStats)], class: Class) -> u64 {
    recipients
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.failure_classes & (1 << class.code()) != 0)
        .count() as u64
}

struct MonthDemand {
    start_ms: i64,
    logged: f64,
    metric_max: Option<f64>,
    /// Estimated cost of the texts the limit blocked.
    lost: f64,
}

/// A limit a person would type: rounded up to 10 below 100 USD, to 50 above.
fn nice_ceiling(x: f64) -> f64 {
    let step = if x < 100.0 { 10.0 } else { 50.0 };
    ((x / step).ceil() * step).max(step)
}

fn forecast(
    limit: Option<f64>,
    trajectory: &[(i64, f64)],
    hourly_spend: &[(i64, f64)],
    months: &[MonthDemand],
    exhausted_ms: Option<i64>,
) -> Option<Forecast> {
    let &(last_t, last_v) = trajectory.last()?;
    let (m_start, m_end) = month_bounds(last_t)?;
    // Daily rate over the last 7 days of log data (hourly spend), else from the month-to-date slope.
    let window_start = last_t - 7 * DAY_MS;
    let recent: f64 = hourly_spend
        .iter()
        .filter(|(h, _)| *h >= window_start)
        .map(|(_, s)| s)
        .sum();
    let first_recent = hourly_spend
        .iter()
        .map(|(h, _)| *h)
        .find(|h| *h >= window_start);
    let daily_rate = match first_recent {
        Some(f) if last_t > f => recent / ((last_t - f) as f64 / DAY_MS as f64).max(1.0),
        _ => {
            let days = ((last_t - m_start) as f64 / DAY_MS as f64).max(1.0);
            last_v / days
        }
    };
    let mtd = last_v;
    let (reached, projected) = match (limit, exhausted_ms) {
        (Some(_), Some(e)) if e >= m_start => (Some(e), false),
        (Some(l), _) if mtd >= l => (Some(last_t), false),
        (Some(l), _) if daily_rate > 0.0 => {
            let t = last_t + ((l - mtd) / daily_rate * DAY_MS as f64) as i64;
            ((t < m_end).then_some(t), true)
        }
        _ => (None, true),
    };
    let busiest = months
        .iter()
        .map(|m| {
            let observed = m.metric_max.unwrap_or(0.0).max(m.logged);
            let (ms, me) =
                month_bounds(m.start_ms).unwrap_or((m.start_ms, m.start_ms + 30 * DAY_MS));
            // A month whose data stops early is scaled to a full month by its daily rate.
            let covered = (last_t.min(me) - ms).max(DAY_MS) as f64;
            let full = (me - ms) as f64;
            let demand = observed + m.lost;
            if me > last_t {
                demand * (full / covered).min(31.0)
            } else {
                demand
            }
        })
        .fold(0.0, f64::max);
    let suggested = nice_ceiling(busiest * 1.25);
    let suggested = limit.map_or(suggested, |l| suggested.max(l));
    Some(Forecast {
        limit_reached_at: reached.map(rfc3339),
        projected: projected && reached.is_some(),
        month: Some(month_string(last_t)),
        month_to_date_usd: round_usd(mtd),
        daily_rate_usd: round_usd(daily_rate),
        busiest_month_demand_usd: round_usd(busiest),
        suggested_limit_usd: suggested,
        alarm_threshold_usd: round_usd(suggested * 0.8),
    })
}

/// The dashed continuation for the chart: from the last point at the daily rate to the limit or month end.
fn forecast_line(
    f: &Option<Forecast>,
    trajectory: &[(i64, f64)],
    limit: Option<f64>,
) -> Vec<(i64, f64)> {
    let (Some(f), Some(&(t, v))) = (f, trajectory.last()) else {
        return vec![];
    };
    let Some((_, m_end)) = month_bounds(t) else {
        return vec![];
    };
    if f.daily_rate_usd <= 0.0 || limit.is_some_and(|l| v >= l) {
        return vec![];
    }
    let mut end_t = m_end;
    let mut end_v = v + f.daily_rate_usd * (m_end - t) as f64 / DAY_MS as f64;
    if let Some(l) = limit {
        if end_v > l {
            end_t = t + ((l - v) / f.daily_rate_usd * DAY_MS as f64) as i64;
            end_v = l;
        }
    }
    vec![(t, v), (end_t, end_v)]
}

fn commands(f: &Forecast) -> Vec<String> {
    vec![
        format!(
            "aws sns set-sms-attributes --attributes MonthlySpendLimit={}",
            f.suggested_limit_usd
        ),
        format!(
            "aws cloudwatch put-metric-alarm --alarm-name sns-sms-monthly-spend --namespace AWS/SNS \
             --metric-name SMSMonthToDateSpentUSD --statistic Maximum --period 300 --evaluation-periods 1 \
             --comparison-operator GreaterThanOrEqualToThreshold --threshold {} --alarm-actions <SNS-TOPIC-ARN>",
            f.alarm_threshold_usd
        ),
    ]
}

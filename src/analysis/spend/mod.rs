//! Spend: month-to-date trajectory, the monthly spend limit, when it was reached, and when it will be next.
//!
//! Sources, best first: the `SMSMonthToDateSpentUSD` metric (what SNS itself compares with the limit), then
//! the delivery records' `priceInUSD` (which miss unlogged successes when success logging is sampled).
//! Flags beat files: `--spend-limit` over `MonthlySpendLimit`, `--success-sample-rate` over the attribute.

use polars::prelude::*;
use serde::Serialize;

mod forecast;
mod hourly;
mod limit;

use super::collector::Collected;
use super::cube;
use super::recipients::Recipients;
use super::sampling::success_weight;
use crate::domain::money::round_usd;
use crate::domain::outcome::Class;
use crate::domain::time::rfc3339;
use crate::frame::Received;
use crate::record::metric::{MetricSeries, MONTH_TO_DATE_SPEND};
use hourly::{Hourly, Month};

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
    /// Why this limit, when the inputs give more than one.
    pub spend_limit_note: Option<String>,
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
    let mut mtd: Vec<&MetricSeries> = series
        .iter()
        .filter(|s| s.label.contains(MONTH_TO_DATE_SPEND))
        .collect();
    if mtd.is_empty() {
        // End User Messaging publishes its own monthly text spend metric: any series named for spend.
        mtd = series
            .iter()
            .filter(|s| s.label.to_ascii_lowercase().contains("spend"))
            .collect();
    }
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
    let chosen = limit::choose(c, ing, over.spend_limit_usd)?;
    let (limit, limit_source) = (chosen.usd, chosen.source);
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

    let hourly = Hourly::from_cube(&c.cube, weight)?;
    let metric = month_to_date_metric(&ing.metrics);
    let months = hourly.months(metric);
    let trajectory = match metric {
        Some(m) => m.points.clone(),
        None => hourly.month_to_date(),
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

    let forecast = forecast::forecast(
        limit,
        &trajectory,
        &hourly.estimated(),
        &months.iter().map(Month::demand).collect::<Vec<_>>(),
        exhausted_ms,
    );
    let commands = forecast
        .as_ref()
        .map(forecast::commands)
        .unwrap_or_default();
    let forecast_line = forecast::forecast_line(&forecast, &trajectory, limit);

    Ok(Spend {
        spend_limit_usd: limit,
        spend_limit_source: limit_source,
        spend_limit_note: chosen.note,
        success_sample_rate: rate,
        sampling_note,
        spend_usd_estimated: round_usd(hourly.total_estimated()),
        spend_by_month: months.iter().map(Month::row).collect(),
        spend_by_day: hourly.days(),
        limit_reached_at_metric: limit_reached_metric.map(rfc3339),
        first_quota_failure_at: first_quota.map(rfc3339),
        quota_exhausted_at: exhausted_ms.map(rfc3339),
        quota_failures,
        quota_recipients,
        metric_month_resets: metric.map_or(0, |m| resets(&m.points)),
        forecast,
        commands,
        trajectory,
        trajectory_from_metric: metric.is_some(),
        exhausted_ms,
        forecast_line,
    })
}

fn count_recipients_with(recipients: &Recipients, class: Class) -> u64 {
    recipients
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.failure_classes & (1 << class.code()) != 0)
        .count() as u64
}

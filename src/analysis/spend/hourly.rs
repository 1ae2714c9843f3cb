//! Spend per hour, day and month, from the cube: what the logs say was spent (successes re-weighted when
//! success logging was sampled), beside what the month-to-date metric says.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::forecast::MonthDemand;
use super::{DayRow, MonthRow};
use crate::analysis::cube;
use crate::domain::money::round_usd;
use crate::domain::outcome::Class;
use crate::domain::time::{day_string, month_bounds, month_string, DAY_MS, HOUR_MS};
use crate::record::metric::MetricSeries;
use crate::record::Status;

/// One hour's (or month's) texts and money.
#[derive(Default, Clone, Copy)]
pub struct Acc {
    spend: f64,
    spend_est: f64,
    texts: u64,
    failed: u64,
    quota: u64,
    delivered_price: f64,
    delivered_texts: u64,
}

/// Per hour (start, epoch ms), in time order.
pub struct Hourly(BTreeMap<i64, Acc>);

impl Hourly {
    /// Per-hour spend and counts from the cube, sampling-corrected by `weight`.
    pub fn from_cube(c: &DataFrame, weight: f64) -> PolarsResult<Hourly> {
        let by_hour = cube::rollup(c, &[cube::HOUR, cube::STATUS, cube::CLASS])?;
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
        let mut hourly: BTreeMap<i64, Acc> = BTreeMap::new();
        for i in 0..by_hour.height() {
            let a = hourly.entry(hours[i] * HOUR_MS).or_default();
            let success = status[i] == Status::Success as u32;
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
        Ok(Hourly(hourly))
    }

    /// (hour, estimated spend) in time order.
    pub fn estimated(&self) -> Vec<(i64, f64)> {
        self.0.iter().map(|(&h, a)| (h, a.spend_est)).collect()
    }

    pub fn total_estimated(&self) -> f64 {
        self.0.values().map(|a| a.spend_est).sum()
    }

    /// Months of the logs and of the metric, in order.
    pub fn months(&self, metric: Option<&MetricSeries>) -> Vec<Month> {
        let mut months: BTreeMap<String, Month> = BTreeMap::new();
        for (&h, a) in &self.0 {
            let e = months
                .entry(month_string(h))
                .or_insert_with(|| Month::new(h));
            e.logs.spend += a.spend;
            e.logs.spend_est += a.spend_est;
            e.logs.texts += a.texts;
            e.logs.quota += a.quota;
            e.logs.delivered_price += a.delivered_price;
            e.logs.delivered_texts += a.delivered_texts;
        }
        if let Some(m) = metric {
            for &(t, v) in &m.points {
                let e = months
                    .entry(month_string(t))
                    .or_insert_with(|| Month::new(t));
                e.metric_max = Some(e.metric_max.map_or(v, |x: f64| x.max(v)));
            }
        }
        months
            .into_iter()
            .map(|(name, m)| Month { name, ..m })
            .collect()
    }

    pub fn days(&self) -> Vec<DayRow> {
        let mut days: BTreeMap<i64, DayRow> = BTreeMap::new();
        for (&h, a) in &self.0 {
            let d = h.div_euclid(DAY_MS) * DAY_MS;
            let row = days.entry(d).or_insert(DayRow {
                day: day_string(d),
                spend_usd: 0.0,
                texts: 0,
                failed: 0,
            });
            row.spend_usd += a.spend_est;
            row.texts += a.texts;
            row.failed += a.failed;
        }
        days.into_values()
            .map(|mut r| {
                r.spend_usd = round_usd(r.spend_usd);
                r
            })
            .collect()
    }

    /// Month-to-date spend rebuilt from the logs, at the end of each hour (when no metric was given).
    pub fn month_to_date(&self) -> Vec<(i64, f64)> {
        let mut pts = Vec::new();
        let mut month = None;
        let mut total = 0.0;
        for (&h, a) in &self.0 {
            let m = month_bounds(h).map(|b| b.0);
            if m != month {
                month = m;
                total = 0.0;
            }
            total += a.spend_est;
            // The total as the hour ends, dated inside that hour: the last hour of a month belongs to it,
            // not to the next month (whose forecast would start from this month's spend).
            pts.push((h + HOUR_MS - 1, round_usd(total)));
        }
        pts
    }
}

/// One month: what the logs say, and the highest month-to-date metric value seen in it.
pub struct Month {
    name: String,
    /// A time in the month (its first hour of data).
    start_ms: i64,
    logs: Acc,
    metric_max: Option<f64>,
}

impl Month {
    fn new(t: i64) -> Month {
        Month {
            name: String::new(),
            start_ms: t,
            logs: Acc::default(),
            metric_max: None,
        }
    }

    pub fn row(&self) -> MonthRow {
        let a = &self.logs;
        MonthRow {
            month: self.name.clone(),
            spend_usd: round_usd(a.spend),
            spend_usd_estimated: round_usd(a.spend_est),
            metric_max_usd: self.metric_max,
            metric_minus_logs_usd: self
                .metric_max
                .filter(|_| a.texts > 0)
                .map(|x| round_usd(x - a.spend_est)),
            texts: a.texts,
            quota_failures: a.quota,
        }
    }

    pub fn demand(&self) -> MonthDemand {
        let a = &self.logs;
        MonthDemand {
            start_ms: self.start_ms,
            logged: a.spend_est,
            metric_max: self.metric_max,
            // Blocked texts priced at the month's average delivered price.
            lost: if a.delivered_texts > 0 {
                a.quota as f64 * a.delivered_price / a.delivered_texts as f64
            } else {
                0.0
            },
        }
    }
}

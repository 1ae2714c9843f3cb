//! The forecast: when the month reaches the limit at the recent daily rate, the limit a person should set
//! (from the busiest month's demand, blocked texts included) and the alarm threshold, and the commands that
//! apply them (printed only: smslens never calls AWS).

use super::Forecast;
use crate::domain::money::round_usd;
use crate::domain::time::{month_bounds, month_string, rfc3339, DAY_MS};

pub struct MonthDemand {
    pub start_ms: i64,
    pub logged: f64,
    pub metric_max: Option<f64>,
    /// Estimated cost of the texts the limit blocked.
    pub lost: f64,
}

/// A limit a person would type: rounded up to 10 below 100 USD, to 50 above.
fn nice_ceiling(x: f64) -> f64 {
    let step = if x < 100.0 { 10.0 } else { 50.0 };
    ((x / step).ceil() * step).max(step)
}

pub fn forecast(
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
pub fn forecast_line(
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

pub fn commands(f: &Forecast) -> Vec<String> {
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

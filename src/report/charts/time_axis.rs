//! The time axis (UTC): calendar-aligned ticks (seconds to millennia) and their labels.

use chrono::Timelike;

use super::axes::Axis;
use super::text::text_width;
use crate::domain::time::{
    month_index, month_index_start, to_datetime, DAY_MS as DAY, HOUR_MS as HOUR,
};

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;
/// Timestamps are clamped to ±250,000 years around 1970 (inside chrono's range), so that
/// no time arithmetic here can overflow.
pub(super) const T_LIMIT: i64 = 250_000 * 366 * DAY;

pub(super) fn clamp_ms(t: i64) -> i64 {
    t.clamp(-T_LIMIT, T_LIMIT)
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum TimeStep {
    /// Fixed length in ms, aligned to multiples from `offset` (UTC midnight / Monday).
    Fixed(i64, i64),
    Months(i32),
    Years(i32),
}

impl TimeStep {
    fn approx_ms(self) -> f64 {
        match self {
            TimeStep::Fixed(ms, _) => ms as f64,
            TimeStep::Months(n) => n as f64 * 30.44 * DAY as f64,
            TimeStep::Years(n) => n as f64 * 365.25 * DAY as f64,
        }
    }
}

fn time_ticks(lo: i64, hi: i64, step: TimeStep) -> Vec<i64> {
    const MAX_TICKS: usize = 400;
    let mut out = Vec::new();
    match step {
        TimeStep::Fixed(len, offset) => {
            let first = (lo - offset).div_euclid(len) * len + offset;
            let mut t = if first < lo {
                first.saturating_add(len)
            } else {
                first
            };
            while t <= hi && out.len() < MAX_TICKS {
                out.push(t);
                t = match t.checked_add(len) {
                    Some(n) => n,
                    None => break,
                };
            }
        }
        TimeStep::Months(n) | TimeStep::Years(n) => {
            let months = i64::from(if let TimeStep::Years(y) = step {
                12 * y
            } else {
                n
            })
            .max(1);
            let Some(first) = month_index(lo) else {
                return out;
            };
            // Months since year 0, aligned to multiples of the step.
            let mut idx = first.div_euclid(months) * months;
            for _ in 0..10_000 {
                if out.len() >= MAX_TICKS {
                    break;
                }
                // Outside chrono's calendar (absurd timestamps) there is simply no tick.
                if let Some(t) = month_index_start(idx) {
                    if t > hi {
                        break;
                    }
                    if t >= lo {
                        out.push(t);
                    }
                }
                idx += months;
            }
        }
    }
    out
}

/// A time axis: range in epoch ms, ticks aligned to UTC calendar units, label format and description.
pub(super) struct TimeAxis {
    pub axis: Axis,
    pub step: TimeStep,
    same_year: bool,
    pub desc: String,
}

impl TimeAxis {
    /// Chooses the finest calendar step whose labels fit into `plot_px` pixels.
    pub(super) fn new(lo: i64, hi: i64, plot_px: f64, label_px: f64) -> Self {
        let (lo, hi) = (clamp_ms(lo), clamp_ms(hi));
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - HOUR, lo + HOUR)
        };
        let span = (hi - lo) as f64;
        let monday = 4 * DAY; // 1970-01-05 was a Monday
        let candidates = [
            TimeStep::Fixed(SECOND, 0),
            TimeStep::Fixed(5 * SECOND, 0),
            TimeStep::Fixed(15 * SECOND, 0),
            TimeStep::Fixed(30 * SECOND, 0),
            TimeStep::Fixed(MINUTE, 0),
            TimeStep::Fixed(2 * MINUTE, 0),
            TimeStep::Fixed(5 * MINUTE, 0),
            TimeStep::Fixed(10 * MINUTE, 0),
            TimeStep::Fixed(15 * MINUTE, 0),
            TimeStep::Fixed(30 * MINUTE, 0),
            TimeStep::Fixed(HOUR, 0),
            TimeStep::Fixed(2 * HOUR, 0),
            TimeStep::Fixed(3 * HOUR, 0),
            TimeStep::Fixed(6 * HOUR, 0),
            TimeStep::Fixed(12 * HOUR, 0),
            TimeStep::Fixed(DAY, 0),
            TimeStep::Fixed(2 * DAY, 0),
            TimeStep::Fixed(7 * DAY, monday),
            TimeStep::Fixed(14 * DAY, monday),
            TimeStep::Months(1),
            TimeStep::Months(2),
            TimeStep::Months(3),
            TimeStep::Months(6),
            TimeStep::Years(1),
            TimeStep::Years(2),
            TimeStep::Years(5),
            TimeStep::Years(10),
            TimeStep::Years(25),
            TimeStep::Years(50),
            TimeStep::Years(100),
            TimeStep::Years(500),
            TimeStep::Years(1000),
            TimeStep::Years(10_000),
            TimeStep::Years(100_000),
        ];
        let year = |t| month_index(t).map(|m| m.div_euclid(12));
        let same_year = year(lo) == year(hi);
        let fits = |c: TimeStep| {
            let per_label = text_width(Self::sample_label(c, same_year), label_px) + label_px * 2.0;
            (plot_px / per_label).floor().max(2.0)
        };
        let step = candidates
            .into_iter()
            .find(|c| span / c.approx_ms() <= fits(*c) - 0.5)
            .unwrap_or(TimeStep::Years(100_000));
        let mut ticks: Vec<f64> = time_ticks(lo, hi, step)
            .into_iter()
            .map(|t| t as f64)
            .collect();
        let max_labels = fits(step) as usize;
        if ticks.len() > max_labels {
            let stride = ticks.len().div_ceil(max_labels.max(1));
            ticks = ticks.into_iter().step_by(stride).collect();
        }
        let sub_day = matches!(step, TimeStep::Fixed(len, _) if len < DAY);
        let same_day = lo.div_euclid(DAY) == (hi - 1).div_euclid(DAY);
        let desc = match (to_datetime(lo), sub_day) {
            (Some(d), true) if same_day => format!("time (UTC), {}", d.format("%Y-%m-%d")),
            (Some(d), true) if same_year => format!("time (UTC), {}", d.format("%Y")),
            (_, true) => "time (UTC)".to_string(),
            (Some(d), false)
                if same_year && !matches!(step, TimeStep::Months(_) | TimeStep::Years(_)) =>
            {
                format!("date (UTC), {}", d.format("%Y"))
            }
            _ => "date (UTC)".to_string(),
        };
        TimeAxis {
            axis: Axis::linear(lo as f64, hi as f64, ticks),
            step,
            same_year,
            desc,
        }
    }

    /// The widest label a step can produce, for spacing.
    fn sample_label(step: TimeStep, same_year: bool) -> &'static str {
        match step {
            TimeStep::Fixed(len, _) if len < MINUTE => "00:00:00",
            TimeStep::Fixed(len, _) if len < DAY => "Mar 22", // midnight ticks show the date
            TimeStep::Fixed(..) if same_year => "Mar 22",
            TimeStep::Fixed(..) => "2026-03-22",
            TimeStep::Months(_) => "Mar 2026",
            TimeStep::Years(n) if n >= 1000 => "-250000",
            TimeStep::Years(_) => "2026",
        }
    }

    pub(super) fn format(&self, v: f64) -> String {
        if !v.is_finite() {
            return String::new();
        }
        let ms = v.round() as i64;
        let Some(d) = to_datetime(ms) else {
            return String::new();
        };
        let fmt = match self.step {
            TimeStep::Fixed(len, _) if len < MINUTE => "%H:%M:%S",
            TimeStep::Fixed(len, _) if len < DAY => {
                if d.hour() == 0 && d.minute() == 0 && d.second() == 0 {
                    "%b %-d"
                } else {
                    "%H:%M"
                }
            }
            TimeStep::Fixed(..) if self.same_year => "%b %-d",
            TimeStep::Fixed(..) => "%Y-%m-%d",
            TimeStep::Months(_) => "%b %Y",
            TimeStep::Years(_) => "%Y",
        };
        d.format(fmt).to_string()
    }
}

//! When texts are sent: the UTC month covered, and a traffic curve over its hours (time of day, weekends,
//! slow growth) from which the n-th of N texts gets its time.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};

pub(crate) const MS_HOUR: i64 = 3_600_000;
pub(crate) const MS_DAY: i64 = 86_400_000;

/// UTC hour-of-day traffic shape (US evenings and India daytime overlap).
const DIURNAL: [f64; 24] = [
    1.00, 0.92, 0.82, 0.72, 0.76, 0.82, 0.90, 0.98, 1.04, 1.10, 1.14, 1.18, 1.24, 1.34, 1.44, 1.50,
    1.52, 1.48, 1.42, 1.36, 1.30, 1.24, 1.16, 1.06,
];

/// Epoch ms of the UTC midnight starting `d`.
pub(crate) fn ms_of(d: NaiveDate) -> i64 {
    d.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

pub(crate) struct Traffic {
    /// first instant of the month, epoch ms
    pub(crate) start: i64,
    /// first instant of the next month
    pub(crate) end: i64,
    hour_w: Vec<f64>,
    /// the part of `hour_w[h]` that is extra traffic (a surge) rather than the month's own curve
    extra_w: Vec<f64>,
    /// `cum[h]`: the sum of the weights of the hours before `h`
    cum: Vec<f64>,
    hour_ptr: usize,
}

impl Traffic {
    /// The month of `d` (any day of it).
    pub(crate) fn month_of(d: NaiveDate) -> Traffic {
        Traffic::shaped(d, (0.92, 0.16), &[])
    }

    /// The month of `d` with `growth` (the curve's factor at the start, and how much it adds by the end)
    /// and `extra` weight on some hours (hour index, weight in units of an average hour of the curve).
    pub(crate) fn shaped(d: NaiveDate, growth: (f64, f64), extra: &[(usize, f64)]) -> Traffic {
        let (g0, gs) = growth;
        let first = d.with_day(1).expect("every month has a day 1");
        let next = first
            .checked_add_months(Months::new(1))
            .expect("valid month");
        let start = ms_of(first);
        let end = ms_of(next);
        let hours = ((end - start) / MS_HOUR) as usize;
        let mut hour_w = Vec::with_capacity(hours);
        for h in 0..hours {
            let day = first + Days::new((h / 24) as u64);
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            let growth = g0 + gs * h as f64 / hours as f64;
            let w = DIURNAL[h % 24] * growth * if weekend { 0.85 } else { 1.0 };
            hour_w.push(w);
        }
        let mean = hour_w.iter().sum::<f64>() / hours.max(1) as f64;
        let mut extra_w = vec![0.0; hours];
        for &(h, w) in extra {
            if let Some(e) = extra_w.get_mut(h) {
                *e += w * mean;
            }
        }
        let mut cum = Vec::with_capacity(hours + 1);
        cum.push(0.0);
        for h in 0..hours {
            if extra_w[h] > 0.0 {
                hour_w[h] += extra_w[h];
            }
            cum.push(cum[h] + hour_w[h]);
        }
        Traffic {
            start,
            end,
            hour_w,
            extra_w,
            cum,
            hour_ptr: 0,
        }
    }

    /// The share of the month's texts sent in `from..to`.
    pub(crate) fn share_between(&self, from: i64, to: i64) -> f64 {
        let at = |t: i64| {
            let h = ((t - self.start) as f64 / MS_HOUR as f64).clamp(0.0, self.hour_w.len() as f64);
            let i = (h as usize).min(self.hour_w.len() - 1);
            self.cum[i] + (h - i as f64) * self.hour_w[i]
        };
        (at(to) - at(from)).max(0.0) / self.cum[self.cum.len() - 1]
    }

    /// The share of the texts at `t` that are the extra traffic of its hour.
    pub(crate) fn surge_share(&self, t: i64) -> f64 {
        let h = ((t - self.start) / MS_HOUR).clamp(0, self.hour_w.len() as i64 - 1) as usize;
        if self.extra_w[h] > 0.0 {
            self.extra_w[h] / self.hour_w[h]
        } else {
            0.0
        }
    }

    /// Time at traffic quantile `u` in [0, 1) (monotone in `u`; calls must not go back).
    pub(crate) fn time_at(&mut self, u: f64) -> i64 {
        let total = self.cum[self.cum.len() - 1];
        let target = u * total;
        let hours = self.hour_w.len();
        while self.hour_ptr + 1 < hours && self.cum[self.hour_ptr + 1] <= target {
            self.hour_ptr += 1;
        }
        let h = self.hour_ptr;
        let frac = ((target - self.cum[h]) / self.hour_w[h]).clamp(0.0, 0.999_999_9);
        (self.start + h as i64 * MS_HOUR + (frac * MS_HOUR as f64) as i64).min(self.end - 1)
    }
}

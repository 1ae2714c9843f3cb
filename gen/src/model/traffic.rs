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
    /// `cum[h]`: the sum of the weights of the hours before `h`
    cum: Vec<f64>,
    hour_ptr: usize,
}

impl Traffic {
    /// The month of `d` (any day of it).
    pub(crate) fn month_of(d: NaiveDate) -> Traffic {
        let first = d.with_day(1).expect("every month has a day 1");
        let next = first
            .checked_add_months(Months::new(1))
            .expect("valid month");
        let start = ms_of(first);
        let end = ms_of(next);
        let hours = ((end - start) / MS_HOUR) as usize;
        let mut hour_w = Vec::with_capacity(hours);
        let mut cum = Vec::with_capacity(hours + 1);
        cum.push(0.0);
        for h in 0..hours {
            let day = first + Days::new((h / 24) as u64);
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            let growth = 0.92 + 0.16 * h as f64 / hours as f64;
            let w = DIURNAL[h % 24] * growth * if weekend { 0.85 } else { 1.0 };
            hour_w.push(w);
            cum.push(cum[h] + w);
        }
        Traffic {
            start,
            end,
            hour_w,
            cum,
            hour_ptr: 0,
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

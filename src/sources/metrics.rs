//! What the spend sources share (formats.md §6): metric exports and settings are small files, parsed through
//! `serde_json::Value` for tolerance (timestamps as RFC 3339 with `Z` or an offset, or epoch seconds/ms;
//! numbers as strings). Each shape is its own module: `metric_statistics`, `metric_data`, `metric_csv`,
//! `sms_attributes`.

use serde_json::Value;

use crate::domain::time::{epoch_to_ms, parse_timestamp_ms};
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::metric::{MetricSeries, SmsSettings, MONTH_TO_DATE_SPEND};

/// What a spend input yielded, and what in it could not be used.
#[derive(Debug, Default)]
pub struct SpendRead {
    pub series: Vec<MetricSeries>,
    pub settings: Option<SmsSettings>,
    pub problems: Vec<(SkipReason, Loc, String)>,
}

impl SpendRead {
    /// Into the intake: series, settings and a skip per problem.
    pub fn deliver(self, sink: &mut Sink<'_, '_>) {
        for s in self.series {
            sink.metric(s);
        }
        if let Some(s) = self.settings {
            sink.settings(s);
        }
        for (reason, loc, detail) in self.problems {
            sink.skip(reason, loc, detail);
        }
    }

    /// Keeps a series with its points in time order, one per time.
    pub fn finish(&mut self, mut s: MetricSeries) {
        s.points.sort_by_key(|p| p.0);
        s.points.dedup_by_key(|p| p.0);
        self.series.push(s);
    }
}

/// The label of a series, defaulting to the month-to-date spend metric.
pub fn label_or_spend(l: Option<&str>) -> String {
    l.map_or_else(|| MONTH_TO_DATE_SPEND.to_owned(), |l| l.trim().to_owned())
}

pub fn time_of(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => {
            parse_timestamp_ms(s).or_else(|| s.trim().parse::<f64>().ok().and_then(epoch_to_ms))
        }
        Value::Number(n) => n.as_f64().and_then(epoch_to_ms),
        _ => None,
    }
}

pub fn num_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

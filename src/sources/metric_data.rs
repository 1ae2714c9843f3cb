//! `aws cloudwatch get-metric-data` (formats.md §6): several results, newest first.

use serde_json::Value;

use super::documents;
use super::head::Head;
use super::metrics::{label_or_spend, num_of, time_of, SpendRead};
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::metric::MetricSeries;

pub struct MetricData;

impl Source for MetricData {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        (head.is_object() && head.has_key("MetricDataResults")).then_some("metric-data")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        parse(&data).deliver(sink);
    }
}

/// `aws cloudwatch get-metric-data`: several results, newest first; `Timestamps[i]` pairs with `Values[i]`.
pub fn parse(data: &[u8]) -> SpendRead {
    let mut out = SpendRead::default();
    let end = documents::each(data, |doc: Result<Value, String>, offset| {
        let Ok(doc) = doc else { return };
        for (i, r) in doc
            .get("MetricDataResults")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let label = label_or_spend(
                r.get("Label")
                    .and_then(Value::as_str)
                    .or_else(|| r.get("Id").and_then(Value::as_str)),
            );
            let ts = r
                .get("Timestamps")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let vs = r
                .get("Values")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if ts.len() != vs.len() {
                out.problems.push((
                    SkipReason::WrongType,
                    Loc::Event {
                        byte: offset,
                        index: i as u64,
                    },
                    format!("{} timestamps but {} values", ts.len(), vs.len()),
                ));
            }
            let mut series = MetricSeries {
                label,
                stat: None,
                points: vec![],
            };
            for (t, v) in ts.iter().zip(&vs) {
                match (time_of(t), num_of(v)) {
                    (Some(t), Some(v)) => series.points.push((t, v)),
                    _ => out.problems.push((
                        SkipReason::WrongType,
                        Loc::Event {
                            byte: offset,
                            index: i as u64,
                        },
                        format!("unusable point {t} = {v}"),
                    )),
                }
            }
            if !series.points.is_empty() {
                out.finish(series);
            }
        }
    });
    out.problems.extend(end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_data_newest_first_with_offsets() {
        let r = parse(br#"{"MetricDataResults":[{"Id":"m1","Label":"SMSMonthToDateSpentUSD","Timestamps":["2026-03-04T12:00:00+00:00","2026-03-04T11:00:00+00:00"],"Values":[13.0,12.4],"StatusCode":"Complete"}],"Messages":[]}"#);
        assert_eq!(
            r.series[0].points,
            vec![(1_772_622_000_000, 12.4), (1_772_625_600_000, 13.0)]
        );
    }
}

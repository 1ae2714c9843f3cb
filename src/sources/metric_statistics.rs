//! `aws cloudwatch get-metric-statistics` (formats.md §6): datapoints in no particular order.

use serde_json::Value;

use super::documents;
use super::head::Head;
use super::metrics::{label_or_spend, num_of, time_of, SpendRead};
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::metric::MetricSeries;

pub struct MetricStatistics;

impl Source for MetricStatistics {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        (head.is_object() && head.has_key("Datapoints")).then_some("metric-statistics")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        parse(&data).deliver(sink);
    }
}

/// `aws cloudwatch get-metric-statistics`: datapoints in no particular order, with whichever statistics
/// were asked for. For each statistic present a series is kept; Maximum first.
pub fn parse(data: &[u8]) -> SpendRead {
    let mut out = SpendRead::default();
    let end = documents::each(data, |doc: Result<Value, String>, offset| {
        let Ok(doc) = doc else { return };
        let label = label_or_spend(doc.get("Label").and_then(Value::as_str));
        let Some(points) = doc.get("Datapoints").and_then(Value::as_array) else {
            out.problems.push((
                SkipReason::NotARecord,
                Loc::Byte(offset),
                "no Datapoints array".into(),
            ));
            return;
        };
        for stat in ["Maximum", "Sum", "Average", "SampleCount", "Minimum"] {
            let mut series = MetricSeries {
                label: label.clone(),
                stat: Some(stat.to_owned()),
                points: vec![],
            };
            for (i, p) in points.iter().enumerate() {
                let Some(v) = p.get(stat) else { continue };
                match (p.get("Timestamp").and_then(time_of), num_of(v)) {
                    (Some(t), Some(v)) => series.points.push((t, v)),
                    _ => out.problems.push((
                        SkipReason::WrongType,
                        Loc::Event {
                            byte: offset,
                            index: i as u64,
                        },
                        format!("datapoint without a usable Timestamp or {stat}"),
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
    fn unsorted_statistics_are_sorted() {
        let r = parse(br#"{"Label":"SMSMonthToDateSpentUSD","Datapoints":[{"Timestamp":"2026-03-04T12:00:00Z","Maximum":13.0,"Unit":"None"},{"Timestamp":"2026-03-04T11:00:00Z","Maximum":12.4,"Unit":"None"}]}"#);
        assert_eq!(r.series.len(), 1);
        assert_eq!(r.series[0].points[0].1, 12.4);
        assert!(r.problems.is_empty());
    }
}

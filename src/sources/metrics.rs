//! Spend inputs (formats.md §6): CloudWatch metric exports (`get-metric-statistics`, `get-metric-data`, CSV
//! downloads) and `aws sns get-sms-attributes`. Small files; parsed through `serde_json::Value` for
//! tolerance (timestamps as RFC 3339 with `Z` or an offset, or epoch seconds/ms; numbers as strings).

use serde_json::Value;

use super::{csv, documents, Loc, SkipReason};
use crate::timefmt::{epoch_to_ms, parse_timestamp_ms};

pub const MONTH_TO_DATE_SPEND: &str = "SMSMonthToDateSpentUSD";

#[derive(Debug, Clone, PartialEq)]
pub struct MetricSeries {
    /// Metric name (from `Label`, or the CSV header).
    pub label: String,
    /// The statistic the values are (`Maximum`, `Sum`, ...), when the export says.
    pub stat: Option<String>,
    /// (epoch ms, value), sorted by time.
    pub points: Vec<(i64, f64)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SmsSettings {
    pub monthly_spend_limit_usd: Option<f64>,
    pub success_sampling_rate: Option<f64>,
    pub default_sms_type: Option<String>,
}

/// What a spend input yielded, and what in it could not be used.
#[derive(Debug, Default)]
pub struct SpendRead {
    pub series: Vec<MetricSeries>,
    pub settings: Option<SmsSettings>,
    pub points: u64,
    pub problems: Vec<(SkipReason, Loc, String)>,
}

fn time_of(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => {
            parse_timestamp_ms(s).or_else(|| s.trim().parse::<f64>().ok().and_then(epoch_to_ms))
        }
        Value::Number(n) => n.as_f64().and_then(epoch_to_ms),
        _ => None,
    }
}

fn num_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

/// Label without the statistic or dimension suffixes the console sometimes appends.
fn clean_label(l: &str) -> String {
    l.trim().to_owned()
}

fn finish(mut s: MetricSeries, out: &mut SpendRead) {
    s.points.sort_by_key(|p| p.0);
    s.points.dedup_by_key(|p| p.0);
    out.points += s.points.len() as u64;
    out.series.push(s);
}

/// `aws cloudwatch get-metric-statistics`: datapoints in no particular order, with whichever statistics
/// were asked for. For each statistic present a series is kept; Maximum first.
pub fn read_statistics(data: &[u8]) -> SpendRead {
    let mut out = SpendRead::default();
    let end = documents::each(data, |doc: Result<Value, String>, offset| {
        let Ok(doc) = doc else { return };
        let label = doc
            .get("Label")
            .and_then(Value::as_str)
            .map_or_else(|| MONTH_TO_DATE_SPEND.to_owned(), clean_label);
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
                finish(series, &mut out);
            }
        }
    });
    out.problems.extend(end);
    out
}

/// `aws cloudwatch get-metric-data`: several results, newest first; `Timestamps[i]` pairs with `Values[i]`.
pub fn read_metric_data(data: &[u8]) -> SpendRead {
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
            let label = r
                .get("Label")
                .and_then(Value::as_str)
                .or_else(|| r.get("Id").and_then(Value::as_str))
                .map_or_else(|| MONTH_TO_DATE_SPEND.to_owned(), clean_label);
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
                finish(series, &mut out);
            }
        }
    });
    out.problems.extend(end);
    out
}

/// A CSV with one time column and one column per series, named by label.
pub fn read_csv(text: &str) -> SpendRead {
    let mut out = SpendRead::default();
    let Some((header, body)) = csv::table(text) else {
        return out;
    };
    let time_col = header
        .fields
        .iter()
        .position(|h| {
            let h = h.to_ascii_lowercase();
            h.contains("time") || h.contains("date")
        })
        .unwrap_or(0);
    let mut series: Vec<MetricSeries> = header
        .fields
        .iter()
        .map(|h| MetricSeries {
            label: clean_label(h),
            stat: None,
            points: vec![],
        })
        .collect();
    for row in body {
        let row = match row {
            Ok(r) => r,
            Err(bad) => {
                out.problems
                    .push((SkipReason::InvalidCsv, Loc::Line(bad.line), bad.detail));
                continue;
            }
        };
        let Some(t) = row
            .fields
            .get(time_col)
            .and_then(|c| time_of(&Value::String(c.clone())))
        else {
            out.problems.push((
                SkipReason::WrongType,
                Loc::Line(row.line),
                "no usable time in the time column".into(),
            ));
            continue;
        };
        for (i, cell) in row.fields.iter().enumerate() {
            if i == time_col || cell.trim().is_empty() {
                continue;
            }
            match (series.get_mut(i), cell.trim().parse::<f64>()) {
                (Some(s), Ok(v)) if v.is_finite() => s.points.push((t, v)),
                _ => out.problems.push((
                    SkipReason::WrongType,
                    Loc::Line(row.line),
                    format!("value {cell:?} is not a number"),
                )),
            }
        }
    }
    for (i, s) in series.into_iter().enumerate() {
        if i != time_col && !s.points.is_empty() {
            finish(s, &mut out);
        }
    }
    out
}

/// `aws sns get-sms-attributes`: all values are strings.
pub fn read_sms_attributes(data: &[u8]) -> SpendRead {
    let mut out = SpendRead::default();
    let doc: Value = match serde_json::from_slice(data) {
        Ok(d) => d,
        Err(e) => {
            out.problems.push((
                SkipReason::InvalidJson,
                Loc::Byte(e.column() as u64),
                e.to_string(),
            ));
            return out;
        }
    };
    let a = doc.get("attributes").unwrap_or(&doc);
    let settings = SmsSettings {
        monthly_spend_limit_usd: a.get("MonthlySpendLimit").and_then(num_of),
        success_sampling_rate: a.get("DeliveryStatusSuccessSamplingRate").and_then(num_of),
        default_sms_type: a
            .get("DefaultSMSType")
            .and_then(Value::as_str)
            .map(str::to_owned),
    };
    out.points = 1;
    out.settings = Some(settings);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsorted_statistics_are_sorted() {
        let r = read_statistics(br#"{"Label":"SMSMonthToDateSpentUSD","Datapoints":[{"Timestamp":"2026-03-04T12:00:00Z","Maximum":13.0,"Unit":"None"},{"Timestamp":"2026-03-04T11:00:00Z","Maximum":12.4,"Unit":"None"}]}"#);
        assert_eq!(r.series.len(), 1);
        assert_eq!(r.series[0].points[0].1, 12.4);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn metric_data_newest_first_with_offsets() {
        let r = read_metric_data(br#"{"MetricDataResults":[{"Id":"m1","Label":"SMSMonthToDateSpentUSD","Timestamps":["2026-03-04T12:00:00+00:00","2026-03-04T11:00:00+00:00"],"Values":[13.0,12.4],"StatusCode":"Complete"}],"Messages":[]}"#);
        assert_eq!(
            r.series[0].points,
            vec![(1_772_622_000_000, 12.4), (1_772_625_600_000, 13.0)]
        );
    }

    #[test]
    fn csv_with_epoch_seconds() {
        let r = read_csv("Time,SMSMonthToDateSpentUSD\n1772622000,12.4\n1772625600,13\n");
        assert_eq!(r.series[0].label, "SMSMonthToDateSpentUSD");
        assert_eq!(r.series[0].points.len(), 2);
    }

    #[test]
    fn attributes_are_strings() {
        let r = read_sms_attributes(br#"{"attributes":{"MonthlySpendLimit":"60","DeliveryStatusSuccessSamplingRate":"25"}}"#);
        let s = r.settings.unwrap();
        assert_eq!(
            (s.monthly_spend_limit_usd, s.success_sampling_rate),
            (Some(60.0), Some(25.0))
        );
    }
}

//! A console CSV download of metric values (formats.md §6): one time column, one column per series.

use serde_json::Value;

use super::csv;
use super::head::Head;
use super::metrics::{time_of, SpendRead};
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::metric::MetricSeries;

pub struct MetricCsv;

impl Source for MetricCsv {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        (is_metric_header(head.first_line())).then_some("metric-csv")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        if let Some(text) = content.read_text(sink) {
            parse(&text).deliver(sink);
        }
    }
}

/// A header row with a time column (or the spend metric's name). Tried after the Insights CSV.
fn is_metric_header(first: &[u8]) -> bool {
    if !first.contains(&b',') {
        return false;
    }
    let h = String::from_utf8_lossy(first).to_ascii_lowercase();
    h.contains("time") || h.contains("date") || h.contains("smsmonthtodatespentusd")
}

/// A CSV with one time column and one column per series, named by label.
pub fn parse(text: &str) -> SpendRead {
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
            label: h.trim().to_owned(),
            stat: None,
            points: vec![],
        })
        .collect();
    for row in body {
        let row = match row {
            Ok(r) => r,
            Err(bad) => {
                let reason = if bad.blank {
                    SkipReason::BlankLine
                } else {
                    SkipReason::InvalidCsv
                };
                out.problems.push((reason, Loc::Line(bad.line), bad.detail));
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
            out.finish(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_epoch_seconds() {
        let r = parse("Time,SMSMonthToDateSpentUSD\n1772622000,12.4\n1772625600,13\n");
        assert_eq!(r.series[0].label, "SMSMonthToDateSpentUSD");
        assert_eq!(r.series[0].points.len(), 2);
    }
}

//! CloudWatch Logs Insights console "Export results" CSV (formats.md §4), with `@message` or flattened
//! columns, found by header name.

use super::csv;
use super::head::Head;
use super::insights_json::feed_row;
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};

pub struct InsightsCsv;

impl Source for InsightsCsv {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        let first = head.first_line();
        if !first.contains(&b',') {
            return None;
        }
        let header = String::from_utf8_lossy(first).to_ascii_lowercase();
        ["@message", "providerresponse", "delivery.", "notification."]
            .iter()
            .any(|k| header.contains(k))
            .then_some("insights-csv")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        if let Some(text) = content.read_text(sink) {
            read(sink, &text);
        }
    }
}

fn read(sink: &mut Sink<'_, '_>, text: &str) {
    let Some((header, rows)) = csv::table(text) else {
        return;
    };
    let names: Vec<&str> = header.fields.iter().map(|h| h.trim()).collect();
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(bad) => {
                let reason = if bad.blank {
                    SkipReason::BlankLine
                } else {
                    SkipReason::InvalidCsv
                };
                sink.skip(reason, Loc::Line(bad.line), bad.detail);
                continue;
            }
        };
        let loc = Loc::Line(row.line);
        if row.fields.len() != names.len() {
            sink.skip(
                SkipReason::NotARecord,
                loc,
                format!(
                    "{} fields where the header has {}",
                    row.fields.len(),
                    names.len()
                ),
            );
            continue;
        }
        let fields = names
            .iter()
            .copied()
            .zip(row.fields.iter().map(String::as_str));
        feed_row(sink, fields, loc);
    }
}

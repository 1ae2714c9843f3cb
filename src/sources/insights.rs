//! CloudWatch Logs Insights results (formats.md §4): `aws logs get-query-results` JSON and the console's CSV
//! export. A row either carries the whole record in `@message`, or flattened columns such as
//! `delivery.providerResponse` and `status`. `@timestamp` is the fallback event time.

use serde::Deserialize;

use super::{csv, documents, Loc, Sink, SkipReason};
use crate::record::record_from_fields;
use crate::timefmt::parse_timestamp_ms;

#[derive(Deserialize)]
struct QueryResults {
    #[serde(default)]
    results: Vec<Vec<ResultField>>,
}

#[derive(Deserialize)]
struct ResultField {
    field: String,
    value: Option<String>,
}

/// One result row, whichever way the query shaped it.
fn feed_row<'a>(
    sink: &mut Sink<'_>,
    fields: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    loc: Loc,
) {
    let timestamp = fields
        .clone()
        .find(|(n, _)| *n == "@timestamp")
        .and_then(|(_, v)| parse_timestamp_ms(v));
    if let Some((_, message)) = fields.clone().find(|(n, _)| *n == "@message") {
        return sink.text(message, timestamp, loc);
    }
    match record_from_fields(fields) {
        Ok(rec) => sink.record(&rec, timestamp, loc),
        Err(e) => sink.reject(e, loc),
    }
}

pub fn read_json(sink: &mut Sink<'_>, data: &[u8]) {
    let end = documents::each(data, |doc: QueryResults, offset| {
        for (i, row) in doc.results.iter().enumerate() {
            let fields = row
                .iter()
                .map(|f| (f.field.as_str(), f.value.as_deref().unwrap_or("")));
            feed_row(
                sink,
                fields,
                Loc::Event {
                    byte: offset,
                    index: i as u64,
                },
            );
        }
    });
    if let Some((reason, loc, detail)) = end {
        sink.skip(reason, loc, detail);
    }
}

pub fn read_csv(sink: &mut Sink<'_>, text: &str) {
    let rows = csv::rows(text);
    let Some((header, body)) = rows.split_first() else {
        return;
    };
    let names: Vec<&str> = header.fields.iter().map(|h| h.trim()).collect();
    for row in body {
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

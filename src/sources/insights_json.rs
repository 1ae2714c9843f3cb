//! CloudWatch Logs Insights `aws logs get-query-results` JSON (formats.md §4). A row either carries the
//! whole record in `@message`, or flattened columns such as `delivery.providerResponse` and `status`;
//! `@timestamp` is the fallback event time. Each row is read on its own: one of the wrong shape is one skip.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::documents;
use super::head::Head;
use super::open::Content;
use super::Source;
use crate::domain::time::parse_timestamp_ms;
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::record_from_fields;

pub struct InsightsJson;

impl Source for InsightsJson {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        (head.is_object() && head.has_key("results") && head.has_key("field"))
            .then_some("insights-json")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        read(sink, &data);
    }
}

#[derive(Deserialize)]
struct QueryResults<'a> {
    #[serde(default, borrow)]
    results: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct ResultField<'a> {
    field: String,
    #[serde(default, borrow)]
    value: Option<&'a RawValue>,
}

/// One `get-query-results` row: its (field, value) pairs, values as text (Insights writes strings; a number
/// or boolean written unquoted is taken as its text).
fn row_fields(raw: &RawValue) -> Result<Vec<(String, String)>, String> {
    let fields: Vec<ResultField<'_>> =
        serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
    fields
        .into_iter()
        .map(|f| {
            let value = match f.value {
                Some(v) => documents::text_of(v).map_err(|e| format!("{}: {e}", f.field))?,
                None => None,
            };
            Ok((f.field, value.unwrap_or_default()))
        })
        .collect()
}

/// One result row, whichever way the query shaped it.
pub fn feed_row<'a>(
    sink: &mut Sink<'_, '_>,
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

fn read(sink: &mut Sink<'_, '_>, data: &[u8]) {
    let end = documents::each(data, |doc: Result<QueryResults<'_>, String>, offset| {
        let doc = match doc {
            Ok(d) => d,
            Err(e) => return sink.skip(SkipReason::WrongType, Loc::Byte(offset), e),
        };
        for (i, raw) in doc.results.iter().enumerate() {
            let loc = Loc::Event {
                byte: offset,
                index: i as u64,
            };
            match row_fields(raw) {
                Ok(row) => feed_row(sink, row.iter().map(|(f, v)| (f.as_str(), v.as_str())), loc),
                Err(e) => sink.skip(SkipReason::WrongType, loc, format!("result row: {e}")),
            }
        }
    });
    if let Some((reason, loc, detail)) = end {
        sink.skip(reason, loc, detail);
    }
}

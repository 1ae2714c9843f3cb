//! Documents of base64-encoded records: the request body Kinesis Data Firehose sends to an HTTP endpoint
//! (formats.md §7.1), `{"requestId":…,"timestamp":…,"records":[{"data":"<base64 of the event>"}]}`; and the
//! Kinesis shapes Pinpoint and End User Messaging events reach consumers in (§7.2): `aws kinesis get-records`
//! (`{"Records":[{"Data":…}]}`) and a Lambda event (`{"Records":[{"kinesis":{"data":…}}]}`). Each record
//! is decoded and read on its own.

use base64::Engine;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::documents::{self, epoch_ms_of};
use super::head::Head;
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};

pub struct FirehoseHttp;

#[derive(Deserialize)]
struct Request<'a> {
    #[serde(default, borrow)]
    timestamp: Option<&'a RawValue>,
    #[serde(default, borrow, alias = "Records")]
    records: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(alias = "Data")]
    data: Option<String>,
    kinesis: Option<Kinesis>,
}

#[derive(Deserialize)]
struct Kinesis {
    data: Option<String>,
}

impl Source for FirehoseHttp {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        if !head.is_object() {
            return None;
        }
        if head.has_key("requestId") && head.has_key("records") && head.has_key("data") {
            return Some("firehose-http-request");
        }
        (head.has_key("Records") && (head.has_key("Data") || head.has_key("kinesis")))
            .then_some("kinesis-records")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        let end = documents::each(
            data.as_slice(),
            |doc: Result<Request<'_>, String>, offset| {
                let doc = match doc {
                    Ok(d) => d,
                    Err(e) => return sink.skip(SkipReason::WrongType, Loc::Byte(offset), e),
                };
                let time = doc.timestamp.and_then(epoch_ms_of);
                for (i, raw) in doc.records.iter().enumerate() {
                    let loc = Loc::Event {
                        byte: offset,
                        index: i as u64,
                    };
                    match decode(raw) {
                        Ok(text) => sink.text(&text, time, loc),
                        Err(e) => sink.skip(SkipReason::WrongType, loc, e),
                    }
                }
            },
        );
        if let Some((reason, loc, detail)) = end {
            sink.skip(reason, loc, detail);
        }
    }
}

/// One record's event: its `data`, base64-decoded, as text.
fn decode(raw: &RawValue) -> Result<String, String> {
    let entry: Entry = serde_json::from_str(raw.get()).map_err(|e| format!("record: {e}"))?;
    let data = entry
        .data
        .or(entry.kinesis.and_then(|k| k.data))
        .ok_or("record without data")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| format!("data is not base64: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "data is not UTF-8 text".to_owned())
}

//! Subscription filter → Kinesis Data Firehose → S3 objects (formats.md §5): gzip (often several members)
//! holding `DATA_MESSAGE` documents concatenated with no separator. `CONTROL_MESSAGE` documents are health
//! checks: skipped and counted.

use serde::Deserialize;

use super::cli_events::{feed_events, LogEvent};
use super::{documents, Loc, Sink, SkipReason};

#[derive(Deserialize)]
struct FirehoseDoc {
    #[serde(rename = "messageType")]
    message_type: Option<String>,
    #[serde(rename = "logEvents", default)]
    log_events: Vec<LogEvent>,
}

pub fn read(sink: &mut Sink<'_>, data: &[u8]) {
    let end = documents::each(data, |doc: FirehoseDoc, offset| {
        match doc.message_type.as_deref() {
            Some("CONTROL_MESSAGE") => sink.skip(SkipReason::ControlMessage, Loc::Byte(offset), ""),
            _ => feed_events(sink, &doc.log_events, offset),
        }
    });
    if let Some((reason, loc, detail)) = end {
        sink.skip(reason, loc, detail);
    }
}

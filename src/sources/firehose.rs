//! Subscription filter → Kinesis Data Firehose → S3 objects (formats.md §5): gzip (often several members)
//! holding `DATA_MESSAGE` documents concatenated with no separator. `CONTROL_MESSAGE` documents are health
//! checks: skipped and counted.

use serde::Deserialize;

use super::cli_events::{feed_events, LogEvent};
use super::{Loc, Sink, SkipReason};

#[derive(Deserialize)]
struct FirehoseDoc {
    #[serde(rename = "messageType")]
    message_type: Option<String>,
    #[serde(rename = "logEvents", default)]
    log_events: Vec<LogEvent>,
}

pub fn read(sink: &mut Sink<'_>, data: &[u8]) {
    let mut stream = serde_json::Deserializer::from_slice(data).into_iter::<FirehoseDoc>();
    loop {
        let offset = stream.byte_offset() as u64;
        match stream.next() {
            None => break,
            Some(Ok(doc)) => match doc.message_type.as_deref() {
                Some("CONTROL_MESSAGE") => {
                    sink.skip(SkipReason::ControlMessage, Loc::Byte(offset), "")
                }
                _ => feed_events(sink, &doc.log_events, offset),
            },
            Some(Err(e)) => {
                let reason = if e.is_data() {
                    SkipReason::WrongType
                } else {
                    SkipReason::InvalidJson
                };
                sink.skip(
                    reason,
                    Loc::Byte(offset),
                    format!("rest of file not read: {e}"),
                );
                break;
            }
        }
    }
}

//! Subscription filter → Kinesis Data Firehose → S3 objects (formats.md §5): gzip (often several members)
//! holding `DATA_MESSAGE` documents concatenated with no separator. `CONTROL_MESSAGE` documents are health
//! checks: skipped and counted.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::cli_events::feed_events;
use super::{documents, Loc, Sink, SkipReason};

#[derive(Deserialize)]
struct FirehoseDoc<'a> {
    #[serde(rename = "messageType", default, borrow)]
    message_type: Option<&'a RawValue>,
    #[serde(rename = "logEvents", default, borrow)]
    log_events: Vec<&'a RawValue>,
}

pub fn read(sink: &mut Sink<'_>, data: &[u8]) {
    let end = documents::each(data, |doc: Result<FirehoseDoc<'_>, String>, offset| match doc {
        Ok(doc) if doc.message_type.is_some_and(|t| t.get() == "\"CONTROL_MESSAGE\"") => {
            sink.skip(SkipReason::ControlMessage, Loc::Byte(offset), "")
        }
        Ok(doc) => feed_events(sink, &doc.log_events, offset),
        Err(e) => sink.skip(SkipReason::WrongType, Loc::Byte(offset), e),
    });
    if let Some((reason, loc, detail)) = end {
        sink.skip(reason, loc, detail);
    }
}

//! JSON records written one after another with nothing between them (`{...}{...}`): how Kinesis Data
//! Firehose delivers End User Messaging events to S3 when no newline delimiter is configured (formats.md
//! §7.1). Each object is read on its own; one that is not a record is one skip.

use super::documents;
use super::head::Head;
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};

pub struct Concatenated;

/// Keys of the records that come concatenated (End User Messaging and Pinpoint events, and EventBridge's
/// envelope around the former).
const EVENT_KEYS: [&str; 3] = ["eventType", "event_type", "detail-type"];

impl Source for Concatenated {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        let first = head.first_line();
        let joined = memchr::memmem::find(first, b"}{").is_some();
        (head.is_object() && joined && EVENT_KEYS.iter().any(|k| head.has_key(k)))
            .then_some("concatenated-events")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        let end = documents::each(
            data.as_slice(),
            |doc: Result<&serde_json::value::RawValue, String>, offset| {
                let loc = Loc::Byte(offset);
                match doc {
                    Ok(raw) => sink.text(raw.get(), None, loc),
                    Err(e) => sink.skip(SkipReason::InvalidJson, loc, e),
                }
            },
        );
        if let Some((reason, loc, detail)) = end {
            sink.skip(reason, loc, detail);
        }
    }
}

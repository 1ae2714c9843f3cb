//! `aws logs filter-log-events` / `get-log-events` output (formats.md §3): `events[].message` holds the record
//! as a JSON string. Users append pages to one file, so the input is a stream of such documents; pagination
//! tokens and unknown keys are ignored.

use serde::Deserialize;

use super::{documents, Loc, Sink, SkipReason};

#[derive(Deserialize)]
struct EventsDoc {
    #[serde(default)]
    events: Vec<LogEvent>,
}

/// One CloudWatch Logs event, as the CLI and Firehose both write it.
#[derive(Deserialize)]
pub struct LogEvent {
    /// Epoch ms of the log event (a few seconds after the record's own timestamp).
    pub timestamp: Option<i64>,
    pub message: Option<String>,
}

/// Feeds each event's message to the sink; `loc` of an event is the document's byte offset and its index.
pub fn feed_events(sink: &mut Sink<'_>, events: &[LogEvent], doc_offset: u64) {
    for (i, ev) in events.iter().enumerate() {
        let loc = Loc::Event {
            byte: doc_offset,
            index: i as u64,
        };
        match &ev.message {
            Some(m) => sink.text(m, ev.timestamp, loc),
            None => sink.skip(SkipReason::NotARecord, loc, "event without a message"),
        }
    }
}

pub fn read(sink: &mut Sink<'_>, data: &[u8]) {
    let end = documents::each(data, |doc: EventsDoc, offset| {
        feed_events(sink, &doc.events, offset)
    });
    if let Some((reason, loc, detail)) = end {
        sink.skip(reason, loc, detail);
    }
}

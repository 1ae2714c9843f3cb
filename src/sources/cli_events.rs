//! `aws logs filter-log-events` / `get-log-events` output (formats.md §3): `events[].message` holds the record
//! as a JSON string. Users append pages to one file, so the input is a stream of such documents; pagination
//! tokens and unknown keys are ignored. Each event is read on its own: one of the wrong shape is one skip.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::documents::{self, epoch_ms_of};
use super::head::Head;
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};

pub struct CliEvents;

impl Source for CliEvents {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        let empty_page = || memchr::memmem::find(head.text, b"\"events\":[]").is_some();
        (head.is_object() && head.has_key("events") && (head.has_key("message") || empty_page()))
            .then_some("cli-log-events")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        read(sink, &data);
    }
}

#[derive(Deserialize)]
struct EventsDoc<'a> {
    #[serde(default, borrow)]
    events: Vec<&'a RawValue>,
}

/// One CloudWatch Logs event, as the CLI and Firehose both write it; fields are read leniently below.
#[derive(Deserialize)]
struct LogEvent<'a> {
    /// Epoch ms of the log event (a few seconds after the record's own timestamp).
    #[serde(default, borrow)]
    timestamp: Option<&'a RawValue>,
    #[serde(default, borrow)]
    message: Option<&'a RawValue>,
}

/// Feeds each event's message to the sink; `loc` of an event is the document's byte offset and its index.
pub fn feed_events(sink: &mut Sink<'_, '_>, events: &[&RawValue], doc_offset: u64) {
    for (i, raw) in events.iter().enumerate() {
        let loc = Loc::Event {
            byte: doc_offset,
            index: i as u64,
        };
        feed_event(sink, raw, loc);
    }
}

fn feed_event(sink: &mut Sink<'_, '_>, raw: &RawValue, loc: Loc) {
    let ev: LogEvent<'_> = match serde_json::from_str(raw.get()) {
        Ok(e) => e,
        Err(e) => return sink.skip(SkipReason::WrongType, loc, format!("event: {e}")),
    };
    // The event time is only the fallback for a record without its own: an unusable one is no reason to skip.
    let time = ev.timestamp.and_then(epoch_ms_of);
    let Some(message) = ev.message else {
        return sink.skip(SkipReason::NotARecord, loc, "event without a message");
    };
    let text = message.get();
    match text.as_bytes().first() {
        // The record written as an object rather than as a JSON string.
        Some(b'{') => sink.text(text, time, loc),
        Some(b'"') => match serde_json::from_str::<String>(text) {
            Ok(m) => sink.text(&m, time, loc),
            Err(e) => sink.skip(SkipReason::WrongType, loc, format!("message: {e}")),
        },
        _ if text == "null" => sink.skip(SkipReason::NotARecord, loc, "event with a null message"),
        Some(b'[') => sink.skip(
            SkipReason::WrongType,
            loc,
            "message is an array, not a string",
        ),
        _ => sink.skip(
            SkipReason::WrongType,
            loc,
            "message is a number or boolean, not a string",
        ),
    }
}

fn read(sink: &mut Sink<'_, '_>, data: &[u8]) {
    let end = documents::each(
        data,
        |doc: Result<EventsDoc<'_>, String>, offset| match doc {
            Ok(doc) => feed_events(sink, &doc.events, offset),
            Err(e) => sink.skip(SkipReason::WrongType, Loc::Byte(offset), e),
        },
    );
    if let Some((reason, loc, detail)) = end {
        sink.skip(reason, loc, detail);
    }
}

//! Subscription filter → Kinesis Data Firehose → S3 objects (formats.md §5): gzip (often several members)
//! holding `DATA_MESSAGE` documents concatenated with no separator. `CONTROL_MESSAGE` documents are health
//! checks: skipped and counted.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::cli_events::feed_events;
use super::documents;
use super::head::Head;
use super::open::Content;
use super::Source;
use crate::domain::aws::region_and_account;
use crate::frame::{Loc, Sink, SkipReason};

pub struct Firehose;

impl Source for Firehose {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        (head.is_object() && head.has_key("messageType") && head.has_key("logEvents"))
            .then_some("firehose")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        read(sink, &data);
    }
}

#[derive(Deserialize)]
struct FirehoseDoc<'a> {
    #[serde(rename = "messageType", default, borrow)]
    message_type: Option<&'a RawValue>,
    #[serde(rename = "logEvents", default, borrow)]
    log_events: Vec<&'a RawValue>,
    #[serde(rename = "logGroup", default)]
    log_group: Option<String>,
    #[serde(default)]
    owner: Option<String>,
}

fn read(sink: &mut Sink<'_, '_>, data: &[u8]) {
    let end = documents::each(
        data,
        |doc: Result<FirehoseDoc<'_>, String>, offset| match doc {
            Ok(doc)
                if doc
                    .message_type
                    .is_some_and(|t| t.get() == "\"CONTROL_MESSAGE\"") =>
            {
                sink.skip(SkipReason::ControlMessage, Loc::Byte(offset), "")
            }
            Ok(doc) => {
                // `sns/<region>/<account>/DirectPublishToPhoneNumber`: where these records were logged.
                let (region, account) = doc
                    .log_group
                    .as_deref()
                    .map_or((None, None), region_and_account);
                sink.set_context(region, account.or(doc.owner.as_deref()));
                feed_events(sink, &doc.log_events, offset)
            }
            Err(e) => sink.skip(SkipReason::WrongType, Loc::Byte(offset), e),
        },
    );
    if let Some((reason, loc, detail)) = end {
        sink.skip(reason, loc, detail);
    }
}

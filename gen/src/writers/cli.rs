//! AWS CLI output: `aws logs filter-log-events` and `get-log-events` JSON documents, and `aws logs tail`
//! lines (formats.md sections 3 and 4).

use serde::Serialize;

use crate::model::Rec;
use crate::rng::Rng;
use crate::spell::{push_tail_short_ts, push_tail_ts};
use crate::writers::event_id;
use crate::writers::record::{record_string, write_record};

#[derive(Serialize)]
pub(crate) struct FleEvent {
    #[serde(rename = "logStreamName", skip_serializing_if = "Option::is_none")]
    pub(crate) log_stream_name: Option<String>,
    pub(crate) timestamp: i64,
    pub(crate) message: String,
    #[serde(rename = "ingestionTime")]
    pub(crate) ingestion_time: i64,
    #[serde(rename = "eventId", skip_serializing_if = "Option::is_none")]
    pub(crate) event_id: Option<String>,
}

/// A record's CloudWatch ingestion time: a little after its event time.
fn ingestion_time(r: &Rec) -> i64 {
    r.event_time() + 40 + (r.id_lo % 450) as i64
}

/// A `filter-log-events` event of `stream`.
pub(crate) fn fle_event(r: &Rec, stream: &str) -> FleEvent {
    FleEvent {
        log_stream_name: Some(stream.to_string()),
        timestamp: r.event_time(),
        message: record_string(r),
        ingestion_time: ingestion_time(r),
        event_id: Some(event_id(r)),
    }
}

/// A `get-log-events` event (one stream: no stream name, no event id).
pub(crate) fn gle_event(r: &Rec) -> FleEvent {
    FleEvent {
        log_stream_name: None,
        timestamp: r.event_time(),
        message: record_string(r),
        ingestion_time: ingestion_time(r),
        event_id: None,
    }
}

#[derive(Serialize)]
pub(crate) struct SearchedStream {
    #[serde(rename = "logStreamName")]
    log_stream_name: String,
    #[serde(rename = "searchedCompletely")]
    searched_completely: bool,
}

#[derive(Serialize)]
pub(crate) struct SearchStatistics {
    #[serde(rename = "bytesScanned")]
    pub(crate) bytes_scanned: u64,
    #[serde(rename = "logEventsScanned")]
    pub(crate) log_events_scanned: u64,
}

#[derive(Serialize)]
pub(crate) struct FleDoc {
    pub(crate) events: Vec<FleEvent>,
    #[serde(rename = "searchedLogStreams")]
    pub(crate) searched_log_streams: Vec<SearchedStream>,
    #[serde(rename = "searchStatistics", skip_serializing_if = "Option::is_none")]
    pub(crate) search_statistics: Option<SearchStatistics>,
    #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
    pub(crate) next_token: Option<String>,
}

/// A plausible pagination token.
pub(crate) fn next_token(rng: &mut Rng) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::from("eyJuZXh0VG9rZW4iOiAi");
    for _ in 0..88 {
        s.push(B64[rng.below(64) as usize] as char);
    }
    s.push_str("In0=");
    s
}

#[derive(Serialize)]
pub(crate) struct GleDoc {
    pub(crate) events: Vec<FleEvent>,
    #[serde(rename = "nextForwardToken")]
    pub(crate) next_forward_token: String,
    #[serde(rename = "nextBackwardToken")]
    pub(crate) next_backward_token: String,
}

/// `aws logs tail` lines; `streams[i]` is the log stream of `recs[i]` (`None`: `--format short`).
pub(crate) fn tail_lines(recs: &[&Rec], streams: Option<&[String]>) -> Vec<u8> {
    let mut b = Vec::new();
    for (i, r) in recs.iter().enumerate() {
        match streams {
            None => push_tail_short_ts(&mut b, r.event_time()),
            Some(names) => {
                push_tail_ts(&mut b, r.event_time());
                b.push(b' ');
                b.extend_from_slice(names[i].as_bytes());
            }
        }
        b.push(b' ');
        write_record(&mut b, r);
        b.push(b'\n');
    }
    b
}

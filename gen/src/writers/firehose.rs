//! Subscription filter -> Kinesis Data Firehose -> S3 (formats.md section 6): CloudWatch Logs
//! `DATA_MESSAGE` documents (and the `CONTROL_MESSAGE` health check), compact, to be gzipped and
//! concatenated by the caller.

use std::io;

use serde::Serialize;

use crate::model::Rec;
use crate::model::REGIONS;
use crate::writers::record::record_string;
use crate::writers::{event_id, log_group_in, ACCOUNT};

#[derive(Serialize)]
struct FhEvent {
    id: String,
    timestamp: i64,
    message: String,
}

#[derive(Serialize)]
struct FhDoc {
    #[serde(rename = "messageType")]
    message_type: &'static str,
    owner: String,
    #[serde(rename = "logGroup")]
    log_group: String,
    #[serde(rename = "logStream")]
    log_stream: String,
    #[serde(rename = "subscriptionFilters")]
    subscription_filters: Vec<String>,
    #[serde(rename = "logEvents")]
    log_events: Vec<FhEvent>,
}

/// One compact DATA_MESSAGE document of `stream` (no trailing newline); the first record's status and
/// region pick the log group.
pub(crate) fn firehose_data(recs: &[&Rec], stream: &str) -> io::Result<Vec<u8>> {
    let success = recs.first().is_none_or(|r| r.success());
    let region = REGIONS[recs.first().map_or(0, |r| r.region as usize)];
    let doc = FhDoc {
        message_type: "DATA_MESSAGE",
        owner: ACCOUNT.to_string(),
        log_group: log_group_in(region, success),
        log_stream: stream.to_string(),
        subscription_filters: vec![if success {
            "smslens-delivery"
        } else {
            "smslens-delivery-failures"
        }
        .to_string()],
        log_events: recs
            .iter()
            .map(|r| FhEvent {
                id: event_id(r),
                timestamp: r.event_time(),
                message: record_string(r),
            })
            .collect(),
    };
    serde_json::to_vec(&doc).map_err(io::Error::other)
}

/// The health check CloudWatch Logs sends when a subscription starts (not logs).
pub(crate) fn firehose_control(ts: i64) -> io::Result<Vec<u8>> {
    let doc = FhDoc {
        message_type: "CONTROL_MESSAGE",
        owner: "CloudwatchLogs".to_string(),
        log_group: String::new(),
        log_stream: String::new(),
        subscription_filters: vec![],
        log_events: vec![FhEvent {
            id: String::new(),
            timestamp: ts,
            message: "CWL CONTROL MESSAGE: Checking health of destination Firehose.".to_string(),
        }],
    };
    serde_json::to_vec(&doc).map_err(io::Error::other)
}

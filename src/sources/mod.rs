//! Input files → the intake. One module per export shape, each a [`Source`] (how to recognise the shape
//! from the head of the decoded content, and how to read it), registered in [`SOURCES`]. Shapes are told
//! apart by content, never by file name; gzip is decoded whatever the name. Sources hand records, metric
//! series and settings to the frame stage's [`Sink`]; they know nothing of analysis.
//!
//! Adding a shape is one module here and one line in [`SOURCES`] (CONTRIBUTING.md walks through one).

pub mod cli_events;
pub mod concatenated;
pub mod csv;
pub mod dataset;
pub mod digest;
pub mod documents;
pub mod firehose;
pub mod firehose_http;
pub mod head;
pub mod insights_csv;
pub mod insights_json;
pub mod lines;
pub mod metric_csv;
pub mod metric_data;
pub mod metric_statistics;
pub mod metrics;
pub mod not_data;
pub mod open;
pub mod read;
pub mod sms_attributes;
pub mod spend_limits;
pub mod usage_report;
pub mod user_pool;
pub mod workers;
pub mod write_test;

use crate::frame::Sink;
use head::Head;
use open::Content;

/// One export shape.
pub trait Source: Sync {
    /// The shape's name (`inputs[].format`) if `head` is of this shape.
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str>;
    /// Reads the whole input into `sink`: every line or event is a record or a counted skip.
    fn read(&self, content: Content, sink: &mut Sink<'_, '_>);
}

/// Every shape, in the order they are tried: wrappers and documents by their own top-level keys first,
/// then line-shaped records (by a vote over lines), then CSVs by their header.
pub const SOURCES: &[&dyn Source] = &[
    &write_test::WriteTest,
    &firehose::Firehose,
    &firehose_http::FirehoseHttp,
    &cli_events::CliEvents,
    &insights_json::InsightsJson,
    &metric_data::MetricData,
    &metric_statistics::MetricStatistics,
    &sms_attributes::SmsAttributes,
    &user_pool::UserPoolSettings,
    &spend_limits::EumSpendLimits,
    &concatenated::Concatenated,
    &lines::Lines,
    &usage_report::UsageReport,
    &insights_csv::InsightsCsv,
    &metric_csv::MetricCsv,
];

/// The source for `head`, with the shape's name.
pub fn recognise(head: &Head<'_>) -> Option<(&'static dyn Source, &'static str)> {
    SOURCES
        .iter()
        .find_map(|s| s.sniff(head).map(|name| (*s, name)))
}

/// The name of an input no source recognises.
pub const UNRECOGNIZED: &str = "unrecognized";

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &[u8]) -> &'static str {
        recognise(&Head::new(text, true)).map_or(UNRECOGNIZED, |(_, n)| n)
    }

    #[test]
    fn every_shape_is_recognised_by_its_content() {
        assert_eq!(
            shape(br#"{"notification":{"messageId":"x"},"status":"SUCCESS"}"#),
            "delivery-records"
        );
        assert_eq!(
            shape(b"2026-03-01T00:00:05.120Z {\"notification\":{}}"),
            "cloudwatch-s3-export"
        );
        assert_eq!(
            shape(b"2026-03-01T00:00:05.120000+00:00 abc-123 {\"status\":1}"),
            "logs-tail"
        );
        assert_eq!(shape(b"2026-03-01T00:00:05 {\"status\":1}"), "logs-tail");
        assert_eq!(
            shape(br#"{"events":[{"logStreamName":"s","timestamp":1,"message":"{\"notification\":{}}"}]}"#),
            "cli-log-events"
        );
        assert_eq!(
            shape(br#"{"results":[[{"field":"@message","value":"{}"}]],"status":"Complete"}"#),
            "insights-json"
        );
        assert_eq!(
            shape(br#"{"messageType":"DATA_MESSAGE","logEvents":[]}"#),
            "firehose"
        );
        assert_eq!(
            shape(br#"{"Label":"SMSMonthToDateSpentUSD","Datapoints":[]}"#),
            "metric-statistics"
        );
        assert_eq!(
            shape(br#"{"MetricDataResults":[],"Messages":[]}"#),
            "metric-data"
        );
        assert_eq!(
            shape(br#"{"attributes":{"MonthlySpendLimit":"60"}}"#),
            "sms-attributes"
        );
        assert_eq!(shape(b"@timestamp,@message\n"), "insights-csv");
        assert_eq!(shape(b"Time,SMSMonthToDateSpentUSD\n1,2\n"), "metric-csv");
        assert_eq!(
            shape(b"Permission Check Successful"),
            "s3-export-write-test"
        );
        assert_eq!(shape(b"\x00\x01\x02"), UNRECOGNIZED);
        assert_eq!(
            shape(b"  \n"),
            "delivery-records",
            "an empty file has nothing to skip"
        );
    }

    const REC: &str = r#"{"notification":{"messageId":"m","timestamp":"2026-03-01 00:00:05.1"},"delivery":{"providerResponse":"Delivered","destination":"+16175550118"},"status":"SUCCESS"}"#;

    #[test]
    fn a_file_cut_mid_line_is_still_records() {
        let mut cut = String::from(
            r#"ryCarrier":"AT&T","providerResponse":"Delivered","mcc":310},"status":"SUCCESS"}"#,
        );
        for _ in 0..5 {
            cut.push('\n');
            cut.push_str(REC);
        }
        assert_eq!(shape(cut.as_bytes()), "delivery-records");
        // A head cut by its size: the last, partial line does not vote.
        let head = Head::new(&cut.as_bytes()[..cut.len() - 10], false);
        assert_eq!(recognise(&head).map(|r| r.1), Some("delivery-records"));
    }

    #[test]
    fn a_garbage_line_in_front_does_not_hide_the_records() {
        let text = format!("garbage\n{REC}\n{REC}\n");
        assert_eq!(shape(text.as_bytes()), "delivery-records");
        let export =
            format!("oops\n2026-03-01T00:00:05.120Z {REC}\n2026-03-01T00:00:06.120Z {REC}\n");
        assert_eq!(shape(export.as_bytes()), "cloudwatch-s3-export");
    }

    #[test]
    fn prose_quoting_a_record_is_not_records() {
        let readme = format!("# Notes\n\nSome text.\nMore text.\nAnd more.\n{REC}\nEnd.\n");
        assert_eq!(shape(readme.as_bytes()), UNRECOGNIZED);
    }

    #[test]
    fn csv_rows_holding_records_stay_csv() {
        let csv = "@timestamp,@message\n2026-03-01 00:00:05.120,\"{\"\"notification\"\":{},\"\"status\"\":\"\"SUCCESS\"\"}\"\n";
        assert_eq!(shape(csv.as_bytes()), "insights-csv");
    }
}

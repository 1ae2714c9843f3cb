//! Which export shape a file holds, from its first (decompressed) bytes.

use regex::bytes::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// One delivery record per line (formats.md §1).
    RecordLines,
    /// `<ISO time>Z <record>` lines from a CloudWatch Logs export to S3 (§2).
    CloudWatchExport,
    /// `aws logs tail` lines: `<time> <stream> <record>`, or `--format short` (§3).
    LogsTail,
    /// `aws logs filter-log-events` / `get-log-events` JSON documents (§3).
    CliEvents,
    /// Logs Insights `get-query-results` JSON (§4).
    InsightsJson,
    /// Logs Insights console CSV export (§4), with `@message` or flattened columns.
    InsightsCsv,
    /// Firehose/subscription objects: concatenated DATA_MESSAGE documents (§5).
    Firehose,
    /// `aws cloudwatch get-metric-statistics` (§6).
    MetricStatistics,
    /// `aws cloudwatch get-metric-data` (§6).
    MetricData,
    /// A CSV of metric values: a time column and one column per series (§6).
    MetricCsv,
    /// `aws sns get-sms-attributes` (§6).
    SmsAttributes,
    /// The `aws-logs-write-test` permission-check object of an S3 export (§2).
    WriteTest,
    Unrecognized,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::RecordLines => "delivery-records",
            Format::CloudWatchExport => "cloudwatch-s3-export",
            Format::LogsTail => "logs-tail",
            Format::CliEvents => "cli-log-events",
            Format::InsightsJson => "insights-json",
            Format::InsightsCsv => "insights-csv",
            Format::Firehose => "firehose",
            Format::MetricStatistics => "metric-statistics",
            Format::MetricData => "metric-data",
            Format::MetricCsv => "metric-csv",
            Format::SmsAttributes => "sms-attributes",
            Format::WriteTest => "s3-export-write-test",
            Format::Unrecognized => "unrecognized",
        }
    }

    /// Shapes read line by line (one record per line, maybe after a time prefix).
    pub fn is_line_shaped(self) -> bool {
        matches!(
            self,
            Format::RecordLines | Format::CloudWatchExport | Format::LogsTail
        )
    }

    /// Shapes holding delivery records (as opposed to metrics or settings).
    pub fn has_records(self) -> bool {
        matches!(
            self,
            Format::RecordLines
                | Format::CloudWatchExport
                | Format::LogsTail
                | Format::CliEvents
                | Format::InsightsJson
                | Format::InsightsCsv
                | Format::Firehose
        )
    }
}

fn export_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // `2026-03-01T00:00:05.120Z {` — the S3 export prefix is always UTC with `Z`.
    R.get_or_init(|| {
        Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \{").expect("valid regex")
    })
}

fn tail_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // `2026-03-01T00:00:05.120000+00:00 <stream> {` or `--format short`: `2026-03-01T00:00:05 {`.
    R.get_or_init(|| {
        Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)? (\S+ )?\{")
            .expect("valid regex")
    })
}

/// Does `hay` contain `"key"` followed by `:` (a JSON key at some depth, not inside an escaped string)?
fn has_key(hay: &[u8], key: &str) -> bool {
    let pat = format!("\"{key}\"");
    let finder = memchr::memmem::Finder::new(pat.as_bytes());
    finder.find_iter(hay).any(|i| {
        let before_ok = i == 0 || hay[i - 1] != b'\\';
        let after = hay[i + pat.len()..]
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        before_ok && after == Some(&b':')
    })
}

/// Detects the shape from the head of the decompressed content.
pub fn detect(head: &[u8]) -> Format {
    let text = trim_start(strip_bom(head));
    if text.is_empty() {
        return Format::RecordLines; // empty file: nothing to read, nothing to skip
    }
    if text.starts_with(b"Permission Check Successful") {
        return Format::WriteTest;
    }
    if text[0] == b'{' {
        // Order matters: wrappers are recognised by their own top-level keys before record keys.
        if has_key(text, "messageType") && has_key(text, "logEvents") {
            return Format::Firehose;
        }
        if has_key(text, "events")
            && (has_key(text, "message") || text.windows(11).any(|w| w == b"\"events\":[]"))
        {
            return Format::CliEvents;
        }
        if has_key(text, "results") && has_key(text, "field") {
            return Format::InsightsJson;
        }
        if has_key(text, "MetricDataResults") {
            return Format::MetricData;
        }
        if has_key(text, "Datapoints") {
            return Format::MetricStatistics;
        }
        if has_key(text, "attributes")
            && [
                "MonthlySpendLimit",
                "DefaultSMSType",
                "DeliveryStatusSuccessSamplingRate",
            ]
            .iter()
            .any(|k| has_key(text, k))
        {
            return Format::SmsAttributes;
        }
        if has_key(text, "notification") || has_key(text, "delivery") || has_key(text, "status") {
            return Format::RecordLines;
        }
        return Format::Unrecognized;
    }
    if export_line().is_match(text) {
        return Format::CloudWatchExport;
    }
    if tail_line().is_match(text) {
        return Format::LogsTail;
    }
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    if first_line.contains(&b',') {
        let header = String::from_utf8_lossy(first_line).to_ascii_lowercase();
        if header.contains("@message")
            || header.contains("providerresponse")
            || header.contains("delivery.")
            || header.contains("notification.")
        {
            return Format::InsightsCsv;
        }
        if header.contains("time")
            || header.contains("date")
            || header.contains("smsmonthtodatespentusd")
        {
            return Format::MetricCsv;
        }
    }
    Format::Unrecognized
}

pub fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

fn trim_start(b: &[u8]) -> &[u8] {
    let i = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(
            detect(br#"{"notification":{"messageId":"x"},"status":"SUCCESS"}"#),
            Format::RecordLines
        );
        assert_eq!(
            detect(b"2026-03-01T00:00:05.120Z {\"notification\":{}}"),
            Format::CloudWatchExport
        );
        assert_eq!(
            detect(b"2026-03-01T00:00:05.120000+00:00 abc-123 {\"status\":1}"),
            Format::LogsTail
        );
        assert_eq!(
            detect(b"2026-03-01T00:00:05 {\"status\":1}"),
            Format::LogsTail
        );
        assert_eq!(
            detect(br#"{"events":[{"logStreamName":"s","timestamp":1,"message":"{\"notification\":{}}"}]}"#),
            Format::CliEvents
        );
        assert_eq!(
            detect(br#"{"results":[[{"field":"@message","value":"{}"}]],"status":"Complete"}"#),
            Format::InsightsJson
        );
        assert_eq!(
            detect(br#"{"messageType":"DATA_MESSAGE","logEvents":[]}"#),
            Format::Firehose
        );
        assert_eq!(
            detect(br#"{"Label":"SMSMonthToDateSpentUSD","Datapoints":[]}"#),
            Format::MetricStatistics
        );
        assert_eq!(
            detect(br#"{"MetricDataResults":[],"Messages":[]}"#),
            Format::MetricData
        );
        assert_eq!(
            detect(br#"{"attributes":{"MonthlySpendLimit":"60"}}"#),
            Format::SmsAttributes
        );
        assert_eq!(detect(b"@timestamp,@message\n"), Format::InsightsCsv);
        assert_eq!(detect(b"Permission Check Successful"), Format::WriteTest);
        assert_eq!(detect(b"\x00\x01\x02"), Format::Unrecognized);
    }
}

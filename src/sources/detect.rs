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

/// Detects the shape from the head of the decompressed content; `whole` says the head is all of it (else
/// its last line may be cut). Line-shaped files are recognised by a vote over the head's lines, not by the
/// first line alone: a file cut mid-line (`tail -c`, `split -b`) or with a stray line in front is still
/// read, and what does not fit is counted line by line.
pub fn detect(head: &[u8], whole: bool) -> Format {
    let text = trim_start(strip_bom(head));
    if text.is_empty() {
        return Format::RecordLines; // empty file: nothing to read, nothing to skip
    }
    if text.starts_with(b"Permission Check Successful") {
        return Format::WriteTest;
    }
    if text[0] == b'{' {
        if let Some(f) = document_shape(text) {
            return f;
        }
    }
    if let Some(f) = line_shape(text, whole) {
        return f;
    }
    csv_shape(text).unwrap_or(Format::Unrecognized)
}

/// JSON documents recognised by their own top-level keys (wrappers before records).
fn document_shape(text: &[u8]) -> Option<Format> {
    if has_key(text, "messageType") && has_key(text, "logEvents") {
        return Some(Format::Firehose);
    }
    if has_key(text, "events")
        && (has_key(text, "message") || text.windows(11).any(|w| w == b"\"events\":[]"))
    {
        return Some(Format::CliEvents);
    }
    if has_key(text, "results") && has_key(text, "field") {
        return Some(Format::InsightsJson);
    }
    if has_key(text, "MetricDataResults") {
        return Some(Format::MetricData);
    }
    if has_key(text, "Datapoints") {
        return Some(Format::MetricStatistics);
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
        return Some(Format::SmsAttributes);
    }
    None
}

/// Share of a head's non-blank lines that must be records for the file to be read line by line (the rest
/// are then counted as skipped lines). Low enough that a damaged file of records is read, high enough that
/// prose quoting a record or two (a README) is not.
const MIN_RECORD_SHARE_PCT: usize = 25;

/// The line shape most of the head's record lines have, if records are a fair share of its lines.
fn line_shape(text: &[u8], whole: bool) -> Option<Format> {
    let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    if !whole && lines.len() > 1 {
        lines.pop(); // cut by the head's size
    }
    let mut votes = [0usize; 3];
    let mut other = 0usize;
    for line in lines {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        match line_kind(line) {
            Some(Format::RecordLines) => votes[0] += 1,
            Some(Format::CloudWatchExport) => votes[1] += 1,
            Some(_) => votes[2] += 1,
            None => other += 1,
        }
    }
    let records: usize = votes.iter().sum();
    if records == 0 || records * 100 < (records + other) * MIN_RECORD_SHARE_PCT {
        return None;
    }
    let best = (0..3).max_by_key(|&i| (votes[i], std::cmp::Reverse(i)))?;
    Some([Format::RecordLines, Format::CloudWatchExport, Format::LogsTail][best])
}

/// What one whole line is: a record, bare or after an export or `aws logs tail` prefix.
fn line_kind(line: &[u8]) -> Option<Format> {
    let open = memchr::memchr(b'{', line)?;
    let json = &line[open..];
    if !(has_key(json, "notification") || has_key(json, "delivery") || has_key(json, "status")) {
        return None;
    }
    if open == 0 {
        Some(Format::RecordLines)
    } else if export_line().is_match(line) {
        Some(Format::CloudWatchExport)
    } else if tail_line().is_match(line) {
        Some(Format::LogsTail)
    } else {
        None
    }
}

/// CSV exports, by their header row.
fn csv_shape(text: &[u8]) -> Option<Format> {
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    if !first_line.contains(&b',') {
        return None;
    }
    let header = String::from_utf8_lossy(first_line).to_ascii_lowercase();
    if header.contains("@message")
        || header.contains("providerresponse")
        || header.contains("delivery.")
        || header.contains("notification.")
    {
        return Some(Format::InsightsCsv);
    }
    if header.contains("time") || header.contains("date") || header.contains("smsmonthtodatespentusd")
    {
        return Some(Format::MetricCsv);
    }
    None
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
            detect(br#"{"notification":{"messageId":"x"},"status":"SUCCESS"}"#, true),
            Format::RecordLines
        );
        assert_eq!(
            detect(b"2026-03-01T00:00:05.120Z {\"notification\":{}}", true),
            Format::CloudWatchExport
        );
        assert_eq!(
            detect(b"2026-03-01T00:00:05.120000+00:00 abc-123 {\"status\":1}", true),
            Format::LogsTail
        );
        assert_eq!(
            detect(b"2026-03-01T00:00:05 {\"status\":1}", true),
            Format::LogsTail
        );
        assert_eq!(
            detect(br#"{"events":[{"logStreamName":"s","timestamp":1,"message":"{\"notification\":{}}"}]}"#, true),
            Format::CliEvents
        );
        assert_eq!(
            detect(br#"{"results":[[{"field":"@message","value":"{}"}]],"status":"Complete"}"#, true),
            Format::InsightsJson
        );
        assert_eq!(
            detect(br#"{"messageType":"DATA_MESSAGE","logEvents":[]}"#, true),
            Format::Firehose
        );
        assert_eq!(
            detect(br#"{"Label":"SMSMonthToDateSpentUSD","Datapoints":[]}"#, true),
            Format::MetricStatistics
        );
        assert_eq!(
            detect(br#"{"MetricDataResults":[],"Messages":[]}"#, true),
            Format::MetricData
        );
        assert_eq!(
            detect(br#"{"attributes":{"MonthlySpendLimit":"60"}}"#, true),
            Format::SmsAttributes
        );
        assert_eq!(detect(b"@timestamp,@message\n", true), Format::InsightsCsv);
        assert_eq!(detect(b"Permission Check Successful", true), Format::WriteTest);
        assert_eq!(detect(b"\x00\x01\x02", true), Format::Unrecognized);
    }

    const REC: &str = r#"{"notification":{"messageId":"m","timestamp":"2026-03-01 00:00:05.1"},"delivery":{"providerResponse":"Delivered","destination":"+16175550118"},"status":"SUCCESS"}"#;

    #[test]
    fn a_file_cut_mid_line_is_still_records() {
        let mut cut = String::from(r#"ryCarrier":"AT&T","providerResponse":"Delivered","mcc":310},"status":"SUCCESS"}"#);
        for _ in 0..5 {
            cut.push('\n');
            cut.push_str(REC);
        }
        assert_eq!(detect(cut.as_bytes(), true), Format::RecordLines);
        // A head cut by its size: the last, partial line does not vote.
        assert_eq!(detect(&cut.as_bytes()[..cut.len() - 10], false), Format::RecordLines);
    }

    #[test]
    fn a_garbage_line_in_front_does_not_hide_the_records() {
        let text = format!("garbage\n{REC}\n{REC}\n");
        assert_eq!(detect(text.as_bytes(), true), Format::RecordLines);
        let export = format!("oops\n2026-03-01T00:00:05.120Z {REC}\n2026-03-01T00:00:06.120Z {REC}\n");
        assert_eq!(detect(export.as_bytes(), true), Format::CloudWatchExport);
    }

    #[test]
    fn prose_quoting_a_record_is_not_records() {
        let readme = format!("# Notes\n\nSome text.\nMore text.\nAnd more.\n{REC}\nEnd.\n");
        assert_eq!(detect(readme.as_bytes(), true), Format::Unrecognized);
    }

    #[test]
    fn csv_rows_holding_records_stay_csv() {
        let csv = "@timestamp,@message\n2026-03-01 00:00:05.120,\"{\"\"notification\"\":{},\"\"status\"\":\"\"SUCCESS\"\"}\"\n";
        assert_eq!(detect(csv.as_bytes(), true), Format::InsightsCsv);
    }
}

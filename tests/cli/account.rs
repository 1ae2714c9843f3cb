//! The account's other records (formats.md §7.3–7.4): SNS daily usage reports (one row per part, matched to
//! the delivery logs), Cognito's own error log, and the settings that say how and where a pool sends.

use serde_json::{json, Value};

use crate::support::*;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, data).unwrap();
    e.finish().unwrap()
}

/// An SNS delivery-status record with no price and no part count (as logs before 2021 were).
fn sns(id: &str, time: &str, response: &str, status: &str) -> String {
    json!({"notification": {"messageId": id, "timestamp": time},
        "delivery": {"destination": "+16175550118", "smsType": "Promotional", "providerResponse": response},
        "status": status})
    .to_string()
}

const HEADER: &str = "PublishTimeUTC,MessageId,DestinationPhoneNumber,MessageType,DeliveryStatus,PriceInUSD,PartNumber,TotalParts";

#[test]
fn a_message_in_a_usage_report_and_a_log_counts_once_and_the_report_supplies_price_and_parts() {
    let d = tempdir();
    let (a, b, c) = (
        "96a298ac-1458-4825-a7eb-7330e0720b72",
        "96a298ac-1458-4825-a7eb-7330e0720b73",
        "96a298ac-1458-4825-a7eb-7330e0720b74",
    );
    let logs = [
        sns(
            a,
            "2026-03-10 03:00:29.476",
            "Message has been accepted by phone carrier",
            "SUCCESS",
        ),
        sns(
            b,
            "2026-03-10 04:00:00.001",
            "Phone carrier has blocked this message",
            "FAILURE",
        ),
    ];
    write(
        d.path(),
        "logs/bare.jsonl",
        (logs.join("\n") + "\n").as_bytes(),
    );
    // a: two parts; b: in the log and the report; c: only in the report. Six fraction digits on one row,
    // a repeated part from an overlapping report, numbers without `+`.
    let report = format!(
        "{HEADER}\n\
         2026-03-10T03:00:29.476Z,{a},16175550118,Promotional,Message has been accepted by phone carrier,0.90084,1,2\n\
         2026-03-10T03:00:29.476000Z,{a},16175550118,Promotional,Message has been accepted by phone carrier,0.90084,2,2\n\
         2026-03-10T04:00:00.001Z,{b},16175550118,Promotional,Phone carrier has blocked this message,0.00645,1,1\n\
         2026-03-10T04:00:00.001Z,{b},16175550118,Promotional,Phone carrier has blocked this message,0.00645,1,1\n\
         2026-03-10T05:00:00.000Z,{c},447700900123,Transactional,Message has been accepted by phone carrier,0.0400,0,1\n"
    );
    write(
        d.path(),
        "SMSUsageReports/us-east-1/2026/03/10/001.csv.gz",
        &gz(report.as_bytes()),
    );
    let v = summary(&[d.path().to_str().unwrap()]);
    assert_eq!(
        u(&v, "events"),
        3,
        "a and b once, c from the report: {}",
        v["skipped_by_reason"]
    );
    assert_eq!(u(&v, "delivered"), 2);
    assert!(
        (f(&v, "spend_usd") - (2.0 * 0.90084 + 0.00645 + 0.04)).abs() < 1e-9,
        "{}",
        v["spend_usd"]
    );
    assert_eq!(u(&v, "message_parts"), 4, "2 + 1 + 1");
    let by = |s: &str| {
        v["figures_by_source"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["source"] == s)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(by("sns-delivery-log")["messages"], 2);
    assert_eq!(by("sns-usage-report")["messages"], 1);
    assert!(
        (by("sns-usage-report")["spend_usd"].as_f64().unwrap() - 1.84813).abs() < 1e-9,
        "all the spend came from the report"
    );
    assert_eq!(by("sns-usage-report")["message_parts"], 4);
    assert_eq!(u(&v, "duplicates"), 1, "the repeated part");
    assert!(
        v["by_country"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["country"] == "GB"),
        "c's number, given without +"
    );
    assert!(
        v["by_region"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["region"] == "us-east-1"),
        "from the report's path"
    );
}

#[test]
fn cognito_could_not_send_errors_are_their_own_table() {
    let d = tempdir();
    let log = |ms: u64, details: &str| {
        format!(
            "2026-03-01T00:00:05.120Z {}\n",
            json!({"eventTimestamp": ms.to_string(), "eventSource": "USER_NOTIFICATION", "logLevel": "ERROR",
                "message": {"details": details}, "logSourceId": {"userPoolId": "us-east-1_EXAMPLE"}})
        )
    };
    let body = log(1_772_323_205_120, "SNS configuration error: Rate exceeded")
        + &log(
            1_772_323_305_120,
            "Could not send SMS to +14155550102: User pool is in the SMS sandbox",
        );
    write(
        d.path(),
        "cognito/exportedlogs/t/s/000000.gz",
        &gz(body.as_bytes()),
    );
    let v = summary(&[d.path().to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 0, "no delivery records");
    let rows = v["cognito_errors"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["user_pool_id"], "us-east-1_EXAMPLE");
    assert_eq!(rows[0]["time"], "2026-03-01T00:00:05.120Z");
    assert!(
        rows[1]["details"]
            .as_str()
            .unwrap()
            .contains("+1415•••0102"),
        "masked: {}",
        rows[1]["details"]
    );
    let table = run(&["summary", d.path().to_str().unwrap()]);
    assert!(
        stdout(&table).contains("Texts Cognito could not hand over"),
        "{}",
        stdout(&table)
    );
    assert!(!stdout(&table).contains("+14155550102"));
}

#[test]
fn the_limit_of_the_path_the_pool_sends_through_applies_and_the_choice_is_said() {
    let d = tempdir();
    let (records, _) = generated_records(d.path(), "logs/r.jsonl", 200, 81);
    let settings = d.path().join("settings");
    write(
        &settings,
        "sms-attributes.json",
        br#"{"attributes":{"MonthlySpendLimit":"60","DeliveryStatusSuccessSamplingRate":"100"}}"#,
    );
    write(&settings, "spend-limits.json", br#"{"SpendLimits":[{"Name":"TEXT_MESSAGE_MONTHLY_SPEND_LIMIT","EnforcedLimit":250,"MaxLimit":1000,"Overridden":true},{"Name":"VOICE_MESSAGE_MONTHLY_SPEND_LIMIT","EnforcedLimit":5,"MaxLimit":5,"Overridden":false}]}"#);
    let args = [records.to_str().unwrap(), settings.to_str().unwrap()];
    let v = summary(&args);
    assert_eq!(v["spend_limit_usd"], 60.0, "SNS records: the SNS limit");
    assert!(
        v["spend_limit_note"].as_str().unwrap().contains("250"),
        "{}",
        v["spend_limit_note"]
    );
    write(&settings, "user-pool.json", br#"{"UserPool":{"Id":"us-east-1_EXAMPLE","Arn":"arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_EXAMPLE","MfaConfiguration":"ON","SmsConfiguration":{"EumsSms":{"CallerArn":"arn:aws:iam::111122223333:role/sms","ConfigurationSetName":"otp"}}}}"#);
    let v = summary(&args);
    assert_eq!(
        v["spend_limit_usd"], 250.0,
        "the pool sends through End User Messaging: EnforcedLimit"
    );
    assert!(v["spend_limit_note"]
        .as_str()
        .unwrap()
        .contains("describe-user-pool"));
    let inputs = v["inputs"].as_array().unwrap();
    for format in ["cognito-user-pool", "eum-spend-limits", "sms-attributes"] {
        assert!(inputs.iter().any(|i| i["format"] == format), "{format}");
    }
}

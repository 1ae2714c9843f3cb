//! One schema for every source: End User Messaging and Pinpoint events, SNS delivery logs and SNS usage
//! reports exported together read back as the raw inputs do, through smslens and through the shipped SQL.

use std::path::Path;

use serde_json::{json, Value};

use crate::dataset::{assert_same, export, summary_text, without_inputs};
use crate::dataset_privacy::parquet_strings;
use crate::dataset_sql::{agrees, duckdb};
use crate::support::*;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, data).unwrap();
    e.finish().unwrap()
}

fn ndjson(events: &[Value]) -> String {
    events.iter().map(|e| e.to_string() + "\n").collect()
}

/// End User Messaging events (formats.md §7.1): `n` messages from `minute`, each with a non-final event
/// before its final one; every third is blocked by the carrier, every fifth never gets a final event.
fn eum(n: i64, minute: i64) -> Vec<Value> {
    let mut out = Vec::new();
    for m in minute..minute + n {
        let request = 1_772_323_200_000i64 + m * 60_000;
        let (kind, text) = if m % 3 == 0 {
            (
                "TEXT_CARRIER_BLOCKED",
                "Phone carrier has blocked this message",
            )
        } else {
            (
                "TEXT_DELIVERED",
                "Message has been accepted by phone carrier",
            )
        };
        let event = |kind: &str, text: &str, is_final: bool| {
            json!({"eventType": kind, "eventVersion": "1.0", "eventTimestamp": request + 2_000,
                "isFinal": is_final, "originationPhoneNumber": "+12065550152",
                "destinationPhoneNumber": format!("+1425555{:04}", m % 37), "isoCountryCode": "US",
                "mcc": "310", "mnc": "260", "carrierName": "T-Mobile USA Inc.",
                "messageId": format!("862a8790-60c0-4430-9b2b-{m:012x}"), "messageRequestTimestamp": request,
                "messageType": "TRANSACTIONAL", "messageStatus": kind.trim_start_matches("TEXT_"),
                "messageStatusDescription": text, "totalMessageParts": 1 + m % 2,
                "totalMessagePrice": 0.00581, "totalCarrierFee": 0.00302})
        };
        out.push(event("TEXT_SUCCESSFUL", "Message is pending", false));
        if m % 5 != 0 {
            out.push(event(kind, text, true));
        }
    }
    out
}

/// Legacy Pinpoint SMS events (formats.md §7.2), delivered, over the price limit or opted out.
fn pinpoint(n: u64) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let (kind, status) = match i % 4 {
                0 => ("_SMS.FAILURE", "MAX_PRICE_EXCEEDED"),
                1 => ("_SMS.OPTOUT", "OPTED_OUT"),
                _ => ("_SMS.SUCCESS", "DELIVERED"),
            };
            json!({"event_type": kind, "event_timestamp": 1_553_104_954_322u64 + i * 61_000,
                "arrival_timestamp": 1_553_104_954_064u64 + i * 61_000, "event_version": "3.1",
                "application": {"app_id": "a1b2", "sdk": {}}, "client": {"client_id": "123456789012"},
                "attributes": {"origination_phone_number": "+12065550142",
                    "destination_phone_number": format!("+4477009{:05}", i % 23), "record_status": status,
                    "iso_country_code": "GB", "number_of_message_parts": "1",
                    "message_id": format!("1111-2222-{i:04}"), "message_type": "Transactional"},
                "metrics": {"price_in_millicents_usd": if status == "DELIVERED" { 3_950.0 } else { 0.0 }},
                "awsAccountId": "123456789012"})
        })
        .collect()
}

/// SNS delivery logs without price or parts and a usage report that supplies them (formats.md §7.3), with
/// messages only the report has.
fn sns_and_usage(dir: &Path, n: usize) {
    let id = |i: usize| format!("96a298ac-1458-4825-a7eb-{i:012x}");
    let mut logs = String::new();
    let mut report = String::from(
        "PublishTimeUTC,MessageId,DestinationPhoneNumber,MessageType,DeliveryStatus,PriceInUSD,PartNumber,TotalParts\n",
    );
    for i in 0..n {
        let (status, response) = if i % 7 == 3 {
            ("FAILURE", "Phone carrier has blocked this message")
        } else {
            ("SUCCESS", "Message has been accepted by phone carrier")
        };
        let (h, m) = (i / 60 % 24, i % 60);
        if i % 4 != 0 {
            logs += &json!({"notification": {"messageId": id(i),
                "timestamp": format!("2026-03-10 {h:02}:{m:02}:29.476")},
                "delivery": {"destination": format!("+1617555{:04}", i % 41), "smsType": "Promotional",
                    "providerResponse": response}, "status": status})
            .to_string();
            logs.push('\n');
        }
        let parts = 1 + i % 3;
        for part in 1..=parts {
            report += &format!(
                "2026-03-10T{h:02}:{m:02}:29.476Z,{},1617555{:04},Promotional,{response},0.00645,{part},{parts}\n",
                id(i),
                i % 41
            );
        }
    }
    write(dir, "logs/us-east-1/bare.jsonl", logs.as_bytes());
    write(
        dir,
        "SMSUsageReports/us-east-1/2026/03/10/001.csv.gz",
        &gz(report.as_bytes()),
    );
}

#[test]
fn every_source_kind_exports_into_one_schema_and_reads_back_as_the_raw_inputs() {
    for (n, seed) in [(40usize, 0i64), (173, 11)] {
        let d = tempdir();
        let raw = d.path().join("raw");
        write(
            &raw,
            "eum/events.jsonl",
            ndjson(&eum(n as i64, seed)).as_bytes(),
        );
        write(
            &raw,
            "pinpoint.jsonl",
            ndjson(&pinpoint(n as u64 / 2)).as_bytes(),
        );
        sns_and_usage(&raw.join("account"), n);
        let raw = raw.to_str().unwrap();
        let want = summary_text(&[raw]);
        let v: Value = serde_json::from_str(&want).unwrap();
        let sources: Vec<&str> = v["by_source"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["source"].as_str().unwrap())
            .collect();
        for s in [
            "end-user-messaging",
            "pinpoint",
            "sns-delivery-log",
            "sns-usage-report",
        ] {
            assert!(sources.contains(&s), "{s} in {sources:?}");
        }
        assert!(u(&v, "no_final_outcome") > 0 && u(&v, "message_parts") > 0);

        let ds = d.path().join("ds");
        export(&[raw], &ds, &[]);
        let have = summary_text(&[ds.to_str().unwrap()]);
        assert_same(&without_inputs(&have), &without_inputs(&want));
        agrees(&duckdb(&ds), &v, None);
        // The events' own numbers (destination and origination) are not in the dataset.
        let strings = parquet_strings(&ds);
        for (c, v) in &strings {
            assert_eq!(&smslens::domain::mask::mask_numbers_in(v), v, "{c}");
        }
        assert!(strings
            .iter()
            .any(|(c, v)| c == "origination_identity" && v == "+1206•••0152"));
    }
}

//! End User Messaging SMS events and legacy Pinpoint events (formats.md §7.1, §7.2) are read in every
//! container shape that holds them, a message counted once with its final outcome.

use std::path::Path;

use serde_json::{json, Value};

use crate::support::*;

/// An End User Messaging event as the documented example spells it.
fn event(id: &str, event_type: &str, is_final: bool, minute: i64) -> Value {
    let request = 1_772_323_200_000i64 + minute * 60_000;
    json!({"eventType": event_type, "eventVersion": "1.0", "eventTimestamp": request + 2_000,
        "isFinal": is_final, "originationPhoneNumber": "+12065550152",
        "destinationPhoneNumber": format!("+1425555{:04}", minute % 10_000), "isInternationalSend": false,
        "isoCountryCode": "US", "mcc": "310", "mnc": "800", "carrierName": "T-Mobile USA Inc.",
        "messageId": id, "messageRequestTimestamp": request, "messageEncoding": "GSM",
        "messageType": "TRANSACTIONAL", "messageStatus": event_type.trim_start_matches("TEXT_"),
        "messageStatusDescription": description(event_type), "context": {"account": "bar"},
        "totalMessageParts": 1, "totalMessagePrice": 0.00581, "totalCarrierFee": 0.00302})
}

fn description(event_type: &str) -> &'static str {
    match event_type {
        "TEXT_DELIVERED" | "TEXT_SUCCESSFUL" => "Message has been accepted by phone carrier",
        "TEXT_CARRIER_BLOCKED" => "Phone carrier has blocked this message",
        "TEXT_TTL_EXPIRED" => "The delivery TTL has expired",
        _ => "Message is pending",
    }
}

fn id(n: u32) -> String {
    format!("862a8790-60c0-4430-9b2b-{n:012x}")
}

/// A month's story of five messages: one delivered after a non-final event, one still pending, one carrier
/// block, one TTL expiry, and a voice event of another channel.
fn story() -> Vec<Value> {
    vec![
        event(&id(1), "TEXT_SUCCESSFUL", false, 1),
        event(&id(1), "TEXT_DELIVERED", true, 1),
        event(&id(2), "TEXT_PENDING", false, 2),
        event(&id(3), "TEXT_CARRIER_BLOCKED", true, 3),
        event(&id(4), "TEXT_TTL_EXPIRED", true, 4),
        json!({"eventType": "VOICE_ANSWERED", "isFinal": true, "messageId": id(5),
            "eventTimestamp": 1_772_323_500_000i64}),
    ]
}

/// What every shape holding the story must give.
fn assert_story(v: &Value, what: &str) {
    assert_eq!(u(v, "events"), 3, "{what}: {}", v["skipped_by_reason"]);
    assert_eq!((u(v, "delivered"), u(v, "failed")), (1, 2), "{what}");
    assert_eq!(u(v, "no_final_outcome"), 1, "{what}: the pending message");
    assert_eq!(v["skipped_by_reason"]["not an SMS event"], 1, "{what}");
    assert_eq!(u(v, "malformed"), 0, "{what}");
    assert!(
        (f(v, "spend_usd") - 3.0 * 0.00883).abs() < 1e-9,
        "{what}: price + carrier fee, {}",
        v["spend_usd"]
    );
    assert_eq!(row(v, "by_country", "country", "US")["events"], 3, "{what}");
    assert_eq!(
        row(v, "by_carrier", "carrier", "T-Mobile USA Inc.")["events"],
        3,
        "{what}"
    );
    assert_eq!(
        response_count(v, "The delivery TTL has expired"),
        1,
        "{what}"
    );
    let classes: Vec<&str> = v["by_provider_response"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["class"].as_str().unwrap())
        .collect();
    assert!(
        classes.contains(&"ttl_expired") && classes.contains(&"carrier_blocked"),
        "{what}: {classes:?}"
    );
    assert_eq!(v["by_source"][0]["source"], "end-user-messaging", "{what}");
}

fn ndjson(events: &[Value]) -> String {
    events.iter().map(|e| e.to_string() + "\n").collect()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, data).unwrap();
    e.finish().unwrap()
}

fn run_on(dir: &Path, name: &str, body: &[u8]) -> Value {
    let p = write(dir, name, body);
    summary(&[p.to_str().unwrap()])
}

#[test]
fn a_message_counts_once_with_its_final_outcome_in_every_bare_and_logs_shape() {
    let d = tempdir();
    let events = story();
    // Bare NDJSON, in any order of events (the final one first too).
    assert_story(
        &run_on(d.path(), "bare.jsonl", ndjson(&events).as_bytes()),
        "bare",
    );
    let mut reversed = events.clone();
    reversed.reverse();
    assert_story(
        &run_on(d.path(), "reversed.jsonl", ndjson(&reversed).as_bytes()),
        "reversed",
    );
    // A CloudWatch Logs destination: export-to-S3 lines, `aws logs tail`, filter-log-events, Insights.
    let export: String = events
        .iter()
        .map(|e| format!("2026-03-01T00:00:05.120Z {e}\n"))
        .collect();
    assert_story(
        &run_on(
            d.path(),
            "exportedlogs/t/s/000000.gz",
            &gz(export.as_bytes()),
        ),
        "export",
    );
    let tail: String = events
        .iter()
        .map(|e| format!("2026-03-01T00:00:05.120000+00:00 stream-1 {e}\n"))
        .collect();
    assert_story(&run_on(d.path(), "tail.txt", tail.as_bytes()), "tail");
    let fle = json!({"events": events.iter().enumerate().map(|(i, e)| json!({"logStreamName": "s",
        "timestamp": 1_772_323_205_120u64 + i as u64, "message": e.to_string(), "eventId": format!("{i}")}))
        .collect::<Vec<_>>()});
    assert_story(
        &run_on(d.path(), "fle.json", fle.to_string().as_bytes()),
        "filter-log-events",
    );
    let insights = json!({"results": events.iter().map(|e| json!([{"field": "@timestamp",
        "value": "2026-03-01 00:00:05.120"}, {"field": "@message", "value": e.to_string()}]))
        .collect::<Vec<_>>(), "status": "Complete"});
    assert_story(
        &run_on(d.path(), "insights.json", insights.to_string().as_bytes()),
        "insights",
    );
}

#[test]
fn every_envelope_and_firehose_shape_gives_the_same_story() {
    let d = tempdir();
    let events = story();
    // EventBridge: region and account from the envelope.
    let eb: String = events
        .iter()
        .map(|e| {
            json!({"version": "0", "id": "x", "detail-type": "Text Message Delivery Status Updated",
                "source": "aws.sms-voice", "account": "111122223333", "time": "2026-03-01T00:05:00Z",
                "region": "eu-west-1", "resources": [], "detail": e})
            .to_string()
                + "\n"
        })
        .collect();
    let v = run_on(d.path(), "eventbridge.jsonl", eb.as_bytes());
    assert_story(&v, "eventbridge");
    assert_eq!(v["by_region"][0]["region"], "eu-west-1");
    assert_eq!(v["by_region"][0]["account"], "111122223333");
    // An SNS topic destination saved from SQS: the event as a JSON string, the topic ARN naming where.
    let sns: String = events
        .iter()
        .map(|e| {
            json!({"Type": "Notification", "MessageId": "m", "TopicArn":
                "arn:aws:sns:ap-south-1:444455556666:sms-events", "Message": e.to_string(),
                "Timestamp": "2026-03-01T00:05:00.000Z"})
            .to_string()
                + "\n"
        })
        .collect();
    let v = run_on(d.path(), "sns-topic.jsonl", sns.as_bytes());
    assert_story(&v, "sns notification");
    assert_eq!(v["by_region"][0]["region"], "ap-south-1");
    // Firehose to S3: NDJSON and concatenated objects, gzip, no extension.
    assert_story(
        &run_on(
            d.path(),
            "fh/2026/03/01/00/ndjson",
            &gz(ndjson(&events).as_bytes()),
        ),
        "firehose ndjson",
    );
    let concat: String = events.iter().map(Value::to_string).collect();
    assert_story(
        &run_on(d.path(), "fh/2026/03/01/00/concat", &gz(concat.as_bytes())),
        "firehose concatenated",
    );
    // Firehose to an HTTP endpoint: base64 records in the request body.
    use base64::Engine;
    let b64 = |e: &Value| base64::engine::general_purpose::STANDARD.encode(e.to_string());
    let body = json!({"requestId": "ed4acda5-034f-9f42-bba1-f29aea6d7d8f", "timestamp": 1_772_323_500_000u64,
        "records": events.iter().map(|e| json!({"data": b64(e)})).collect::<Vec<_>>()});
    assert_story(
        &run_on(d.path(), "http-body.json", body.to_string().as_bytes()),
        "firehose http",
    );
    // Base64 lines, as a Kinesis consumer writes them.
    let lines: String = events.iter().map(|e| b64(e) + "\n").collect();
    assert_story(
        &run_on(d.path(), "kinesis.txt", lines.as_bytes()),
        "base64 lines",
    );
}

#[test]
fn numbers_as_strings_and_strings_as_numbers_are_read_alike() {
    let d = tempdir();
    let mut e = event(&id(9), "TEXT_DELIVERED", true, 9);
    e["mcc"] = json!(310);
    e["mnc"] = json!("05");
    e["totalMessagePrice"] = json!("0.00581");
    e["messageRequestTimestamp"] = json!("1772323740000");
    e["isFinal"] = json!("true");
    let v = run_on(d.path(), "odd.jsonl", (e.to_string() + "\n").as_bytes());
    assert_eq!(u(&v, "events"), 1, "{}", v["skipped_by_reason"]);
    assert!((f(&v, "spend_usd") - 0.00883).abs() < 1e-9);
    assert_eq!(v["first_event"], "2026-03-01T00:09:00.000Z");
}

#[test]
fn legacy_pinpoint_events_bare_and_in_kinesis_records() {
    let d = tempdir();
    let pp = |id: &str, event_type: &str, status: &str, millicents: f64| {
        json!({"event_type": event_type, "event_timestamp": 1_553_104_954_322u64,
            "arrival_timestamp": 1_553_104_954_064u64, "event_version": "3.1",
            "application": {"app_id": "a1b2", "sdk": {}}, "client": {"client_id": "123456789012"},
            "device": {"platform": {}}, "session": {},
            "attributes": {"sender_request_id": "565d", "origination_phone_number": "+12065550142",
                "destination_phone_number": "+14255550199", "record_status": status,
                "iso_country_code": "US", "treatment_id": "0", "number_of_message_parts": "1",
                "message_id": id, "message_type": "Transactional", "campaign_id": "52dc"},
            "metrics": {"price_in_millicents_usd": millicents}, "awsAccountId": "123456789012"})
    };
    let events = [
        pp("1111-2222-3333", "_SMS.SUCCESS", "DELIVERED", 645.0),
        pp("1111-2222-4444", "_SMS.BUFFERED", "PENDING", 0.0),
        pp("1111-2222-5555", "_SMS.FAILURE", "MAX_PRICE_EXCEEDED", 0.0),
        pp("1111-2222-6666", "_SMS.OPTOUT", "OPTED_OUT", 0.0),
    ];
    let check = |v: &Value, what: &str| {
        assert_eq!(u(v, "events"), 3, "{what}: {}", v["skipped_by_reason"]);
        assert_eq!(u(v, "delivered"), 1, "{what}");
        assert_eq!(u(v, "no_final_outcome"), 1, "{what}");
        assert!(
            (f(v, "spend_usd") - 0.00645).abs() < 1e-9,
            "{what}: millicents"
        );
        assert_eq!(v["by_source"][0]["source"], "pinpoint", "{what}");
        assert_eq!(v["by_region"][0]["account"], "123456789012", "{what}");
        let classes: Vec<&str> = v["by_provider_response"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["class"].as_str().unwrap())
            .collect();
        assert!(
            classes.contains(&"max_price") && classes.contains(&"opted_out"),
            "{what}: {classes:?}"
        );
    };
    check(
        &run_on(d.path(), "pinpoint.jsonl", ndjson(&events).as_bytes()),
        "bare",
    );
    use base64::Engine;
    let records = json!({"Records": events.iter().map(|e| json!({"SequenceNumber": "1",
        "ApproximateArrivalTimestamp": 1_553_104_954.0, "PartitionKey": "k",
        "Data": base64::engine::general_purpose::STANDARD.encode(e.to_string())})).collect::<Vec<_>>(),
        "NextShardIterator": "AAAA"});
    check(
        &run_on(d.path(), "get-records.json", records.to_string().as_bytes()),
        "kinesis get-records",
    );
}

#[test]
fn damaged_events_are_skipped_with_their_place_and_strict_fails() {
    let d = tempdir();
    let mut text = ndjson(&story());
    text.push_str("{\"eventType\":\"TEXT_DELIVERED\",\"isFinal\":\"maybe\",\"messageId\":\"x\"}\n");
    text.push_str("{\"eventType\":\"TEXT_DELIVERED\",\"totalMessagePrice\":-3,\"messageId\":\"y\",\"eventTimestamp\":1772323200000}\n");
    let p = write(d.path(), "damaged.jsonl", text.as_bytes());
    let o = run(&["summary", "--strict", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("damaged.jsonl: line 7: wrong field type"),
        "{err}"
    );
    assert!(
        err.contains("damaged.jsonl: line 8: value out of range"),
        "{err}"
    );
}

//! End User Messaging SMS events (formats.md §7.1) as a configuration set's destinations write them: the
//! event itself (compact JSON, the documented key order, `mcc`/`mnc` as strings with their leading zeros),
//! in an EventBridge envelope, in an SNS topic's notification (the event as a JSON string), and in gzip
//! Firehose objects (NDJSON or concatenated) under `YYYY/MM/DD/HH/`. Bytes are pushed by hand, as for
//! the SNS records: a benchmark is millions of events.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use chrono::{Datelike, Timelike};

use crate::model::events::{Event, Item, ProtectStatus, K_PROTECT_BLOCKED, K_QUEUED};
use crate::model::population::push_destination;
use crate::model::{Net, COUNTRIES};
use crate::rng::mix64;
use crate::spell::{
    push_date_time, push_iso_ms_z, push_padded, push_price, push_u64, push_uuid, utc,
};
use crate::writers::gz_writer;

/// Where the events were published: the account and region envelopes and ARNs name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Origin {
    pub(crate) account: &'static str,
    pub(crate) region: &'static str,
    /// The protect configuration's id (`protectConfiguration.protectConfigurationId`).
    pub(crate) protect_id: &'static str,
}

/// The shapes of a file of events, one a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EumShape {
    /// The events themselves (a Firehose object with newline delimiters, or a consumer's dump).
    Bare,
    /// EventBridge events (`detail-type: Text Message Delivery Status Updated`), saved by a rule's target.
    EventBridge,
    /// An SNS topic destination's notifications, as an SQS queue or an HTTP subscriber receives them.
    SnsNotification,
}

/// The origination identity of texts to a country, and whether that is an international send: a US
/// toll-free number for the +1 countries, registered sender IDs where they are the norm, a US long code
/// elsewhere.
fn origination(iso: &str) -> (&'static str, bool) {
    match iso {
        "US" => ("+18885550147", false),
        "CA" | "JM" => ("+18885550147", true),
        "IN" => ("EXMPLE", false),
        "GB" | "DE" | "SG" => ("EXAMPLECO", false),
        _ => ("+12065550152", true),
    }
}

/// `carrierName` as End User Messaging spells it (its US names are the companies').
fn carrier_name(iso: &str, name: &'static str) -> &'static str {
    match (iso, name) {
        ("US", "T-Mobile") => "T-Mobile USA Inc.",
        ("US", "AT&T") => "AT&T Mobility",
        ("US", "Verizon Wireless") => "Verizon Wireless",
        _ => name,
    }
}

/// The MNC with its leading zeros: three digits in North America and Mexico, two elsewhere (three when
/// the network's code needs them, as Jio's 857).
fn push_mnc(b: &mut Vec<u8>, iso: &str, mnc: u16) {
    let width = if matches!(iso, "US" | "CA" | "JM" | "MX") || mnc >= 100 {
        3
    } else {
        2
    };
    push_padded(b, mnc as u64, width);
}

/// One event, compact, in the key order of the documented example.
pub(crate) fn push_event(b: &mut Vec<u8>, e: &Event, o: &Origin) {
    let r = &e.rec;
    let t = e.event_type();
    let country = &COUNTRIES[r.country as usize];
    let iso = country.iso;
    b.extend_from_slice(b"{\"eventType\":\"");
    b.extend_from_slice(t.name.as_bytes());
    b.extend_from_slice(b"\",\"eventVersion\":\"1.0\",\"eventTimestamp\":");
    push_u64(b, e.time as u64);
    b.extend_from_slice(if e.is_final {
        b",\"isFinal\":true,\"originationPhoneNumber\":\""
    } else {
        b",\"isFinal\":false,\"originationPhoneNumber\":\""
    });
    let (from, international) = origination(iso);
    b.extend_from_slice(from.as_bytes());
    b.extend_from_slice(b"\",\"destinationPhoneNumber\":\"");
    push_destination(b, r.country as usize, r.local);
    b.extend_from_slice(if international {
        b"\",\"isInternationalSend\":true"
    } else {
        b"\",\"isInternationalSend\":false"
    });
    // Some events lack the country (then it comes from the number); carrier details come once the text
    // is routed, and not at all for a text the protect configuration stopped.
    let routed = e.kind != K_PROTECT_BLOCKED && e.kind != K_QUEUED;
    if !(r.net == Net::Absent && r.id_lo.is_multiple_of(3)) {
        b.extend_from_slice(b",\"isoCountryCode\":\"");
        b.extend_from_slice(iso.as_bytes());
        b.push(b'"');
    }
    if routed && matches!(r.net, Net::Carrier | Net::MccOnly) {
        let c = r.carrier();
        b.extend_from_slice(b",\"mcc\":\"");
        push_u64(b, c.mcc as u64);
        b.extend_from_slice(b"\",\"mnc\":\"");
        push_mnc(b, iso, c.mnc);
        b.push(b'"');
        if r.net == Net::Carrier {
            b.extend_from_slice(b",\"carrierName\":\"");
            b.extend_from_slice(carrier_name(iso, c.name).as_bytes());
            b.push(b'"');
        }
    }
    b.extend_from_slice(b",\"messageId\":\"");
    push_uuid(b, r.id_hi, r.id_lo);
    b.extend_from_slice(b"\",\"messageRequestTimestamp\":");
    push_u64(b, r.t as u64);
    b.extend_from_slice(if e.parts > 1 {
        b",\"messageEncoding\":\"UNICODE\""
    } else {
        b",\"messageEncoding\":\"GSM\""
    });
    b.extend_from_slice(b",\"messageType\":\"TRANSACTIONAL\",\"messageStatus\":\"");
    b.extend_from_slice(t.status.as_bytes());
    b.extend_from_slice(b"\",\"messageStatusDescription\":\"");
    b.extend_from_slice(t.description.as_bytes());
    b.extend_from_slice(b"\",\"context\":{},\"totalMessageParts\":");
    push_u64(b, e.parts as u64);
    b.extend_from_slice(b",\"totalMessagePrice\":");
    push_price(b, e.price as u64);
    b.extend_from_slice(b",\"totalCarrierFee\":");
    push_price(b, e.fee as u64);
    if e.protect != ProtectStatus::None {
        b.extend_from_slice(b",\"protectConfiguration\":{\"protectConfigurationId\":\"");
        b.extend_from_slice(o.protect_id.as_bytes());
        b.extend_from_slice(if e.protect == ProtectStatus::Block {
            b"\",\"protectStatus\":\"BLOCK\"}"
        } else {
            b"\",\"protectStatus\":\"ALLOW\"}"
        });
    }
    b.push(b'}');
}

/// A UUID derived from `x` (envelope ids).
fn push_derived_uuid(b: &mut Vec<u8>, x: u64) {
    let hi = (mix64(x) & !0xF000) | 0x4000;
    let lo = (mix64(x ^ 0x5EED) & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    push_uuid(b, hi, lo);
}

/// `2026-02-01T18:20:41Z`
fn push_iso_s_z(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b'T');
    b.push(b'Z');
}

/// The event in an EventBridge envelope (as a CloudWatch Logs or SQS target of a rule receives it).
pub(crate) fn push_eventbridge(b: &mut Vec<u8>, e: &Event, o: &Origin) {
    b.extend_from_slice(b"{\"version\":\"0\",\"id\":\"");
    push_derived_uuid(b, e.uid());
    b.extend_from_slice(
        b"\",\"detail-type\":\"Text Message Delivery Status Updated\",\"source\":\"aws.sms-voice\",\"account\":\"",
    );
    b.extend_from_slice(o.account.as_bytes());
    b.extend_from_slice(b"\",\"time\":\"");
    push_iso_s_z(b, e.time);
    b.extend_from_slice(b"\",\"region\":\"");
    b.extend_from_slice(o.region.as_bytes());
    b.extend_from_slice(b"\",\"resources\":[],\"detail\":");
    push_event(b, e, o);
    b.push(b'}');
}

/// The topic an SNS destination publishes to.
const TOPIC: &str = "sms-voice-events";

/// The event as an SNS topic destination's notification: `Message` is the event as a JSON string.
pub(crate) fn push_sns_notification(b: &mut Vec<u8>, e: &Event, o: &Origin, scratch: &mut Vec<u8>) {
    let arn = |b: &mut Vec<u8>| {
        b.extend_from_slice(b"arn:aws:sns:");
        b.extend_from_slice(o.region.as_bytes());
        b.push(b':');
        b.extend_from_slice(o.account.as_bytes());
        b.push(b':');
        b.extend_from_slice(TOPIC.as_bytes());
    };
    b.extend_from_slice(b"{\"Type\":\"Notification\",\"MessageId\":\"");
    push_derived_uuid(b, e.uid() ^ 0x5A5);
    b.extend_from_slice(b"\",\"TopicArn\":\"");
    arn(b);
    b.extend_from_slice(b"\",\"Message\":\"");
    scratch.clear();
    push_event(scratch, e, o);
    // The event's strings hold no backslash or control character: quotes are all there is to escape.
    for &c in scratch.iter() {
        if c == b'"' {
            b.push(b'\\');
        }
        b.push(c);
    }
    b.extend_from_slice(b"\",\"Timestamp\":\"");
    push_iso_ms_z(b, e.time + 35 + (e.uid() % 400) as i64);
    b.extend_from_slice(b"\",\"SignatureVersion\":\"1\",\"Signature\":\"");
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = e.uid();
    for _ in 0..42 {
        x = mix64(x);
        for k in 0..8 {
            b.push(B64[((x >> (k * 6)) & 63) as usize]);
        }
    }
    b.extend_from_slice(b"==\",\"SigningCertURL\":\"https://sns.");
    b.extend_from_slice(o.region.as_bytes());
    b.extend_from_slice(
        b".amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem\",\"UnsubscribeURL\":\"https://sns.",
    );
    b.extend_from_slice(o.region.as_bytes());
    b.extend_from_slice(b".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=");
    arn(b);
    b.extend_from_slice(b":4f1e2d3c-5b6a-4978-8a9b-0c1d2e3f4a5b\"}");
}

/// One line of `shape` for `e` (with its newline).
pub(crate) fn push_line(
    b: &mut Vec<u8>,
    e: &Event,
    o: &Origin,
    shape: EumShape,
    scratch: &mut Vec<u8>,
) {
    match shape {
        EumShape::Bare => push_event(b, e, o),
        EumShape::EventBridge => push_eventbridge(b, e, o),
        EumShape::SnsNotification => push_sns_notification(b, e, o, scratch),
    }
    b.push(b'\n');
}

/// The events of `items`, one line each, streamed to `out` in large writes.
pub(crate) fn write_lines(
    out: &mut dyn Write,
    items: impl Iterator<Item = Item>,
    o: &Origin,
    shape: EumShape,
) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 18);
    let mut scratch = Vec::with_capacity(1024);
    for item in items {
        if let Item::Event(e) = item {
            push_line(&mut buf, &e, o, shape, &mut scratch);
            if buf.len() >= 1 << 17 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
    }
    out.write_all(&buf)?;
    out.flush()
}

/// How a Firehose delivery stream cuts its objects.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Buffering {
    /// The buffer interval: an object holds the events that arrived within this many ms of its first.
    pub(crate) interval_ms: i64,
    /// The buffer size: an object is written once this many bytes are waiting.
    pub(crate) size: usize,
}

/// One Firehose object written: where, and how many events it holds.
pub(crate) struct FirehoseObject {
    pub(crate) path: String,
    pub(crate) events: usize,
}

/// Firehose to S3: the events as gzip objects `<prefix>YYYY/MM/DD/HH/<stream>-1-<YYYY-MM-DD-HH-MM-SS>-<uuid>.gz`
/// under `dir` (the hour of each object's first event). `newline(t)` says whether the stream appended a
/// newline to each record at event time `t` (its "new line delimiter" processing option: NDJSON objects);
/// otherwise the events are concatenated with nothing between them.
pub(crate) fn write_firehose(
    dir: &Path,
    prefix: &str,
    stream: &str,
    events: impl Iterator<Item = Event>,
    o: &Origin,
    buffering: Buffering,
    newline: &dyn Fn(i64) -> bool,
) -> io::Result<Vec<FirehoseObject>> {
    let mut objects = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut span: Option<(i64, i64, usize, u64)> = None;
    let mut flush = |buf: &mut Vec<u8>, span: (i64, i64, usize, u64)| -> io::Result<()> {
        let (first, last, events, uid) = span;
        let at = utc(first);
        let written = (first + buffering.interval_ms).max(last) + 1_000 + (uid % 9_000) as i64;
        let mut name = Vec::with_capacity(96);
        name.extend_from_slice(stream.as_bytes());
        name.extend_from_slice(b"-1-");
        push_date_time(&mut name, written, b'-');
        for c in name.iter_mut().rev().take(8) {
            if *c == b':' {
                *c = b'-';
            }
        }
        name.push(b'-');
        push_derived_uuid(&mut name, uid ^ 0xF1E4);
        name.extend_from_slice(b".gz");
        let rel = format!(
            "{prefix}{:04}/{:02}/{:02}/{:02}/{}",
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            String::from_utf8_lossy(&name)
        );
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut gz = gz_writer(File::create(&path)?);
        gz.write_all(buf)?;
        gz.finish()?;
        buf.clear();
        objects.push(FirehoseObject { path: rel, events });
        Ok(())
    };
    for e in events {
        if let Some(s) = span {
            if e.time >= s.0 + buffering.interval_ms || buf.len() >= buffering.size {
                flush(&mut buf, s)?;
                span = None;
            }
        }
        let s = span.get_or_insert((e.time, e.time, 0, e.uid()));
        s.1 = e.time;
        s.2 += 1;
        push_event(&mut buf, &e, o);
        if newline(e.time) {
            buf.push(b'\n');
        }
    }
    if let Some(s) = span {
        flush(&mut buf, s)?;
    }
    Ok(objects)
}

/// The account and region of the benchmark's events (the generator's SNS account).
pub(crate) const BENCH_ORIGIN: Origin = Origin {
    account: crate::writers::ACCOUNT,
    region: "us-east-1",
    protect_id: "protect-2f6c1a9e4b7d40c58e3a1d2b6f9c0e71",
};

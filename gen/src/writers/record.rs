//! The SNS delivery-status record itself (formats.md section 1), as SNS writes it: compact JSON with its
//! keys in SNS's order. Every other shape embeds it.

use std::io::{self, Write};

use crate::model::population::push_rec_destination;
use crate::model::{Net, Rec, Q_MCC_STR, Q_PRICE_STR, Q_PROMO, RESPONSES, R_QUOTA};
use crate::spell::{push_maybe_quoted, push_notification_ts, push_price, push_u64, push_uuid};

pub(crate) fn write_record(b: &mut Vec<u8>, r: &Rec) {
    b.extend_from_slice(b"{\"notification\":{\"messageId\":\"");
    push_uuid(b, r.id_hi, r.id_lo);
    b.extend_from_slice(b"\",\"timestamp\":\"");
    push_notification_ts(b, r.t);
    b.extend_from_slice(b"\"},\"delivery\":{");
    if r.resp == R_QUOTA {
        b.extend_from_slice(b"\"destination\":\"");
        push_rec_destination(b, r);
        b.extend_from_slice(b"\",\"smsType\":\"");
        b.extend_from_slice(sms_type(r).as_bytes());
        b.extend_from_slice(
            b"\",\"providerResponse\":\"No quota left for account\",\"dwellTimeMs\":",
        );
        push_u64(b, r.dwell as u64);
        b.extend_from_slice(b"},\"status\":\"FAILURE\"}");
        return;
    }
    let c = r.carrier();
    let as_str = r.quirks & Q_MCC_STR != 0;
    let (mcc, mnc) = r.mcc_mnc();
    if r.net == Net::Carrier {
        b.extend_from_slice(b"\"phoneCarrier\":\"");
        b.extend_from_slice(c.name.as_bytes());
        b.extend_from_slice(b"\",");
    }
    if let Some(mnc) = mnc {
        b.extend_from_slice(b"\"mnc\":");
        push_maybe_quoted(b, mnc as u64, as_str);
        b.push(b',');
    }
    b.extend_from_slice(b"\"numberOfMessageParts\":1,\"destination\":\"");
    push_rec_destination(b, r);
    b.extend_from_slice(b"\",\"priceInUSD\":");
    if r.quirks & Q_PRICE_STR != 0 {
        b.push(b'"');
        push_price(b, r.price as u64);
        b.push(b'"');
    } else {
        push_price(b, r.price as u64);
    }
    b.extend_from_slice(b",\"smsType\":\"");
    b.extend_from_slice(sms_type(r).as_bytes());
    b.extend_from_slice(b"\",");
    if let Some(mcc) = mcc {
        b.extend_from_slice(b"\"mcc\":");
        push_maybe_quoted(b, mcc as u64, as_str);
        b.push(b',');
    }
    b.extend_from_slice(b"\"providerResponse\":\"");
    b.extend_from_slice(RESPONSES[r.resp as usize].as_bytes());
    b.extend_from_slice(b"\",\"dwellTimeMs\":");
    push_u64(b, r.dwell as u64);
    if r.ack != 0 {
        b.extend_from_slice(b",\"dwellTimeMsUntilDeviceAck\":");
        push_u64(b, r.ack as u64);
    }
    b.extend_from_slice(if r.success() {
        b"},\"status\":\"SUCCESS\"}"
    } else {
        b"},\"status\":\"FAILURE\"}"
    });
}

/// The record's smsType.
pub(crate) fn sms_type(r: &Rec) -> &'static str {
    if r.quirks & Q_PROMO != 0 {
        "Promotional"
    } else {
        "Transactional"
    }
}

pub(crate) fn record_string(r: &Rec) -> String {
    let mut b = Vec::with_capacity(400);
    write_record(&mut b, r);
    String::from_utf8(b).expect("records are ascii")
}

pub(crate) fn destination_string(r: &Rec) -> String {
    let mut b = Vec::with_capacity(16);
    push_rec_destination(&mut b, r);
    String::from_utf8(b).expect("digits are ascii")
}

/// Bare records, one per line.
pub(crate) fn json_lines(recs: &[&Rec]) -> Vec<u8> {
    let mut b = Vec::new();
    for r in recs {
        write_record(&mut b, r);
        b.push(b'\n');
    }
    b
}

/// Bare records, one per line, streamed to `out` in large writes.
pub(crate) fn write_lines(out: &mut dyn Write, recs: impl Iterator<Item = Rec>) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 18);
    for r in recs {
        write_record(&mut buf, &r);
        buf.push(b'\n');
        if buf.len() >= 1 << 17 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()
}

//! CloudWatch Logs Insights results (formats.md section 5): `get-query-results` JSON, and the console's
//! "Export results" CSV of `@message` or of flattened fields.

use std::io;

use serde::Serialize;

use crate::model::population::push_rec_destination;
use crate::model::{Rec, RESPONSES, R_QUOTA};
use crate::rng::Rng;
use crate::spell::{fmt_ts, push_insights_ts, push_price, push_u64, push_uuid};
use crate::writers::pretty;
use crate::writers::record::record_string;

#[derive(Serialize)]
struct Field {
    field: &'static str,
    value: String,
}

#[derive(Serialize)]
struct QueryStatistics {
    #[serde(rename = "recordsMatched")]
    records_matched: f64,
    #[serde(rename = "recordsScanned")]
    records_scanned: f64,
    #[serde(rename = "estimatedRecordsSkipped")]
    estimated_records_skipped: f64,
    #[serde(rename = "bytesScanned")]
    bytes_scanned: f64,
    #[serde(rename = "estimatedBytesSkipped")]
    estimated_bytes_skipped: f64,
    #[serde(rename = "logGroupsScanned")]
    log_groups_scanned: f64,
}

#[derive(Serialize)]
struct QueryResults {
    results: Vec<Vec<Field>>,
    statistics: QueryStatistics,
    status: &'static str,
}

/// A plausible `@ptr` of the account's log groups.
fn ptr(rng: &mut Rng) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::from("CmAKJwojMTExMTIyMjIzMzMzOnNucy91cy1lYXN0LTEvMTExMTIyMjIzMzMz");
    for _ in 0..76 {
        s.push(B64[rng.below(64) as usize] as char);
    }
    s
}

/// `aws logs get-query-results` with `fields @timestamp, @message` (rows as given).
pub(crate) fn insights_json(
    recs: &[&Rec],
    scanned_extra: u64,
    rng: &mut Rng,
) -> io::Result<Vec<u8>> {
    let mut bytes = 0u64;
    let results = recs
        .iter()
        .map(|r| {
            let msg = record_string(r);
            bytes += msg.len() as u64;
            vec![
                Field {
                    field: "@timestamp",
                    value: fmt_ts(r.event_time(), push_insights_ts),
                },
                Field {
                    field: "@message",
                    value: msg,
                },
                Field {
                    field: "@ptr",
                    value: ptr(rng),
                },
            ]
        })
        .collect::<Vec<_>>();
    let n = recs.len() as f64;
    let doc = QueryResults {
        results,
        statistics: QueryStatistics {
            records_matched: n,
            records_scanned: n + scanned_extra as f64,
            estimated_records_skipped: 0.0,
            bytes_scanned: (bytes + scanned_extra * 390) as f64,
            estimated_bytes_skipped: 0.0,
            log_groups_scanned: 2.0,
        },
        status: "Complete",
    };
    let mut b = Vec::new();
    pretty(&mut b, &doc)?;
    Ok(b)
}

/// A CSV field as the console writes it: quoted only when it must be, inner quotes doubled. Our own ten
/// lines rather than the `csv` crate: the files must stay byte for byte what they are.
fn csv_field(b: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|c| matches!(c, b',' | b'"' | b'\n' | b'\r')) {
        b.push(b'"');
        for c in s.bytes() {
            if c == b'"' {
                b.push(b'"');
            }
            b.push(c);
        }
        b.push(b'"');
    } else {
        b.extend_from_slice(s.as_bytes());
    }
}

/// Console "Export results" CSV of `fields @timestamp, @message`.
pub(crate) fn insights_csv(recs: &[&Rec]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"@timestamp,@message\n");
    for r in recs {
        push_insights_ts(&mut b, r.event_time());
        b.push(b',');
        csv_field(&mut b, &record_string(r));
        b.push(b'\n');
    }
    b
}

const FLAT_HEADER: &str = "@timestamp,notification.messageId,status,delivery.providerResponse,delivery.destination,delivery.phoneCarrier,delivery.priceInUSD,delivery.smsType,delivery.mcc,delivery.mnc";

/// Console CSV of a query returning flattened fields (empty cell: field absent).
pub(crate) fn insights_flat_csv(recs: &[&Rec]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(FLAT_HEADER.as_bytes());
    b.push(b'\n');
    for r in recs {
        push_insights_ts(&mut b, r.event_time());
        b.push(b',');
        push_uuid(&mut b, r.id_hi, r.id_lo);
        b.extend_from_slice(if r.success() {
            b",SUCCESS,"
        } else {
            b",FAILURE,"
        });
        csv_field(&mut b, RESPONSES[r.resp as usize]);
        b.push(b',');
        push_rec_destination(&mut b, r);
        b.push(b',');
        if r.net == crate::model::Net::Carrier && r.resp != R_QUOTA {
            csv_field(&mut b, r.carrier().name);
        }
        b.push(b',');
        if r.price > 0 {
            push_price(&mut b, r.price as u64);
        }
        b.push(b',');
        b.extend_from_slice(crate::writers::record::sms_type(r).as_bytes());
        b.push(b',');
        let (mcc, mnc) = if r.resp == R_QUOTA {
            (None, None)
        } else {
            r.mcc_mnc()
        };
        if let Some(v) = mcc {
            push_u64(&mut b, v as u64);
        }
        b.push(b',');
        if let Some(v) = mnc {
            push_u64(&mut b, v as u64);
        }
        b.push(b'\n');
    }
    b
}

//! The integration-test fixtures of `tests/fixtures/` (their README with the counts is kept by hand):
//! a few scripted records per export shape, plus files broken on purpose.

use std::io;
use std::path::Path;

use chrono::NaiveDate;

use crate::model::population::{capacity, C_IN, C_MX, C_US};
use crate::model::traffic::{ms_of, MS_DAY, MS_HOUR};
use crate::model::*;
use crate::rng::{message_uuid, Rng};
use crate::spell::{fmt_ts, push_notification_ts, uuid4_string};
use crate::writers::cli::{
    fle_event, gle_event, next_token, tail_lines, FleDoc, FleEvent, GleDoc, SearchStatistics,
};
use crate::writers::export::{export_line, WRITE_TEST_BODY};
use crate::writers::firehose::{firehose_control, firehose_data};
use crate::writers::insights::{insights_csv, insights_flat_csv, insights_json};
use crate::writers::record::{json_lines, record_string};
use crate::writers::{gzip_member, pretty, write_file};

/// The six records of formats.md, verbatim, one per line.
const REALWORLD: &str = concat!(
    r#"{"notification":{"messageId":"34d9b400-c6dd-5444-820d-fbeb0f1f54cf","timestamp":"2016-06-28 00:40:34.558"},"delivery":{"phoneCarrier":"My Phone Carrier","mnc":270,"numberOfMessageParts":1,"destination":"+1XXX5550100","priceInUSD":0.00645,"smsType":"Transactional","mcc":310,"providerResponse":"Message has been accepted by phone carrier","dwellTimeMs":599,"dwellTimeMsUntilDeviceAck":1344},"status":"SUCCESS"}"#,
    "\n",
    r#"{"notification":{"messageId":"1077257a-92f3-5ca3-bc97-6a915b310625","timestamp":"2016-06-28 00:40:34.559"},"delivery":{"mnc":0,"numberOfMessageParts":1,"destination":"+1XXX5550100","priceInUSD":0.00645,"smsType":"Transactional","mcc":0,"providerResponse":"Unknown error attempting to reach phone","dwellTimeMs":1420,"dwellTimeMsUntilDeviceAck":1692},"status":"FAILURE"}"#,
    "\n",
    r#"{"notification":{"messageId":"0eb79b44-d9bd-5938-b0cf-c1e572815b74","timestamp":"2022-03-08 19:05:32.271"},"delivery":{"numberOfMessageParts":1,"destination":"+16175550118","priceInUSD":0.00831,"smsType":"Transactional","providerResponse":"Delivered","dwellTimeMs":105,"dwellTimeMsUntilDeviceAck":336},"status":"SUCCESS"}"#,
    "\n",
    r#"{"notification":{"messageId":"29f7d2b1-9698-5f7f-8f7e-81144d3097e0","timestamp":"2018-06-21 16:59:20.041"},"delivery":{"phoneCarrier":"AT&T","mnc":180,"destination":"+13055550123","priceInUSD":0.00645,"smsType":"Transactional","mcc":311,"providerResponse":"Message has been accepted by phone","dwellTimeMs":1027,"dwellTimeMsUntilDeviceAck":2568},"status":"SUCCESS"}"#,
    "\n",
    r#"{"notification":{"messageId":"3c3fb29c-5b9a-53be-a7f6-e7521b8fc747","timestamp":"2019-08-14 16:59:01.352"},"delivery":{"phoneCarrier":"Airtel","mnc":31,"destination":"+919900000000","priceInUSD":0.00223,"smsType":"Transactional","mcc":404,"providerResponse":"Message body is invalid","dwellTimeMs":93,"dwellTimeMsUntilDeviceAck":14401459},"status":"FAILURE"}"#,
    "\n",
    r#"{"notification":{"messageId":"8c1de487-da4b-5c67-9d2a-b95f017e32b3","timestamp":"2023-11-23 04:45:41.264"},"delivery":{"destination":"+6580000000","smsType":"Transactional","providerResponse":"No quota left for account","dwellTimeMs":118},"status":"FAILURE"}"#,
    "\n",
);

// outcome codes for scripted records
const A: u8 = R_ACCEPTED_CARRIER;
const P: u8 = R_ACCEPTED_PHONE;
const D: u8 = R_DELIVERED;
const B: u8 = R_CARRIER_BLOCKED;
const U: u8 = R_UNREACHABLE;
const O: u8 = R_OPTED_OUT;
const I: u8 = R_INVALID;
const E: u8 = R_UNKNOWN_ERROR;
const C: u8 = R_CARRIER_UNREACHABLE;
const K: u8 = R_BLACKLISTED;
const X: u8 = R_UNLISTED;
const Q: u8 = R_QUOTA;

/// Records with the given outcomes, starting at `day` 2026-03-DD 08:00 UTC, 20-400 s apart.
fn scripted(seed: u64, day: i64, outcomes: &[u8]) -> Vec<Rec> {
    let mut rng = Rng::new(seed);
    let mut t = ms_of(NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date"))
        + (day - 1) * MS_DAY
        + 8 * MS_HOUR
        + rng.below(60_000) as i64;
    outcomes
        .iter()
        .enumerate()
        .map(|(k, &resp)| {
            t += 20_000 + rng.below(380_000) as i64;
            let (mut c, mut ci) = {
                let pick = rng.below(1000) as u32;
                let mut acc = 0;
                let c = COUNTRIES
                    .iter()
                    .position(|x| {
                        acc += x.weight;
                        pick < acc
                    })
                    .unwrap_or(0);
                (c, rng.below(COUNTRIES[c].carriers.len() as u64) as usize)
            };
            let net = match resp {
                A | P => Net::Carrier,
                D => Net::Absent,
                B => {
                    c = C_IN;
                    ci = rng.below(2) as usize;
                    Net::Carrier
                }
                X => Net::Carrier,
                C if k % 2 == 0 => {
                    c = C_MX;
                    ci = 0;
                    Net::Carrier
                }
                Q => Net::Absent,
                _ => Net::Zero,
            };
            if resp == U && c != C_US {
                c = C_US;
                ci = 0;
            }
            let (id_hi, id_lo) = message_uuid(seed, k as u64);
            let dwell = if resp == Q {
                80 + rng.below(140)
            } else {
                80 + (rng.exp1() * 240.0).min(2900.0) as u64
            };
            Rec {
                id_hi,
                id_lo,
                t,
                lag: 150 + rng.below(2500) as u32,
                country: c as u8,
                carrier: ci as u8,
                local: rng.below(capacity(c).min(5000)) as u32,
                net,
                resp,
                price: if resp == Q {
                    0
                } else {
                    COUNTRIES[c].carriers[ci].price
                },
                dwell: dwell as u32,
                ack: if matches!(resp, P | D) || rng.chance(0.2) && resp != Q && resp != U {
                    dwell as u32 + 150 + rng.below(3000) as u32
                } else {
                    0
                },
                quirks: 0,
                nsn: 0,
                region: 0,
            }
        })
        .collect()
}

fn stream_name(seed: u64, k: u64) -> String {
    uuid4_string(&mut Rng::new(seed ^ 0x57AE_A11D_0000 ^ k))
}

fn refs(recs: &[Rec]) -> Vec<&Rec> {
    recs.iter().collect()
}

fn newest_first(recs: &[Rec]) -> Vec<&Rec> {
    recs.iter().rev().collect()
}

pub(crate) fn write(dir: &Path) -> io::Result<()> {
    write_file(&dir.join("realworld.jsonl"), REALWORLD.as_bytes())?;
    bare(dir)?;
    export(dir)?;
    cli(dir)?;
    insights(dir)?;
    firehose(dir)?;
    overlap(dir)?;
    schema_trap(dir)?;
    bad(dir)
}

/// bare.jsonl, and bare-multimember.jsonl.gz: 4 + 3 + 3 records in three gzip members.
fn bare(dir: &Path) -> io::Result<()> {
    let bare = scripted(101, 2, &[A, A, B, A, D, U, A, P, E, A, O, A]);
    write_file(&dir.join("bare.jsonl"), &json_lines(&refs(&bare)))?;
    let mm = scripted(102, 3, &[A, A, A, B, U, A, P, A, C, A]);
    let mut gz = Vec::new();
    for part in [&mm[0..4], &mm[4..7], &mm[7..10]] {
        gz.extend(gzip_member(&json_lines(&refs(part)))?);
    }
    write_file(&dir.join("bare-multimember.jsonl.gz"), &gz)
}

/// export/: 3 streams (3 + 2 + 4 records; the third stream's lines out of order).
fn export(dir: &Path) -> io::Result<()> {
    let ex = scripted(103, 4, &[A, A, B, U, U, A, D, A, I]);
    let exp = dir.join("export").join("exportedlogs");
    write_file(&exp.join("aws-logs-write-test"), WRITE_TEST_BODY)?;
    let task = uuid4_string(&mut Rng::new(1030));
    for (k, (range, reverse)) in [(0..3, false), (3..5, false), (5..9, true)]
        .into_iter()
        .enumerate()
    {
        let mut part = refs(&ex[range]);
        if reverse {
            part.swap(0, 2);
        }
        let mut lines = Vec::new();
        for r in part {
            export_line(&mut lines, r);
        }
        let path = exp
            .join(&task)
            .join(stream_name(103, k as u64))
            .join("000000.gz");
        write_file(&path, &gzip_member(&lines)?)?;
    }
    Ok(())
}

/// filter-log-events.json (two documents, NextToken on the first, searchStatistics on the second),
/// get-log-events.json, tail.txt and tail-short.txt.
fn cli(dir: &Path) -> io::Result<()> {
    let fl = scripted(104, 5, &[A, A, B, A, E, A, P, A, U, A]);
    let mut rng = Rng::new(1040);
    let mut doc = Vec::new();
    for (k, range) in [0..6, 6..10].into_iter().enumerate() {
        let events: Vec<FleEvent> = fl[range]
            .iter()
            .enumerate()
            .map(|(j, r)| fle_event(r, &stream_name(104, j as u64 % 3)))
            .collect();
        let d = FleDoc {
            events,
            searched_log_streams: vec![],
            search_statistics: (k == 1).then_some(SearchStatistics {
                bytes_scanned: 48_213,
                log_events_scanned: 121,
            }),
            next_token: if k == 0 {
                Some(next_token(&mut rng))
            } else {
                None
            },
        };
        pretty(&mut doc, &d)?;
    }
    write_file(&dir.join("filter-log-events.json"), &doc)?;

    let gl = scripted(105, 6, &[A, A, D, B, A, U, A]);
    let d = GleDoc {
        events: gl.iter().map(gle_event).collect(),
        next_forward_token: "f/39614386612470592356149387113954321298743519283746523904/s".into(),
        next_backward_token: "b/39614386479843510209123478891029384756102938475610293847/s".into(),
    };
    let mut gb = Vec::new();
    pretty(&mut gb, &d)?;
    write_file(&dir.join("get-log-events.json"), &gb)?;

    let tl = scripted(106, 7, &[A, B, A, A, U, A, P, E]);
    let names: Vec<String> = (0..4).map(|k| stream_name(106, k)).collect();
    let per_rec: Vec<String> = tl
        .iter()
        .map(|r| names[(r.id_lo % 4) as usize].clone())
        .collect();
    write_file(
        &dir.join("tail.txt"),
        &tail_lines(&refs(&tl), Some(&per_rec)),
    )?;
    let ts = scripted(107, 8, &[A, A, A, B, A, O, A, A]);
    write_file(&dir.join("tail-short.txt"), &tail_lines(&refs(&ts), None))
}

/// insights.json (two quota failures among them), insights.csv (@timestamp,@message) and
/// insights-flat.csv, all newest first.
fn insights(dir: &Path) -> io::Result<()> {
    let ij = scripted(108, 9, &[A, A, B, A, U, A, Q, Q]);
    let mut rng = Rng::new(1080);
    write_file(
        &dir.join("insights.json"),
        &insights_json(&newest_first(&ij), 17, &mut rng)?,
    )?;
    let ic = scripted(109, 10, &[A, A, K, A, B, A, X, A]);
    write_file(&dir.join("insights.csv"), &insights_csv(&newest_first(&ic)))?;
    let ifl = scripted(110, 11, &[A, A, B, B, A, U, A, D, A, Q]);
    write_file(
        &dir.join("insights-flat.csv"),
        &insights_flat_csv(&newest_first(&ifl)),
    )
}

/// firehose-object: member 1 = CONTROL_MESSAGE + DATA (5 successes), member 2 = DATA (3 failures).
fn firehose(dir: &Path) -> io::Result<()> {
    let fh = scripted(111, 12, &[A, A, P, A, D, B, U, E]);
    let mut m1 = firehose_control(fh[0].event_time() - 3_000)?;
    m1.extend(firehose_data(&refs(&fh[0..5]), &stream_name(111, 0))?);
    let mut obj = gzip_member(&m1)?;
    obj.extend(gzip_member(&firehose_data(
        &refs(&fh[5..8]),
        &stream_name(111, 1),
    )?)?);
    write_file(&dir.join("firehose-object"), &obj)
}

/// overlap/: a.jsonl (6 records) and b-filter-log-events.json (5 events, 3 of them a.jsonl's last 3).
fn overlap(dir: &Path) -> io::Result<()> {
    let ov = scripted(112, 13, &[A, A, B, A, U, A, A, C]);
    write_file(
        &dir.join("overlap").join("a.jsonl"),
        &json_lines(&refs(&ov[0..6])),
    )?;
    let d = FleDoc {
        events: ov[3..8]
            .iter()
            .enumerate()
            .map(|(j, r)| fle_event(r, &stream_name(112, j as u64)))
            .collect(),
        searched_log_streams: vec![],
        search_statistics: None,
        next_token: None,
    };
    let mut ob = Vec::new();
    pretty(&mut ob, &d)?;
    write_file(&dir.join("overlap").join("b-filter-log-events.json"), &ob)
}

/// schema-trap.jsonl: 150 carrier-less failures, then 50 successes with a carrier.
fn schema_trap(dir: &Path) -> io::Result<()> {
    let mut plan = Vec::with_capacity(200);
    for k in 0..150 {
        plan.push([E, U, B, C, E][k % 5]);
    }
    plan.extend(std::iter::repeat_n(A, 50));
    let mut st = scripted(113, 14, &plan);
    for r in st.iter_mut().take(150) {
        r.net = Net::Absent;
        r.ack = 0;
    }
    for r in st.iter_mut().skip(150) {
        r.net = Net::Carrier;
    }
    // keep the whole file inside the day: 20-400 s apart would span two days; compress time
    let t0 = st[0].t;
    for (k, r) in st.iter_mut().enumerate() {
        r.t = t0 + k as i64 * 97_000;
    }
    write_file(&dir.join("schema-trap.jsonl"), &json_lines(&refs(&st)))
}

/// bad/mixed.jsonl (good records between broken lines of every kind) and bad/truncated.jsonl.gz
/// (member 1 complete, 10 records; member 2, 20 records, cut in the middle).
fn bad(dir: &Path) -> io::Result<()> {
    let good = scripted(114, 15, &[A, A, B, A, U, A, A, D]);
    let line = |r: &Rec| record_string(r).into_bytes();
    let mut m: Vec<Vec<u8>> = Vec::new();
    m.push(line(&good[0])); // 1
    m.push(line(&good[1])); // 2
    let mut broken = line(&good[2]);
    broken.truncate(broken.len() * 2 / 3);
    m.push(broken); // 3 invalid JSON (a record cut off)
    m.push(line(&good[3])); // 4
    m.push(br#"{"hello":1}"#.to_vec()); // 5 valid JSON, not a record
    m.push(line(&good[4])); // 6
    let wrong_status = record_string(&good[5]).replace("\"status\":\"SUCCESS\"", "\"status\":5");
    m.push(wrong_status.into_bytes()); // 7 status is a number
    let ts = fmt_ts(good[6].t, push_notification_ts);
    let wrong_ts = record_string(&good[6]).replace(&ts, "yesterday");
    m.push(wrong_ts.into_bytes()); // 8 timestamp "yesterday"
    m.push(vec![
        0xFF, 0xFE, 0x00, 0x9C, 0x80, 0xC3, 0x28, 0x1F, 0x8B, 0x08, 0xA0, 0xA1, b'{', 0xE2, 0x82,
    ]); // 9 binary, not UTF-8
    m.push(Vec::new()); // 10 empty
    m.push(line(&good[7])); // 11
    let mut mixed = Vec::new();
    for l in m {
        mixed.extend(l);
        mixed.push(b'\n');
    }
    write_file(&dir.join("bad").join("mixed.jsonl"), &mixed)?;

    let tr = scripted(115, 16, &[A; 30]);
    let mut t = gzip_member(&json_lines(&refs(&tr[0..10])))?;
    let second = gzip_member(&json_lines(&refs(&tr[10..30])))?;
    t.extend_from_slice(&second[..second.len() / 2]);
    write_file(&dir.join("bad").join("truncated.jsonl.gz"), &t)
}

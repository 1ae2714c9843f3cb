//! How numbers, ids and times are spelled in the exports. The per-record helpers append to a byte buffer
//! and do not allocate: a benchmark month is millions of records.

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike};

use crate::rng::{uuid4, Rng, MASK48};

#[inline]
pub(crate) fn push_u64(b: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    b.extend_from_slice(&tmp[i..]);
}

pub(crate) fn push_maybe_quoted(b: &mut Vec<u8>, v: u64, quoted: bool) {
    if quoted {
        b.push(b'"');
        push_u64(b, v);
        b.push(b'"');
    } else {
        push_u64(b, v);
    }
}

/// Zero-padded to `width` digits.
#[inline]
pub(crate) fn push_padded(b: &mut Vec<u8>, v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut x = v;
    let mut i = tmp.len();
    while x > 0 {
        i -= 1;
        tmp[i] = b'0' + (x % 10) as u8;
        x /= 10;
    }
    let start = tmp.len() - width.max(tmp.len() - i);
    b.extend_from_slice(&tmp[start..]);
}

/// A price in 0.00001 USD as a decimal without trailing zeros (`645` -> `0.00645`, `2220` -> `0.0222`).
pub(crate) fn push_price(b: &mut Vec<u8>, p: u64) {
    push_u64(b, p / 100_000);
    b.push(b'.');
    let mut frac = p % 100_000;
    if frac == 0 {
        b.push(b'0');
        return;
    }
    let mut width = 5;
    while frac.is_multiple_of(10) {
        frac /= 10;
        width -= 1;
    }
    push_padded(b, frac, width);
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_hex(b: &mut Vec<u8>, v: u64, digits: u32) {
    for i in (0..digits).rev() {
        b.push(HEX[((v >> (i * 4)) & 0xF) as usize]);
    }
}

pub(crate) fn push_uuid(b: &mut Vec<u8>, hi: u64, lo: u64) {
    push_hex(b, hi >> 32, 8);
    b.push(b'-');
    push_hex(b, (hi >> 16) & 0xFFFF, 4);
    b.push(b'-');
    push_hex(b, hi & 0xFFFF, 4);
    b.push(b'-');
    push_hex(b, lo >> 48, 4);
    b.push(b'-');
    push_hex(b, lo & MASK48, 12);
}

pub(crate) fn uuid4_string(rng: &mut Rng) -> String {
    let (hi, lo) = uuid4(rng);
    let mut b = Vec::with_capacity(36);
    push_uuid(&mut b, hi, lo);
    String::from_utf8(b).expect("hex is ascii")
}

/// Epoch milliseconds as a UTC date-time. Generated times lie in a month of a valid `NaiveDate`, well
/// inside chrono's range.
pub(crate) fn utc(ms: i64) -> NaiveDateTime {
    DateTime::from_timestamp_millis(ms)
        .expect("generated times are in chrono's range")
        .naive_utc()
}

/// `YYYY-MM-DD<sep>HH:MM:SS`, digits pushed by hand: chrono's `format` parses its pattern on every call.
pub(crate) fn push_date_time(b: &mut Vec<u8>, ms: i64, sep: u8) {
    let t = utc(ms);
    push_padded(b, t.year() as u64, 4);
    b.push(b'-');
    push_padded(b, t.month() as u64, 2);
    b.push(b'-');
    push_padded(b, t.day() as u64, 2);
    b.push(sep);
    push_padded(b, t.hour() as u64, 2);
    b.push(b':');
    push_padded(b, t.minute() as u64, 2);
    b.push(b':');
    push_padded(b, t.second() as u64, 2);
}

fn millis(ms: i64) -> u64 {
    ms.rem_euclid(1000) as u64
}

/// notification.timestamp: `2026-03-01 00:00:05.12` (trailing zeros of the fraction dropped).
pub(crate) fn push_notification_ts(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b' ');
    b.push(b'.');
    let f = millis(ms);
    if f.is_multiple_of(100) {
        push_u64(b, f / 100);
    } else if f.is_multiple_of(10) {
        push_padded(b, f / 10, 2);
    } else {
        push_padded(b, f, 3);
    }
}

/// `2026-03-01T00:00:05.120Z`
pub(crate) fn push_iso_ms_z(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b'T');
    b.push(b'.');
    push_padded(b, millis(ms), 3);
    b.push(b'Z');
}

/// `2026-03-01 00:00:05.120` (Logs Insights @timestamp)
pub(crate) fn push_insights_ts(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b' ');
    b.push(b'.');
    push_padded(b, millis(ms), 3);
}

/// `aws logs tail` default format: `2026-03-01T00:00:05.120000+00:00`
pub(crate) fn push_tail_ts(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b'T');
    b.push(b'.');
    push_padded(b, millis(ms), 3);
    b.extend_from_slice(b"000+00:00");
}

/// `aws logs tail --format short`: `2026-03-01T00:00:05`
pub(crate) fn push_tail_short_ts(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b'T');
}

pub(crate) fn fmt_ts(ms: i64, f: fn(&mut Vec<u8>, i64)) -> String {
    let mut b = Vec::with_capacity(32);
    f(&mut b, ms);
    String::from_utf8(b).expect("ascii")
}

#[cfg(test)]
pub(crate) fn parse_ts(s: &str) -> i64 {
    let dt = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap();
    dt.and_utc().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_and_times() {
        let mut b = Vec::new();
        for p in [645, 2220, 7880, 123_456] {
            push_price(&mut b, p);
            b.push(b' ');
        }
        assert_eq!(
            std::str::from_utf8(&b).unwrap(),
            "0.00645 0.0222 0.0788 1.23456 "
        );
        let t = parse_ts("2026-03-01 19:09:37.300");
        assert_eq!(fmt_ts(t, push_notification_ts), "2026-03-01 19:09:37.3");
        assert_eq!(
            fmt_ts(t + 20, push_notification_ts),
            "2026-03-01 19:09:37.32"
        );
        assert_eq!(
            fmt_ts(t - 300, push_notification_ts),
            "2026-03-01 19:09:37.0"
        );
        assert_eq!(fmt_ts(t + 5, push_iso_ms_z), "2026-03-01T19:09:37.305Z");
        assert_eq!(fmt_ts(t, push_tail_ts), "2026-03-01T19:09:37.300000+00:00");
        assert_eq!(fmt_ts(t, push_tail_short_ts), "2026-03-01T19:09:37");
        let leap = parse_ts("2024-02-29 23:59:59.999");
        assert_eq!(fmt_ts(leap, push_insights_ts), "2024-02-29 23:59:59.999");
        assert_eq!(fmt_ts(leap + 1, push_iso_ms_z), "2024-03-01T00:00:00.000Z");
    }
}

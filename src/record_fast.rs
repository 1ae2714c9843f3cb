//! Fast path for the common case: a compact record whose strings have no escapes. Most lines of a big
//! export are exactly that, and a specialised scanner reads them several times faster than serde.
//!
//! The scanner accepts only a strict subset of JSON (objects nested at most two deep, string values without
//! backslashes, numbers, `null`/`true`/`false`). Anything else, valid or not, returns `None` and the caller
//! falls back to [`crate::record::parse_record`], which also produces the error messages. So the fast path
//! can never accept a line that the full parser would reject, nor read one differently (see the tests).

use std::borrow::Cow;

use crate::record::{to_i64, to_u32, Record, Status};
use crate::timefmt::parse_timestamp_ms;

/// Exact powers of ten up to the 15 fraction digits the fast path takes.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Index of the first `"`, `\\` or control character, eight bytes at a time (SWAR): the scanner's inner loop.
#[inline]
fn special_byte(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bytes equal to zero get their high bit set; the lowest flagged byte is always a true match.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let v = u64::from_le_bytes(w);
        let hit = zero(v ^ (ONES * b'"' as u64))
            | zero(v ^ (ONES * b'\\' as u64))
            | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
        if hit != 0 {
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|p| i + p)
}

struct Scan<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

enum Val<'a> {
    Str(&'a str),
    Num(f64),
    Null,
    Bool,
    Object,
}

impl<'a> Scan<'a> {
    #[inline]
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }

    /// A string with no escapes and no control characters; the opening quote is next.
    #[inline]
    fn string(&mut self) -> Option<&'a str> {
        self.ws();
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let end = start + special_byte(&self.b[start..])?;
        if self.b[end] != b'"' {
            return None;
        }
        self.i = end + 1;
        // Both ends sit next to ASCII quotes, so they are char boundaries.
        self.s.get(start..end)
    }

    fn number(&mut self) -> Option<f64> {
        let start = self.i;
        let b = self.b;
        let mut i = self.i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let int_len = i - int_start;
        // JSON forbids leading zeros ("01") and empty integer parts.
        if int_len == 0 || (int_len > 1 && b[int_start] == b'0') {
            return None;
        }
        let mut simple = true;
        let mut frac = int_start..int_start;
        if b.get(i) == Some(&b'.') {
            simple = false;
            i += 1;
            let f = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == f {
                return None;
            }
            frac = f..i;
        }
        let mut exponent = false;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            simple = false;
            exponent = true;
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let e = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == e {
                return None;
            }
        }
        self.i = i;
        let text = &self.s[start..i];
        if simple && int_len <= 15 {
            let mut v: i64 = 0;
            for &c in &b[int_start..i] {
                v = v * 10 + (c - b'0') as i64;
            }
            return Some(if b[start] == b'-' {
                -(v as f64)
            } else {
                v as f64
            });
        }
        // Prices like 0.00645: when the digits fit in 53 bits and the scale is an exact power of ten, one
        // division is correctly rounded (Clinger's fast path), as `str::parse` would give.
        if !exponent && int_len + frac.len() <= 15 && !frac.is_empty() {
            let m = b[int_start..int_start + int_len]
                .iter()
                .chain(&b[frac.clone()])
                .fold(0u64, |v, &c| v * 10 + (c - b'0') as u64);
            let v = m as f64 / POW10[frac.len()];
            return Some(if b[start] == b'-' { -v } else { v });
        }
        text.parse().ok()
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// A scalar value; `{` is left for the caller.
    fn value(&mut self) -> Option<Val<'a>> {
        self.ws();
        match *self.b.get(self.i)? {
            b'"' => self.string().map(Val::Str),
            b'{' => Some(Val::Object),
            b'n' => self.literal(b"null").map(|_| Val::Null),
            b't' => self.literal(b"true").map(|_| Val::Bool),
            b'f' => self.literal(b"false").map(|_| Val::Bool),
            b'-' | b'0'..=b'9' => self.number().map(Val::Num),
            _ => None,
        }
    }

    /// Iterates `"key": value` pairs of the object whose `{` is next, calling `f` for each; `f` must consume
    /// the value (the scanner is positioned at it).
    fn object(&mut self, mut f: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            f(self, key)?;
            self.ws();
            match *self.b.get(self.i)? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Skips a value of an unknown key: scalars, or an object of scalars.
    fn skip_value(&mut self) -> Option<()> {
        match self.value()? {
            Val::Object => self.object(|s, _| match s.value()? {
                Val::Object => None,
                _ => Some(()),
            }),
            _ => Some(()),
        }
    }
}

fn opt_str(v: Val<'_>) -> Option<Option<Cow<'_, str>>> {
    match v {
        Val::Str(s) => Some(Some(Cow::Borrowed(s))),
        Val::Null => Some(None),
        _ => None,
    }
}

/// A number, a numeric string, or null (as the full parser accepts). `None` = not acceptable here.
fn opt_num(v: Val<'_>) -> Option<Option<f64>> {
    match v {
        Val::Num(n) => Some(Some(n)),
        Val::Null => Some(None),
        Val::Str(s) if s.trim().is_empty() => Some(None),
        Val::Str(s) => s.trim().parse().ok().map(Some),
        _ => None,
    }
}

/// The fast path. `None` means "let the full parser decide".
pub fn parse_fast(text: &str) -> Option<Record<'_>> {
    let mut sc = Scan {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    let mut rec = Record::default();
    let mut seen = false;
    sc.object(|sc, key| {
        match key {
            "notification" => {
                seen = true;
                sc.object(|sc, k| {
                    match k {
                        "messageId" => rec.message_id = opt_str(sc.value()?)?,
                        "timestamp" => {
                            if let Some(t) = opt_str(sc.value()?)? {
                                rec.time_ms = Some(parse_timestamp_ms(&t)?);
                            }
                        }
                        _ => {
                            sc.skip_value()?;
                            rec.unknown_keys
                                .push(Cow::Owned(format!("notification.{k}")));
                        }
                    }
                    Some(())
                })?;
            }
            "delivery" => {
                seen = true;
                sc.object(|sc, k| {
                    match k {
                        "providerResponse" => rec.provider_response = opt_str(sc.value()?)?,
                        "destination" => rec.destination = opt_str(sc.value()?)?,
                        "phoneCarrier" => rec.carrier = opt_str(sc.value()?)?,
                        "smsType" => rec.sms_type = opt_str(sc.value()?)?,
                        "mcc" => rec.mcc = to_u32(opt_num(sc.value()?)?),
                        "mnc" => rec.mnc = to_u32(opt_num(sc.value()?)?),
                        "priceInUSD" => {
                            rec.price_usd = opt_num(sc.value()?)?.filter(|p| p.is_finite())
                        }
                        "numberOfMessageParts" => rec.parts = to_u32(opt_num(sc.value()?)?),
                        "dwellTimeMs" => rec.dwell_ms = to_i64(opt_num(sc.value()?)?),
                        "dwellTimeMsUntilDeviceAck" => {
                            rec.dwell_ack_ms = to_i64(opt_num(sc.value()?)?)
                        }
                        _ => {
                            sc.skip_value()?;
                            rec.unknown_keys.push(Cow::Owned(format!("delivery.{k}")));
                        }
                    }
                    Some(())
                })?;
            }
            "status" => {
                seen = true;
                if let Some(s) = opt_str(sc.value()?)? {
                    rec.status = Some(Status::parse(&s)?);
                }
            }
            _ => {
                sc.skip_value()?;
                rec.unknown_keys.push(Cow::Borrowed(key));
            }
        }
        Some(())
    })?;
    sc.ws();
    (sc.i == sc.b.len() && seen).then_some(rec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_record_full;

    const LINES: &[&str] = &[
        r#"{"notification":{"messageId":"34d9b400-c6dd-5444-820d-fbeb0f1f54cf","timestamp":"2016-06-28 00:40:34.558"},"delivery":{"phoneCarrier":"My Phone Carrier","mnc":270,"numberOfMessageParts":1,"destination":"+1XXX5550100","priceInUSD":0.00645,"smsType":"Transactional","mcc":310,"providerResponse":"Message has been accepted by phone carrier","dwellTimeMs":599,"dwellTimeMsUntilDeviceAck":1344},"status":"SUCCESS"}"#,
        r#"{"notification":{"messageId":"8c1de487-da4b-5c67-9d2a-b95f017e32b3","timestamp":"2023-11-23 04:45:41.264"},"delivery":{"destination":"+6580000000","smsType":"Transactional","providerResponse":"No quota left for account","dwellTimeMs":118},"status":"FAILURE"}"#,
        r#"{"notification":{"timestamp":"2019-08-14 16:59:01.3"},"delivery":{"mcc":"404","mnc":"31","priceInUSD":"0.00223","extra":{"a":1}},"status":"SUCCESS","x":1}"#,
        r#" { "status" : "FAILURE" , "delivery" : { "priceInUSD" : 1e-3 , "mnc" : -1 } } "#,
        r#"{"delivery":{"phoneCarrier":null,"mcc":null},"status":null}"#,
        r#"{"notification":{},"delivery":{},"status":"SUCCESS","flag":true}"#,
    ];

    #[test]
    fn fast_path_reads_like_the_full_parser() {
        for l in LINES {
            let fast = parse_fast(l).unwrap_or_else(|| panic!("fast path declined {l}"));
            assert_eq!(Some(fast), parse_record_full(l).ok(), "{l}");
        }
    }

    #[test]
    fn special_byte_finds_the_first_quote_backslash_or_control_character() {
        for (text, want) in [
            (&b"abcdefgh\"ij"[..], Some(8)),
            (b"abc\"", Some(3)),
            (b"abcdefghijklmnop\\q", Some(16)),
            (b"\x01bcdefghij", Some(0)),
            (
                "caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e\"".as_bytes(),
                Some(21),
            ),
            (b"no special bytes at all", None),
            (b"", None),
        ] {
            assert_eq!(
                special_byte(text),
                want,
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn decimals_read_exactly_as_the_standard_parser_reads_them() {
        for t in [
            "0.00645",
            "0.0222",
            "0.09582",
            "123.456",
            "-0.5",
            "0.1",
            "9.99999999999999",
            "0.000000000000001",
        ] {
            let mut sc = Scan {
                s: t,
                b: t.as_bytes(),
                i: 0,
            };
            assert_eq!(sc.number(), Some(t.parse::<f64>().unwrap()), "{t}");
        }
    }

    #[test]
    fn fast_path_declines_what_it_does_not_fully_check() {
        for l in [
            r#"{"delivery":{"phoneCarrier":"AT\u0026T"},"status":"SUCCESS"}"#,
            r#"{"status":"SUCCESS"} x"#,
            r#"{"status":"SUCCESS",}"#,
            r#"{"status":5}"#,
            r#"{"status":"SUCCESS","a":[1]}"#,
            r#"{"notification":{"timestamp":"yesterday"},"status":"SUCCESS"}"#,
            r#"{"delivery":{"mcc":01},"status":"SUCCESS"}"#,
            r#"{"hello":1}"#,
            r#"{"status":"SUCCESS""#,
            "{\"status\":\"SUC\tCESS\"}",
        ] {
            assert!(parse_fast(l).is_none(), "{l}");
        }
    }
}

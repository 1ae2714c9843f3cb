//! Fast path for the common case: a compact record whose strings have no escapes. Most lines of a big
//! export are exactly that, and a specialised scanner reads them several times faster than serde.
//!
//! The scanner accepts only a strict subset of JSON (objects nested at most two deep, string values without
//! backslashes, numbers, `null`/`true`/`false`, spaces between tokens). Anything else, valid or not, returns
//! `None` and the caller falls back to the full parser ([`super::full`]), which also produces the error
//! messages. So the fast path can never accept a line that the full parser would reject, nor read one
//! differently (see the tests).
//!
//! The line's quotes are indexed first ([`super::quotes`]): after that every quote delimits a string, so
//! reading a string is a lookup in that list rather than a scan, and an ASCII line needs no UTF-8
//! validation. Keys go through the field table and values through the one setter ([`Record::set`]).

use std::borrow::Cow;

use super::fields::{field, Field, Object};
use super::quotes::QuoteIndex;
use super::types::{Record, Value};

/// Exact powers of ten up to the 15 fraction digits the fast path takes.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Eight ASCII digits (little-endian word) as their value, or None when any byte is not a digit:
/// the SWAR conversion of simdjson (Lemire), three multiplications instead of eight steps.
#[inline(always)]
fn eight_digits(bytes: &[u8]) -> Option<u64> {
    let v = u64::from_le_bytes(bytes.try_into().ok()?);
    let all_digits = (v & 0xF0F0_F0F0_F0F0_F0F0)
        | ((v.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)
        == 0x3333_3333_3333_3333;
    if !all_digits {
        return None;
    }
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    let v = v - 0x3030_3030_3030_3030;
    let v = v.wrapping_mul(10) + (v >> 8);
    let v =
        ((v & MASK).wrapping_mul(MUL1)).wrapping_add(((v >> 16) & MASK).wrapping_mul(MUL2)) >> 32;
    Some(v & 0xFFFF_FFFF)
}

struct Scan<'a, 'q> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    quotes: &'q [u32],
    /// Next unread entry of `quotes`.
    q: usize,
}

enum Val<'a> {
    Str(&'a str),
    /// A number and its text.
    Num(f64, &'a str),
    Null,
    Bool(bool),
    Object,
}

impl<'a> Scan<'a, '_> {
    /// Only spaces: the line has no other whitespace (control characters were ruled out).
    #[inline]
    fn ws(&mut self) {
        while self.b.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
    }

    /// The byte `c`, after spaces. Compact JSON has none, so that case is tried first.
    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        if self.b.get(self.i) != Some(&c) {
            self.ws();
            if self.b.get(self.i) != Some(&c) {
                return None;
            }
        }
        self.i += 1;
        Some(())
    }

    /// A string; its opening quote is next (after spaces). Escapes and control characters were ruled out
    /// for the whole line, so it ends at the next quote.
    #[inline]
    fn string(&mut self) -> Option<&'a str> {
        let open = *self.quotes.get(self.q)? as usize;
        if open != self.i {
            self.ws();
            if open != self.i {
                return None;
            }
        }
        let close = *self.quotes.get(self.q + 1)? as usize;
        self.q += 2;
        self.i = close + 1;
        debug_assert!(self.s.is_char_boundary(open + 1) && self.s.is_char_boundary(close));
        // SAFETY: both ends sit next to ASCII quotes inside `s`, so they are char boundaries, and
        // open < close <= len because the quote positions come from this line in increasing order.
        Some(unsafe { self.s.get_unchecked(open + 1..close) })
    }

    /// A JSON number. Integers and plain decimals of up to 15 significant digits (every count, code,
    /// duration and price in these logs) are read in one pass; anything else goes to `str::parse`.
    #[inline]
    fn number(&mut self) -> Option<f64> {
        let b = self.b;
        let start = self.i;
        let neg = b.get(start) == Some(&b'-');
        let int_start = start + usize::from(neg);
        // Digits of the integer part, then of the fraction, as one integer (wrapping past 19 digits:
        // only used below 16).
        let mut mantissa = 0u64;
        let digits = |mut i: usize, m: &mut u64| {
            // Eight at a time while they last (epoch-ms timestamps have 13).
            while let Some(d8) = b.get(i..i + 8).and_then(eight_digits) {
                *m = m.wrapping_mul(100_000_000).wrapping_add(d8);
                i += 8;
            }
            while let Some(d) = b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d <= 9) {
                *m = m.wrapping_mul(10).wrapping_add(u64::from(d));
                i += 1;
            }
            i
        };
        let mut i = digits(int_start, &mut mantissa);
        let int_len = i - int_start;
        // JSON forbids leading zeros ("01") and empty integer parts.
        if int_len == 0 || (int_len > 1 && b[int_start] == b'0') {
            return None;
        }
        let mut frac_len = 0;
        if b.get(i) == Some(&b'.') {
            let f = i + 1;
            i = digits(f, &mut mantissa);
            frac_len = i - f;
            if frac_len == 0 {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let e = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == e {
                return None;
            }
            self.i = i;
            return self.s.get(start..i)?.parse().ok();
        }
        self.i = i;
        if int_len + frac_len > 15 {
            return self.s.get(start..i)?.parse().ok();
        }
        // Below 2^53 the mantissa is exact, and so is a power of ten up to 10^15: one division is
        // correctly rounded (Clinger's fast path), as `str::parse` would give. Integers need none.
        let v = if frac_len == 0 {
            mantissa as f64
        } else {
            mantissa as f64 / POW10[frac_len]
        };
        Some(if neg { -v } else { v })
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
    #[inline(always)]
    fn value(&mut self) -> Option<Val<'a>> {
        // Spaces are matched like any other byte: compact JSON pays nothing for them.
        loop {
            return match *self.b.get(self.i)? {
                b' ' => {
                    self.i += 1;
                    continue;
                }
                b'"' => self.string().map(Val::Str),
                b'{' => Some(Val::Object),
                b'n' => self.literal(b"null").map(|_| Val::Null),
                b't' => self.literal(b"true").map(|_| Val::Bool(true)),
                b'f' => self.literal(b"false").map(|_| Val::Bool(false)),
                b'-' | b'0'..=b'9' => {
                    let start = self.i;
                    let n = self.number()?;
                    Some(Val::Num(n, self.s.get(start..self.i)?))
                }
                _ => None,
            };
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
            loop {
                match *self.b.get(self.i)? {
                    b' ' => self.i += 1,
                    b',' => {
                        self.i += 1;
                        break;
                    }
                    b'}' => {
                        self.i += 1;
                        return Some(());
                    }
                    _ => return None,
                }
            }
        }
    }

    /// Skips a value of an unknown key: scalars, or an object of scalars.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_nested(3)
    }

    /// A scalar, or an object of up to `depth` levels of objects and scalars.
    fn skip_nested(&mut self, depth: u32) -> Option<()> {
        match self.value()? {
            Val::Object if depth > 0 => self.object(|s, _| s.skip_nested(depth - 1)),
            Val::Object => None,
            _ => Some(()),
        }
    }
}

/// A field's value, as the setter takes it; `None` (a boolean or an object) = let the full parser decide.
#[inline(always)]
fn scalar(v: Val<'_>) -> Option<Value<'_>> {
    match v {
        Val::Str(s) => Some(Value::Str(Cow::Borrowed(s))),
        Val::Num(n, text) => Some(Value::Num(n, Some(text))),
        Val::Null => Some(Value::Null),
        Val::Bool(b) => Some(Value::Bool(b)),
        Val::Object => None,
    }
}

/// The fast path. `None` means "let the full parser decide".
pub fn parse_fast(text: &str) -> Option<Record<'_>> {
    let mut rec = Record::default();
    parse_fast_bytes(text.as_bytes(), &mut rec).then_some(rec)
}

/// The fast path on raw bytes, which need not be UTF-8, into `rec` (in place: records are big); false
/// means "let the full parser decide" (`rec` is then partly filled). A line with non-ASCII bytes is
/// validated here; an ASCII one (nearly all of them) needs no validation.
pub fn parse_fast_bytes<'a>(bytes: &'a [u8], rec: &mut Record<'a>) -> bool {
    let mut ix = QuoteIndex::new();
    if ix.fill(bytes).is_none() {
        return false;
    }
    let text = if ix.ascii {
        // SAFETY: every byte is below 0x80, and ASCII is valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => return false,
        }
    };
    scan_record(text, ix.quotes(), rec)
}

/// One `"key": value` of `object`: a modelled field goes through the setter (a value it refuses makes the
/// fast path decline), anything else is skipped and named.
#[inline(always)]
fn member<'a>(
    sc: &mut Scan<'a, '_>,
    rec: &mut Record<'a>,
    object: Object,
    key: &'a str,
) -> Option<()> {
    match field(object, key) {
        Some(Field::Ignored) => sc.skip_value(),
        Some(f) => rec.set(f, scalar(sc.value()?)?).ok(),
        None => {
            sc.skip_value()?;
            rec.unknown_keys.push(match object {
                Object::Top => Cow::Borrowed(key),
                _ => Cow::Owned(object.qualified(key)),
            });
            Some(())
        }
    }
}

fn scan_record<'a>(text: &'a str, quotes: &[u32], rec: &mut Record<'a>) -> bool {
    let mut sc = Scan {
        s: text,
        b: text.as_bytes(),
        i: 0,
        quotes,
        q: 0,
    };
    let mut seen = false;
    sc.object(|sc, key| {
        if let Some(object) = Object::named(key) {
            seen |= object.marks_record();
            sc.object(|sc, k| member(sc, rec, object, k))
        } else {
            seen |= field(Object::Top, key).is_some_and(Field::marks_record);
            member(sc, rec, Object::Top, key)
        }
    })
    .is_some()
        && {
            sc.ws();
            sc.i == sc.b.len() && seen
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::full::parse_record_full;

    const LINES: &[&str] = &[
        r#"{"notification":{"messageId":"34d9b400-c6dd-5444-820d-fbeb0f1f54cf","timestamp":"2016-06-28 00:40:34.558"},"delivery":{"phoneCarrier":"My Phone Carrier","mnc":270,"numberOfMessageParts":1,"destination":"+1XXX5550100","priceInUSD":0.00645,"smsType":"Transactional","mcc":310,"providerResponse":"Message has been accepted by phone carrier","dwellTimeMs":599,"dwellTimeMsUntilDeviceAck":1344},"status":"SUCCESS"}"#,
        r#"{"notification":{"messageId":"8c1de487-da4b-5c67-9d2a-b95f017e32b3","timestamp":"2023-11-23 04:45:41.264"},"delivery":{"destination":"+6580000000","smsType":"Transactional","providerResponse":"No quota left for account","dwellTimeMs":118},"status":"FAILURE"}"#,
        r#"{"notification":{"timestamp":"2019-08-14 16:59:01.3"},"delivery":{"mcc":"404","mnc":"31","priceInUSD":"0.00223","extra":{"a":1}},"status":"SUCCESS","x":1}"#,
        r#" { "status" : "FAILURE" , "delivery" : { "priceInUSD" : 1e-3 , "mnc" : 1 } } "#,
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
            "0",
            "-0",
            "7",
            "310",
            "-12",
            "999999999999999",
            "1234567890123456789",
            "1772323202700",
            "17723232027",
            "12345678",
            "99999999.5",
            "100000000",
            "0.12345678901",
            "-98765432109",
            "12345678901234567890123",
            "0.1234567890123456",
            "1e3",
            "1.5E-2",
            "-2.5e+10",
        ] {
            let mut sc = Scan {
                s: t,
                b: t.as_bytes(),
                i: 0,
                quotes: &[],
                q: 0,
            };
            assert_eq!(sc.number(), Some(t.parse::<f64>().unwrap()), "{t}");
        }
    }

    #[test]
    fn eight_digits_at_once_agree_with_one_at_a_time() {
        for t in ["00000000", "12345678", "99999999", "01020304", "90000009"] {
            assert_eq!(eight_digits(t.as_bytes()), t.parse().ok(), "{t}");
        }
        for t in [
            "1234567a",
            "/2345678",
            ":2345678",
            "1234 678",
            "1234567.",
            "\x7f2345678",
        ] {
            assert_eq!(eight_digits(&t.as_bytes()[..8]), None, "{t}");
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
            "{\"status\":\t\"SUCCESS\"}",
        ] {
            assert!(parse_fast(l).is_none(), "{l}");
        }
    }

    #[test]
    fn non_ascii_lines_are_read_from_bytes_and_invalid_utf8_is_declined() {
        let line = "{\"delivery\":{\"phoneCarrier\":\"Telcel Am\u{e9}rica M\u{f3}vil\",\"destination\":\"+525512345678\"},\"status\":\"SUCCESS\",\"notification\":{\"timestamp\":\"2026-03-01 00:00:01.415\"}}";
        let mut fast = Record::default();
        assert!(parse_fast_bytes(line.as_bytes(), &mut fast), "fast path");
        assert_eq!(
            fast.carrier.as_deref(),
            Some("Telcel Am\u{e9}rica M\u{f3}vil")
        );
        assert_eq!(Some(fast), parse_record_full(line).ok());
        let mut bad = line.as_bytes().to_vec();
        let at = bad
            .iter()
            .position(|&c| c == 0xc3)
            .expect("an accented letter");
        bad[at] = 0xff;
        assert!(!parse_fast_bytes(&bad, &mut Record::default()));
    }

    #[test]
    fn a_line_with_more_quotes_than_the_index_holds_takes_the_full_parser() {
        let extra: String = (0..60).map(|k| format!(",\"k{k}\":\"v\"")).collect();
        let line = format!("{{\"status\":\"SUCCESS\"{extra}}}");
        assert!(parse_fast(&line).is_none());
        assert!(parse_record_full(&line).is_ok());
    }
}

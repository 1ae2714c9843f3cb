//! Fast path for the common case: a compact record whose strings have no escapes. Most lines of a big
//! export are exactly that, and a specialised scanner reads them several times faster than serde.
//!
//! The scanner accepts only a strict subset of JSON (objects nested at most two deep, string values without
//! backslashes, numbers, `null`/`true`/`false`, spaces between tokens). Anything else, valid or not, returns
//! `None` and the caller falls back to [`crate::record::parse_record`], which also produces the error
//! messages. So the fast path can never accept a line that the full parser would reject, nor read one
//! differently (see the tests).
//!
//! One pass over the line, 16 bytes at a time, finds every `"` and rules out backslashes and control
//! characters; after that every quote delimits a string, so reading a string is a lookup in that list
//! rather than a scan. The same pass tells whether the line is ASCII, which spares the UTF-8 validation.

use std::borrow::Cow;
use std::mem::MaybeUninit;

use crate::record::{to_i64, to_u32, Record, Status};
use crate::timefmt::parse_timestamp_ms;

/// Exact powers of ten up to the 15 fraction digits the fast path takes.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Quotes a line may hold (a full record has 44); a line with more takes the full parser.
const MAX_QUOTES: usize = 96;

/// Slots past `MAX_QUOTES`: a 64-byte block writes 8 positions without looking at how many it has.
const SLACK: usize = 8;

/// Where the quotes of a line are, and whether it has any byte >= 0x80. Built in place (uninitialised
/// slots, no copy): it sits on the hot path of every line.
struct QuoteIndex {
    at: [MaybeUninit<u32>; MAX_QUOTES + SLACK],
    len: usize,
    ascii: bool,
}

impl QuoteIndex {
    fn new() -> QuoteIndex {
        QuoteIndex {
            at: [const { MaybeUninit::uninit() }; MAX_QUOTES + SLACK],
            len: 0,
            ascii: true,
        }
    }

    /// The quotes found so far, in order.
    fn quotes(&self) -> &[u32] {
        // SAFETY: the first `len` slots were written (`push`, `push_block`) before `len` grew past them.
        unsafe { std::slice::from_raw_parts(self.at.as_ptr().cast::<u32>(), self.len) }
    }

    /// Indexes `b`. `None` if the line has a backslash or a control character, more quotes than fit, or
    /// is too long to index (4 GiB).
    #[inline(always)]
    fn fill(&mut self, b: &[u8]) -> Option<()> {
        u32::try_from(b.len()).ok()?;
        #[cfg(target_arch = "x86_64")]
        return self.index_x86(b);
        #[cfg(not(target_arch = "x86_64"))]
        {
            for (k, &c) in b.iter().enumerate() {
                match c {
                    b'"' => self.push(k as u32)?,
                    b'\\' | 0..=0x1f => return None,
                    0x80.. => self.ascii = false,
                    _ => {}
                }
            }
            Some(())
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn push(&mut self, at: u32) -> Option<()> {
        if self.len >= MAX_QUOTES {
            return None;
        }
        self.at[self.len].write(at);
        self.len += 1;
        Some(())
    }

    /// The quotes of a 64-byte block at `base`, as a bit mask. Eight slots are written whatever the count
    /// (a line of JSON has a few quotes per block), so the loop has no branch that depends on the data.
    #[inline(always)]
    fn push_block(&mut self, base: u32, mut mask: u64) -> Option<()> {
        if self.len > MAX_QUOTES {
            return None;
        }
        let count = mask.count_ones() as usize;
        for slot in &mut self.at[self.len..self.len + SLACK] {
            slot.write(base.wrapping_add(mask.trailing_zeros()));
            mask &= mask.wrapping_sub(1);
        }
        let mut k = self.len + SLACK;
        while mask != 0 {
            self.at
                .get_mut(k)?
                .write(base.wrapping_add(mask.trailing_zeros()));
            mask &= mask - 1;
            k += 1;
        }
        self.len += count;
        Some(())
    }

    /// The whole line, 64 bytes at a time (the tail re-reads the end of the line); `masks` gives a block's
    /// (quotes, backslashes or control bytes, high bytes) bit masks.
    #[inline(always)]
    fn index_blocks(
        &mut self,
        b: &[u8],
        masks: impl Fn(&[u8; 64]) -> (u64, u64, u64),
    ) -> Option<()> {
        let mut high = 0u64;
        let mut i = 0;
        while i + 64 <= b.len() {
            let (quotes, bad, hi) = masks(b[i..i + 64].try_into().ok()?);
            if bad != 0 {
                return None;
            }
            high |= hi;
            self.push_block(i as u32, quotes)?;
            i += 64;
        }
        if i < b.len() {
            // The tail: the line's last 64 bytes, minus those already indexed; a line shorter than a
            // block is padded with spaces.
            let (quotes, bad, hi) = if b.len() >= 64 {
                let skip = i - (b.len() - 64);
                let (q, bad, hi) = masks(b[b.len() - 64..].try_into().ok()?);
                (q >> skip, bad >> skip, hi >> skip)
            } else {
                let mut padded = [b' '; 64];
                padded[..b.len()].copy_from_slice(b);
                masks(&padded)
            };
            if bad != 0 {
                return None;
            }
            high |= hi;
            self.push_block(i as u32, quotes)?;
        }
        self.ascii = high == 0;
        Some(())
    }

    /// 32 bytes at a time where the processor has AVX2 (checked at run time), else 16 with SSE2, which
    /// every x86_64 has.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn index_x86(&mut self, b: &[u8]) -> Option<()> {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2 (just checked).
            unsafe { self.index_avx2(b) }
        } else {
            self.index_blocks(b, masks_sse2)
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn index_avx2(&mut self, b: &[u8]) -> Option<()> {
        self.index_blocks(b, |block| masks_avx2(block))
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks_sse2(block: &[u8; 64]) -> (u64, u64, u64) {
    use std::arch::x86_64::*;
    let (mut quotes, mut bad, mut high) = (0u64, 0u64, 0u64);
    // SAFETY: SSE2 is always available on x86_64; each load reads 16 bytes inside `block`.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let max_control = _mm_set1_epi8(0x1f);
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
            // min(v, 0x1f) == v exactly when v <= 0x1f (unsigned).
            let b = _mm_or_si128(
                _mm_cmpeq_epi8(v, backslash),
                _mm_cmpeq_epi8(_mm_min_epu8(v, max_control), v),
            );
            let mask = |m: __m128i| u64::from(_mm_movemask_epi8(m) as u16) << (16 * k);
            bad |= mask(b);
            high |= mask(v);
            quotes |= mask(_mm_cmpeq_epi8(v, quote));
        }
    }
    (quotes, bad, high)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn masks_avx2(block: &[u8; 64]) -> (u64, u64, u64) {
    use std::arch::x86_64::*;
    let (mut quotes, mut bad, mut high) = (0u64, 0u64, 0u64);
    // SAFETY: each load reads 32 bytes inside `block`; AVX2 is enabled for this function.
    unsafe {
        let quote = _mm256_set1_epi8(b'"' as i8);
        let backslash = _mm256_set1_epi8(b'\\' as i8);
        let max_control = _mm256_set1_epi8(0x1f);
        for k in 0..2 {
            let v = _mm256_loadu_si256(block.as_ptr().add(32 * k).cast());
            let b = _mm256_or_si256(
                _mm256_cmpeq_epi8(v, backslash),
                _mm256_cmpeq_epi8(_mm256_min_epu8(v, max_control), v),
            );
            let mask = |m: __m256i| u64::from(_mm256_movemask_epi8(m) as u32) << (32 * k);
            bad |= mask(b);
            high |= mask(v);
            quotes |= mask(_mm256_cmpeq_epi8(v, quote));
        }
    }
    (quotes, bad, high)
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
    Num(f64),
    Null,
    Bool,
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
                b't' => self.literal(b"true").map(|_| Val::Bool),
                b'f' => self.literal(b"false").map(|_| Val::Bool),
                b'-' | b'0'..=b'9' => self.number().map(Val::Num),
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

    /// The 16-byte pass and the byte-by-byte tail must find the same quotes wherever they fall.
    #[test]
    fn quote_index_finds_every_quote_at_every_offset() {
        for len in 0..140 {
            for at in 0..len {
                let mut line = vec![b'a'; len];
                line[at] = b'"';
                if at + 3 < len {
                    line[at + 3] = b'"';
                }
                let want: Vec<u32> = (0..len as u32)
                    .filter(|&k| line[k as usize] == b'"')
                    .collect();
                let index = |line: &[u8]| {
                    let mut ix = QuoteIndex::new();
                    ix.fill(line).map(|()| (ix.quotes().to_vec(), ix.ascii))
                };
                let (quotes, ascii) = index(&line).expect("no bad bytes");
                assert_eq!(quotes, want, "len {len} quote at {at}");
                assert!(ascii);
                for bad in [b'\\', b'\n', 0x01, 0x1f] {
                    let mut b = line.clone();
                    b[at] = bad;
                    assert!(index(&b).is_none(), "len {len} byte {bad:#x} at {at}");
                }
                let mut b = line.clone();
                b[at] = 0xe9;
                assert!(!index(&b).expect("high bytes are fine").1);
            }
        }
    }

    /// Both instruction sets classify every byte value alike, wherever it sits in a block.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn sse2_and_avx2_masks_agree() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        for byte in 0..=255u8 {
            for at in [0, 15, 16, 31, 32, 47, 48, 63] {
                let mut block = [b'a'; 64];
                block[at] = byte;
                // SAFETY: the processor has AVX2 (checked above).
                let avx2 = unsafe { masks_avx2(&block) };
                assert_eq!(masks_sse2(&block), avx2, "byte {byte:#x} at {at}");
            }
        }
    }

    #[test]
    fn a_block_dense_with_quotes_is_indexed_whole() {
        // 32 quotes in the first 64 bytes, more than the 8 written unconditionally.
        let line = format!("{}{}", "\"\"".repeat(16), "\"a\"".repeat(20));
        let mut ix = QuoteIndex::new();
        ix.fill(line.as_bytes()).expect("no bad bytes");
        let want: Vec<u32> = (0..line.len() as u32)
            .filter(|&k| line.as_bytes()[k as usize] == b'"')
            .collect();
        assert_eq!(ix.quotes(), want);
    }

    #[test]
    fn a_line_with_more_quotes_than_the_index_holds_takes_the_full_parser() {
        let extra: String = (0..60).map(|k| format!(",\"k{k}\":\"v\"")).collect();
        let line = format!("{{\"status\":\"SUCCESS\"{extra}}}");
        assert!(parse_fast(&line).is_none());
        assert!(parse_record_full(&line).is_ok());
    }
}

//! Destination numbers as `u64` keys. A plain E.164 number (up to 15 digits, optional `+`) is packed exactly
//! and reversibly, so millions of records cost no string allocation; anything else (documentation-masked
//! numbers like `+1XXX5550100`) gets a hash key, and its text is kept once in a side table.

use std::hash::Hasher;

use crate::frame::dict::FxHasher;

/// No destination in the record.
pub const NONE: u64 = 0;
const HASHED: u64 = 1 << 63;
const PLUS: u64 = 1 << 58;
const LEN_SHIFT: u32 = 59;
const DIGITS_MASK: u64 = (1 << 58) - 1;

/// The key, and whether it is a hash (the caller must keep the text).
#[inline]
pub fn key(dest: Option<&str>) -> (u64, bool) {
    let Some(d) = dest else { return (NONE, false) };
    let b = d.as_bytes();
    let (plus, digits) = match b.first() {
        Some(b'+') => (PLUS, &b[1..]),
        _ => (0, b),
    };
    if !digits.is_empty() && digits.len() <= 15 && digits.iter().all(u8::is_ascii_digit) {
        let v = digits.iter().fold(0u64, |v, c| v * 10 + (c - b'0') as u64);
        return (((digits.len() as u64) << LEN_SHIFT) | plus | v, false);
    }
    let mut h = FxHasher::default();
    h.write(b);
    (HASHED | (h.finish() >> 1), true)
}

/// The digits of a packed key as a number, and how many digits it has (leading zeros count); None for
/// hashed keys and `NONE`. Numbers that share a prefix are then close: `+8801712345678 / 1000` is its
/// block of a thousand.
pub fn digits(k: u64) -> Option<(u64, usize)> {
    if k == NONE || k & HASHED != 0 {
        return None;
    }
    Some((k & DIGITS_MASK, (k >> LEN_SHIFT) as usize & 0xf))
}

/// The number a packed key stands for; None for hashed keys and `NONE`.
pub fn decode(k: u64) -> Option<String> {
    let mut s = String::new();
    decode_into(k, &mut s).then_some(s)
}

/// [`decode`] into `out` (appended); false, with `out` untouched, for hashed keys and `NONE`.
pub fn decode_into(k: u64, out: &mut String) -> bool {
    if k == NONE || k & HASHED != 0 {
        return false;
    }
    let len = (k >> LEN_SHIFT) as usize & 0xf;
    if k & PLUS != 0 {
        out.push('+');
    }
    let digits = k & DIGITS_MASK;
    use std::fmt::Write;
    let _ = write!(out, "{digits:0len$}");
    true
}

/// The key of a recipient known only by its dataset pseudonym (non-negative, 63 bits): a hashed key
/// that gives the pseudonym back ([`pseudonym_of`]).
pub fn from_pseudonym(p: i64) -> u64 {
    HASHED | (p as u64 & !HASHED)
}

/// The pseudonym behind a hashed key made by [`from_pseudonym`].
pub fn pseudonym_of(k: u64) -> Option<i64> {
    (k & HASHED != 0).then_some((k & !HASHED) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_e164_and_keeps_leading_zeros() {
        for n in [
            "+16175550118",
            "+6580000000",
            "0044123",
            "+1",
            "+999999999999999",
        ] {
            let (k, hashed) = key(Some(n));
            assert!(!hashed);
            assert_eq!(decode(k).as_deref(), Some(n));
        }
        assert_ne!(key(Some("+16175550118")).0, key(Some("16175550118")).0);
        assert_eq!(
            digits(key(Some("+8801712345678")).0),
            Some((8801712345678, 13))
        );
        assert_eq!(digits(key(Some("+1XXX5550100")).0), None);
        let (k, hashed) = key(Some("+1XXX5550100"));
        assert!(hashed && decode(k).is_none());
        assert_eq!(key(None), (NONE, false));
    }

    #[test]
    fn pseudonym_keys_give_the_pseudonym_back_and_are_never_none() {
        for p in [0, 1, 123_456_789, i64::MAX] {
            let k = from_pseudonym(p);
            assert_ne!(k, NONE);
            assert_eq!(pseudonym_of(k), Some(p));
            assert_eq!(decode(k), None);
        }
    }
}

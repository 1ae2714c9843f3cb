//! Overlapping exports repeat records: the same delivery must be counted once.
//!
//! A record's identity is its messageId (a UUID, parsed without hashing), mixed with its event time and
//! outcome, folded to 64 bits; records without a usable id are identified by a 64-bit hash of all their
//! fields. At 64 bits, two different records collide with odds of about n²/2⁶⁵ (1 in 10⁷ at 2 million
//! records), and the set costs 8 bytes a record.
//!
//! The set is split by the hour of the event (the time is part of a record's identity, so copies land in the
//! same part). Exports are roughly in time order, so the part being filled is small and stays in cache,
//! where one big table costs a cache miss a record; hours are spread over shards so workers rarely wait.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Mutex;

use crate::domain::time::HOUR_MS;
use crate::frame::dict::FxHashMap;
use crate::record::Record;

const SHARDS: usize = 64;

/// Keys are already well mixed: they are their own hash.
#[derive(Default)]
pub(super) struct Identity(u64);

impl Hasher for Identity {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of such keys (record identities here, message keys in `messages`).
pub(super) type KeySet = HashSet<u64, BuildHasherDefault<Identity>>;

pub struct DedupeSet {
    /// Shard = hour mod SHARDS; within it, one small set per hour.
    shards: Vec<Mutex<FxHashMap<i64, KeySet>>>,
}

impl Default for DedupeSet {
    fn default() -> Self {
        DedupeSet {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(FxHashMap::default()))
                .collect(),
        }
    }
}

impl DedupeSet {
    /// True the first time a key is seen; `time_ms` is the record's event time (part of its key).
    pub fn insert(&self, time_ms: i64, key: u64) -> bool {
        let hour = time_ms.div_euclid(HOUR_MS);
        let shard = hour.rem_euclid(SHARDS as i64) as usize;
        // A poisoned shard means another worker panicked; the run is failing anyway.
        let mut s = self.shards[shard].lock().unwrap_or_else(|p| p.into_inner());
        s.entry(hour).or_default().insert(key)
    }

    /// `insert` for many (time, key) pairs, e.g. a dataset's rows, which come in time order: one lock per
    /// run of the same hour. `fresh[i]` says whether the i-th was new.
    pub fn insert_many(&self, items: &[(i64, u64)], fresh: &mut Vec<bool>) {
        fresh.clear();
        fresh.reserve(items.len());
        let mut rest = items;
        while let Some(&(t, _)) = rest.first() {
            let hour = t.div_euclid(HOUR_MS);
            let run = rest
                .iter()
                .position(|(t, _)| t.div_euclid(HOUR_MS) != hour)
                .unwrap_or(rest.len());
            let shard = hour.rem_euclid(SHARDS as i64) as usize;
            let mut s = self.shards[shard].lock().unwrap_or_else(|p| p.into_inner());
            let set = s.entry(hour).or_default();
            fresh.extend(rest[..run].iter().map(|&(_, k)| set.insert(k)));
            drop(s);
            rest = &rest[run..];
        }
    }
}

fn mix64(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Eight ASCII hex digits (either case) to their value, eight at a time in one `u64` (SWAR); None if any
/// byte is not a hex digit.
fn hex8(chunk: [u8; 8]) -> Option<u32> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_le_bytes(chunk);
    if x & HIGH != 0 {
        return None;
    }
    // With every byte below 0x80, adding (0x80 - c) to each byte sets its high bit exactly when it is >= c,
    // and nothing carries over. Letters are tested lower-cased (`| 0x20` maps exactly 'A'..'F' and 'a'..'f'
    // onto 'a'..'f'); digits as they are (it would map 0x10..0x19 onto them).
    let at_least = |v: u64, c: u8| v.wrapping_add(ONES * (0x80 - u64::from(c))) & HIGH;
    let l = x | (ONES * 0x20);
    let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
    let letter = at_least(l, b'a') & !at_least(l, b'f' + 1);
    if digit | letter != HIGH {
        return None;
    }
    // Each byte's value: its low nibble, plus 9 for a letter ('a' = 0x61 → 1 + 9).
    let nibbles = (l & (ONES * 0x0f)) + (letter >> 7) * 9;
    // First character most significant: to big-endian, then fold nibble pairs, byte pairs, halves.
    let n = nibbles.swap_bytes();
    let n = (n | (n >> 4)) & 0x00ff_00ff_00ff_00ff;
    let n = (n | (n >> 8)) & 0x0000_ffff_0000_ffff;
    Some((n | (n >> 16)) as u32)
}

/// A message id in the UUID form SNS writes (8-4-4-4-12 hex digits, either case), as its value.
pub fn parse_uuid(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    // The 32 digits without the dashes (8-4-4-4-12), then four groups of eight.
    let mut digits = [0u8; 32];
    digits[0..8].copy_from_slice(&b[0..8]);
    digits[8..12].copy_from_slice(&b[9..13]);
    digits[12..16].copy_from_slice(&b[14..18]);
    digits[16..20].copy_from_slice(&b[19..23]);
    digits[20..32].copy_from_slice(&b[24..36]);
    let mut v = 0u128;
    for chunk in digits.chunks_exact(8) {
        let chunk: [u8; 8] = chunk.try_into().ok()?;
        v = (v << 32) | u128::from(hex8(chunk)?);
    }
    Some(v)
}

/// Identity of a message with a UUID message id: the id, event time and outcome (`Status as u64`, or 2
/// for a record that states none). The same for a record and for a dataset's row of it, so re-exports and
/// merged datasets dedupe against raw records.
#[inline]
pub fn id_key(message_id: &str, time_ms: i64, outcome: u64) -> Option<u64> {
    let id = parse_uuid(message_id)?;
    let salt = (time_ms as u64) ^ (outcome << 62);
    Some(mix64((id as u64) ^ mix64((id >> 64) as u64 ^ salt)))
}

/// Identity of a record for dedupe. `time_ms` is the resolved event time.
pub fn record_key(rec: &Record<'_>, time_ms: i64) -> u64 {
    let outcome = rec.status.map_or(2u64, |s| s as u64);
    if let Some(k) = rec
        .message_id
        .as_deref()
        .and_then(|id| id_key(id, time_ms, outcome))
    {
        return k;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        time_ms,
        outcome,
        rec.message_id.as_deref(),
        rec.provider_response.as_deref(),
        rec.destination.as_deref(),
        rec.carrier.as_deref(),
        rec.sms_type.as_deref(),
    )
        .hash(&mut h);
    (
        rec.mcc.as_deref(),
        rec.mnc.as_deref(),
        rec.parts,
        rec.dwell_ms,
        rec.dwell_ack_ms,
        rec.price_usd.map(f64::to_bits),
    )
        .hash(&mut h);
    mix64(h.finish())
}

/// Identity of anything without a UUID message id, from a hash of its fields (a dataset's row).
pub fn hashed_key(fields: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    fields.hash(&mut h);
    mix64(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_record;

    #[test]
    fn same_record_same_key_different_outcome_different_key() {
        let a = parse_record(r#"{"notification":{"messageId":"34d9b400-c6dd-5444-820d-fbeb0f1f54cf","timestamp":"2016-06-28 00:40:34.558"},"status":"SUCCESS"}"#).unwrap();
        let b = parse_record(r#"{"notification":{"messageId":"34d9b400-c6dd-5444-820d-fbeb0f1f54cf","timestamp":"2016-06-28 00:40:34.558"},"status":"FAILURE"}"#).unwrap();
        let set = DedupeSet::default();
        let key = |r: &Record<'_>| record_key(r, 1);
        assert!(set.insert(1, key(&a)));
        assert!(!set.insert(1, key(&a)));
        assert!(set.insert(1, key(&b)));
    }

    #[test]
    fn many_at_once_is_the_same_as_one_by_one() {
        let h = HOUR_MS;
        let items = [(1, 7), (2, 8), (h + 1, 7), (h + 2, 7), (3, 8), (5 * h, 9)];
        let set = DedupeSet::default();
        let mut fresh = Vec::new();
        set.insert_many(&items, &mut fresh);
        assert_eq!(fresh, vec![true, true, true, false, false, true]);
        set.insert_many(&items[..1], &mut fresh);
        assert_eq!(fresh, vec![false]);
    }

    #[test]
    fn uuids_parse_to_their_value() {
        assert_eq!(
            parse_uuid("34d9b400-c6dd-5444-820d-fbeb0f1f54cf"),
            Some(0x34d9b400c6dd5444820dfbeb0f1f54cf)
        );
        assert_eq!(
            parse_uuid("34D9B400-C6DD-5444-820D-FBEB0F1F54CF"),
            Some(0x34d9b400c6dd5444820dfbeb0f1f54cf)
        );
        assert_eq!(parse_uuid("34d9b400-c6dd-5444-820d-fbeb0f1f54cg"), None);
        assert_eq!(parse_uuid("34d9b400c6dd-5444-820d-fbeb0f1f54cf0"), None);
    }

    /// Every byte value in every digit position: hex digits of either case read as their value, anything
    /// else (including the characters just outside the ranges, '/', ':', '@', 'G', '`', 'g') is no UUID.
    #[test]
    fn hex_digits_are_read_exactly_and_nothing_else_is() {
        let base = *b"0123456789abcdefABCDEF0123456789";
        for at in 0..32 {
            for byte in 0..=255u8 {
                let mut digits = base;
                digits[at] = byte;
                let want = (byte as char).to_digit(16).map(|_| {
                    digits.iter().fold(0u128, |v, &c| {
                        (v << 4) | u128::from((c as char).to_digit(16).unwrap_or(0))
                    })
                });
                let mut text = Vec::new();
                for (i, &c) in digits.iter().enumerate() {
                    if matches!(i, 8 | 12 | 16 | 20) {
                        text.push(b'-');
                    }
                    text.push(c);
                }
                // Bytes >= 0x80 alone are not UTF-8: such ids never reach the parser.
                if let Ok(text) = std::str::from_utf8(&text) {
                    assert_eq!(parse_uuid(text), want, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn records_without_ids_hash_all_fields() {
        let a = parse_record(
            r#"{"delivery":{"destination":"+1","providerResponse":"x"},"status":"FAILURE"}"#,
        )
        .unwrap();
        let b = parse_record(
            r#"{"delivery":{"destination":"+2","providerResponse":"x"},"status":"FAILURE"}"#,
        )
        .unwrap();
        assert_ne!(record_key(&a, 5), record_key(&b, 5));
        assert_eq!(record_key(&a, 5), record_key(&a, 5));
    }
}

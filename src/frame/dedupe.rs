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

use crate::dict::FxHashMap;
use crate::record::Record;
use crate::timefmt::HOUR_MS;

const SHARDS: usize = 64;

/// Keys are already well mixed: they are their own hash.
#[derive(Default)]
struct Identity(u64);

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

type KeySet = HashSet<u64, BuildHasherDefault<Identity>>;

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
}

fn mix64(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Hex digit values; 0xff for anything else.
static HEX: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

fn parse_uuid(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    // Two 64-bit halves: 8-4-4 and 4-12 hex digits. Invalid digits are or-ed into `bad` (their table
    // value has high bits) and checked once, so the loop has no branch per digit.
    let mut bad = 0u8;
    let mut half = |parts: &[&[u8]]| -> u64 {
        let mut v = 0u64;
        for part in parts {
            for &c in *part {
                let d = HEX[c as usize];
                bad |= d;
                v = (v << 4) | u64::from(d & 0xf);
            }
        }
        v
    };
    let hi = half(&[&b[0..8], &b[9..13], &b[14..18]]);
    let lo = half(&[&b[19..23], &b[24..36]]);
    (bad & 0xf0 == 0).then_some(((hi as u128) << 64) | lo as u128)
}

/// Identity of a record for dedupe. `time_ms` is the resolved event time.
pub fn record_key(rec: &Record<'_>, time_ms: i64) -> u64 {
    let outcome = rec.status.map_or(2u64, |s| s as u64);
    if let Some(id) = rec.message_id.as_deref().and_then(parse_uuid) {
        let salt = (time_ms as u64) ^ (outcome << 62);
        return mix64((id as u64) ^ mix64((id >> 64) as u64 ^ salt));
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
        rec.mcc,
        rec.mnc,
        rec.parts,
        rec.dwell_ms,
        rec.dwell_ack_ms,
        rec.price_usd.map(f64::to_bits),
    )
        .hash(&mut h);
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
        assert!(set.insert(1, record_key(&a, 1)));
        assert!(!set.insert(1, record_key(&a, 1)));
        assert!(set.insert(1, record_key(&b, 1)));
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

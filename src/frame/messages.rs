//! Messages of event-stream sources (End User Messaging, Pinpoint), which write several events per message:
//! a message counts once, with its final event; events that only say it is under way are remembered, so
//! that a message with no final event in the data is told apart ("no final outcome yet").

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use super::dedupe::parse_uuid;
use super::dict::FxHasher;

const SHARDS: usize = 16;

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

#[derive(Default)]
struct Shard {
    finals: KeySet,
    in_flight: KeySet,
}

/// Which messages have had their final event, and which only in-flight ones.
pub struct Messages {
    shards: Vec<Mutex<Shard>>,
}

impl Default for Messages {
    fn default() -> Self {
        Messages {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }
}

/// A message id as a 64-bit key: a UUID's own bits folded, anything else hashed.
pub fn message_key(id: &str) -> u64 {
    match parse_uuid(id) {
        Some(u) => {
            let x = (u as u64) ^ ((u >> 64) as u64).rotate_left(17);
            x ^ (x >> 29)
        }
        None => {
            let mut h = FxHasher::default();
            h.write(id.as_bytes());
            h.write_u64(id.len() as u64);
            h.finish()
        }
    }
}

impl Messages {
    fn shard(&self, key: u64) -> std::sync::MutexGuard<'_, Shard> {
        // A poisoned shard means another worker panicked; the run is failing anyway.
        self.shards[(key % SHARDS as u64) as usize]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// True the first time a final event of this message is seen.
    pub fn final_once(&self, key: u64) -> bool {
        self.shard(key).finals.insert(key)
    }

    pub fn in_flight(&self, key: u64) {
        self.shard(key).in_flight.insert(key);
    }

    /// Messages seen only in flight.
    pub fn without_final(&self) -> u64 {
        self.shards
            .iter()
            .map(|s| {
                let s = s.lock().unwrap_or_else(|p| p.into_inner());
                s.in_flight.difference(&s.finals).count() as u64
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_counts_once_and_in_flight_ones_are_told_apart() {
        let m = Messages::default();
        let a = message_key("862a8790-60c0-4430-9b2b-658bdexample");
        let b = message_key("3f1c2c1e-0000-4000-8000-000000000001");
        m.in_flight(a);
        assert!(m.final_once(a));
        assert!(!m.final_once(a));
        m.in_flight(b);
        m.in_flight(b);
        assert_eq!(m.without_final(), 1);
    }
}

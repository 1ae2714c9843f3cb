//! Messages of event-stream sources (End User Messaging, Pinpoint), which write several events per message:
//! a message counts once, with its final event; events that only say it is under way are remembered, so
//! that a message with no final event in the data is told apart ("no final outcome yet").
//!
//! The sets are split by the hour the message was sent: every End User Messaging event of a message
//! carries the same `messageRequestTimestamp`, so its events meet in one part, and event streams are in
//! about time order, so the parts being filled stay in cache, where one big table costs a cache miss an
//! event (as for the dedupe set). Events that do not say when their message was sent (Pinpoint's) share
//! one part. Hours are spread over shards so that workers rarely wait.

use std::hash::Hasher;
use std::sync::Mutex;

use super::dedupe::{parse_uuid, KeySet};
use super::dict::{FxHashMap, FxHasher};
use crate::domain::time::HOUR_MS;

const SHARDS: usize = 64;

#[derive(Default)]
struct Part {
    finals: KeySet,
    in_flight: KeySet,
}

/// The messages sent in one hour (`i64::MIN`: when unknown).
type Shard = FxHashMap<i64, Part>;

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

/// A message: when it was sent (epoch ms, if its event says) and its [`message_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageKey {
    pub sent_ms: Option<i64>,
    pub key: u64,
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
    fn with_part<T>(&self, m: MessageKey, f: impl FnOnce(&mut Part) -> T) -> T {
        let hour = m.sent_ms.map_or(i64::MIN, |t| t.div_euclid(HOUR_MS));
        let shard = hour.rem_euclid(SHARDS as i64) as usize;
        // A poisoned shard means another worker panicked; the run is failing anyway.
        let mut s = self.shards[shard].lock().unwrap_or_else(|p| p.into_inner());
        f(s.entry(hour).or_default())
    }

    /// True the first time a final event of this message is seen.
    pub fn final_once(&self, m: MessageKey) -> bool {
        self.with_part(m, |p| p.finals.insert(m.key))
    }

    pub fn in_flight(&self, m: MessageKey) {
        self.with_part(m, |p| p.in_flight.insert(m.key));
    }

    /// Messages seen only in flight, by the hour they were sent (its start, epoch ms; `None`: not said),
    /// in hour order.
    pub fn without_final(&self) -> Vec<(Option<i64>, u64)> {
        let mut out: Vec<(Option<i64>, u64)> = Vec::new();
        for s in &self.shards {
            let s = s.lock().unwrap_or_else(|p| p.into_inner());
            for (hour, p) in s.iter() {
                let n = p.in_flight.difference(&p.finals).count() as u64;
                if n > 0 {
                    out.push(((*hour != i64::MIN).then(|| hour * HOUR_MS), n));
                }
            }
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_counts_once_and_in_flight_ones_are_told_apart() {
        let m = Messages::default();
        let at = |id: &str, sent_ms: Option<i64>| MessageKey {
            sent_ms,
            key: message_key(id),
        };
        let sent = Some(1_772_323_199_999);
        let a = at("862a8790-60c0-4430-9b2b-658bdexample", sent);
        let b = at("3f1c2c1e-0000-4000-8000-000000000001", sent);
        m.in_flight(a);
        assert!(m.final_once(a));
        assert!(!m.final_once(a));
        m.in_flight(b);
        m.in_flight(b);
        let hour = Some(1_772_319_600_000);
        assert_eq!(m.without_final(), vec![(hour, 1)]);
        // The same id sent in another hour, or with no time, is another part's.
        let c = at(
            "862a8790-60c0-4430-9b2b-658bdexample",
            Some(1_772_323_200_000),
        );
        assert!(m.final_once(c));
        let d = at("3f1c2c1e-0000-4000-8000-000000000001", None);
        m.in_flight(d);
        assert!(m.final_once(d));
        assert!(!m.final_once(d));
        assert_eq!(m.without_final(), vec![(hour, 1)]);
    }
}

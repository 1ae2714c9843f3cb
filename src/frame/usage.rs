//! SNS daily usage reports (formats.md §7.3): one row per message part. Reports are read before the logs
//! (see `sources::read`), their rows gathered per message; a logged record of the same message is counted
//! once (from the log), the report supplying its price and parts where the log has none; once every input is
//! read, a message only the reports hold becomes a record of its own.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};

use super::messages::message_key;

/// One row of a usage report.
#[derive(Debug, Clone, PartialEq)]
pub struct UsagePart {
    pub time_ms: i64,
    pub message_id: String,
    /// As the report writes it: no `+`.
    pub destination: Option<String>,
    pub message_type: Option<String>,
    /// The providerResponse text.
    pub delivery_status: Option<String>,
    pub price_usd: Option<f64>,
    /// 0 when SNS did not receive the part number.
    pub part_number: u32,
    pub total_parts: Option<u32>,
    pub region: Option<String>,
    pub account: Option<String>,
}

/// A message of the reports, its parts merged.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageMessage {
    pub first: UsagePart,
    /// Rows seen (distinct part numbers; rows of part 0 each count: SNS did not number them).
    pub parts_seen: u32,
    pub price_usd: f64,
    numbered: Vec<u32>,
}

impl UsageMessage {
    /// Parts: the report's total when it gives one, else the rows seen.
    pub fn parts(&self) -> u32 {
        self.first
            .total_parts
            .unwrap_or(self.parts_seen)
            .max(self.parts_seen)
    }
}

/// The usage-report messages of a run, by message key, and which of them the logs held.
#[derive(Default)]
pub struct UsageMessages {
    by_key: RwLock<HashMap<u64, UsageMessage>>,
    any: AtomicBool,
    matched: Mutex<HashSet<u64>>,
}

impl UsageMessages {
    /// Adds one row; a part already seen (overlapping reports) adds nothing. False for such a repeat.
    pub fn add(&self, part: UsagePart) -> bool {
        let key = message_key(&part.message_id);
        let mut map = self.by_key.write().unwrap_or_else(|p| p.into_inner());
        self.any.store(true, Ordering::Relaxed);
        match map.get_mut(&key) {
            None => {
                let numbered = if part.part_number > 0 {
                    vec![part.part_number]
                } else {
                    vec![]
                };
                let m = UsageMessage {
                    price_usd: part.price_usd.unwrap_or(0.0),
                    parts_seen: 1,
                    numbered,
                    first: part,
                };
                map.insert(key, m);
                true
            }
            Some(m) => {
                if part.part_number > 0 {
                    if m.numbered.contains(&part.part_number) {
                        return false;
                    }
                    m.numbered.push(part.part_number);
                }
                m.parts_seen += 1;
                m.price_usd += part.price_usd.unwrap_or(0.0);
                m.first.time_ms = m.first.time_ms.min(part.time_ms);
                true
            }
        }
    }

    /// A logged message: marks it as held by the logs, and gives the report's account of it, if any.
    /// Free when the run has no usage report.
    #[inline]
    pub fn logged(&self, message_id: &str) -> Option<UsageMessage> {
        if !self.any.load(Ordering::Relaxed) {
            return None;
        }
        let key = message_key(message_id);
        let m = self
            .by_key
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned()?;
        self.matched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key);
        Some(m)
    }

    /// The messages no log held, in time order.
    pub fn unmatched(self) -> Vec<UsageMessage> {
        let matched = self.matched.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut v: Vec<UsageMessage> = self
            .by_key
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_iter()
            .filter(|(k, _)| !matched.contains(k))
            .map(|(_, m)| m)
            .collect();
        v.sort_by(|a, b| {
            (a.first.time_ms, &a.first.message_id).cmp(&(b.first.time_ms, &b.first.message_id))
        });
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "96a298ac-1458-4825-a7eb-7330e0720b72";

    fn part(n: u32, total: Option<u32>, price: f64) -> UsagePart {
        UsagePart {
            time_ms: 1_000 + i64::from(n),
            message_id: ID.into(),
            destination: Some("1XXX5550100".into()),
            message_type: Some("Promotional".into()),
            delivery_status: Some("Message has been accepted by phone carrier".into()),
            price_usd: Some(price),
            part_number: n,
            total_parts: total,
            region: None,
            account: None,
        }
    }

    #[test]
    fn parts_of_a_message_merge_and_repeats_add_nothing() {
        let u = UsageMessages::default();
        assert!(u.add(part(1, Some(2), 0.5)));
        assert!(u.add(part(2, Some(2), 0.5)));
        assert!(
            !u.add(part(2, Some(2), 0.5)),
            "the same part from an overlapping report"
        );
        let m = u.unmatched().pop().unwrap();
        assert_eq!((m.parts(), m.price_usd, m.first.time_ms), (2, 1.0, 1_001));
        let u = UsageMessages::default();
        u.add(part(0, None, 0.2));
        u.add(part(0, None, 0.2));
        assert_eq!(
            u.unmatched().pop().unwrap().parts(),
            2,
            "unnumbered rows each count"
        );
    }

    #[test]
    fn a_message_the_logs_hold_is_not_counted_again() {
        let u = UsageMessages::default();
        assert_eq!(u.logged(ID), None);
        u.add(part(1, Some(1), 0.5));
        assert!(u.logged(ID).is_some());
        assert!(u.unmatched().is_empty());
    }
}

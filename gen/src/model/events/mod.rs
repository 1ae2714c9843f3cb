//! End User Messaging SMS (formats.md §7.1): what a configuration set's event destinations receive for the
//! texts of the model, when the user pool sends through End User Messaging directly. Each text the service
//! accepts gets one to three events: sometimes `TEXT_QUEUED`, a non-final `TEXT_SUCCESSFUL` (or
//! `TEXT_PENDING`) while the carrier's receipt is awaited, then the final event; a text with no receipt
//! within 72 hours ends `TEXT_UNKNOWN`. Texts the service refuses (opted-out numbers, the spend limit
//! reached, a role without permission) get no event at all: Cognito logs them instead.
//!
//! [`EumStream`] turns the model's texts (in send order) into events in event-time order, the way a
//! destination receives them, dropping those after the end of the data (their messages have "no final
//! outcome yet"), and counts what it hands out ([`EumTruth`]).

mod plan;
mod truth;

use std::collections::BinaryHeap;

use crate::model::*;
use crate::rng::{message_uuid, mix64, Rng};
use plan::{plan, PROTECT_RETRY, TWO_PARTS};

pub(crate) use plan::*;
pub(crate) use truth::EumTally;
pub use truth::EumTruth;

/// The account's protect configuration: from when it applies to the texts, and the country whose texts its
/// rules block (`None`: it allows every destination).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Protect {
    pub(crate) from: i64,
    pub(crate) blocked_country: Option<usize>,
}

/// What happens on the End User Messaging side besides the model's outcomes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EumStory {
    pub(crate) seed: u64,
    pub(crate) protect: Option<Protect>,
    /// `[from, to)`: the role Cognito uses may not send; every text is refused.
    pub(crate) denied: Option<(i64, i64)>,
    /// Events at or after this instant are not in the data.
    pub(crate) end: i64,
}

/// Why End User Messaging refused a text (no event exists for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    OptedOut,
    SpendLimit,
    AccessDenied,
}

/// `protectConfiguration.protectStatus` of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProtectStatus {
    None,
    Allow,
    Block,
}

/// One event of a text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event {
    pub(crate) rec: Rec,
    /// `K_*`
    pub(crate) kind: u8,
    /// eventTimestamp, epoch ms
    pub(crate) time: i64,
    pub(crate) is_final: bool,
    pub(crate) protect: ProtectStatus,
    pub(crate) parts: u8,
    /// totalMessagePrice and totalCarrierFee, 0.00001 USD
    pub(crate) price: u32,
    pub(crate) fee: u32,
    /// The first event of its message.
    first: bool,
    /// A final event after a non-final one of the same message.
    after_in_flight: bool,
    seq: u64,
}

impl Event {
    pub(crate) fn event_type(&self) -> &'static EventType {
        &EVENT_TYPES[self.kind as usize]
    }
    /// A final event after a non-final one of the same message.
    pub(crate) fn after_in_flight(&self) -> bool {
        self.after_in_flight
    }
    /// An index of this event among all events (unique per message and event).
    pub(crate) fn uid(&self) -> u64 {
        mix64(self.rec.id_lo ^ self.rec.id_hi.rotate_left(29) ^ self.kind as u64)
    }
}

/// What a destination receives, in time order: an event, or (at the text's send time) the note that the
/// service refused a text, which only Cognito's log shows.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Item {
    Event(Event),
    Refused(Rec, Refusal),
}

/// A message key of the heap: earliest event first, then in the order pushed (deterministic).
struct Queued(Event);

impl PartialEq for Queued {
    fn eq(&self, o: &Self) -> bool {
        (self.0.time, self.0.seq) == (o.0.time, o.0.seq)
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Queued {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (o.0.time, o.0.seq).cmp(&(self.0.time, self.0.seq))
    }
}

/// The events of the texts of `recs` (in send order), in event-time order.
pub(crate) struct EumStream<I: Iterator<Item = Rec>> {
    recs: std::iter::Peekable<I>,
    story: EumStory,
    /// retries of users whose text the protect configuration blocked: (text, retries left after it)
    retries: Vec<(Rec, u8)>,
    retry_serial: u64,
    heap: BinaryHeap<Queued>,
    seq: u64,
    tally: EumTally,
}

impl<I: Iterator<Item = Rec>> EumStream<I> {
    pub(crate) fn new(recs: I, story: EumStory) -> EumStream<I> {
        EumStream {
            recs: recs.peekable(),
            story,
            retries: Vec::new(),
            retry_serial: 0,
            heap: BinaryHeap::new(),
            seq: 0,
            tally: EumTally::default(),
        }
    }

    pub(crate) fn truth(&self) -> EumTruth {
        self.tally.truth()
    }

    /// The next text to send: the model's, or a retry due before it.
    fn next_text(&mut self) -> Option<(Rec, Option<u8>)> {
        let due = self
            .retries
            .iter()
            .enumerate()
            .min_by_key(|(_, (r, _))| r.t)
            .map(|(i, (r, _))| (i, r.t));
        match (due, self.recs.peek()) {
            (Some((i, t)), Some(r)) if t <= r.t => {
                let (r, left) = self.retries.swap_remove(i);
                Some((r, Some(left)))
            }
            (Some((i, _)), None) => {
                let (r, left) = self.retries.swap_remove(i);
                Some((r, Some(left)))
            }
            _ => self.recs.next().map(|r| (r, None)),
        }
    }

    fn next_text_time(&mut self) -> Option<i64> {
        let retry = self.retries.iter().map(|(r, _)| r.t).min();
        let next = self.recs.peek().map(|r| r.t);
        match (retry, next) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Refuses `r`, or queues its events; returns the refusal.
    fn send(&mut self, r: Rec, retry: Option<u8>) -> Option<Refusal> {
        let story = self.story;
        if story.denied.is_some_and(|(a, b)| r.t >= a && r.t < b) {
            return Some(Refusal::AccessDenied);
        }
        match r.resp {
            R_OPTED_OUT => return Some(Refusal::OptedOut),
            R_QUOTA => return Some(Refusal::SpendLimit),
            _ => {}
        }
        let protect = story.protect.filter(|p| r.t >= p.from);
        let blocked = protect.is_some_and(|p| p.blocked_country == Some(r.country as usize));
        let status = match (protect, blocked) {
            (None, _) => ProtectStatus::None,
            (Some(_), false) => ProtectStatus::Allow,
            (Some(_), true) => ProtectStatus::Block,
        };
        let mut rng = Rng::new(r.id_hi ^ r.id_lo.rotate_left(13) ^ story.seed);
        let parts: u8 = if mix64(r.id_lo ^ 0x9A27).is_multiple_of(100 / TWO_PARTS) {
            2
        } else {
            1
        };
        let (price, fee) = if blocked {
            (0, 0)
        } else {
            (r.price * parts as u32, carrier_fee(&r) * parts as u32)
        };
        let p = plan(&r, blocked, &mut rng);
        let mut had_in_flight = false;
        for (k, &(kind, after, is_final)) in p.steps[..p.len].iter().enumerate() {
            let time = r.t + after;
            if time < story.end {
                self.seq += 1;
                self.heap.push(Queued(Event {
                    rec: r,
                    kind,
                    time,
                    is_final,
                    protect: status,
                    parts,
                    price,
                    fee,
                    first: k == 0,
                    after_in_flight: is_final && had_in_flight,
                    seq: self.seq,
                }));
            }
            had_in_flight |= !is_final;
        }
        if blocked {
            self.retry_blocked(&r, retry, &mut rng);
        }
        None
    }

    /// A user whose code did not come asks again, up to twice: a new text, blocked again.
    fn retry_blocked(&mut self, r: &Rec, retry: Option<u8>, rng: &mut Rng) {
        let left = retry.unwrap_or(2);
        if left == 0 || !rng.chance(PROTECT_RETRY) || self.retries.len() >= 64 {
            return;
        }
        self.retry_serial += 1;
        let (id_hi, id_lo) = message_uuid(self.story.seed ^ 0x0B10_C4ED_5EED, self.retry_serial);
        let mut again = *r;
        again.id_hi = id_hi;
        again.id_lo = id_lo;
        again.t = r.t + 30_000 + rng.below(150_000) as i64;
        self.retries.push((again, left - 1));
    }
}

impl<I: Iterator<Item = Rec>> Iterator for EumStream<I> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            let next_text = self.next_text_time();
            let due = self
                .heap
                .peek()
                .is_some_and(|q| next_text.is_none_or(|t| q.0.time <= t));
            let item = if due {
                self.heap.pop().map(|q| Item::Event(q.0))
            } else {
                let (r, retry) = self.next_text()?;
                self.send(r, retry).map(|why| Item::Refused(r, why))
            };
            if let Some(item) = item {
                self.tally.add(&item);
                return Some(item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GenConfig;
    use std::collections::HashMap;

    fn stream(n: usize, seed: u64, protect: Option<Protect>) -> (Vec<Item>, EumTruth, (i64, i64)) {
        let cfg = GenConfig {
            spend_limit_usd: f64::INFINITY,
            ..GenConfig::new(n, seed)
        };
        let g = Gen::new(&cfg);
        let month = g.month();
        let story = EumStory {
            seed,
            protect,
            denied: None,
            end: month.1,
        };
        let mut s = EumStream::new(g, story);
        let items: Vec<Item> = s.by_ref().collect();
        (items, s.truth(), month)
    }

    #[test]
    fn events_come_in_time_order_and_a_message_counts_once_by_its_final_event() {
        let (items, truth, (start, end)) = stream(20_000, 9, None);
        let mut last = i64::MIN;
        // per message: (events, final events)
        let mut per: HashMap<(u64, u64), (u32, u32)> = HashMap::new();
        for it in &items {
            let Item::Event(e) = it else { continue };
            assert!(e.time >= last && e.time >= e.rec.t && e.time < end && e.rec.t >= start);
            last = e.time;
            let m = per.entry((e.rec.id_hi, e.rec.id_lo)).or_default();
            assert_eq!(m.1, 0, "no event after a message's final one");
            m.0 += 1;
            m.1 += u32::from(e.is_final);
        }
        let finals = per.values().filter(|m| m.1 == 1).count() as u64;
        let open = per.values().filter(|m| m.1 == 0).count() as u64;
        assert_eq!(truth.delivered + truth.failed, finals);
        assert_eq!(truth.no_final_outcome, open);
        assert!(
            open > 0,
            "texts of the last days wait for their 72-hour UNKNOWN"
        );
        assert_eq!(truth.messages as usize, per.len());
        let several = per.values().filter(|m| m.0 >= 2).count() as f64 / per.len() as f64;
        assert!((0.4..0.8).contains(&several), "{several}");
        assert!(truth.refused > 0, "opted-out numbers are refused");
        assert_eq!(
            truth.events as usize,
            items.iter().filter(|i| matches!(i, Item::Event(_))).count()
        );
    }

    #[test]
    fn a_protect_block_fails_every_later_text_to_its_country_and_users_retry() {
        let from = stream(1, 1, None).2 .0 + 12 * crate::model::traffic::MS_DAY;
        let protect = Protect {
            from,
            blocked_country: Some(crate::model::population::C_IN),
        };
        let (items, truth, _) = stream(20_000, 4, Some(protect));
        let mut blocked = 0;
        for it in &items {
            let Item::Event(e) = it else { continue };
            let india = e.rec.country as usize == crate::model::population::C_IN;
            if e.rec.t >= from {
                assert_ne!(e.protect, ProtectStatus::None);
                assert_eq!(e.kind == K_PROTECT_BLOCKED, india);
            } else {
                assert_eq!(e.protect, ProtectStatus::None);
            }
            if e.kind == K_PROTECT_BLOCKED {
                assert_eq!((e.price, e.fee, e.is_final), (0, 0, true));
                blocked += 1;
            }
        }
        assert_eq!(truth.by_event_type["TEXT_PROTECT_BLOCKED"], blocked);
        // about 15 % of the texts of the last 19 days, plus the retries
        let share = blocked as f64 / truth.messages as f64;
        assert!((0.08..0.16).contains(&share), "{share}");
    }
}

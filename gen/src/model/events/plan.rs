//! The events of one text: the event types End User Messaging writes and which of them a text of the model
//! gets, when, at what price.

use crate::model::population::C_US;
use crate::model::traffic::MS_HOUR;
use crate::model::*;
use crate::rng::Rng;

/// One End User Messaging event type and how the events of that type are spelled.
pub(crate) struct EventType {
    pub(crate) name: &'static str,
    /// `messageStatus`
    pub(crate) status: &'static str,
    /// `messageStatusDescription`
    pub(crate) description: &'static str,
    pub(crate) delivered: bool,
}

const fn et(
    name: &'static str,
    status: &'static str,
    description: &'static str,
    delivered: bool,
) -> EventType {
    EventType {
        name,
        status,
        description,
        delivered,
    }
}

pub(crate) const K_QUEUED: u8 = 0;
pub(crate) const K_PENDING: u8 = 1;
pub(crate) const K_SUCCESSFUL: u8 = 2;
pub(crate) const K_DELIVERED: u8 = 3;
pub(crate) const K_CARRIER_BLOCKED: u8 = 4;
pub(crate) const K_UNREACHABLE: u8 = 5;
pub(crate) const K_CARRIER_UNREACHABLE: u8 = 6;
pub(crate) const K_INVALID: u8 = 7;
pub(crate) const K_UNKNOWN: u8 = 8;
pub(crate) const K_BLOCKED: u8 = 9;
pub(crate) const K_TTL_EXPIRED: u8 = 10;
pub(crate) const K_PROTECT_BLOCKED: u8 = 11;

/// Every event type written, by `K_*` code. The classes follow provider-responses.md; the descriptions are
/// SNS's providerResponse texts where End User Messaging reuses them (formats.md §7.1 shows it does for
/// carrier acceptance, handset acceptance and the TTL); `Message is queued`, `Message is pending` and the
/// protect block's wording are not documented.
pub(crate) const EVENT_TYPES: [EventType; 12] = [
    et("TEXT_QUEUED", "QUEUED", "Message is queued", false),
    et("TEXT_PENDING", "PENDING", "Message is pending", false),
    et(
        "TEXT_SUCCESSFUL",
        "SUCCESSFUL",
        "Message has been accepted by phone carrier",
        true,
    ),
    et(
        "TEXT_DELIVERED",
        "DELIVERED",
        "Message has been accepted by phone",
        true,
    ),
    et(
        "TEXT_CARRIER_BLOCKED",
        "CARRIER_BLOCKED",
        "Phone carrier has blocked this message",
        false,
    ),
    et(
        "TEXT_UNREACHABLE",
        "UNREACHABLE",
        "Phone is currently unreachable/unavailable",
        false,
    ),
    et(
        "TEXT_CARRIER_UNREACHABLE",
        "CARRIER_UNREACHABLE",
        "Phone carrier is currently unreachable/unavailable",
        false,
    ),
    et("TEXT_INVALID", "INVALID", "Invalid phone number", false),
    et(
        "TEXT_UNKNOWN",
        "UNKNOWN",
        "Unknown error attempting to reach phone",
        false,
    ),
    et(
        "TEXT_BLOCKED",
        "BLOCKED",
        "Phone is on a blocked list",
        false,
    ),
    et(
        "TEXT_TTL_EXPIRED",
        "TTL_EXPIRED",
        "The delivery TTL has expired",
        false,
    ),
    et(
        "TEXT_PROTECT_BLOCKED",
        "PROTECT_BLOCKED",
        "Message blocked by protect configuration",
        false,
    ),
];

/// The carrier fee End User Messaging bills on top of the price (0.00001 USD per part): US carriers only.
pub(crate) fn carrier_fee(r: &Rec) -> u32 {
    if r.country as usize == C_US {
        302
    } else {
        0
    }
}

/// Share of delivered texts whose carrier sends a delivery receipt (`TEXT_SUCCESSFUL` non-final, then
/// `TEXT_DELIVERED`).
const WITH_RECEIPT: f64 = 0.55;
/// Share of texts accepted by the carrier whose receipt never comes: `TEXT_UNKNOWN` after 72 hours.
const NO_RECEIPT: f64 = 0.03;
/// Share of texts queued for throughput first (`TEXT_QUEUED`).
const QUEUED: f64 = 0.01;
/// Share of texts sent as two UNICODE parts (a longer localised template).
pub(super) const TWO_PARTS: u64 = 4;
/// Retries of a user whose text was blocked by the protect configuration.
pub(super) const PROTECT_RETRY: f64 = 0.35;

/// Up to three events of one text: (kind, ms after the send, final).
pub(super) struct Plan {
    pub(super) steps: [(u8, i64, bool); 3],
    pub(super) len: usize,
}

impl Plan {
    fn push(&mut self, kind: u8, after: i64, is_final: bool) {
        self.steps[self.len] = (kind, after, is_final);
        self.len += 1;
    }
}

/// The final event type of a failure of the model.
fn failure_kind(resp: u8) -> u8 {
    match resp {
        R_CARRIER_BLOCKED => K_CARRIER_BLOCKED,
        R_UNREACHABLE => K_UNREACHABLE,
        R_INVALID => K_INVALID,
        R_CARRIER_UNREACHABLE => K_CARRIER_UNREACHABLE,
        R_BLACKLISTED => K_BLOCKED,
        // the model's response in no table becomes the TTL expiry End User Messaging reports
        R_UNLISTED => K_TTL_EXPIRED,
        _ => K_UNKNOWN,
    }
}

/// The events of an accepted text `r`; `blocked`: the protect configuration blocks it.
pub(super) fn plan(r: &Rec, blocked: bool, rng: &mut Rng) -> Plan {
    let mut p = Plan {
        steps: [(0, 0, false); 3],
        len: 0,
    };
    if blocked {
        p.push(K_PROTECT_BLOCKED, 20 + rng.below(60) as i64, true);
        return p;
    }
    let mut at = r.dwell.max(60) as i64;
    if rng.chance(QUEUED) {
        p.push(K_QUEUED, 20 + rng.below(200) as i64, false);
        at += 500 + rng.below(4_000) as i64;
    }
    let receipt = if r.ack > 0 {
        r.ack as i64
    } else {
        at + 800 + (rng.exp1() * 2_000.0) as i64
    };
    match r.resp {
        R_ACCEPTED_PHONE | R_DELIVERED => {
            p.push(K_SUCCESSFUL, at, false);
            p.push(K_DELIVERED, receipt.max(at + 50), true);
        }
        R_ACCEPTED_CARRIER if rng.chance(NO_RECEIPT) => {
            let first = if rng.chance(0.5) {
                K_SUCCESSFUL
            } else {
                K_PENDING
            };
            p.push(first, at, false);
            p.push(K_UNKNOWN, 72 * MS_HOUR + rng.below(600_000) as i64, true);
        }
        R_ACCEPTED_CARRIER if rng.chance(WITH_RECEIPT) => {
            p.push(K_SUCCESSFUL, at, false);
            p.push(K_DELIVERED, receipt.max(at + 50), true);
        }
        R_ACCEPTED_CARRIER => p.push(K_SUCCESSFUL, at, true),
        R_UNLISTED => {
            p.push(K_PENDING, at, false);
            p.push(
                K_TTL_EXPIRED,
                at + 600_000 + rng.below(3_000_000) as i64,
                true,
            );
        }
        R_UNREACHABLE | R_CARRIER_UNREACHABLE | R_UNKNOWN_ERROR if rng.chance(0.4) => {
            p.push(K_PENDING, at, false);
            let later = 20_000 + rng.below(1_200_000) as i64;
            p.push(failure_kind(r.resp), at + later, true);
        }
        resp => p.push(failure_kind(resp), at, true),
    }
    p
}

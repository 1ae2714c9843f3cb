//! What happens to one text: the month's incidents (the story) and the outcome model, from the
//! providerResponse down to dwell times and the reader traps of formats.md.

use crate::model::population::{Traits, COUNTRIES, C_IN, C_MX};
use crate::model::traffic::{MS_DAY, MS_HOUR};
use crate::model::*;
use crate::rng::Rng;

/// From `from`, a share of the texts to one carrier (by name: Airtel has two networks) is blocked.
struct CarrierBlock {
    country: usize,
    carrier: &'static str,
    from: i64,
    share: f64,
    /// share of the blocked records that still name the carrier (the rest have mcc/mnc 0)
    named: f64,
}

/// From `from` until `to`, a share of the texts to one carrier network fails as unreachable.
struct Outage {
    country: usize,
    carrier: usize,
    from: i64,
    to: i64,
    share: f64,
}

/// The month's incidents, on top of the background failure rates.
pub(crate) struct Story {
    block: CarrierBlock,
    outage: Outage,
    /// (serial, outcome): rare responses placed at fixed points of the month
    forced: [(u64, u8); 5],
}

impl Story {
    /// The story of the crate's doc, for a month starting at `start` with `n` texts.
    pub(crate) fn standard(start: i64, n: u64) -> Story {
        let at = |frac: f64| (n as f64 * frac) as u64;
        Story {
            block: CarrierBlock {
                country: C_IN,
                carrier: "Airtel",
                from: start + 9 * MS_DAY,
                share: 0.40,
                named: 0.9,
            },
            outage: Outage {
                country: C_MX,
                carrier: 0,
                from: start + 14 * MS_DAY + 12 * MS_HOUR,
                to: start + 14 * MS_DAY + 18 * MS_HOUR,
                share: 0.5,
            },
            forced: [
                (at(0.13), R_BLACKLISTED),
                (at(0.47), R_BLACKLISTED),
                (at(0.21), R_UNLISTED),
                (at(0.36), R_UNLISTED),
                (at(0.58), R_UNLISTED),
            ],
        }
    }

    /// The block, if it applies to this text.
    fn blocking(&self, c: usize, carrier: usize, t: i64) -> Option<&CarrierBlock> {
        let b = &self.block;
        (c == b.country && COUNTRIES[c].carriers[carrier].name == b.carrier && t >= b.from)
            .then_some(b)
    }

    fn outage_share(&self, c: usize, carrier: usize, t: i64) -> Option<f64> {
        let o = &self.outage;
        (c == o.country && carrier == o.carrier && t >= o.from && t < o.to).then_some(o.share)
    }

    fn forced(&self, serial: u64) -> Option<u8> {
        self.forced.iter().find(|f| f.0 == serial).map(|f| f.1)
    }
}

/// The providerResponse of text `serial` (to country `c`, a recipient with `traits`, at `t`) and how
/// its record names the network. Random draws happen in a fixed order: same seed, same month.
pub(crate) fn response(
    story: &Story,
    rng: &mut Rng,
    serial: u64,
    c: usize,
    traits: Traits,
    t: i64,
) -> (u8, Net) {
    let ci = traits.carrier;
    let x = rng.unit();
    if let Some(f) = story.forced(serial) {
        (
            f,
            if f == R_UNLISTED {
                Net::Carrier
            } else {
                Net::Zero
            },
        )
    } else if traits.dead {
        (R_UNREACHABLE, Net::Zero)
    } else if traits.invalid {
        (R_INVALID, Net::Zero)
    } else if traits.opted_out {
        (R_OPTED_OUT, Net::Zero)
    } else if let Some(b) = story.blocking(c, ci, t).filter(|b| rng.chance(b.share)) {
        let named = rng.chance(b.named);
        (
            R_CARRIER_BLOCKED,
            if named { Net::Carrier } else { Net::Zero },
        )
    } else if story.outage_share(c, ci, t).is_some_and(|p| rng.chance(p)) {
        (R_CARRIER_UNREACHABLE, Net::Carrier)
    } else if x < 0.001 {
        (R_CARRIER_BLOCKED, Net::Zero)
    } else if x < 0.005 {
        (R_UNKNOWN_ERROR, Net::Zero)
    } else if x < 0.0065 {
        (R_CARRIER_UNREACHABLE, Net::Zero)
    } else {
        success(rng)
    }
}

/// The mix of successful outcomes.
pub(crate) fn success(rng: &mut Rng) -> (u8, Net) {
    let y = rng.unit();
    if y < 0.06 {
        let net = if rng.chance(0.5) {
            Net::Absent
        } else {
            Net::Carrier
        };
        (R_DELIVERED, net)
    } else if y < 0.10 {
        (R_ACCEPTED_PHONE, Net::Carrier)
    } else if y < 0.12 {
        (R_ACCEPTED_CARRIER, Net::MccOnly)
    } else {
        (R_ACCEPTED_CARRIER, Net::Carrier)
    }
}

/// Dwell times, the device acknowledgement and the reader traps of a charged record whose `resp` and
/// `net` are set.
pub(crate) fn details(rng: &mut Rng, r: &mut Rec) {
    let success = r.success();
    let mut dwell = 80.0 + rng.exp1() * 240.0;
    if rng.chance(0.03) || (!success && rng.chance(0.3)) {
        dwell = 900.0 + rng.unit() * 2100.0;
    }
    r.dwell = dwell.min(3000.0) as u32;
    let with_ack = match r.resp {
        R_ACCEPTED_PHONE | R_DELIVERED => true,
        R_ACCEPTED_CARRIER => rng.chance(0.25),
        R_UNREACHABLE => false,
        _ => rng.chance(0.1),
    };
    if with_ack {
        r.ack = r.dwell + 150 + (rng.exp1() * 900.0).min(20_000.0) as u32;
        if rng.chance(0.002) {
            r.ack = 3_600_000 + rng.below(11_000_000) as u32;
        }
    }
    if matches!(r.net, Net::Carrier | Net::MccOnly) && rng.chance(0.003) {
        r.quirks |= Q_MCC_STR;
    }
    if rng.chance(0.002) {
        r.quirks |= Q_PRICE_STR;
    }
}

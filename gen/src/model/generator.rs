//! The stream of texts of a month: new texts at the times of the traffic curve, to recipients drawn by
//! `recipients`, interleaved with the retries of users whose code did not arrive; spend accumulates until
//! the account's monthly limit refuses every later text.

use crate::model::outcome::{self, Story};
use crate::model::population::{Traits, COUNTRIES};
use crate::model::recipients::Recipients;
use crate::model::traffic::Traffic;
use crate::model::*;
use crate::rng::{message_uuid, Rng};
use crate::truth::{GenTruth, Tally};
use crate::GenConfig;

/// A retry waiting for its time.
#[derive(Clone, Copy)]
struct Pending {
    t: i64,
    country: u8,
    local: u32,
    /// further retries after this one
    left: u8,
}

/// Retries waiting at once, at most: enough for the story, and the scan for the next one stays short.
const MAX_PENDING: usize = 64;

/// Exactly `cfg.records` texts in notification-time order.
pub(crate) struct Gen {
    rng: Rng,
    seed: u64,
    n: u64,
    emitted: u64,
    traffic: Traffic,
    recipients: Recipients,
    story: Story,
    spend: u64,
    limit: u64,
    pending: Vec<Pending>,
    tally: Tally,
}

impl Gen {
    pub(crate) fn new(cfg: &GenConfig) -> Gen {
        let traffic = Traffic::month_of(cfg.month_start);
        let n = cfg.records as u64;
        let limit_f = cfg.spend_limit_usd * 100_000.0;
        let limit = if limit_f.is_nan() || limit_f <= 0.0 {
            0
        } else {
            limit_f.round() as u64
        };
        Gen {
            rng: Rng::new(cfg.seed),
            seed: cfg.seed,
            n,
            emitted: 0,
            story: Story::standard(traffic.start, n),
            traffic,
            recipients: Recipients::new(n, cfg.recipients),
            spend: 0,
            limit,
            pending: Vec::with_capacity(MAX_PENDING),
            tally: Tally::default(),
        }
    }

    /// The month covered: its first instant and the next month's, epoch ms.
    pub(crate) fn month(&self) -> (i64, i64) {
        (self.traffic.start, self.traffic.end)
    }

    /// The true numbers of the texts generated so far.
    pub(crate) fn truth(&self) -> GenTruth {
        self.tally.truth()
    }

    fn schedule(&mut self, t: i64, c: usize, local: u32, left: u8) {
        if t < self.traffic.end && self.pending.len() < MAX_PENDING {
            self.pending.push(Pending {
                t,
                country: c as u8,
                local,
                left,
            });
        }
    }

    /// The next text, to recipient `local` of country `c` at `t`; `retry`: it is a retry, with this many
    /// more to come if it fails too.
    fn make(&mut self, c: usize, local: u32, t: i64, retry: Option<u8>) -> Rec {
        let serial = self.emitted;
        self.emitted += 1;
        let (id_hi, id_lo) = message_uuid(self.seed, serial);
        let traits = Traits::of(self.seed, c, local);
        let rng = &mut self.rng;
        let lag = 150
            + rng.below(2500) as u32
            + if rng.chance(0.02) {
                rng.below(60_000) as u32
            } else {
                0
            };
        let mut r = Rec {
            id_hi,
            id_lo,
            t,
            lag,
            country: c as u8,
            carrier: traits.carrier as u8,
            local,
            net: Net::Carrier,
            resp: R_ACCEPTED_CARRIER,
            price: 0,
            dwell: 0,
            ack: 0,
            quirks: 0,
        };
        if self.spend >= self.limit {
            // the minimal record of a text the account refused: no carrier, no price
            r.resp = R_QUOTA;
            r.net = Net::Absent;
            r.dwell = 80 + rng.below(140) as u32;
        } else {
            (r.resp, r.net) = outcome::response(&self.story, rng, serial, c, traits, t);
            // SNS charges attempts: failures cost as much as successes
            r.price = COUNTRIES[c].carriers[traits.carrier].price;
            self.spend += r.price as u64;
            outcome::details(rng, &mut r);
        }
        self.plan_retry(&r, traits.dead, retry);
        r
    }

    /// Users retry texts that did not arrive: dead numbers a few times, other failures sometimes once.
    fn plan_retry(&mut self, r: &Rec, dead: bool, retry: Option<u8>) {
        let (t, c, local) = (r.t, r.country as usize, r.local);
        match retry {
            None if r.resp == R_UNREACHABLE && dead => {
                let k = 1 + self.rng.below(3) as u8;
                let dt = 40_000 + self.rng.below(200_000) as i64;
                self.schedule(t + dt, c, local, k - 1);
            }
            None if !r.success()
                && r.resp != R_OPTED_OUT
                && r.resp != R_INVALID
                && self.rng.chance(0.35) =>
            {
                let dt = 30_000 + self.rng.below(150_000) as i64;
                self.schedule(t + dt, c, local, 0);
            }
            Some(left) if left > 0 && !r.success() => {
                let dt = 40_000 + self.rng.below(200_000) as i64;
                self.schedule(t + dt, c, local, left - 1);
            }
            _ => {}
        }
    }
}

impl Iterator for Gen {
    type Item = Rec;

    fn next(&mut self) -> Option<Rec> {
        if self.emitted >= self.n {
            return None;
        }
        let u = (self.emitted as f64 + self.rng.unit()) / self.n as f64;
        let t_main = self.traffic.time_at(u);
        // the earliest retry due before the next new text goes first
        let mut best: Option<usize> = None;
        for (i, p) in self.pending.iter().enumerate() {
            if p.t <= t_main && best.is_none_or(|b| p.t < self.pending[b].t) {
                best = Some(i);
            }
        }
        let r = if let Some(i) = best {
            let p = self.pending.swap_remove(i);
            self.make(p.country as usize, p.local, p.t, Some(p.left))
        } else {
            let (c, local) =
                self.recipients
                    .pick(&mut self.rng, self.emitted, self.n - self.emitted);
            self.make(c, local, t_main, None)
        };
        self.tally.add(&r);
        Some(r)
    }
}

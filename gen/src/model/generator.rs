//! The stream of texts of a month: new texts at the times of the traffic curve, to recipients drawn by
//! `recipients`, interleaved with the retries of users whose code did not arrive; spend accumulates until
//! the account's monthly limit refuses every later text. A scenario month (`GenConfig::scenario`) follows
//! its plan instead of the story: its background, its one cause, and the traffic that cause adds (bulk
//! bursts, pumped numbers, a campaign).

use std::collections::VecDeque;

use crate::model::outcome::{self, Story};
use crate::model::population::{Traits, COUNTRIES};
use crate::model::recipients::Recipients;
use crate::model::scenario::{self, Cause, Kind, Plan, Pump, DEFAULT_LIMIT_USD};
use crate::model::traffic::Traffic;
use crate::model::*;
use crate::rng::{message_uuid, Rng};
use crate::truth::{GenTruth, ScenarioTally, Tally};
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

/// What a scenario month keeps besides the standard stream's state.
pub(crate) struct ScenarioState {
    pub(crate) plan: Plan,
    pump: Pump,
    /// the burst texts still to send: (time, above the rate allowed)
    burst: VecDeque<(i64, bool)>,
    next_burst: usize,
    /// burst texts planned and sent: they do not move the traffic curve's clock (a bulk job's texts
    /// come on top of the month's own)
    burst_total: u64,
    burst_sent: u64,
    /// spend in the region Cognito switched to (wrong-region months), 0.00001 USD
    spend_other: u64,
    pub(crate) tally: ScenarioTally,
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
    scenario: Option<Box<ScenarioState>>,
}

impl Gen {
    pub(crate) fn new(cfg: &GenConfig) -> Gen {
        let mut g = Gen::standard(cfg);
        if let Some(sc) = cfg.scenario {
            let n = cfg.records as u64;
            let plan = Plan::draw(sc, cfg.seed, &g.traffic, n);
            g.traffic = Traffic::shaped(cfg.month_start, plan.growth, &plan.extra);
            g.recipients = Recipients::with_weights(n, cfg.recipients, plan.weights);
            g.limit = plan.limit;
            let burst_total = plan.bursts.iter().map(|b| b.texts as u64).sum::<u64>();
            g.scenario = Some(Box::new(ScenarioState {
                tally: ScenarioTally::new(&plan),
                burst_total: burst_total.min(n / 2),
                burst_sent: 0,
                plan,
                pump: Pump::new(),
                burst: VecDeque::new(),
                next_burst: 0,
                spend_other: 0,
            }));
        }
        g
    }

    fn standard(cfg: &GenConfig) -> Gen {
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
            scenario: None,
        }
    }

    /// The scenario's plan and what its cause did, when this is a scenario month.
    pub(crate) fn scenario(&self) -> Option<&ScenarioState> {
        self.scenario.as_deref()
    }

    /// The month covered: its first instant and the next month's, epoch ms.
    pub(crate) fn month(&self) -> (i64, i64) {
        (self.traffic.start, self.traffic.end)
    }

    /// The true numbers of the texts generated so far.
    pub(crate) fn truth(&self) -> GenTruth {
        let mut t = self.tally.truth();
        t.scenario = self.scenario.as_ref().map(|s| s.tally.truth(&s.plan));
        t
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
            nsn: 0,
            region: 0,
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
        if self.scenario.is_some() {
            let r = self.next_in_scenario();
            self.tally.add(&r);
            return Some(r);
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

impl Gen {
    /// The next text of a scenario month: due burst texts and retries first, then a new text at the
    /// traffic curve's time (pumped or promotional when its hour has such extra traffic).
    fn next_in_scenario(&mut self) -> Rec {
        let (sent, total) = self
            .scenario
            .as_ref()
            .map_or((0, 0), |s| (s.burst_sent.min(s.burst_total), s.burst_total));
        let organic = (self.n - total).max(1);
        let u = ((self.emitted - sent) as f64 + self.rng.unit()) / organic as f64;
        let u = u.min(0.999_999_999);
        let t_main = self.traffic.time_at(u);
        self.expand_bursts(t_main);
        let burst = self
            .scenario
            .as_ref()
            .and_then(|s| s.burst.front().copied());
        let retry = self
            .pending
            .iter()
            .enumerate()
            .filter(|(_, p)| p.t <= t_main)
            .min_by_key(|(_, p)| p.t)
            .map(|(i, p)| (i, p.t));
        match (burst.filter(|b| b.0 <= t_main), retry) {
            (Some(b), r) if r.is_none_or(|(_, t)| b.0 <= t) => {
                if let Some(s) = self.scenario.as_mut() {
                    s.burst.pop_front();
                    s.burst_sent += 1;
                }
                let (c, local) =
                    self.recipients
                        .pick(&mut self.rng, self.emitted, self.n - self.emitted);
                self.make_in_scenario(c, local, 0, b.0, None, Kind::Burst(b.1))
            }
            (_, Some((i, _))) => {
                let p = self.pending.swap_remove(i);
                let kind = Kind::Organic;
                self.make_in_scenario(p.country as usize, p.local, 0, p.t, Some(p.left), kind)
            }
            _ => self.new_in_scenario(t_main),
        }
    }

    /// Queues the texts of every burst that has started by `t`.
    fn expand_bursts(&mut self, t: i64) {
        let Some(s) = self.scenario.as_mut() else {
            return;
        };
        let mps = match s.plan.cause {
            Cause::Throttle { mps, .. } => mps,
            _ => return,
        };
        while let Some(b) = s.plan.bursts.get(s.next_burst).copied() {
            if b.t > t {
                break;
            }
            s.next_burst += 1;
            let mut in_second = (i64::MIN, 0u32);
            for i in 0..b.texts {
                let at = b.t + (i as i64 * b.ms as i64) / b.texts as i64;
                let sec = at.div_euclid(1000);
                in_second = if in_second.0 == sec {
                    (sec, in_second.1 + 1)
                } else {
                    (sec, 1)
                };
                s.burst.push_back((at, in_second.1 > mps));
            }
        }
    }

    /// A new text at `t`: to a pumped number, a campaign's recipient, or an ordinary user.
    fn new_in_scenario(&mut self, t: i64) -> Rec {
        let surge = self.traffic.surge_share(t);
        let extra = surge > 0.0 && self.rng.chance(surge);
        let s = self.scenario.as_mut().expect("a scenario month");
        if extra {
            if let Cause::Pumping { ref blocks, .. } = s.plan.cause {
                let (c, nsn) = s.pump.next(&mut self.rng, blocks);
                return self.make_in_scenario(c, 0, nsn, t, None, Kind::Pumped);
            }
        }
        let (c, local) = self
            .recipients
            .pick(&mut self.rng, self.emitted, self.n - self.emitted);
        let kind = if extra { Kind::Promo } else { Kind::Organic };
        self.make_in_scenario(c, local, 0, t, None, kind)
    }

    /// One text of a scenario month (`nsn`: a made-up number, else recipient `local`).
    fn make_in_scenario(
        &mut self,
        c: usize,
        local: u32,
        nsn: u64,
        t: i64,
        retry: Option<u8>,
        kind: Kind,
    ) -> Rec {
        let serial = self.emitted;
        self.emitted += 1;
        let (id_hi, id_lo) = message_uuid(self.seed, serial);
        let s = self.scenario.as_mut().expect("a scenario month");
        let traits = if nsn != 0 {
            Traits::of_number(c, nsn)
        } else {
            Traits::with_rates(self.seed, c, local, &s.plan.bg.traits)
        };
        let rng = &mut self.rng;
        let lag = 150 + rng.below(2500) as u32;
        let other_region = matches!(s.plan.cause, Cause::WrongRegion) && t >= s.plan.from;
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
            quirks: if kind == Kind::Promo { Q_PROMO } else { 0 },
            nsn,
            region: u8::from(other_region),
        };
        let refused = if other_region {
            s.spend_other >= (DEFAULT_LIMIT_USD * 100_000.0) as u64
        } else {
            self.spend >= self.limit
        };
        let caused;
        if refused {
            r.resp = R_QUOTA;
            r.net = Net::Absent;
            r.dwell = 80 + rng.below(140) as u32;
            caused = matches!(s.plan.cause, Cause::SpendLimit | Cause::WrongRegion);
        } else {
            let (resp, net, by_cause) =
                scenario::response(&s.plan, self.seed, rng, kind, c, local, traits, t);
            (r.resp, r.net, caused) = (resp, net, by_cause);
            // refused before the carrier: nothing charged
            if !matches!(r.resp, R_THROTTLED | R_REVIEW | R_MAX_PRICE) {
                r.price = COUNTRIES[c].carriers[traits.carrier].price;
            }
            if other_region {
                s.spend_other += r.price as u64;
            } else {
                self.spend += r.price as u64;
            }
            outcome::details(rng, &mut r);
        }
        s.tally.add(&r, caused);
        // users retry their codes; a bulk job's texts and pumped numbers are nobody's
        if nsn == 0 && !matches!(kind, Kind::Burst(_)) {
            self.plan_retry(&r, traits.dead, retry);
        }
        r
    }
}

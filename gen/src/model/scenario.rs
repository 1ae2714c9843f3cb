//! Scenario months: ordinary background failures (2-4 % of texts unreachable or unknown, how much varying
//! with the seed) with exactly one injected cause, whose onset, duration, size and target (country,
//! carrier, prefixes) are drawn from the seed too. The plan is drawn from its own random stream, before
//! the month is generated; the month's texts then consult it (`response`, and the generator for the
//! traffic a cause adds).

use crate::model::population::{mobile_plan, TraitRates, Traits, COUNTRIES, C_US, USUAL};
use crate::model::recipients::{standard_weights, NCOUNTRIES};
use crate::model::traffic::{Traffic, MS_DAY, MS_HOUR};
use crate::model::*;
use crate::rng::{mix64, Rng};
use crate::Scenario;

/// Failures that happen every month, whatever else goes on.
pub(crate) struct Background {
    pub(crate) traits: TraitRates,
    /// a text to a live number fails as unreachable (handset off), unknown, carrier-unreachable,
    /// carrier-blocked
    transient: f64,
    unknown: f64,
    carrier_unreachable: f64,
    carrier_blocked: f64,
}

/// A block of made-up numbers an attacker pumps: all share `prefix` (the national number without its
/// last `digits` digits).
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub(crate) country: usize,
    pub(crate) prefix: u64,
    pub(crate) digits: u32,
}

/// A bulk job's burst of texts within a few seconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Burst {
    pub(crate) t: i64,
    pub(crate) texts: u32,
    pub(crate) ms: u32,
}

/// The injected cause.
pub(crate) enum Cause {
    None,
    /// the limit is in `Plan::spend_limit_usd`
    SpendLimit,
    /// from `from`, a share of the texts to one carrier fail with `resp` (carrier blocking, spam)
    Block {
        country: usize,
        carrier: &'static str,
        share: f64,
        named: f64,
        resp: u8,
    },
    /// `from..to`, most texts to one carrier network fail as carrier-unreachable (some as unknown)
    Outage {
        country: usize,
        carrier: usize,
        to: i64,
        share: f64,
        named: f64,
        unknown: f64,
    },
    /// from `from`, this many recipients in 10,000 have opted out
    OptedOut {
        per_10k: u64,
    },
    /// from `from`, a share of the texts to one country carry an invalid number
    Invalid {
        country: usize,
        share: f64,
    },
    /// from `from`, every text to one country costs more than the per-message MaxPrice
    MaxPrice {
        country: usize,
    },
    /// from `from`, the account is under review: only the verified test numbers (US recipients
    /// `0..3`) receive texts
    Review,
    /// from `from`, bulk jobs (`Plan::bursts`) send bursts above `mps` texts per second
    Throttle {
        mps: u32,
    },
    /// from `from`, Cognito sends through another region, where the default 1 USD limit applies
    WrongRegion,
    /// from `from`, extra traffic (`Plan::extra`) to made-up numbers in three countries
    Pumping {
        countries: [usize; 3],
        blocks: Vec<Block>,
    },
    /// from `from`, promotional texts (`Plan::extra`) to the usual users on top of the normal traffic
    Marketing,
}

/// A scenario month, drawn from its seed.
pub(crate) struct Plan {
    pub(crate) scenario: Scenario,
    pub(crate) from: i64,
    pub(crate) cause: Cause,
    pub(crate) bg: Background,
    pub(crate) weights: [u32; NCOUNTRIES],
    /// the traffic curve's factor at the start of the month and what it adds by the end
    pub(crate) growth: (f64, f64),
    /// (hour of the month, extra weight in average hours): pumping's and marketing's traffic
    pub(crate) extra: Vec<(usize, f64)>,
    pub(crate) bursts: Vec<Burst>,
    /// The limit in force where the texts are sent (USD; infinite: none), in 0.00001 USD.
    pub(crate) limit: u64,
    /// What the exported `get-sms-attributes` says, if the scenario writes one.
    pub(crate) settings_limit_usd: Option<f64>,
    /// The scenario also writes the `SMSMonthToDateSpentUSD` metric.
    pub(crate) with_metric: bool,
}

/// The default monthly spend limit of a new account or region, USD.
pub(crate) const DEFAULT_LIMIT_USD: f64 = 1.0;

/// A uniform draw in `lo..hi`.
fn between(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.unit()
}

/// Share of all texts that go to carrier `k` of country `c` under `weights`.
fn traffic_share(weights: &[u32; NCOUNTRIES], c: usize, k: usize) -> f64 {
    weights[c] as f64 / 1000.0 * COUNTRIES[c].carriers[k].share as f64 / 100.0
}

/// Average price of a text under `weights`, in 0.00001 USD.
fn mean_price(weights: &[u32; NCOUNTRIES]) -> f64 {
    (0..NCOUNTRIES)
        .map(|c| {
            COUNTRIES[c]
                .carriers
                .iter()
                .map(|k| weights[c] as f64 / 1000.0 * k.share as f64 / 100.0 * k.price as f64)
                .sum::<f64>()
        })
        .sum()
}

/// One of `items` with at least `min` of the traffic, by the seed; the busiest when none has.
fn pick<T: Copy>(rng: &mut Rng, items: &[(T, f64)], min: f64) -> T {
    let ok: Vec<T> = items
        .iter()
        .filter(|(_, s)| *s >= min)
        .map(|(t, _)| *t)
        .collect();
    if ok.is_empty() {
        return items
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, _)| *t)
            .expect("something to pick");
    }
    ok[rng.below(ok.len() as u64) as usize]
}

impl Plan {
    /// The plan of `scenario` for a month `start..end` of `n` texts.
    pub(crate) fn draw(scenario: Scenario, seed: u64, traffic: &Traffic, n: u64) -> Plan {
        let start = traffic.start;
        let mut rng = Rng::new(seed ^ 0x5CE7_A210_0000_0001 ^ (scenario as u64) << 56);
        let bg = Background {
            traits: TraitRates {
                dead: 40 + rng.below(50),
                opted_out: 10 + rng.below(20),
                invalid: 5 + rng.below(15),
            },
            transient: between(&mut rng, 0.006, 0.012),
            unknown: between(&mut rng, 0.002, 0.006),
            carrier_unreachable: between(&mut rng, 0.001, 0.003),
            carrier_blocked: between(&mut rng, 0.0002, 0.0008),
        };
        let mut weights = standard_weights();
        // a few real users in some of the far countries
        for w in weights.iter_mut().skip(USUAL) {
            *w = u32::from(rng.chance(0.4));
        }
        let far: u32 = weights.iter().skip(USUAL).sum();
        weights[C_US] -= far;
        let growth = (between(&mut rng, 0.85, 1.0), between(&mut rng, 0.0, 0.7));
        let expected_spend = mean_price(&weights) * n as f64;
        // onsets between day 4 and day 26, at any minute
        let from = start + (3 * MS_DAY) + rng.below((22 * MS_DAY) as u64) as i64;
        let mut plan = Plan {
            scenario,
            from,
            cause: Cause::None,
            bg,
            weights,
            growth,
            extra: Vec::new(),
            bursts: Vec::new(),
            limit: u64::MAX,
            settings_limit_usd: None,
            with_metric: false,
        };
        let carriers: Vec<((usize, usize), f64)> = (0..USUAL)
            .flat_map(|c| (0..COUNTRIES[c].carriers.len()).map(move |k| (c, k)))
            .map(|(c, k)| ((c, k), traffic_share(&plan.weights, c, k)))
            .collect();
        let countries: Vec<(usize, f64)> = (0..USUAL)
            .map(|c| (c, plan.weights[c] as f64 / 1000.0))
            .collect();
        plan.cause = match scenario {
            Scenario::Healthy => Cause::None,
            Scenario::SpendLimit => {
                let share = between(&mut rng, 0.3, 0.9);
                plan.limit = (expected_spend * share).round() as u64;
                if rng.chance(0.5) {
                    plan.settings_limit_usd = Some((plan.limit as f64 / 100_000.0).round());
                    plan.limit = (plan.settings_limit_usd.unwrap_or(1.0) * 100_000.0) as u64;
                }
                plan.with_metric = rng.chance(0.5);
                Cause::SpendLimit
            }
            Scenario::CarrierBlock | Scenario::Spam => {
                let (c, k) = pick(&mut rng, &carriers, 0.03);
                Cause::Block {
                    country: c,
                    carrier: COUNTRIES[c].carriers[k].name,
                    share: between(&mut rng, 0.3, 0.85),
                    named: between(&mut rng, 0.85, 0.98),
                    resp: if scenario == Scenario::Spam {
                        R_SPAM
                    } else {
                        R_CARRIER_BLOCKED
                    },
                }
            }
            Scenario::CarrierOutage => {
                let mut hours = between(&mut rng, 2.0, 4.0);
                // a carrier busy enough, at that time of day, that the outage costs at least 25 texts
                // (the operators' alarm is 10 failures); at night, the outage comes 12 hours later,
                // and lasts 4 hours when even that is too quiet
                let texts = |from: i64, hours: f64| {
                    n as f64 * traffic.share_between(from, from + (hours * MS_HOUR as f64) as i64)
                };
                let busiest = carriers.iter().map(|c| c.1).fold(0.0, f64::max);
                if busiest * texts(plan.from, hours) < 25.0 {
                    plan.from += 12 * MS_HOUR;
                }
                if busiest * texts(plan.from, hours) < 25.0 {
                    hours = 4.0;
                }
                let min = 25.0 / texts(plan.from, hours).max(1.0);
                let (c, k) = pick(&mut rng, &carriers, min);
                Cause::Outage {
                    country: c,
                    carrier: k,
                    to: plan.from + (hours * MS_HOUR as f64) as i64,
                    share: between(&mut rng, 0.85, 0.98),
                    named: between(&mut rng, 0.7, 1.0),
                    unknown: between(&mut rng, 0.0, 0.25),
                }
            }
            Scenario::OptedOut => Cause::OptedOut {
                per_10k: 300 + rng.below(700),
            },
            Scenario::InvalidNumbers => Cause::Invalid {
                country: pick(&mut rng, &countries, 0.05),
                share: between(&mut rng, 0.2, 0.6),
            },
            Scenario::MaxPrice => {
                let expensive: Vec<(usize, f64)> = countries
                    .iter()
                    .copied()
                    .filter(|&(c, _)| COUNTRIES[c].carriers[0].price >= 2000)
                    .collect();
                Cause::MaxPrice {
                    country: pick(&mut rng, &expensive, 0.04),
                }
            }
            Scenario::AccountReview => Cause::Review,
            Scenario::Throttling => plan.throttling(&mut rng, n),
            Scenario::WrongRegion => {
                plan.settings_limit_usd =
                    Some((expected_spend * 3.0 / 10_000_000.0).ceil() * 100.0);
                Cause::WrongRegion
            }
            Scenario::Pumping => plan.pumping(&mut rng, start),
            Scenario::MarketingBurst => {
                // an afternoon campaign (US morning), 2-6 hours at 3-8 times the usual traffic
                let day = (plan.from - start) / MS_DAY;
                plan.from = start + day * MS_DAY + (14 + rng.below(4) as i64) * MS_HOUR;
                let hours = 2 + rng.below(5) as usize;
                let level = between(&mut rng, 3.0, 8.0);
                let h0 = ((plan.from - start) / MS_HOUR) as usize;
                plan.extra = (h0..h0 + hours).map(|h| (h, level)).collect();
                Cause::Marketing
            }
        };
        plan
    }

    /// Bulk jobs every so often for 6-72 hours, 3-8 % of the month's texts in all, 10-25 texts per second
    /// allowed.
    fn throttling(&mut self, rng: &mut Rng, n: u64) -> Cause {
        let span = (6.0 + rng.unit() * 66.0) * MS_HOUR as f64;
        let count = 6 + rng.below(30);
        let total = n as f64 * between(rng, 0.03, 0.08);
        let texts = ((total / count as f64) as u32).clamp(40, 2000);
        let mut ts: Vec<i64> = (0..count)
            .map(|_| self.from + (rng.unit() * span) as i64)
            .collect();
        ts.sort_unstable();
        ts[0] = self.from;
        self.bursts = ts
            .into_iter()
            .map(|t| Burst {
                t,
                texts,
                ms: 1000 + rng.below(3000) as u32,
            })
            .collect();
        Cause::Throttle {
            mps: 10 + rng.below(16) as u32,
        }
    }

    /// Three far countries, 24-60 hours of 0.6-1.5 times the usual traffic to blocks of made-up numbers.
    fn pumping(&mut self, rng: &mut Rng, start: i64) -> Cause {
        let mut far: Vec<usize> = (USUAL..NCOUNTRIES).collect();
        let mut countries = [0usize; 3];
        for slot in &mut countries {
            let i = rng.below(far.len() as u64) as usize;
            *slot = far.swap_remove(i);
        }
        let hours = 24 + rng.below(37) as usize;
        let level = between(rng, 0.6, 1.5);
        let h0 = ((self.from - start) / MS_HOUR) as usize;
        self.from = start + h0 as i64 * MS_HOUR + rng.below(MS_HOUR as u64 / 2) as i64;
        // the first hour only partly: the attack starts at `from`
        self.extra = (h0..h0 + hours).map(|h| (h, level)).collect();
        let mut blocks = Vec::new();
        for &c in &countries {
            let Some((_, prefixes, len)) = mobile_plan(c) else {
                continue;
            };
            for _ in 0..2 + rng.below(3) {
                let p = prefixes[rng.below(prefixes.len() as u64) as usize];
                let digits = 3 + rng.below(2) as u32;
                let middle = len - p.len() as u32 - digits;
                let head: u64 = p.parse().unwrap_or(1);
                let prefix = head * 10u64.pow(middle) + rng.below(10u64.pow(middle));
                blocks.push(Block {
                    country: c,
                    prefix,
                    digits,
                });
            }
        }
        Cause::Pumping { countries, blocks }
    }

    /// Whether recipient `local` of `c` opted out in the wave (fixed per recipient).
    fn opted_out(seed: u64, c: usize, local: u32, per_10k: u64) -> bool {
        mix64(seed ^ 0x0F7E_D0C7 ^ ((c as u64) << 36) ^ local as u64) % 10_000 < per_10k
    }
}

/// What kind of text is being made.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// an ordinary code
    Organic,
    /// a code to a pumped number
    Pumped,
    /// a text of a bulk burst; `true`: above the rate allowed in its second
    Burst(bool),
    /// a marketing text
    Promo,
}

/// The providerResponse of a text of a scenario month, how its record names the network, and whether
/// the injected cause decided it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn response(
    p: &Plan,
    seed: u64,
    rng: &mut Rng,
    kind: Kind,
    c: usize,
    local: u32,
    traits: Traits,
    t: i64,
) -> (u8, Net, bool) {
    let after = t >= p.from;
    if kind == Kind::Burst(true) {
        return (R_THROTTLED, Net::Absent, true);
    }
    match p.cause {
        Cause::Review if after && !(c == C_US && local < 3) => {
            return (R_REVIEW, Net::Absent, true);
        }
        Cause::MaxPrice { country } if after && c == country => {
            return (R_MAX_PRICE, Net::Absent, true);
        }
        _ => {}
    }
    if traits.dead {
        return (R_UNREACHABLE, Net::Zero, false);
    }
    if traits.invalid {
        return (R_INVALID, Net::Zero, false);
    }
    if traits.opted_out {
        return (R_OPTED_OUT, Net::Zero, false);
    }
    match p.cause {
        Cause::OptedOut { per_10k } if after && Plan::opted_out(seed, c, local, per_10k) => {
            return (R_OPTED_OUT, Net::Zero, true);
        }
        Cause::Invalid { country, share } if after && c == country && rng.chance(share) => {
            return (R_INVALID, Net::Zero, true);
        }
        Cause::Block {
            country,
            carrier,
            share,
            named,
            resp,
        } if after
            && c == country
            && COUNTRIES[c].carriers[traits.carrier].name == carrier
            && rng.chance(share) =>
        {
            let net = if rng.chance(named) {
                Net::Carrier
            } else {
                Net::Zero
            };
            return (resp, net, true);
        }
        Cause::Outage {
            country,
            carrier,
            to,
            share,
            named,
            unknown,
        } if after && t < to && c == country && traits.carrier == carrier && rng.chance(share) => {
            let resp = if rng.chance(unknown) {
                R_UNKNOWN_ERROR
            } else {
                R_CARRIER_UNREACHABLE
            };
            let net = if rng.chance(named) {
                Net::Carrier
            } else {
                Net::Zero
            };
            return (resp, net, true);
        }
        _ => {}
    }
    let bg = &p.bg;
    let x = rng.unit();
    let caused = kind == Kind::Pumped;
    if x < bg.transient {
        let net = if rng.chance(0.3) {
            Net::Carrier
        } else {
            Net::Zero
        };
        (R_UNREACHABLE, net, false)
    } else if x < bg.transient + bg.unknown {
        (R_UNKNOWN_ERROR, Net::Zero, false)
    } else if x < bg.transient + bg.unknown + bg.carrier_unreachable {
        (R_CARRIER_UNREACHABLE, Net::Carrier, false)
    } else if x < bg.transient + bg.unknown + bg.carrier_unreachable + bg.carrier_blocked {
        (R_CARRIER_BLOCKED, Net::Zero, false)
    } else {
        let (resp, net) = crate::model::outcome::success(rng);
        (resp, net, caused)
    }
}

/// Made-up numbers for a pumping attack: sequential runs inside the attack's blocks, and resends to
/// numbers already texted.
pub(crate) struct Pump {
    /// (block, next offset, numbers left in the run)
    run: Option<(usize, u64, u32)>,
    recent: Vec<(usize, u64)>,
}

impl Pump {
    pub(crate) fn new() -> Pump {
        Pump {
            run: None,
            recent: Vec::new(),
        }
    }

    /// The (country, national number) of the next pumped text.
    pub(crate) fn next(&mut self, rng: &mut Rng, blocks: &[Block]) -> (usize, u64) {
        if !self.recent.is_empty() && rng.chance(0.3) {
            return self.recent[rng.below(self.recent.len() as u64) as usize];
        }
        let (b, offset, left) = match self.run {
            Some((b, o, l)) if l > 0 => (b, o, l),
            _ => {
                let b = rng.below(blocks.len() as u64) as usize;
                let size = 10u64.pow(blocks[b].digits);
                (b, rng.below(size * 3 / 4), 5 + rng.below(56) as u32)
            }
        };
        let block = &blocks[b];
        let size = 10u64.pow(block.digits);
        let nsn = block.prefix * size + offset % size;
        let step = if rng.chance(0.1) { 2 } else { 1 };
        self.run = Some((b, offset + step, left - 1));
        let got = (block.country, nsn);
        if self.recent.len() < 64 {
            self.recent.push(got);
        } else {
            let i = rng.below(64) as usize;
            self.recent[i] = got;
        }
        got
    }
}

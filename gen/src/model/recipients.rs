//! Who a new text goes to (retries go back to the same recipient: `generator`). The country is drawn by
//! the countries' weights; then one of two populations:
//!
//! * the default, the samples' and fixtures': a pool of about `records / 4` numbers per month, spread over
//!   the countries by weight, where 30 % of texts go to a twentieth of the pool (frequent users);
//! * `--recipients N`: about N distinct numbers, shared out over the countries by weight within each
//!   country's capacity (the fictional +1 numbers run out first: 26,800 US, 3,900 CA, 200 JM; their
//!   excess goes to the other countries). A new text goes to a number not texted before with the
//!   probability that keeps its country on course for its share (numbers still wanted over new texts
//!   still expected), otherwise to one already texted, frequent users as above. N near the record count
//!   gives high-cardinality data where most numbers get one text.

use crate::model::population::{capacity, COUNTRIES};
use crate::rng::Rng;

pub(crate) const NCOUNTRIES: usize = COUNTRIES.len();

pub(crate) struct Recipients {
    /// per-mille weight of each country
    weights: [u32; NCOUNTRIES],
    /// `country_cdf[c]`: the per-mille weight of the countries up to and including `c`
    country_cdf: [u32; NCOUNTRIES],
    who: Who,
}

/// The countries' own weights (the standard story's).
pub(crate) fn standard_weights() -> [u32; NCOUNTRIES] {
    let mut w = [0; NCOUNTRIES];
    for (c, country) in COUNTRIES.iter().enumerate() {
        w[c] = country.weight;
    }
    w
}

enum Who {
    /// numbers `0..pool[c]` of each country
    Pool([u64; NCOUNTRIES]),
    /// numbers `0..seen[c]` of each country have been texted, `wanted[c]` will be
    Distinct {
        wanted: [u64; NCOUNTRIES],
        seen: [u64; NCOUNTRIES],
        /// recent share of new texts among all texts (retries take the rest), a moving average
        new_share: f64,
        /// `done` at the previous new text
        last: u64,
    },
}

impl Recipients {
    /// For a month of `records` texts; `distinct`: about this many distinct recipients.
    pub(crate) fn new(records: u64, distinct: Option<u64>) -> Recipients {
        Recipients::with_weights(records, distinct, standard_weights())
    }

    /// As `new`, with these per-mille country weights (summing to 1000).
    pub(crate) fn with_weights(
        records: u64,
        distinct: Option<u64>,
        weights: [u32; NCOUNTRIES],
    ) -> Recipients {
        let base_pool = (records / 4).max(1);
        let mut pool = [1u64; NCOUNTRIES];
        let mut country_cdf = [0u32; NCOUNTRIES];
        let mut acc = 0;
        for (c, &weight) in weights.iter().enumerate() {
            pool[c] = (base_pool * weight as u64 / 1000).clamp(1, capacity(c));
            acc += weight;
            country_cdf[c] = acc;
        }
        let who = match distinct {
            None => Who::Pool(pool),
            Some(n) => Who::Distinct {
                wanted: shares(n, &weights),
                seen: [0; NCOUNTRIES],
                new_share: 1.0,
                last: 0,
            },
        };
        Recipients {
            weights,
            country_cdf,
            who,
        }
    }

    /// The recipient (country, local index) of a new text, when `done` texts (retries included) have
    /// been written and `left` remain, this one included.
    pub(crate) fn pick(&mut self, rng: &mut Rng, done: u64, left: u64) -> (usize, u32) {
        let pick = rng.below(1000) as u32;
        let c = self.country_cdf.iter().position(|&x| pick < x).unwrap_or(0);
        let local = match &mut self.who {
            Who::Pool(pool) => {
                let p = pool[c];
                if rng.chance(0.3) {
                    rng.below((p / 20).max(1))
                } else {
                    rng.below(p)
                }
            }
            Who::Distinct {
                wanted,
                seen,
                new_share,
                last,
            } => {
                // new texts still expected for this country, if retries keep their recent share (it
                // grows once the spend limit is reached)
                let gap = (done + 1).saturating_sub(*last).max(1);
                *new_share += (1.0 / gap as f64 - *new_share) / 2000.0;
                *last = done + 1;
                let expected = left as f64 * *new_share * self.weights[c] as f64 / 1000.0;
                let still = wanted[c].saturating_sub(seen[c]) as f64;
                let fresh = seen[c] == 0 || rng.chance(still / expected.max(1.0));
                if fresh && seen[c] < capacity(c) {
                    seen[c] += 1;
                    seen[c] - 1
                } else if rng.chance(0.3) {
                    rng.below((seen[c] / 20).max(1))
                } else {
                    rng.below(seen[c])
                }
            }
        };
        (c, local as u32)
    }
}

/// `n` recipients shared out by weight, no country over its capacity: what a country cannot hold goes
/// to the others, by weight.
fn shares(n: u64, weights: &[u32; NCOUNTRIES]) -> [u64; NCOUNTRIES] {
    let mut wanted = [0u64; NCOUNTRIES];
    let mut full = [false; NCOUNTRIES];
    let mut left = n;
    // each round fills at least one more country, or shares out everything left
    for _ in 0..NCOUNTRIES {
        let weight: u64 = (0..NCOUNTRIES)
            .filter(|&c| !full[c])
            .map(|c| weights[c] as u64)
            .sum();
        if left == 0 || weight == 0 {
            break;
        }
        let mut given = 0;
        let open = full.map(|f| !f);
        for c in (0..NCOUNTRIES).filter(|&c| open[c]) {
            let share = (left * weights[c] as u64).div_ceil(weight);
            let room = capacity(c) - wanted[c];
            let g = share.min(room).min(left - given);
            wanted[c] += g;
            given += g;
            full[c] = wanted[c] == capacity(c);
        }
        left -= given;
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_within_capacity() {
        for n in [1, 9, 1000, 60_000, 1_000_000] {
            let w = shares(n, &standard_weights());
            assert_eq!(w.iter().sum::<u64>(), n, "{n}: {w:?}");
            assert!((0..NCOUNTRIES).all(|c| w[c] <= capacity(c)), "{n}: {w:?}");
        }
        // past the +1 numbers' capacity, the rest goes to the other countries
        let w = shares(1_000_000, &standard_weights());
        assert_eq!(w[0], capacity(0));
        assert!(w[2] > 150_000);
    }
}

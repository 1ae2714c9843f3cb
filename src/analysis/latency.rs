//! Dwell-time distributions: percentiles per country from an HdrHistogram, in fixed memory per country.
//! Values up to 255 ms are kept exactly; above, each value is known to within 1/128 (under 0.8 %), so a
//! percentile is approximate by at most that much ("approximate" wherever it is shown).

/// Two significant digits: the relative error bound.
const SIGFIG: u8 = 2;
/// The longest dwell time a record may carry (the record setter's range): one year, in ms.
const MAX_MS: u64 = 365 * 86_400_000;

#[derive(Debug, Clone)]
pub struct Histogram(hdrhistogram::Histogram<u64>);

impl Default for Histogram {
    fn default() -> Self {
        // Constant, valid bounds (1 ≤ low, high ≥ 2·low, sigfig ≤ 5): creation cannot fail.
        Histogram(
            hdrhistogram::Histogram::new_with_bounds(1, MAX_MS, SIGFIG)
                .expect("constant histogram bounds are valid"),
        )
    }
}

impl Histogram {
    pub fn add(&mut self, ms: i64) {
        self.0.saturating_record(ms.max(0) as u64);
    }

    pub fn merge(&mut self, other: &Histogram) {
        // Same bounds on both sides, so adding cannot overflow the range; should it, no count is lost.
        if self.0.add(&other.0).is_err() {
            for v in other.0.iter_recorded() {
                self.0
                    .saturating_record_n(v.value_iterated_to(), v.count_at_value());
            }
        }
    }

    /// The recorded values as (a value of its bucket, count), for storing; [`Histogram::from_recorded`]
    /// puts each count back into the same bucket.
    pub fn recorded(&self) -> Vec<(u64, u64)> {
        self.0
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect()
    }

    pub fn from_recorded(values: &[(u64, u64)]) -> Histogram {
        let mut h = Histogram::default();
        for &(v, n) in values {
            h.0.saturating_record_n(v, n);
        }
        h
    }

    pub fn total(&self) -> u64 {
        self.0.len()
    }

    /// The `q` quantile (0..=1) by nearest rank, to within the histogram's resolution; None when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        (self.total() > 0).then(|| self.0.value_at_quantile(q.clamp(0.0, 1.0)) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nearest-rank quantile of sorted values.
    fn exact(sorted: &[i64], q: f64) -> f64 {
        let rank = ((q * sorted.len() as f64).ceil() as usize).max(1);
        sorted[rank - 1] as f64
    }

    /// A small xorshift generator: the test needs varied data, not a random-number crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn a_histogram_stored_as_its_recorded_values_gives_the_same_percentiles() {
        let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
        let mut h = Histogram::default();
        for _ in 0..20_000 {
            h.add((rng.next() * rng.next() * 3_600_000.0) as i64);
        }
        let back = Histogram::from_recorded(&h.recorded());
        assert_eq!(back.total(), h.total());
        for q in [0.0, 0.01, 0.5, 0.9, 0.99, 0.999, 1.0] {
            assert_eq!(back.quantile(q), h.quantile(q), "q {q}");
        }
    }

    #[test]
    fn percentiles_are_within_one_percent_of_the_exact_ones() {
        for seed in [1u64, 7, 42, 1234, 99_991] {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            // Log-normal-ish dwell times around a few hundred ms with a long tail, merged from batches.
            let mut all = Vec::new();
            let mut h = Histogram::default();
            for _batch in 0..4 {
                let mut part = Histogram::default();
                for _ in 0..5_000 {
                    let u = rng.next().max(1e-12);
                    let ms = (150.0 * (-u.ln()).powf(1.6) + 40.0 * rng.next()) as i64;
                    part.add(ms);
                    all.push(ms);
                }
                h.merge(&part);
            }
            all.sort_unstable();
            assert_eq!(h.total(), all.len() as u64);
            for q in [0.5, 0.9, 0.99] {
                let (got, want) = (h.quantile(q).unwrap(), exact(&all, q));
                assert!(
                    (got - want).abs() <= want * 0.01,
                    "seed {seed} q {q}: {got} vs exact {want}"
                );
            }
        }
        assert_eq!(Histogram::default().quantile(0.5), None);
    }

    #[test]
    fn small_values_are_exact_and_huge_ones_are_kept() {
        let mut h = Histogram::default();
        for ms in [0, 3, 214, 214, 255] {
            h.add(ms);
        }
        assert_eq!(h.quantile(0.5), Some(214.0));
        assert_eq!(h.quantile(0.0), Some(0.0));
        h.add(i64::MAX);
        assert_eq!(h.total(), 6);
    }
}

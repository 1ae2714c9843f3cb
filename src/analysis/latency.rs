//! Dwell-time distributions in log-spaced buckets: percentiles per country in constant memory.

/// Sub-buckets per power of two: ~19% relative resolution, plenty for "p90 is 2.5 s".
const SUB: usize = 4;
const BUCKETS: usize = 40 * SUB;

#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BUCKETS],
            total: 0,
        }
    }
}

fn bucket_of(ms: i64) -> usize {
    let v = (ms.max(0) as f64) + 1.0;
    ((v.log2() * SUB as f64) as usize).min(BUCKETS - 1)
}

/// Upper edge of a bucket, in ms.
fn bucket_upper(b: usize) -> f64 {
    (2f64.powf((b + 1) as f64 / SUB as f64) - 1.0).max(0.0)
}

impl Histogram {
    pub fn add(&mut self, ms: i64) {
        self.counts[bucket_of(ms)] += 1;
        self.total += 1;
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The `q` quantile (0..=1), as the upper edge of the bucket that holds it; None when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(bucket_upper(b).round());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_a_bucket() {
        let mut h = Histogram::default();
        for ms in 1..=1000 {
            h.add(ms);
        }
        let p50 = h.quantile(0.5).unwrap();
        let p99 = h.quantile(0.99).unwrap();
        assert!((500.0..=620.0).contains(&p50), "{p50}");
        assert!((990.0..=1200.0).contains(&p99), "{p99}");
        assert_eq!(Histogram::default().quantile(0.5), None);
    }
}

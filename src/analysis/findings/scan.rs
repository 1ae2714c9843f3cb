//! Finding the window where a rate rose: the binomial scan statistic (Kulldorff), over hours.
//!
//! For a series of hours with `k[h]` texts of interest out of `n[h]`, the window `[a, b]` whose rate
//! differs most from the rate outside it is the one with the largest log-likelihood ratio of "one rate
//! inside, another outside" against "one rate everywhere", counting only windows whose rate is higher.
//! Texts are not independent (users retry a code that did not arrive, so failures come in clumps), so
//! the ratio is divided by the series' over-dispersion, measured on six-hour bins outside the window
//! (quasi-likelihood). A window is a change when that ratio is at least [`LLR_MIN`].

/// Smallest (over-dispersion corrected) log-likelihood ratio of a window that is a change, not chance.
/// A month has about 2.8e5 hourly windows; under one constant rate, the chance that a given window
/// reaches a ratio `x` is about `e^-x`, so 20 leaves a month's worth of windows, of every class and
/// scope scanned, well below one false change (2.8e5 windows x 60 scans x e^-20 is about 0.03, and the
/// windows overlap, so the real figure is lower). Not fitted to any data set.
pub const LLR_MIN: f64 = 20.0;

/// The window found, with its counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// First and last hour (indices into the series), inclusive.
    pub a: usize,
    pub b: usize,
    /// Log-likelihood ratio, divided by the over-dispersion.
    pub llr: f64,
    pub dispersion: f64,
    pub k_in: f64,
    pub n_in: f64,
    pub k_out: f64,
    pub n_out: f64,
}

impl Fit {
    pub fn rate_in(&self) -> f64 {
        rate(self.k_in, self.n_in)
    }
    pub fn rate_out(&self) -> f64 {
        rate(self.k_out, self.n_out)
    }

    /// Allows for an over-dispersion known from elsewhere (how the texts cluster by recipient): the
    /// larger of it and the series' own counts.
    pub fn dispersed_at_least(&mut self, d: f64) {
        if d > self.dispersion {
            self.llr *= self.dispersion / d;
            self.dispersion = d;
        }
    }
}

fn rate(k: f64, n: f64) -> f64 {
    if n > 0.0 {
        (k / n).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// `k ln q + (n - k) ln(1 - q)`, with `0 ln 0 = 0`.
fn loglik(k: f64, n: f64, q: f64) -> f64 {
    let a = if k > 0.0 { k * q.ln() } else { 0.0 };
    let b = if n - k > 0.0 {
        (n - k) * (1.0 - q).ln()
    } else {
        0.0
    };
    a + b
}

/// [`loglik`] with `ln q` and `ln(1 - q)` given (a term whose count is 0 leaves its logarithm unused,
/// infinite or not): the scan's hot loop takes those of the pooled rate once for both sides.
fn loglik_of_logs(k: f64, n: f64, ln_q: f64, ln_1q: f64) -> f64 {
    let a = if k > 0.0 { k * ln_q } else { 0.0 };
    let b = if n - k > 0.0 { (n - k) * ln_1q } else { 0.0 };
    a + b
}

/// The ratio for a window with `k_in` of `n_in` inside and `k_out` of `n_out` outside; 0 unless the
/// inside rate is higher.
pub fn llr(k_in: f64, n_in: f64, k_out: f64, n_out: f64) -> f64 {
    if n_in <= 0.0 || k_in <= 0.0 {
        return 0.0;
    }
    let p_in = rate(k_in, n_in);
    let p_out = rate(k_out, n_out);
    if p_in <= p_out {
        return 0.0;
    }
    let p = rate(k_in + k_out, n_in + n_out);
    let (ln_p, ln_1p) = (p.ln(), (1.0 - p).ln());
    let pooled = |k, n| loglik_of_logs(k, n, ln_p, ln_1p);
    let v = loglik(k_in, n_in, p_in) + loglik(k_out, n_out, p_out)
        - pooled(k_in, n_in)
        - pooled(k_out, n_out);
    v.max(0.0)
}

/// Prefix sums: `s[i]` is the sum of `v[..i]`.
fn prefix(v: &[f64]) -> Vec<f64> {
    let mut s = Vec::with_capacity(v.len() + 1);
    s.push(0.0);
    for x in v {
        s.push(s[s.len() - 1] + x);
    }
    s
}

/// Whether hour `h` holds more texts of interest than rate `p_out` explains, with a chance below
/// `chance` (Chernoff's bound on the Poisson tail).
fn beyond(k: f64, n: f64, p_out: f64, chance: f64) -> bool {
    let lambda = n * p_out;
    k > lambda && k * (k / lambda).ln() - k + lambda >= (1.0 / chance).ln()
}

/// Widens a fitted window by the neighbouring hours that hold more texts of interest than the outside
/// rate explains (chance below 1 in 1,000): the hour in which a cause began or ended holds both its texts
/// and ordinary ones, so it is like neither rate. The outside rate is smoothed by half a text; the ratio
/// and the over-dispersion are taken again for the new window.
pub fn widen(k: &[f64], n: &[f64], fit: &mut Fit) {
    let p_out = (fit.k_out + 0.5) / (fit.n_out + 1.0);
    let before = (fit.a, fit.b);
    let shift = |h: usize, fit: &mut Fit| {
        fit.k_in += k[h];
        fit.n_in += n[h];
        fit.k_out -= k[h];
        fit.n_out -= n[h];
    };
    while fit.a > 0 && beyond(k[fit.a - 1], n[fit.a - 1], p_out, 0.001) {
        fit.a -= 1;
        shift(fit.a, fit);
    }
    while fit.b + 1 < k.len().min(n.len()) && beyond(k[fit.b + 1], n[fit.b + 1], p_out, 0.001) {
        fit.b += 1;
        shift(fit.b, fit);
    }
    if (fit.a, fit.b) != before {
        fit.dispersion = dispersion(k, n, (fit.a, fit.b), rate(fit.k_out, fit.n_out));
        fit.llr = llr(fit.k_in, fit.n_in, fit.k_out, fit.n_out) / fit.dispersion;
    }
}

/// Whether a window's cause may still be going at the end of the data: the texts after it must be a
/// change back to the outside rate as strong as a change itself ([`LLR_MIN`], over-dispersion allowed
/// for) to show it ended.
pub fn may_go_on(k: &[f64], n: &[f64], fit: &Fit) -> bool {
    let tail = |v: &[f64]| v.get(fit.b + 1..).map_or(0.0, |t| t.iter().sum::<f64>());
    let (kt, nt) = (tail(k), tail(n));
    let p_in = (fit.k_in + 0.5) / (fit.n_in + 1.0);
    let p_out = (fit.k_out + 0.5) / (fit.n_out + 1.0);
    let ended = loglik(kt, nt, p_out) - loglik(kt, nt, p_in);
    ended / fit.dispersion.max(1.0) < LLR_MIN
}

/// Series up to this many hours are scanned exactly; longer ones on bins first.
const EXACT_HOURS: usize = 168;

/// The window of at most `max_len` hours with the highest ratio, corrected for over-dispersion.
pub fn scan(k: &[f64], n: &[f64], max_len: usize) -> Option<Fit> {
    let h = k.len().min(n.len());
    if h == 0 {
        return None;
    }
    let (ks, ns) = (prefix(&k[..h]), prefix(&n[..h]));
    let (kt, nt) = (ks[h], ns[h]);
    let score = |a: usize, b: usize| {
        let (ki, ni) = (ks[b + 1] - ks[a], ns[b + 1] - ns[a]);
        llr(ki, ni, kt - ki, nt - ni)
    };
    let max_len = max_len.max(1);
    let (mut best, mut best_ab) = (0.0, None);
    let consider = |a: usize, b: usize, best: &mut f64, best_ab: &mut Option<(usize, usize)>| {
        if b >= h || a > b || b - a + 1 > max_len {
            return;
        }
        let s = score(a, b);
        if s > *best {
            *best = s;
            *best_ab = Some((a, b));
        }
    };
    if h <= EXACT_HOURS {
        for a in 0..h {
            for b in a..h.min(a + max_len) {
                consider(a, b, &mut best, &mut best_ab);
            }
        }
    } else {
        // Bins of `w` hours, then the ends refined hour by hour around the best binned window.
        let w = h.div_ceil(EXACT_HOURS / 2).max(2);
        let bins = h.div_ceil(w);
        let max_bins = max_len.div_ceil(w) + 1;
        let mut coarse = (0.0, None);
        for a in 0..bins {
            for b in a..bins.min(a + max_bins) {
                let (ha, hb) = (a * w, ((b + 1) * w).min(h) - 1);
                let s = score(ha, hb);
                if s > coarse.0 {
                    coarse = (s, Some((ha, hb)));
                }
            }
        }
        let (ha, hb) = coarse.1?;
        for a in ha.saturating_sub(w)..(ha + w).min(h) {
            for b in hb.saturating_sub(w)..(hb + w).min(h) {
                consider(a, b, &mut best, &mut best_ab);
            }
        }
    }
    let (a, b) = best_ab?;
    let (k_in, n_in) = (ks[b + 1] - ks[a], ns[b + 1] - ns[a]);
    let (k_out, n_out) = (kt - k_in, nt - n_in);
    let dispersion = dispersion(&k[..h], &n[..h], (a, b), rate(k_out, n_out));
    Some(Fit {
        a,
        b,
        llr: best / dispersion,
        dispersion,
        k_in,
        n_in,
        k_out,
        n_out,
    })
}

/// Hours per bin of the over-dispersion estimate: longer than a user's retries take (six hours), and
/// a day, for what clumps over days (a dead number that keeps being texted for a week). The larger of
/// the two estimates counts.
const DISPERSION_BINS: [usize; 2] = [6, 24];

/// Pearson's chi-square per degree of freedom of the bins outside `window` around rate `p`, at least 1
/// (a series cannot be less variable than independent texts as far as this test is concerned).
pub fn dispersion(k: &[f64], n: &[f64], window: (usize, usize), p: f64) -> f64 {
    DISPERSION_BINS
        .iter()
        .map(|&bin| dispersion_at(k, n, window, p, bin))
        .fold(1.0, f64::max)
}

/// The over-dispersion of a whole series around rate `p`, on bins of `bin` hours (see [`dispersion`]).
pub fn dispersion_of(k: &[f64], n: &[f64], p: f64, bin: usize) -> f64 {
    dispersion_at(k, n, (usize::MAX / 4, usize::MAX / 4), p, bin)
}

fn dispersion_at(k: &[f64], n: &[f64], window: (usize, usize), p: f64, bin: usize) -> f64 {
    if p <= 0.0 || p >= 1.0 {
        return 1.0;
    }
    let (mut chi2, mut df) = (0.0, 0usize);
    let mut i = 0;
    while i < k.len() {
        let end = (i + bin).min(k.len());
        // bins that touch the window, or the bins next to it (where it began and ended), are left out
        if end + bin <= window.0 || i > window.1 + bin {
            let kb: f64 = k[i..end].iter().sum();
            let nb: f64 = n[i..end].iter().sum();
            let e = nb * p;
            if e > 0.0 {
                chi2 += (kb - e).powi(2) / (e * (1.0 - p));
                df += 1;
            }
        }
        i = end;
    }
    if df < 5 {
        return 1.0;
    }
    (chi2 / (df - 1) as f64).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_found_where_it_is() {
        // 300 hours at 1 %, hours 120..=149 at 30 %
        let n = vec![100.0; 300];
        let k: Vec<f64> = (0..300)
            .map(|h| if (120..150).contains(&h) { 30.0 } else { 1.0 })
            .collect();
        let f = scan(&k, &n, 300).expect("a window");
        assert_eq!((f.a, f.b), (120, 149));
        assert!(f.llr > 100.0, "{f:?}");
        assert!((f.rate_in() - 0.3).abs() < 1e-9 && (f.rate_out() - 0.01).abs() < 1e-9);
    }

    #[test]
    fn a_short_burst_is_found_on_a_long_series_and_max_len_holds() {
        let n = vec![50.0; 744];
        let mut k = vec![1.0; 744];
        for v in &mut k[400..403] {
            *v = 45.0;
        }
        let f = scan(&k, &n, 48).expect("a window");
        assert_eq!((f.a, f.b), (400, 402));
        assert!(f.b - f.a < 48);
    }

    #[test]
    fn the_hour_a_cause_began_in_joins_its_window() {
        // 0 % until hour 100, 60 % in hour 100 (it began mid-hour), 100 % after
        let n = vec![50.0; 200];
        let k: Vec<f64> = (0..200)
            .map(|h| match h {
                0..100 => 0.0,
                100 => 30.0,
                _ => 50.0,
            })
            .collect();
        let mut f = scan(&k, &n, 200).expect("a window");
        widen(&k, &n, &mut f);
        assert_eq!((f.a, f.b), (100, 199));
        assert!(may_go_on(&k, &n, &f));
    }

    #[test]
    fn a_burst_followed_by_deliveries_has_ended() {
        let n = vec![20.0; 100];
        let k: Vec<f64> = (0..100)
            .map(|h| if (40..43).contains(&h) { 19.0 } else { 0.0 })
            .collect();
        let f = scan(&k, &n, 100).expect("a window");
        assert!(!may_go_on(&k, &n, &f));
        // a 5 % cause whose last two quiet hours hold one failure in 160 texts may still be going
        let n = vec![80.0; 300];
        let k: Vec<f64> = (0..300)
            .map(|h| match h {
                0..100 => f64::from(h % 5 == 0),
                100..298 => 4.0,
                298 => 0.0,
                _ => 1.0,
            })
            .collect();
        let f = scan(&k, &n, 300).expect("a window");
        assert_eq!(f.b, 297);
        assert!(may_go_on(&k, &n, &f));
    }

    #[test]
    fn a_constant_rate_is_not_a_change() {
        // a deterministic, evenly spread 3 % (no chance at all): nothing reaches the threshold
        let n = vec![40.0; 744];
        let k: Vec<f64> = (0..744)
            .map(|h| if h % 5 < 3 { 2.0 } else { 0.0 })
            .collect();
        let f = scan(&k, &n, 744);
        assert!(f.is_none_or(|f| f.llr < LLR_MIN), "{f:?}");
    }

    #[test]
    fn clumped_counts_are_discounted() {
        // the same totals, but the failures come six at a time: more variance, less evidence each
        let n = vec![40.0; 744];
        let even: Vec<f64> = (0..744).map(|h| f64::from(h % 3 == 0)).collect();
        let clumped: Vec<f64> = (0..744)
            .map(|h| if h % 18 == 0 { 6.0 } else { 0.0 })
            .collect();
        let d_even = dispersion(&even, &n, (0, 0), 1.0 / 120.0);
        let d_clumped = dispersion(&clumped, &n, (0, 0), 1.0 / 120.0);
        assert_eq!(d_even, 1.0);
        assert!(d_clumped > 2.0, "{d_clumped}");
    }
}

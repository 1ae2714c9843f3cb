//! Two periods compared (`--baseline SINCE..UNTIL`): per country, carrier, providerResponse, origination
//! identity, region and smsType, the texts, failures and rates on both sides, and which changes are
//! beyond chance.
//!
//! How "beyond chance" is decided: for each row, two likelihood-ratio tests (G-tests) on 2x2 tables, each
//! with one degree of freedom: its failure rate (failed and delivered texts, baseline against current) and
//! its share of all texts (this row and the rest, baseline against current; a providerResponse has only
//! the share). A change is beyond chance when its p-value is below 0.01 divided by the number of tests
//! made (Bonferroni: the chance that any of them flags a change that is not there stays below 1 %).
//! Texts are not independent (users retry, a dead number is texted for days), so each statistic is first
//! divided by how much more the row varies from hour to hour than independent texts would (its
//! over-dispersion, as in the scan). Successes are re-weighted when success logging was sampled.

use polars::prelude::*;
use serde::Serialize;

use super::collector::Collected;
use super::cube::{self, rollup};
use super::findings::scan::dispersion_of;
use crate::domain::mask::mask_text;
use crate::domain::outcome::Class;
use crate::domain::time::{rfc3339, HOUR_MS};
use crate::frame::Dict;

/// The family-wise chance of flagging a change that is not there.
pub const ALPHA: f64 = 0.01;

/// One period's totals.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Period {
    pub since: Option<String>,
    pub until: Option<String>,
    pub events: u64,
    pub failed: u64,
    pub failure_rate: f64,
    /// Texts per hour over the period.
    pub texts_per_hour: f64,
}

/// One row on both sides.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// `country`, `carrier`, `provider_response`, `origination`, `region`, `sms_type`.
    pub dimension: &'static str,
    pub key: String,
    pub baseline_texts: u64,
    pub baseline_failed: u64,
    pub baseline_failure_rate: f64,
    pub baseline_share: f64,
    pub texts: u64,
    pub failed: u64,
    pub failure_rate: f64,
    pub share: f64,
    /// p-value of the failure-rate test (none for a providerResponse, whose texts all share one outcome).
    pub failure_rate_p: Option<f64>,
    /// p-value of the share test.
    pub share_p: f64,
    pub beyond_chance: bool,
    /// What changed, for people: "failure rate 2.1% -> 9.8%".
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    pub baseline: Period,
    pub current: Period,
    /// How "beyond chance" was decided.
    pub method: String,
    pub alpha: f64,
    /// Tests made (the Bonferroni divisor).
    pub tests: usize,
    /// Beyond chance first, then by the smaller p-value.
    pub changes: Vec<Change>,
}

/// One row of one side: its texts and failures (successes weighted), and both per hour of the side.
struct Row {
    key: String,
    texts: f64,
    failed: f64,
    hourly: std::collections::BTreeMap<i64, (f64, f64)>,
}

/// One side's rows of a dimension.
fn rows(c: &Collected, dim: &str, names: &Dict, weight: f64, show: bool) -> PolarsResult<Vec<Row>> {
    let r = rollup(&c.cube, &[dim, cube::CLASS, cube::HOUR])?;
    let (k, cls, hour, ev) = (
        cube::u32s(&r, dim)?,
        cube::u32s(&r, cube::CLASS)?,
        cube::i64s(&r, cube::HOUR)?,
        cube::u64s(&r, cube::EVENTS)?,
    );
    let mut per: std::collections::BTreeMap<String, Row> = Default::default();
    for i in 0..r.height() {
        let key = mask_text(names.name(k[i]), show).into_owned();
        let row = per.entry(key.clone()).or_insert_with(|| Row {
            key,
            texts: 0.0,
            failed: 0.0,
            hourly: Default::default(),
        });
        let h = row.hourly.entry(hour[i]).or_default();
        if Class::from_code(cls[i]) == Class::Delivered {
            row.texts += ev[i] as f64 * weight;
            h.0 += ev[i] as f64 * weight;
        } else {
            row.texts += ev[i] as f64;
            row.failed += ev[i] as f64;
            h.0 += ev[i] as f64;
            h.1 += ev[i] as f64;
        }
    }
    Ok(per.into_values().collect())
}

/// Texts of a side per hour, all rows together.
fn totals(rows: &[Row]) -> std::collections::BTreeMap<i64, f64> {
    let mut t: std::collections::BTreeMap<i64, f64> = Default::default();
    for r in rows {
        for (h, v) in &r.hourly {
            *t.entry(*h).or_default() += v.0;
        }
    }
    t
}

/// How much more a row's failures (or its texts, as a share of all) vary from hour to hour than
/// independent texts would (users retry, a dead number is texted all week): the larger of the
/// over-dispersions on 6-hour and daily bins for failures, on daily bins for shares (traffic follows
/// the time of day per country). The G statistics are divided by it.
fn row_dispersion(row: &Row, all: &std::collections::BTreeMap<i64, f64>) -> (f64, f64) {
    let (Some(&h0), Some(&h1)) = (all.keys().next(), all.keys().next_back()) else {
        return (1.0, 1.0);
    };
    let len = (h1 - h0 + 1) as usize;
    let (mut n, mut f, mut t) = (vec![0.0; len], vec![0.0; len], vec![0.0; len]);
    for (h, v) in &row.hourly {
        let i = (h - h0) as usize;
        n[i] = v.0;
        f[i] = v.1;
    }
    for (h, v) in all {
        t[(h - h0) as usize] = *v;
    }
    let rate = ratio(row.failed, row.texts);
    let share = ratio(row.texts, t.iter().sum());
    let fail = [6, 24]
        .iter()
        .map(|&bin| dispersion_of(&f, &n, rate, bin))
        .fold(1.0, f64::max);
    (fail, dispersion_of(&n, &t, share, 24))
}

/// A side of the comparison.
pub struct Side<'a> {
    pub collected: &'a Collected,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// Success weight (sampled success logging).
    pub weight: f64,
}

impl Side<'_> {
    fn period(&self) -> PolarsResult<Period> {
        let ev = cube::u64s(&self.collected.cube, cube::EVENTS)?
            .iter()
            .sum::<u64>();
        let failed = cube::u64s(&self.collected.cube, cube::FAILED)?
            .iter()
            .sum::<u64>();
        let texts = failed as f64 + (ev - failed) as f64 * self.weight;
        let from = self.since_ms.or(self.first_ms).unwrap_or(0);
        let to = self.until_ms.or(self.last_ms).unwrap_or(from);
        let hours = ((to - from) as f64 / HOUR_MS as f64).max(1.0);
        Ok(Period {
            since: self.since_ms.or(self.first_ms).map(rfc3339),
            until: self.until_ms.or(self.last_ms).map(rfc3339),
            events: ev,
            failed,
            failure_rate: if texts > 0.0 {
                failed as f64 / texts
            } else {
                0.0
            },
            texts_per_hour: texts / hours,
        })
    }
}

/// A compared dimension: its name in the output, its cube column, and its dictionary.
type Dim = (&'static str, &'static str, fn(&Collected) -> &Dict);

/// The comparison of `current` with `baseline`; names masked unless `show`.
pub fn compare(current: &Side<'_>, baseline: &Side<'_>, show: bool) -> PolarsResult<Comparison> {
    let dims: [Dim; 6] = [
        ("country", cube::COUNTRY, |c| &c.dicts.country),
        ("carrier", cube::CARRIER, |c| &c.dicts.carrier),
        ("provider_response", cube::PROVIDER_RESPONSE, |c| {
            &c.dicts.provider_response
        }),
        ("origination", cube::ORIGINATION, |c| &c.dicts.origination),
        ("region", cube::REGION, |c| &c.dicts.region),
        ("sms_type", cube::SMS_TYPE, |c| &c.dicts.sms_type),
    ];
    let (pc, pb) = (current.period()?, baseline.period()?);
    let (tc, tb) = (
        pc.failed as f64 + (pc.events - pc.failed) as f64 * current.weight,
        pb.failed as f64 + (pb.events - pb.failed) as f64 * baseline.weight,
    );
    let mut changes = Vec::new();
    for (name, dim, dict) in dims {
        let a = rows(
            baseline.collected,
            dim,
            dict(baseline.collected),
            baseline.weight,
            show,
        )?;
        let b = rows(
            current.collected,
            dim,
            dict(current.collected),
            current.weight,
            show,
        )?;
        let (ta, tb_) = (totals(&a), totals(&b));
        let mut keys: Vec<&String> = a.iter().chain(&b).map(|r| &r.key).collect();
        keys.sort_unstable();
        keys.dedup();
        // a dimension the data does not fill (one value on both sides) says nothing
        if keys.len() < 2 {
            continue;
        }
        let find = |v: &'_ [Row], k: &str| v.iter().position(|r| r.key == k);
        for k in keys {
            let (ia, ib) = (find(&a, k), find(&b, k));
            let (nb, fb) = ia.map_or((0.0, 0.0), |i| (a[i].texts, a[i].failed));
            let (nc, fc) = ib.map_or((0.0, 0.0), |i| (b[i].texts, b[i].failed));
            let (da, db) = (
                ia.map_or((1.0, 1.0), |i| row_dispersion(&a[i], &ta)),
                ib.map_or((1.0, 1.0), |i| row_dispersion(&b[i], &tb_)),
            );
            let (phi_fail, phi_share) = (da.0.max(db.0), da.1.max(db.1));
            let share_p = p_value(g_2x2(nb, tb - nb, nc, tc - nc) / phi_share);
            let failure_rate_p = (name != "provider_response")
                .then(|| p_value(g_2x2(fb, nb - fb, fc, nc - fc) / phi_fail));
            changes.push(Change {
                dimension: name,
                key: k.clone(),
                baseline_texts: nb.round() as u64,
                baseline_failed: fb.round() as u64,
                baseline_failure_rate: ratio(fb, nb),
                baseline_share: ratio(nb, tb),
                texts: nc.round() as u64,
                failed: fc.round() as u64,
                failure_rate: ratio(fc, nc),
                share: ratio(nc, tc),
                failure_rate_p,
                share_p,
                beyond_chance: false,
                summary: String::new(),
            });
        }
    }
    let tests = changes
        .iter()
        .map(|c| 1 + usize::from(c.failure_rate_p.is_some()))
        .sum::<usize>()
        .max(1);
    let threshold = ALPHA / tests as f64;
    for c in &mut changes {
        let rate = c.failure_rate_p.is_some_and(|p| p < threshold);
        let share = c.share_p < threshold;
        c.beyond_chance = rate || share;
        let pct = |x: f64| format!("{:.1}%", x * 100.0);
        let mut said = Vec::new();
        if rate {
            said.push(format!(
                "failure rate {} -> {}",
                pct(c.baseline_failure_rate),
                pct(c.failure_rate)
            ));
        }
        if share {
            said.push(format!(
                "share of texts {} -> {}",
                pct(c.baseline_share),
                pct(c.share)
            ));
        }
        c.summary = if said.is_empty() {
            "no change beyond chance".into()
        } else {
            said.join(", ")
        };
    }
    let best = |c: &Change| c.failure_rate_p.unwrap_or(1.0).min(c.share_p);
    changes.sort_by(|x, y| {
        y.beyond_chance
            .cmp(&x.beyond_chance)
            .then(best(x).total_cmp(&best(y)))
            .then(x.dimension.cmp(y.dimension))
            .then(x.key.cmp(&y.key))
    });
    Ok(Comparison {
        baseline: pb,
        current: pc,
        method: format!(
            "G-tests (likelihood ratio, 1 degree of freedom, divided by the row's over-dispersion) on the failure rate and on the share of texts of each row; beyond chance when p < {ALPHA} / {tests} tests (Bonferroni)"
        ),
        alpha: ALPHA,
        tests,
        changes,
    })
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// G statistic of the 2x2 table `[[a, b], [c, d]]` (rows: the two periods).
pub fn g_2x2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let cells = [a, b, c, d].map(|x| x.max(0.0));
    let n: f64 = cells.iter().sum();
    if n <= 0.0 {
        return 0.0;
    }
    let rows = [cells[0] + cells[1], cells[2] + cells[3]];
    let cols = [cells[0] + cells[2], cells[1] + cells[3]];
    let mut g = 0.0;
    for (i, &o) in cells.iter().enumerate() {
        let e = rows[i / 2] * cols[i % 2] / n;
        if o > 0.0 && e > 0.0 {
            g += o * (o / e).ln();
        }
    }
    (2.0 * g).max(0.0)
}

/// The chance that a chi-square variable of one degree of freedom is at least `g`.
pub fn p_value(g: f64) -> f64 {
    erfc((g / 2.0).sqrt())
}

/// The complementary error function (Numerical Recipes' `erfcc`, relative error below 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * (-z * z + poly).exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_matches_known_values() {
        // chi-square(1): P(X >= 3.841) = 0.05, P(X >= 6.635) = 0.01
        assert!((p_value(3.841) - 0.05).abs() < 1e-3);
        assert!((p_value(6.635) - 0.01).abs() < 1e-4);
        assert!((p_value(0.0) - 1.0).abs() < 1e-6);
        // the same rate on both sides is no change; 2 % against 10 % on a thousand texts each is
        assert!(g_2x2(20.0, 980.0, 20.0, 980.0) < 1e-9);
        assert!(p_value(g_2x2(20.0, 980.0, 100.0, 900.0)) < 1e-10);
    }
}

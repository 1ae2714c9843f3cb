//! Findings: what went wrong, ranked by how many texts each cause explains beyond the normal rate, each
//! with its severity, window, scope, evidence and remedy. One module per detector; they run in this order
//! and each claims the failures it explains, so that no failure is counted twice:
//!
//! 1. [`gaps`]: the logs themselves (hours with sends but no records, unlogged successes): said first;
//! 2. [`region`]: the spend limit that stopped the texts is not the one exported (another region);
//! 3. [`outage`]: a burst of carrier-network errors on one carrier;
//! 4. [`pumping`]: a surge of delivered texts to made-up numbers (no failure class shows it);
//! 5. [`classes`]: each outcome class, in the window where its rate rose, else its steady level.
//!
//! [`rank`] gives each its severity and the order; [`verdict`] speaks from the top one; [`locked`]
//! names the recipients who got no code and the finding that locked each out.

mod classes;
mod clusters;
mod gaps;
mod grid;
mod locked;
pub mod model;
mod outage;
mod pumping;
mod rank;
mod region;
pub mod scan;
mod verdict;

use polars::prelude::*;
use serde::Serialize;

use super::collector::{Collected, RecipientStats};
use super::sampling::success_weight;
use super::summary::Summary;
use crate::domain::mask::mask_text;
use crate::domain::outcome::Class;
use grid::Grid;
pub use locked::{locked_out, LockedOut};
pub use model::{Finding, FindingKind, Recipient, Scope, Window};
pub use verdict::verdict;

/// The diagnosis of a run: the ranked findings and the sentence that sums them up.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Diagnosis {
    pub verdict: String,
    pub findings: Vec<Finding>,
}

/// What every detector reads.
pub(crate) struct Ctx<'a> {
    pub c: &'a Collected,
    pub s: &'a Summary,
    /// `--show-numbers`.
    pub show: bool,
    pub grid: Grid,
    /// The recipients with any failure: the detectors ask about them many times, and they are a small
    /// part of all recipients.
    failing: Vec<RecipientStats>,
}

impl Ctx<'_> {
    /// A name from the logs, masked unless `--show-numbers`.
    pub fn name(&self, s: &str) -> String {
        mask_text(s, self.show).into_owned()
    }

    /// All failed texts (at least 1, a divisor).
    pub fn failed_total(&self) -> f64 {
        self.s.failed.max(1) as f64
    }

    /// Up to three example message ids of `classes` in the window, in `country` and on `carrier` when
    /// given, earliest first.
    pub fn message_ids(
        &self,
        classes: u32,
        country: Option<&str>,
        carriers: &[&str],
        (from, to): (i64, i64),
    ) -> Vec<String> {
        self.c.evidence.earliest(
            classes,
            country,
            carriers,
            (from, to),
            crate::frame::EVIDENCE_PER_CLASS,
        )
    }

    /// When a change began, as the recipients show it: the first failure of a recipient with a failure of
    /// `classes` (in `country` when given) who had not failed before `from` (a user who keeps failing
    /// the same way anyway, next to a change, is not the change); None when no one began failing in
    /// `from..=to`.
    pub fn onset(
        &self,
        classes: u32,
        country: Option<&str>,
        (from, to): (i64, i64),
    ) -> Option<i64> {
        self.failing(classes, country)
            .map(|r| r.first_failure_ms)
            .filter(|t| (from..=to).contains(t))
            .min()
    }

    /// Recipients with a failure of `classes` (in `country` when given) whose first failure is in the
    /// window.
    pub fn began_failing(
        &self,
        classes: u32,
        country: Option<&str>,
        (from, to): (i64, i64),
    ) -> u64 {
        self.failing(classes, country)
            .filter(|r| (from..=to).contains(&r.first_failure_ms))
            .count() as u64
    }

    /// Distinct recipients with a failure of `classes`, in `country` when given, whose texts overlap the
    /// window.
    pub fn recipients(&self, classes: u32, country: Option<&str>, (from, to): (i64, i64)) -> u64 {
        self.failing(classes, country)
            .filter(|r| r.last_ms >= from && r.first_ms <= to)
            .count() as u64
    }

    /// The tallies of recipients with a failure of `classes`, in `country` when given (none when the run
    /// has no such country).
    fn failing<'a>(
        &'a self,
        classes: u32,
        country: Option<&str>,
    ) -> impl Iterator<Item = &'a RecipientStats> + 'a {
        let dict = &self.c.dicts.country;
        let code = country.map(|c| dict.find(c));
        self.all_failing()
            .iter()
            .filter(move |r| r.failure_classes & classes != 0)
            .filter(move |r| code.is_none_or(|code| Some(r.country) == code))
    }

    /// The tallies of every recipient with a failure.
    pub fn all_failing(&self) -> &[RecipientStats] {
        &self.failing
    }
}

/// The part of the diagnosis that needs only the collector (the cube as a grid, the failing
/// recipients' tallies): it can be built while the summary is.
pub struct Prepared {
    grid: Grid,
    failing: Vec<RecipientStats>,
}

impl Prepared {
    pub fn new(c: &Collected) -> PolarsResult<Prepared> {
        Ok(Prepared {
            grid: Grid::new(c)?,
            failing: c.recipients.failing(),
        })
    }
}

/// The diagnosis of what the collector gathered (names masked unless `show_numbers`).
pub fn diagnose(c: &Collected, s: &Summary, show_numbers: bool) -> PolarsResult<Diagnosis> {
    diagnose_prepared(Prepared::new(c)?, c, s, show_numbers)
}

/// [`diagnose`] from a grid already built.
pub fn diagnose_prepared(
    prepared: Prepared,
    c: &Collected,
    s: &Summary,
    show_numbers: bool,
) -> PolarsResult<Diagnosis> {
    let Prepared { mut grid, failing } = prepared;
    grid.weight = success_weight(s.spend.success_sample_rate);
    let mut cx = Ctx {
        c,
        s,
        show: show_numbers,
        grid,
        failing,
    };
    let mut found = gaps::findings(&cx);
    found.extend(region::findings(&mut cx));
    found.extend(outage::findings(&mut cx));
    found.extend(pumping::findings(&cx));
    found.extend(classes::findings(&mut cx));
    rank::rank(&mut found);
    let verdict = verdict(s, &found);
    Ok(Diagnosis {
        verdict,
        findings: found,
    })
}

/// Every finding, ranked; names from the logs masked unless `show_numbers`.
pub fn findings(c: &Collected, s: &Summary, show_numbers: bool) -> PolarsResult<Vec<Finding>> {
    Ok(diagnose(c, s, show_numbers)?.findings)
}

/// "12.3%", or "<0.1%" rather than a misleading "0.0%".
pub(crate) fn pct(x: f64) -> String {
    if x > 0.0 && x < 0.001 {
        "<0.1%".into()
    } else if x < 0.1 {
        format!("{:.1}%", x * 100.0)
    } else {
        format!("{:.0}%", x * 100.0)
    }
}

/// A count with thousands separators: `12,345`.
pub(crate) fn count(n: f64) -> String {
    let v = n.round().max(0.0) as u64;
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// USD with cents, thousands separated.
pub(crate) fn usd(x: f64) -> String {
    let cents = (x * 100.0).round() as i64;
    format!("{}.{:02}", count((cents / 100) as f64), (cents % 100).abs())
}

/// The class set of one class.
pub(crate) fn only(c: Class) -> u32 {
    model::bit(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(count(1234567.0), "1,234,567");
        assert_eq!(count(12.0), "12");
        assert_eq!(usd(10234.5), "10,234.50");
        assert_eq!(pct(0.0004), "<0.1%");
        assert_eq!(pct(0.034), "3.4%");
        assert_eq!(pct(0.95), "95%");
    }
}

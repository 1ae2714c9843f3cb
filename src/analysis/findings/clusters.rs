//! How a class's failures cluster by recipient. A user whose code did not arrive asks again, and a
//! mistyped or dead number fails every time, so the failed texts of a class are not independent: the
//! evidence in them is that of the recipients who failed, not of the texts. A test on texts overstates
//! it by the design effect, `sum(m^2) / sum(m)` over the failing recipients, `m` each one's failed texts
//! (the expected number of texts in the cluster of a failed text; 1 when every recipient failed once).
//!
//! Only for the classes the recipient decides (`Outcome::per_recipient`: a mistyped, dead, opted-out or
//! blocked number). When the account or the carrier decides (a spend limit, a blocked carrier), each
//! retry is a new trial of the cause, and one failing again is evidence that the cause goes on; their
//! retries clumping in time is the scan's own over-dispersion.

use crate::analysis::collector::{Collected, RecipientStats};
use crate::domain::outcome::Class;

/// Per class and country (codes of the run's dictionary): the sums of `m` and `m^2`. Per country,
/// because one number retried two hundred times in one country says nothing of the clustering in
/// another.
pub struct Clusters {
    sums: Vec<Vec<(f64, f64)>>,
    countries: Vec<String>,
}

impl Clusters {
    /// From the tallies of the run's recipients with a failure. A recipient with failures of several
    /// classes counts all of them for each (the tallies do not split them): it errs towards less
    /// evidence, never more.
    pub fn of(c: &Collected, failing: &[RecipientStats]) -> Clusters {
        let dict = &c.dicts.country;
        let countries: Vec<String> = (0..dict.len() as u32)
            .map(|i| dict.name(i).to_owned())
            .collect();
        let mut sums = vec![vec![(0.0, 0.0); countries.len()]; Class::ALL.len()];
        for r in failing.iter().filter(|r| r.failed > 0) {
            let m = r.failed as f64;
            for (class, per_country) in Class::ALL.into_iter().zip(&mut sums) {
                if r.failure_classes & (1 << class.code()) == 0 {
                    continue;
                }
                if let Some(s) = per_country.get_mut(r.country as usize) {
                    s.0 += m;
                    s.1 += m * m;
                }
            }
        }
        Clusters { sums, countries }
    }

    /// The design effect of `class`'s failures in `country` (all countries with `None`), at least 1.
    pub fn design_effect(&self, class: Class, country: Option<&str>) -> f64 {
        let (m, m2) = self
            .of_class(class)
            .iter()
            .zip(&self.countries)
            .filter(|(_, name)| country.is_none_or(|c| c == name.as_str()))
            .fold((0.0, 0.0), |acc, (s, _)| (acc.0 + s.0, acc.1 + s.1));
        ratio(m, m2)
    }

    /// The design effect of a sum of failures of `class`, `weights` of them in each country: the average
    /// of the countries' design effects weighted by their failures (the variance of a sum of
    /// independent counts is the sum of theirs). Where failures are tested decides, not a country with
    /// one number retried hundreds of times and none of the failures in question.
    pub fn design_effect_of<'a>(
        &self,
        class: Class,
        weights: impl Iterator<Item = (&'a str, f64)>,
    ) -> f64 {
        let (mut sum, mut total) = (0.0, 0.0);
        for (country, w) in weights.filter(|(_, w)| *w > 0.0) {
            sum += w * self.design_effect(class, Some(country));
            total += w;
        }
        if total > 0.0 {
            (sum / total).max(1.0)
        } else {
            1.0
        }
    }

    fn of_class(&self, class: Class) -> &[(f64, f64)] {
        if !class.outcome().per_recipient {
            return &[];
        }
        // `sums` follows `Class::ALL`, whose index is the class's code
        self.sums
            .get(class.code() as usize)
            .map_or(&[], Vec::as_slice)
    }
}

/// `sum(m^2) / sum(m)`, at least 1 (1 without failures).
fn ratio(m: f64, m2: f64) -> f64 {
    if m > 0.0 {
        (m2 / m).max(1.0)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clusters(class: Class, per_country: &[(&str, f64, f64)]) -> Clusters {
        let mut sums = vec![vec![(0.0, 0.0); per_country.len()]; Class::ALL.len()];
        let at = Class::ALL
            .iter()
            .position(|c| *c == class)
            .expect("a class");
        for (i, &(_, m, m2)) in per_country.iter().enumerate() {
            sums[at][i] = (m, m2);
        }
        Clusters {
            sums,
            countries: per_country.iter().map(|c| c.0.to_owned()).collect(),
        }
    }

    #[test]
    fn a_failed_text_weighs_as_the_texts_of_its_recipients_cluster() {
        // 40 recipients who failed once, and one who failed 40 times: a failed text is in a cluster of
        // 20.5 on average
        let c = clusters(Class::InvalidNumber, &[("US", 80.0, 40.0 + 1600.0)]);
        assert!((c.design_effect(Class::InvalidNumber, Some("US")) - 20.5).abs() < 1e-9);
        // a class no one failed is independent texts
        assert_eq!(c.design_effect(Class::Unreachable, None), 1.0);
    }

    #[test]
    fn a_class_the_account_or_carrier_decides_is_not_discounted() {
        let c = clusters(Class::CarrierBlocked, &[("IN", 80.0, 1640.0)]);
        assert_eq!(c.design_effect(Class::CarrierBlocked, Some("IN")), 1.0);
    }

    #[test]
    fn a_country_with_a_retried_number_does_not_discount_failures_elsewhere() {
        let c = clusters(
            Class::OptedOut,
            &[("IN", 500.0, 250_000.0), ("US", 200.0, 400.0)],
        );
        assert!(c.design_effect(Class::OptedOut, None) > 300.0);
        let only_us = c.design_effect_of(Class::OptedOut, [("US", 150.0), ("IN", 0.0)].into_iter());
        assert!((only_us - 2.0).abs() < 1e-9);
    }
}

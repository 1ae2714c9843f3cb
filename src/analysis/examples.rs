//! A run's example message ids (support cases ask for three): the earliest [`EVIDENCE_PER_CLASS`] of each
//! failure class, country, carrier and hour, and of each country's deliveries and hour, so that a finding
//! can cite the first ones of its own window.
//!
//! A month of a high-cardinality run has a few hundred thousand such cells. Each keeps its class, country
//! and carrier once, as codes in its key, and its examples as a time and an id: held as whole
//! [`Evidence`] (three strings each, in a vector grown to four), they took 40 MiB more of a 287 MiB peak
//! (2 M records to 1.8 M recipients).

use crate::domain::outcome::Class;
use crate::domain::time::HOUR_MS;
use crate::frame::dict::{Dict, FxHashMap};
use crate::frame::{Evidence, EvidenceGroup, EVIDENCE_PER_CLASS};

/// Class, country and carrier (codes in the examples' own name dictionary), hour since the epoch.
type Cell = (Class, u32, u32, i64);

#[derive(Debug, Clone)]
struct Example {
    time_ms: i64,
    message_id: Box<str>,
}

impl Example {
    fn key(&self) -> (i64, &str) {
        (self.time_ms, &self.message_id)
    }
}

#[derive(Default)]
pub struct Examples {
    /// Country and carrier names.
    names: Dict,
    cells: FxHashMap<Cell, Vec<Example>>,
}

impl Examples {
    /// Keeps `e` if it is among the earliest of its cell (by time, then id).
    pub fn add(&mut self, e: Evidence) {
        let cell = (
            e.class,
            self.names.code(&e.country),
            self.names.code(&e.carrier),
            e.time_ms.div_euclid(HOUR_MS),
        );
        self.keep(
            cell,
            Example {
                time_ms: e.time_ms,
                message_id: e.message_id.into_boxed_str(),
            },
        );
    }

    /// [`Examples::add`] of each of a group's examples, its names coded once.
    pub fn add_group(&mut self, g: EvidenceGroup) {
        let (country, carrier) = (self.names.code(&g.country), self.names.code(&g.carrier));
        for (time_ms, message_id) in g.examples {
            let cell = (g.class, country, carrier, time_ms.div_euclid(HOUR_MS));
            self.keep(
                cell,
                Example {
                    time_ms,
                    message_id,
                },
            );
        }
    }

    fn keep(&mut self, cell: Cell, ex: Example) {
        let kept = self
            .cells
            .entry(cell)
            .or_insert_with(|| Vec::with_capacity(1));
        if kept.len() < EVIDENCE_PER_CLASS {
            kept.push(ex);
            return;
        }
        let latest = (0..kept.len()).max_by(|&a, &b| kept[a].key().cmp(&kept[b].key()));
        if let Some(l) = latest.filter(|&l| ex.key() < kept[l].key()) {
            kept[l] = ex;
        }
    }

    /// The ids of the earliest `n` examples of the classes in `classes` (a bit set of class codes), in
    /// `country` when given, of `carriers` when not empty, at `from..=to` (epoch ms).
    pub fn earliest(
        &self,
        classes: u32,
        country: Option<&str>,
        carriers: &[&str],
        (from, to): (i64, i64),
        n: usize,
    ) -> Vec<String> {
        let code = |name: &str| self.names.find(name);
        let country = match country {
            Some(c) => match code(c) {
                Some(c) => Some(c),
                None => return Vec::new(),
            },
            None => None,
        };
        let any_carrier = carriers.is_empty();
        let carriers: Vec<u32> = carriers.iter().filter_map(|c| code(c)).collect();
        if !any_carrier && carriers.is_empty() {
            return Vec::new();
        }
        let hours = from.div_euclid(HOUR_MS)..=to.div_euclid(HOUR_MS);
        let mut found: Vec<(i64, &str)> = self
            .cells
            .iter()
            .filter(|((class, cn, ca, hour), _)| {
                classes & (1 << class.code()) != 0
                    && country.is_none_or(|c| c == *cn)
                    && (any_carrier || carriers.contains(ca))
                    && hours.contains(hour)
            })
            .flat_map(|(_, kept)| kept.iter().map(Example::key))
            .filter(|(t, _)| (from..=to).contains(t))
            .collect();
        found.sort_unstable();
        found
            .into_iter()
            .take(n)
            .map(|(_, id)| id.to_owned())
            .collect()
    }

    /// Every example, in time order (then by id).
    pub fn to_evidence(&self) -> Vec<Evidence> {
        let mut out: Vec<Evidence> = self
            .cells
            .iter()
            .flat_map(|(&(class, country, carrier, _), kept)| {
                kept.iter().map(move |e| Evidence {
                    time_ms: e.time_ms,
                    message_id: e.message_id.to_string(),
                    class,
                    carrier: self.names.name(carrier).to_owned(),
                    country: self.names.name(country).to_owned(),
                })
            })
            .collect();
        out.sort_by(|a, b| (a.time_ms, &a.message_id).cmp(&(b.time_ms, &b.message_id)));
        out
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earliest_examples_of_a_window_are_its_first_ids_in_time_order() {
        let mut next = crate::testing::xorshift(0x3C6E_F372_FE94_F82B);
        let mut examples = Examples::default();
        for i in 0..6000 {
            let e = Evidence {
                time_ms: (next() % (72 * HOUR_MS as u64)) as i64,
                message_id: format!("m-{i:05}"),
                class: [Class::Unreachable, Class::CarrierBlocked][(next() % 2) as usize],
                carrier: ["Vodafone", "Airtel", ""][(next() % 3) as usize].to_owned(),
                country: ["IN", "GB"][(next() % 2) as usize].to_owned(),
            };
            examples.add(e);
        }
        let classes = 1 << Class::Unreachable.code();
        let window = (5 * HOUR_MS + 17, 60 * HOUR_MS);
        // What a finding in IN on Airtel may cite: the earliest of those kept (three per cell).
        let kept: Vec<(i64, String)> = examples
            .to_evidence()
            .into_iter()
            .filter(|e| e.class == Class::Unreachable && e.country == "IN" && e.carrier == "Airtel")
            .filter(|e| (window.0..=window.1).contains(&e.time_ms))
            .map(|e| (e.time_ms, e.message_id))
            .collect();
        assert!(kept.len() > 100, "{}", kept.len());
        for n in [0, 1, 3, 50, kept.len(), kept.len() + 9] {
            let mut expected = kept.clone();
            expected.sort();
            let expected: Vec<String> = expected.into_iter().take(n).map(|(_, id)| id).collect();
            let got = examples.earliest(classes, Some("IN"), &["Airtel"], window, n);
            assert_eq!(got, expected, "n = {n}");
        }
    }
}

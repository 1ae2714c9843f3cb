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
/// A cell without its hour.
type Group = (Class, u32, u32);

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

/// The examples kept, in cells, or in whole groups as a dataset's manifest lists them.
///
/// A manifest's group holds what the cells of its class, country and carrier kept (at most
/// [`EVIDENCE_PER_CLASS`] an hour): it is kept as it came, not put in cells one by one (168 k examples
/// of a high-cardinality month took 25-35 ms that way). A group's cells are in no other place: an
/// example of the same class, country and carrier, or a second group of them, first puts the group's
/// examples in cells.
#[derive(Default)]
pub struct Examples {
    /// Country and carrier names.
    names: Dict,
    cells: FxHashMap<Cell, Vec<Example>>,
    /// The groups that have cells.
    in_cells: std::collections::HashSet<Group, crate::frame::dict::FxBuild>,
    groups: FxHashMap<Group, Vec<Example>>,
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
        let group = (g.class, country, carrier);
        let examples: Vec<Example> = g
            .examples
            .into_iter()
            .map(|(time_ms, message_id)| Example {
                time_ms,
                message_id,
            })
            .collect();
        if examples.is_empty() {
            return;
        }
        let apart = !self.in_cells.contains(&group) && !self.groups.contains_key(&group);
        if apart && as_kept(&examples) {
            self.groups.insert(group, examples);
            return;
        }
        for ex in examples {
            self.keep(
                (g.class, country, carrier, ex.time_ms.div_euclid(HOUR_MS)),
                ex,
            );
        }
    }

    fn keep(&mut self, cell: Cell, ex: Example) {
        let group = (cell.0, cell.1, cell.2);
        if self.in_cells.insert(group) {
            for earlier in self.groups.remove(&group).unwrap_or_default() {
                let hour = earlier.time_ms.div_euclid(HOUR_MS);
                self.keep_in_cell((group.0, group.1, group.2, hour), earlier);
            }
        }
        self.keep_in_cell(cell, ex);
    }

    fn keep_in_cell(&mut self, cell: Cell, ex: Example) {
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
            .chain(
                self.groups
                    .iter()
                    .filter(|((class, cn, ca), _)| {
                        classes & (1 << class.code()) != 0
                            && country.is_none_or(|c| c == *cn)
                            && (any_carrier || carriers.contains(ca))
                    })
                    .flat_map(|(_, kept)| kept.iter().map(Example::key)),
            )
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
        let grouped = self.groups.iter().map(|(&group, kept)| (group, kept));
        let mut out: Vec<Evidence> = self
            .cells
            .iter()
            .map(|(&(class, country, carrier, _), kept)| ((class, country, carrier), kept))
            .chain(grouped)
            .flat_map(|((class, country, carrier), kept)| {
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
        self.cells.is_empty() && self.groups.is_empty()
    }
}

/// Whether `examples` are what cells keep of them all: in time order, at most [`EVIDENCE_PER_CLASS`] in
/// an hour (each cell would keep every one).
fn as_kept(examples: &[Example]) -> bool {
    let sorted = examples.windows(2).all(|w| w[0].time_ms <= w[1].time_ms);
    sorted
        && examples
            .chunk_by(|a, b| a.time_ms.div_euclid(HOUR_MS) == b.time_ms.div_euclid(HOUR_MS))
            .all(|hour| hour.len() <= EVIDENCE_PER_CLASS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(next: &mut impl FnMut() -> u64, i: usize) -> Evidence {
        Evidence {
            time_ms: (next() % (72 * HOUR_MS as u64)) as i64,
            message_id: format!("m-{i:05}"),
            class: [Class::Unreachable, Class::CarrierBlocked][(next() % 2) as usize],
            carrier: ["Vodafone", "Airtel", ""][(next() % 3) as usize].to_owned(),
            country: ["IN", "GB"][(next() % 2) as usize].to_owned(),
        }
    }

    /// The kept examples as a manifest lists them: grouped by class, country and carrier, in time order.
    fn as_manifest_groups(kept: Vec<Evidence>) -> Vec<EvidenceGroup> {
        let mut groups: std::collections::BTreeMap<(u8, String, String), EvidenceGroup> =
            Default::default();
        for e in kept {
            let key = (e.class.code() as u8, e.country.clone(), e.carrier.clone());
            let g = groups.entry(key).or_insert_with(|| EvidenceGroup {
                class: e.class,
                country: e.country.clone(),
                carrier: e.carrier.clone(),
                examples: Vec::new(),
            });
            g.examples.push((e.time_ms, e.message_id.into_boxed_str()));
        }
        groups.into_values().collect()
    }

    #[test]
    fn a_manifests_groups_give_what_their_examples_one_by_one_give_with_rows_read_beside_them() {
        for seed in [0x9E37_79B9_7F4A_7C15, 0x2545_F491_4F6C_DD1D] {
            let mut next = crate::testing::xorshift(seed);
            let first: Vec<Evidence> = (0..4000).map(|i| example(&mut next, i)).collect();
            let later: Vec<Evidence> = (4000..4600).map(|i| example(&mut next, i)).collect();
            let mut reference = Examples::default();
            let mut kept = Examples::default();
            for e in &first {
                reference.add(e.clone());
                kept.add(e.clone());
            }
            let mut grouped = Examples::default();
            for g in as_manifest_groups(kept.to_evidence()) {
                grouped.add_group(g);
            }
            assert!(!grouped.groups.is_empty() && grouped.cells.is_empty());
            assert_eq!(grouped.to_evidence(), kept.to_evidence());
            // a second manifest's groups and rows of the same cells, as two datasets read together
            for g in as_manifest_groups(later[..300].to_vec()) {
                grouped.add_group(g);
            }
            for e in &later[300..] {
                grouped.add(e.clone());
            }
            for e in &later {
                reference.add(e.clone());
            }
            assert_eq!(grouped.to_evidence(), reference.to_evidence());
            let classes = (1 << Class::Unreachable.code()) | (1 << Class::CarrierBlocked.code());
            for window in [(0, 72 * HOUR_MS), (5 * HOUR_MS + 17, 60 * HOUR_MS)] {
                for (country, carriers) in [(None, &[][..]), (Some("IN"), &["Airtel", ""][..])] {
                    assert_eq!(
                        grouped.earliest(classes, country, carriers, window, 7),
                        reference.earliest(classes, country, carriers, window, 7)
                    );
                }
            }
        }
    }

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

//! The cube as the detectors read it: texts per (country, carrier) segment, outcome class and hour, as
//! series over the hours of the data. A detector that explains some failures claims them, and later
//! detectors no longer see them: no failure is explained twice.

use polars::prelude::*;

use crate::analysis::collector::Collected;
use crate::analysis::cube::{self, rollup};
use crate::domain::outcome::Class;
use crate::domain::time::HOUR_MS;
use crate::frame::UNKNOWN;

/// Outcomes SNS decides itself, before any carrier sees the text.
pub const REFUSED: u32 = 1 << Class::SpendLimit as u32
    | 1 << Class::AccountReview as u32
    | 1 << Class::Throttled as u32
    | 1 << Class::MaxPrice as u32
    | 1 << Class::ProtectBlocked as u32
    | 1 << Class::InvalidMessage as u32;

/// One (country, carrier) pair of the data.
#[derive(Debug, Clone)]
pub struct Seg {
    pub country: String,
    /// Index into `Grid::countries`.
    pub cx: usize,
    /// `unknown` when the records name none.
    pub carrier: String,
}

impl Seg {
    pub fn named(&self) -> bool {
        self.carrier != UNKNOWN
    }
}

/// One cube cell: a segment's texts of one class in one hour.
#[derive(Debug, Clone, Copy)]
struct Cell {
    seg: usize,
    hour: usize,
    class: Class,
    events: f64,
    price: f64,
    first_ms: i64,
    last_ms: i64,
    /// Already explained by a finding (whole cells are claimed).
    claimed: bool,
}

/// Hours of some segments a finding explained for some classes.
#[derive(Debug, Clone)]
struct Claim {
    classes: u32,
    segs: Vec<bool>,
    hours: (usize, usize),
}

/// Which segments a series covers.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    All,
    /// An index into `Grid::countries`.
    Country(usize),
    Seg(usize),
    Segs(Vec<usize>),
}

pub struct Grid {
    /// The first hour (epoch hours).
    pub h0: i64,
    pub hours: usize,
    pub segs: Vec<Seg>,
    /// Every country of the data.
    pub countries: Vec<String>,
    /// Sorted by segment: `cells[seg_start[s]..seg_start[s + 1]]` are segment `s`'s, so that a query
    /// about one country or carrier reads only its cells (the detectors ask thousands of them).
    cells: Vec<Cell>,
    seg_start: Vec<usize>,
    /// What findings explained: those hours of those segments no longer count for these classes.
    claims: Vec<Claim>,
    /// Successes count this many times (sampled success logging).
    pub weight: f64,
    /// First and last record of the data, epoch ms.
    pub first_ms: i64,
    pub last_ms: i64,
}

/// Puts countries and segments in name order, so that ties between them (and every list built from
/// them) do not depend on the order the parallel read met them in.
fn in_name_order(segs: &mut Vec<Seg>, countries: &mut Vec<String>, cells: &mut [Cell]) {
    let mut by_name: Vec<usize> = (0..countries.len()).collect();
    by_name.sort_by(|&a, &b| countries[a].cmp(&countries[b]));
    let mut cx_new = vec![0; countries.len()];
    for (new, &old) in by_name.iter().enumerate() {
        cx_new[old] = new;
    }
    *countries = by_name.iter().map(|&i| countries[i].clone()).collect();
    let mut order: Vec<usize> = (0..segs.len()).collect();
    order.sort_by(|&a, &b| {
        (&segs[a].country, &segs[a].carrier).cmp(&(&segs[b].country, &segs[b].carrier))
    });
    let mut seg_new = vec![0; segs.len()];
    for (new, &old) in order.iter().enumerate() {
        seg_new[old] = new;
    }
    *segs = order
        .iter()
        .map(|&i| Seg {
            cx: cx_new[segs[i].cx],
            ..segs[i].clone()
        })
        .collect();
    for c in cells {
        c.seg = seg_new[c.seg];
    }
}

impl Grid {
    /// The grid of what `c` gathered, successes counted once (the diagnosis sets [`Grid::weight`]).
    pub fn new(c: &Collected) -> PolarsResult<Grid> {
        let rows = rollup(
            &c.cube,
            &[cube::CLASS, cube::COUNTRY, cube::CARRIER, cube::HOUR],
        )?;
        let (cls, country, carrier, hour) = (
            cube::u32s(&rows, cube::CLASS)?,
            cube::u32s(&rows, cube::COUNTRY)?,
            cube::u32s(&rows, cube::CARRIER)?,
            cube::i64s(&rows, cube::HOUR)?,
        );
        let (events, price) = (
            cube::u64s(&rows, cube::EVENTS)?,
            cube::f64s(&rows, cube::PRICE_USD)?,
        );
        let (first, last) = (
            cube::i64s(&rows, cube::FIRST_MS)?,
            cube::i64s(&rows, cube::LAST_MS)?,
        );
        let h0 = hour.iter().copied().min().unwrap_or(0);
        let h1 = hour.iter().copied().max().unwrap_or(0);
        let mut segs: Vec<Seg> = Vec::new();
        let mut countries: Vec<String> = Vec::new();
        let mut seg_of: std::collections::HashMap<(u32, u32), usize> = Default::default();
        let mut cells = Vec::with_capacity(rows.height());
        for i in 0..rows.height() {
            let seg = *seg_of.entry((country[i], carrier[i])).or_insert_with(|| {
                let name = c.dicts.country.name(country[i]);
                let cx = countries.iter().position(|c| c == name).unwrap_or_else(|| {
                    countries.push(name.to_owned());
                    countries.len() - 1
                });
                segs.push(Seg {
                    country: name.to_owned(),
                    cx,
                    carrier: c.dicts.carrier.name(carrier[i]).to_owned(),
                });
                segs.len() - 1
            });
            let class = Class::from_code(cls[i]);
            cells.push(Cell {
                seg,
                hour: (hour[i] - h0) as usize,
                class,
                events: events[i] as f64,
                price: price[i],
                first_ms: first[i],
                last_ms: last[i],
                claimed: false,
            });
        }
        in_name_order(&mut segs, &mut countries, &mut cells);
        cells.sort_by_key(|c| (c.seg, c.hour));
        let mut seg_start = vec![0; segs.len() + 1];
        for c in &cells {
            seg_start[c.seg + 1] += 1;
        }
        for s in 0..segs.len() {
            seg_start[s + 1] += seg_start[s];
        }
        Ok(Grid {
            h0,
            hours: if rows.height() == 0 {
                0
            } else {
                (h1 - h0 + 1) as usize
            },
            segs,
            countries,
            claims: Vec::new(),
            first_ms: first.iter().copied().min().unwrap_or(0),
            last_ms: last.iter().copied().max().unwrap_or(0),
            cells,
            seg_start,
            weight: 1.0,
        })
    }

    /// The cells of one segment.
    fn seg_cells(&self, seg: usize) -> &[Cell] {
        &self.cells[self.seg_start[seg]..self.seg_start[seg + 1]]
    }

    /// The cells of the segments in `scope`.
    fn cells_in<'g>(&'g self, scope: &Scope) -> impl Iterator<Item = &'g Cell> + 'g {
        let slices: Vec<&[Cell]> = match scope {
            Scope::All => vec![&self.cells],
            Scope::Seg(s) => vec![self.seg_cells(*s)],
            Scope::Segs(v) => {
                // a segment named twice is still one segment's cells
                let mut v = v.clone();
                v.sort_unstable();
                v.dedup();
                v.into_iter().map(|s| self.seg_cells(s)).collect()
            }
            Scope::Country(c) => (0..self.segs.len())
                .filter(|&s| self.segs[s].cx == *c)
                .map(|s| self.seg_cells(s))
                .collect(),
        };
        slices.into_iter().flatten()
    }

    pub fn hour_ms(&self, hour: usize) -> i64 {
        (self.h0 + hour as i64) * HOUR_MS
    }

    /// The hour index of an instant (clamped to the data).
    pub fn hour_of(&self, ms: i64) -> usize {
        (ms.div_euclid(HOUR_MS) - self.h0).clamp(0, self.hours.max(1) as i64 - 1) as usize
    }

    pub fn in_scope(&self, scope: &Scope, seg: usize) -> bool {
        match scope {
            Scope::All => true,
            Scope::Country(c) => self.segs[seg].cx == *c,
            Scope::Seg(s) => *s == seg,
            Scope::Segs(v) => v.contains(&seg),
        }
    }

    /// Per hour: texts (successes weighted) in `scope`, all of them.
    pub fn texts(&self, scope: &Scope) -> Vec<f64> {
        let mut v = vec![0.0; self.hours];
        for c in self.cells_in(scope) {
            v[c.hour] += if c.class == Class::Delivered {
                c.events * self.weight
            } else {
                c.events
            };
        }
        v
    }

    /// Per hour: the texts in `scope` that could have had an outcome of `classes` (successes
    /// weighted): texts SNS refused itself (spend limit, review, ...) never reached a carrier, so they
    /// are no part of a carrier outcome's rate; and hours a finding explained for these classes are
    /// left out altogether (their failures are claimed, so their rate would look like 0).
    pub fn texts_for(&self, scope: &Scope, classes: u32) -> Vec<f64> {
        let mut v = vec![0.0; self.hours];
        for c in self.cells_in(scope) {
            v[c.hour] += self.weight_of(c, classes);
        }
        v
    }

    /// What a cell counts for in the denominator of `classes`' rate.
    fn weight_of(&self, c: &Cell, classes: u32) -> f64 {
        let explained = self.claims.iter().any(|cl| {
            cl.classes & classes != 0
                && cl.segs[c.seg]
                && (cl.hours.0..=cl.hours.1).contains(&c.hour)
        });
        if explained {
            0.0
        } else if c.class == Class::Delivered {
            c.events * self.weight
        } else if classes & REFUSED == 0 && REFUSED & (1 << c.class.code()) != 0 {
            0.0
        } else {
            c.events
        }
    }

    /// Per hour: unclaimed texts of the `classes` (bit set) in `scope`.
    pub fn count(&self, scope: &Scope, classes: u32) -> Vec<f64> {
        let mut v = vec![0.0; self.hours];
        for c in self
            .cells_in(scope)
            .filter(|c| !c.claimed && classes & (1 << c.class.code()) != 0)
        {
            v[c.hour] += c.events;
        }
        v
    }

    /// Per hour: spend (USD) in `scope`.
    pub fn spend(&self, scope: &Scope) -> Vec<f64> {
        let mut v = vec![0.0; self.hours];
        for c in self.cells_in(scope) {
            v[c.hour] += if c.class == Class::Delivered {
                c.price * self.weight
            } else {
                c.price
            };
        }
        v
    }

    /// Unclaimed texts of `classes` per segment (the whole data).
    pub fn per_seg(&self, classes: u32) -> Vec<f64> {
        let mut v = vec![0.0; self.segs.len()];
        for c in self
            .cells
            .iter()
            .filter(|c| !c.claimed && classes & (1 << c.class.code()) != 0)
        {
            v[c.seg] += c.events;
        }
        v
    }

    /// Per segment: unclaimed texts of `classes` in `scope` within hours `a..=b` (0 outside `scope`).
    pub fn per_seg_in(&self, scope: &Scope, classes: u32, (a, b): (usize, usize)) -> Vec<f64> {
        let mut v = vec![0.0; self.segs.len()];
        for c in self.cells_in(scope).filter(|c| {
            !c.claimed && classes & (1 << c.class.code()) != 0 && (a..=b).contains(&c.hour)
        }) {
            v[c.seg] += c.events;
        }
        v
    }

    /// The first and last unclaimed text of `classes` in `scope` within hours `a..=b`.
    pub fn span(&self, scope: &Scope, classes: u32, (a, b): (usize, usize)) -> Option<(i64, i64)> {
        self.cells_in(scope)
            .filter(|c| {
                !c.claimed && classes & (1 << c.class.code()) != 0 && (a..=b).contains(&c.hour)
            })
            .fold(None, |acc, c| match acc {
                None => Some((c.first_ms, c.last_ms)),
                Some((f, l)) => Some((f.min(c.first_ms), l.max(c.last_ms))),
            })
    }

    /// Marks the texts of `classes` in `scope` within hours `a..=b` as explained.
    pub fn claim(&mut self, scope: &Scope, classes: u32, (a, b): (usize, usize)) {
        let segs = (0..self.segs.len())
            .map(|s| self.in_scope(scope, s))
            .collect();
        self.claims.push(Claim {
            classes,
            segs,
            hours: (a, b),
        });
        for i in 0..self.cells.len() {
            let c = self.cells[i];
            if classes & (1 << c.class.code()) != 0
                && (a..=b).contains(&c.hour)
                && self.in_scope(scope, c.seg)
            {
                self.cells[i].claimed = true;
            }
        }
    }

    /// When segment `seg` delivered again after `t`: its first success in a later hour, or `t` itself
    /// when it delivered again within the same hour (the cube knows no finer).
    pub fn delivered_again(&self, seg: usize, t: i64) -> i64 {
        let hour = self.hour_of(t);
        let mut next: Option<i64> = None;
        for c in self
            .seg_cells(seg)
            .iter()
            .filter(|c| c.class == Class::Delivered && c.hour >= hour)
        {
            if c.hour == hour && c.last_ms > t {
                return t;
            }
            if c.hour > hour {
                next = Some(next.map_or(c.first_ms, |n| n.min(c.first_ms)));
            }
        }
        next.unwrap_or(t)
    }

    /// Segments of a country (index into `countries`).
    pub fn segs_of(&self, cx: usize) -> Vec<usize> {
        (0..self.segs.len())
            .filter(|&s| self.segs[s].cx == cx)
            .collect()
    }
}

/// The sum of `v[a..=b]`.
pub fn sum(v: &[f64], (a, b): (usize, usize)) -> f64 {
    v.get(a..=b.min(v.len().saturating_sub(1)))
        .map_or(0.0, |s| s.iter().sum())
}

/// One segment's texts of some classes inside a window and outside it.
#[derive(Debug, Clone, Copy, Default)]
pub struct SegCounts {
    pub k_in: f64,
    pub n_in: f64,
    pub k_out: f64,
    pub n_out: f64,
}

impl Grid {
    /// Per segment: unclaimed texts of `classes` and all texts, inside hours `a..=b` and outside.
    pub fn seg_counts(&self, classes: u32, (a, b): (usize, usize)) -> Vec<SegCounts> {
        let mut v = vec![SegCounts::default(); self.segs.len()];
        for c in &self.cells {
            let n = self.weight_of(c, classes);
            let k = if !c.claimed && classes & (1 << c.class.code()) != 0 {
                c.events
            } else {
                0.0
            };
            let s = &mut v[c.seg];
            if (a..=b).contains(&c.hour) {
                s.k_in += k;
                s.n_in += n;
            } else {
                s.k_out += k;
                s.n_out += n;
            }
        }
        v
    }
}

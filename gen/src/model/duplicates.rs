//! Records written twice, as overlapping exports give them (formats.md: the same record in two exports
//! whose time ranges overlap): a share of the texts comes again, byte for byte, later in the file.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::model::Rec;
use crate::rng::Rng;

/// A repeat waiting for its place in the file.
struct Due {
    /// written once this many texts have been written
    at: u64,
    /// tie-break: the order the repeats were scheduled in (keeps the bytes deterministic)
    seq: u64,
    rec: Rec,
}

impl PartialEq for Due {
    fn eq(&self, o: &Due) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, o: &Due) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Due {
    fn cmp(&self, o: &Due) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

/// How many of `lines` written lines are texts and how many repeats when a share `fraction` (0..=1) of the
/// texts is written twice: `(texts, repeats)`, `texts + repeats == lines`.
pub(crate) fn split(lines: usize, fraction: f64) -> (usize, usize) {
    let texts = ((lines as f64 / (1.0 + fraction)).round() as usize).clamp(1.min(lines), lines);
    (texts, lines - texts)
}

/// The texts of `inner` (exactly `texts` of them), with `repeats` of them, spread evenly, written a second
/// time between 1 and about `texts / 20` (at most 200,000) texts later; repeats still waiting when the
/// texts run out come at the end.
pub(crate) struct WithRepeats<I> {
    inner: I,
    rng: Rng,
    texts: u64,
    repeats: u64,
    /// texts taken from `inner` so far
    taken: u64,
    max_lag: u64,
    due: BinaryHeap<Reverse<Due>>,
}

impl<I: Iterator<Item = Rec>> WithRepeats<I> {
    pub(crate) fn new(inner: I, texts: usize, repeats: usize, seed: u64) -> WithRepeats<I> {
        let texts = texts as u64;
        WithRepeats {
            inner,
            rng: Rng::new(seed ^ 0x00D0_0B1E_D00B_1E00),
            texts,
            repeats: (repeats as u64).min(texts),
            taken: 0,
            max_lag: (texts / 20).clamp(1, 200_000),
            due: BinaryHeap::new(),
        }
    }
}

impl<I: Iterator<Item = Rec>> Iterator for WithRepeats<I> {
    type Item = Rec;

    fn next(&mut self) -> Option<Rec> {
        if let Some(Reverse(d)) = self.due.peek() {
            if d.at <= self.taken || self.taken >= self.texts {
                return self.due.pop().map(|Reverse(d)| d.rec);
            }
        }
        if self.taken >= self.texts {
            return None;
        }
        let Some(r) = self.inner.next() else {
            self.texts = self.taken; // the texts ran out early: the waiting repeats follow
            return self.due.pop().map(|Reverse(d)| d.rec);
        };
        let i = self.taken;
        self.taken += 1;
        // text i is repeated when the running share k * (i + 1) / n steps up: exactly `repeats` in all
        if (i + 1) * self.repeats / self.texts > i * self.repeats / self.texts {
            let at = self.taken + 1 + self.rng.below(self.max_lag);
            self.due.push(Reverse(Due { at, seq: i, rec: r }));
        }
        Some(r)
    }
}

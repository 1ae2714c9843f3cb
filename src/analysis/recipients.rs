//! Per-recipient tallies across a run: texts, failures, failure classes, first and last attempt. They say
//! who got no code at all, and how many people a failure class reached.
//!
//! A run can have millions of recipients (a sign-up surge or an SMS-pumping attack sends one text to each
//! of a million numbers), so this table is most of a run's memory. Each tally is packed into 24 bytes
//! (`Packed`, 32 with its key); the rare one that does not fit (a span over 49 days, more than 32,767
//! countries in a run) lives whole in a side table. When each recipient first failed is kept beside them,
//! for the few that failed at all. The table is split into shards by key: a batch's rows
//! are first bucketed by shard (sequential writes), then each bucket is applied to its shard (small enough
//! to stay in cache) under that shard's lock only, so workers rarely wait for each other; small shards
//! also keep the transient of a table's growth small.
//!
//! Tallies gathered elsewhere (a dataset's snapshot) come as columns. Read alone, they stay columns: a
//! million of them walked in place, instead of put into hash tables only to be walked once.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::sync::Mutex;

use polars::prelude::*;

use crate::domain::outcome::Class;
use crate::frame::dict::{remapped, FxHashMap};
use crate::frame::{col, recipient};

/// Per destination number (keyed by [`crate::frame::recipient::key`]), across the whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RecipientStats {
    pub texts: u64,
    pub failed: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    /// Code in the run's country dictionary.
    pub country: u32,
    /// Failure classes seen, as a bit set of `Class` codes.
    pub failure_classes: u32,
    /// The first failed text (`i64::MAX`: none): whether a recipient was failing before a change began.
    pub first_failure_ms: i64,
}

const SHARDS: usize = 64;
const CLASS_BITS: u32 = 17;
const _: () = assert!(Class::ALL.len() <= CLASS_BITS as usize);

/// A tally in 24 bytes: the span instead of the last time, the country code and the class bits in one word.
#[derive(Clone, Copy)]
struct Packed {
    first_ms: i64,
    span_ms: u32,
    texts: u32,
    failed: u32,
    /// Country code above `CLASS_BITS`, class bits below.
    country_classes: u32,
}

impl Packed {
    fn pack(s: &RecipientStats) -> Option<Packed> {
        let span = s.last_ms.checked_sub(s.first_ms)?;
        Some(Packed {
            first_ms: s.first_ms,
            span_ms: u32::try_from(span).ok()?,
            texts: u32::try_from(s.texts).ok()?,
            failed: u32::try_from(s.failed).ok()?,
            country_classes: (s.country < 1 << (32 - CLASS_BITS))
                .then_some(s.country << CLASS_BITS | s.failure_classes)?,
        })
    }

    fn unpack(&self) -> RecipientStats {
        RecipientStats {
            texts: self.texts.into(),
            failed: self.failed.into(),
            first_ms: self.first_ms,
            last_ms: self.first_ms + i64::from(self.span_ms),
            country: self.country_classes >> CLASS_BITS,
            failure_classes: self.country_classes & ((1 << CLASS_BITS) - 1),
            first_failure_ms: i64::MAX,
        }
    }
}

/// One batch row, as the tally needs it.
#[derive(Clone, Copy, Default)]
pub struct Row {
    key: u64,
    time_ms: i64,
    /// Code in the batch's country dictionary.
    country: u32,
    /// Failure class bit (0 for a delivered text).
    failure_class: u32,
}

impl Row {
    fn add_to(&self, s: &mut RecipientStats) {
        s.texts += 1;
        s.failed += u64::from(self.failure_class != 0);
        s.failure_classes |= self.failure_class;
        s.first_ms = s.first_ms.min(self.time_ms);
        s.last_ms = s.last_ms.max(self.time_ms);
    }
}

/// A batch's rows, bucketed by shard.
pub struct BatchRows(Vec<Vec<Row>>);

fn shard_of(key: u64) -> usize {
    // Keys are packed phone numbers, not uniform in any bits: mix before taking the top ones.
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SHARDS.trailing_zeros())) as usize
}

impl BatchRows {
    pub fn of(df: &DataFrame) -> PolarsResult<BatchRows> {
        let recipient = df.column(col::RECIPIENT)?.u64()?;
        let country = df.column(col::COUNTRY)?.u32()?;
        let failed = df.column(col::FAILED)?.u32()?;
        let class = df.column(col::CLASS)?.u32()?;
        let time = df.column(col::TIME)?.cast(&DataType::Int64)?;
        let time = time.i64()?;
        let mut buckets: Vec<Vec<Row>> = (0..SHARDS)
            .map(|_| Vec::with_capacity(df.height() / SHARDS * 5 / 4))
            .collect();
        for (((key, country), (failed, class)), time_ms) in recipient
            .into_no_null_iter()
            .zip(country.into_no_null_iter())
            .zip(failed.into_no_null_iter().zip(class.into_no_null_iter()))
            .zip(time.into_no_null_iter())
        {
            if key == recipient::NONE {
                continue;
            }
            let failure_class = if failed == 1 { 1u32 << class } else { 0 };
            buckets[shard_of(key)].push(Row {
                key,
                time_ms,
                country,
                failure_class,
            });
        }
        Ok(BatchRows(buckets))
    }
}

/// One shard: packed tallies, the few that do not pack, and the first failure of those that failed (most
/// recipients never fail: kept apart, it costs the others nothing).
#[derive(Default)]
struct Shard {
    packed: FxHashMap<u64, Packed>,
    wide: FxHashMap<u64, RecipientStats>,
    first_failure: FxHashMap<u64, i64>,
}

impl Shard {
    fn add(&mut self, row: &Row, country: u32) {
        if row.failure_class != 0 {
            let t = self.first_failure.entry(row.key).or_insert(row.time_ms);
            *t = (*t).min(row.time_ms);
        }
        if !self.wide.is_empty() {
            if let Some(s) = self.wide.get_mut(&row.key) {
                row.add_to(s);
                return;
            }
        }
        match self.packed.entry(row.key) {
            Entry::Occupied(mut e) => {
                let mut s = e.get().unpack();
                row.add_to(&mut s);
                match Packed::pack(&s) {
                    Some(p) => *e.get_mut() = p,
                    None => {
                        e.remove();
                        self.wide.insert(row.key, s);
                    }
                }
            }
            Entry::Vacant(e) => {
                let mut s = RecipientStats {
                    first_ms: row.time_ms,
                    last_ms: row.time_ms,
                    country,
                    ..Default::default()
                };
                row.add_to(&mut s);
                match Packed::pack(&s) {
                    Some(p) => {
                        e.insert(p);
                    }
                    None => {
                        self.wide.insert(row.key, s);
                    }
                }
            }
        }
    }

    /// A tally gathered elsewhere (a dataset's snapshot), added to the recipient's.
    fn merge(&mut self, key: u64, s: &RecipientStats) {
        if s.failure_classes != 0 && s.first_failure_ms != i64::MAX {
            let t = self.first_failure.entry(key).or_insert(s.first_failure_ms);
            *t = (*t).min(s.first_failure_ms);
        }
        let wide = match self.wide.is_empty() {
            true => None,
            false => self.wide.remove(&key),
        };
        let mut sum = match wide {
            Some(w) => w,
            None => match self.packed.entry(key) {
                Entry::Occupied(e) => e.remove().unpack(),
                Entry::Vacant(e) => {
                    // The common case: a recipient seen for the first time.
                    match Packed::pack(s) {
                        Some(p) => {
                            e.insert(p);
                        }
                        None => {
                            self.wide.insert(key, *s);
                        }
                    }
                    return;
                }
            },
        };
        sum.texts = sum.texts.saturating_add(s.texts);
        sum.failed = sum.failed.saturating_add(s.failed);
        sum.failure_classes |= s.failure_classes;
        sum.first_ms = sum.first_ms.min(s.first_ms);
        sum.last_ms = sum.last_ms.max(s.last_ms);
        match Packed::pack(&sum) {
            Some(p) => {
                self.packed.insert(key, p);
            }
            None => {
                self.wide.insert(key, sum);
            }
        }
    }

    /// `rows` in the order of where their keys sit in the tally table, by 256ths of it (in arrival order
    /// within each, so that a recipient's rows still come in order): a table larger than the caches is
    /// then walked forwards rather than at random. A table under 16 Ki buckets (512 KiB of tallies) stays
    /// in a core's cache: its rows are taken as they come.
    fn table_order<'r>(&self, rows: &'r [Row]) -> Cow<'r, [Row]> {
        use std::hash::BuildHasher;
        const PARTS: usize = 256;
        // hashbrown's bucket count for its capacity (7/8 of it usable); a key starts at hash & (buckets-1).
        let buckets = (self.packed.capacity() * 8 / 7 + 1).next_power_of_two();
        if buckets < PARTS * 64 {
            return Cow::Borrowed(rows);
        }
        let shift = buckets.trailing_zeros() - PARTS.trailing_zeros();
        let hasher = self.packed.hasher();
        let part = |r: &Row| (hasher.hash_one(r.key) as usize & (buckets - 1)) >> shift;
        let mut starts = [0usize; PARTS + 1];
        let parts: Vec<u8> = rows.iter().map(|r| part(r) as u8).collect();
        for &p in &parts {
            starts[p as usize + 1] += 1;
        }
        for k in 0..PARTS {
            starts[k + 1] += starts[k];
        }
        let mut out = vec![Row::default(); rows.len()];
        for (r, &p) in rows.iter().zip(&parts) {
            out[starts[p as usize]] = *r;
            starts[p as usize] += 1;
        }
        Cow::Owned(out)
    }

    /// The shard's recipients and their tallies, with when each that failed first did.
    fn tallies(&self) -> impl Iterator<Item = (&u64, RecipientStats)> + '_ {
        self.packed
            .iter()
            .map(|(k, p)| (k, p.unpack()))
            .chain(self.wide.iter().map(|(k, s)| (k, *s)))
            .map(|(k, mut r)| {
                r.first_failure_ms = match r.failure_classes {
                    0 => i64::MAX,
                    _ => self.first_failure.get(k).copied().unwrap_or(i64::MAX),
                };
                (k, r)
            })
    }
}

/// Tallies stored column by column: `keys[i]`'s tally is at `i` in every column. Keys are distinct.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TallyColumns {
    pub keys: Vec<u64>,
    pub texts: Vec<u64>,
    pub failed: Vec<u64>,
    pub first_ms: Vec<i64>,
    pub last_ms: Vec<i64>,
    /// Codes in the dictionary of whoever gathered them, until absorbed.
    pub country: Vec<u32>,
    pub failure_classes: Vec<u32>,
    pub first_failure_ms: Vec<i64>,
}

impl TallyColumns {
    /// Whether every column has a value for every key (what reading them by index needs).
    pub fn is_whole(&self) -> bool {
        let n = self.keys.len();
        [
            self.texts.len(),
            self.failed.len(),
            self.first_ms.len(),
            self.last_ms.len(),
            self.country.len(),
            self.failure_classes.len(),
            self.first_failure_ms.len(),
        ]
        .iter()
        .all(|&l| l == n)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The `i`-th tally (`i` below `len`, columns whole).
    fn get(&self, i: usize) -> RecipientStats {
        let failure_classes = self.failure_classes[i];
        RecipientStats {
            texts: self.texts[i],
            failed: self.failed[i],
            first_ms: self.first_ms[i],
            last_ms: self.last_ms[i],
            country: self.country[i],
            failure_classes,
            first_failure_ms: match failure_classes {
                0 => i64::MAX,
                _ => self.first_failure_ms[i],
            },
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&u64, RecipientStats)> + '_ {
        self.keys.iter().enumerate().map(|(i, k)| (k, self.get(i)))
    }

    /// Appends `more`'s tallies (other recipients': keys are not merged).
    pub fn extend(&mut self, more: TallyColumns) {
        self.keys.extend(more.keys);
        self.texts.extend(more.texts);
        self.failed.extend(more.failed);
        self.first_ms.extend(more.first_ms);
        self.last_ms.extend(more.last_ms);
        self.country.extend(more.country);
        self.failure_classes.extend(more.failure_classes);
        self.first_failure_ms.extend(more.first_failure_ms);
    }

    /// The tallies `tallies` yields (`Recipients::iter`'s), as columns: what the snapshot writes.
    pub fn of<'a>(tallies: impl Iterator<Item = (&'a u64, RecipientStats)>) -> TallyColumns {
        let mut c = TallyColumns::default();
        for (k, s) in tallies {
            c.keys.push(*k);
            c.texts.push(s.texts);
            c.failed.push(s.failed);
            c.first_ms.push(s.first_ms);
            c.last_ms.push(s.last_ms);
            c.country.push(s.country);
            c.failure_classes.push(s.failure_classes);
            c.first_failure_ms.push(s.first_failure_ms);
        }
        c
    }
}

pub struct RecipientShards {
    shards: Vec<Mutex<Shard>>,
    /// Tallies gathered elsewhere, countries in the run's codes.
    columns: Mutex<Vec<TallyColumns>>,
}

impl Default for RecipientShards {
    fn default() -> Self {
        RecipientShards {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            columns: Mutex::default(),
        }
    }
}

impl RecipientShards {
    /// Adds a batch's rows; `country_remap[batch code]` is the run's country code.
    /// Workers absorbing at once would meet at every shard if each went through them in order: a shard
    /// another worker holds is passed over and taken up again after the free ones.
    pub fn absorb(&self, rows: BatchRows, country_remap: &[u32]) {
        let apply = |shard: &mut Shard, bucket: &[Row]| {
            for row in shard.table_order(bucket).iter() {
                shard.add(row, remapped(country_remap, row.country));
            }
        };
        let mut pending: Vec<(usize, Vec<Row>)> = rows
            .0
            .into_iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .collect();
        while !pending.is_empty() {
            let before = pending.len();
            pending.retain(|(i, bucket)| match self.shards[*i].try_lock() {
                Ok(mut shard) => {
                    apply(&mut shard, bucket);
                    false
                }
                // A poisoned shard means another worker panicked; the run is failing anyway.
                Err(std::sync::TryLockError::Poisoned(p)) => {
                    apply(&mut p.into_inner(), bucket);
                    false
                }
                Err(std::sync::TryLockError::WouldBlock) => true,
            });
            if pending.len() == before {
                // Every shard left is held: wait for the first.
                let (i, bucket) = pending.remove(0);
                apply(
                    &mut self.shards[i].lock().unwrap_or_else(|p| p.into_inner()),
                    &bucket,
                );
            }
        }
    }

    /// Tallies gathered elsewhere (a dataset's snapshot), their countries codes of the gatherer's
    /// (`country_remap[its code]` is the run's). Each is added to its recipient's when the run ends.
    pub fn absorb_columns(&self, mut tallies: TallyColumns, country_remap: &[u32]) {
        let identity = country_remap
            .iter()
            .enumerate()
            .all(|(i, &c)| c as usize == i);
        if !identity {
            for c in &mut tallies.country {
                *c = remapped(country_remap, *c);
            }
        }
        self.columns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(tallies);
    }

    /// The tallies, for reading (the shards are not copied). Tallies gathered elsewhere stay as they came
    /// when nothing else arrived; otherwise each is added to its recipient's.
    pub fn finish(self) -> Recipients {
        let mut shards: Vec<Shard> = self
            .shards
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect();
        let mut columns = self.columns.into_inner().unwrap_or_else(|p| p.into_inner());
        let no_rows = shards
            .iter()
            .all(|s| s.packed.is_empty() && s.wide.is_empty());
        if no_rows && columns.len() == 1 {
            return Recipients {
                shards,
                columns: columns.pop().unwrap_or_default(),
            };
        }
        for c in &columns {
            merge_columns(&mut shards, c);
        }
        Recipients {
            shards,
            columns: TallyColumns::default(),
        }
    }
}

/// Adds each of `tallies` to its recipient's: the shards side by side, each table sized once for what it
/// is given.
fn merge_columns(shards: &mut [Shard], tallies: &TallyColumns) {
    use rayon::prelude::*;
    let mut by_shard: Vec<Vec<u32>> = vec![Vec::new(); SHARDS];
    for (i, key) in tallies.keys.iter().enumerate() {
        by_shard[shard_of(*key)].push(i as u32);
    }
    shards
        .par_iter_mut()
        .zip(by_shard)
        .for_each(|(shard, rows)| {
            shard.packed.reserve(rows.len());
            for i in rows {
                shard.merge(tallies.keys[i as usize], &tallies.get(i as usize));
            }
        });
}

/// Every recipient's tally, after the last batch.
#[derive(Default)]
pub struct Recipients {
    shards: Vec<Shard>,
    /// Tallies of recipients none of the shards holds.
    columns: TallyColumns,
}

impl Recipients {
    /// Every recipient and its tally, in no particular order; of a dataset's snapshot read for a summary,
    /// only those with a failure (`snapshot::Tallies`).
    pub fn iter(&self) -> impl Iterator<Item = (&u64, RecipientStats)> + '_ {
        self.shards
            .iter()
            .flat_map(Shard::tallies)
            .chain(self.columns.iter())
    }

    /// The tallies of every recipient with a failure, in [`Recipients::iter`]'s order: the shards (and
    /// the columns) side by side (a run can have millions of recipients; the diagnosis asks after the
    /// reading is done, on one core).
    pub fn failing(&self) -> Vec<RecipientStats> {
        use rayon::prelude::*;
        let mut out: Vec<RecipientStats> = self
            .shards
            .par_iter()
            .flat_map_iter(|s| s.tallies().map(|(_, r)| r))
            .filter(|r| r.failure_classes != 0)
            .collect();
        let c = &self.columns;
        out.par_extend(
            c.failure_classes
                .par_iter()
                .enumerate()
                .filter(|(_, &classes)| classes != 0)
                .map(|(i, _)| c.get(i)),
        );
        out
    }

    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.packed.len() + s.wide.len())
            .sum::<usize>()
            + self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(rows: &[(u64, i64, u32, u32, u32)]) -> DataFrame {
        let n = rows.len();
        DataFrame::new(
            n,
            vec![
                Column::new(
                    col::RECIPIENT.into(),
                    rows.iter().map(|r| r.0).collect::<Vec<_>>(),
                ),
                Column::new(
                    col::TIME.into(),
                    rows.iter().map(|r| r.1).collect::<Vec<_>>(),
                ),
                Column::new(
                    col::COUNTRY.into(),
                    rows.iter().map(|r| r.2).collect::<Vec<_>>(),
                ),
                Column::new(
                    col::FAILED.into(),
                    rows.iter().map(|r| r.3).collect::<Vec<_>>(),
                ),
                Column::new(
                    col::CLASS.into(),
                    rows.iter().map(|r| r.4).collect::<Vec<_>>(),
                ),
            ],
        )
        .unwrap()
    }

    fn stats(
        texts: u64,
        failed: u64,
        (first_ms, last_ms): (i64, i64),
        country: u32,
        failure_classes: u32,
        first_failure_ms: i64,
    ) -> RecipientStats {
        RecipientStats {
            texts,
            failed,
            first_ms,
            last_ms,
            country,
            failure_classes,
            first_failure_ms,
        }
    }

    #[test]
    fn tallies_add_up_across_batches_and_shards() {
        let shards = RecipientShards::default();
        // (recipient, time, batch country code, failed, class)
        let first = batch(&[
            (11, 500, 0, 1, 3),
            (12, 400, 1, 0, 0),
            (11, 300, 0, 1, 5),
            (recipient::NONE, 1, 0, 1, 3),
        ]);
        shards.absorb(BatchRows::of(&first).unwrap(), &[7, 8]);
        let second = batch(&[(11, 900, 0, 0, 0), (13, 100, 0, 1, 3)]);
        shards.absorb(BatchRows::of(&second).unwrap(), &[9]);
        let mut all: Vec<_> = shards.finish().iter().map(|(k, s)| (*k, s)).collect();
        all.sort_by_key(|(k, _)| *k);
        assert_eq!(
            all,
            vec![
                (11, stats(3, 2, (300, 900), 7, 1 << 3 | 1 << 5, 300)),
                (12, stats(1, 0, (400, 400), 8, 0, i64::MAX)),
                (13, stats(1, 1, (100, 100), 9, 1 << 3, 100)),
            ]
        );
    }

    #[test]
    fn tallies_gathered_elsewhere_add_to_those_of_rows_as_the_rows_would() {
        // Varied recipients, times and outcomes; the rows split in two at random, one half absorbed as rows
        // and the other as tallies (a snapshot's) must give what all the rows give.
        let mut next = crate::testing::xorshift(41);
        let mut below = move |n: u64| next() % n;
        let rows: Vec<(u64, i64, u32, u32, u32)> = (0..5_000)
            .map(|_| {
                let failed = u32::from(below(4) == 0);
                let key = 1 + below(700);
                // Some spans too long to pack (over 49 days).
                let t = below(80 * 86_400_000) as i64;
                (
                    key,
                    t,
                    (key % 3) as u32,
                    failed,
                    failed * (1 + below(9) as u32),
                )
            })
            .collect();
        let whole = RecipientShards::default();
        whole.absorb(BatchRows::of(&batch(&rows)).unwrap(), &[0, 1, 2]);
        let want: Vec<_> = whole.finish().iter().map(|(k, s)| (*k, s)).collect();

        let (a, b): (Vec<_>, Vec<_>) = rows.iter().partition(|_| below(2) == 0);
        let elsewhere = RecipientShards::default();
        elsewhere.absorb(BatchRows::of(&batch(&b)).unwrap(), &[0, 1, 2]);
        let gathered = TallyColumns::of(elsewhere.finish().iter());
        let mixed = RecipientShards::default();
        mixed.absorb(BatchRows::of(&batch(&a)).unwrap(), &[0, 1, 2]);
        mixed.absorb_columns(gathered, &[0, 1, 2]);
        let mut have: Vec<_> = mixed.finish().iter().map(|(k, s)| (*k, s)).collect();
        let mut want = want;
        have.sort_by_key(|(k, _)| *k);
        want.sort_by_key(|(k, _)| *k);
        assert!(want
            .iter()
            .any(|(_, s)| s.last_ms - s.first_ms > 49 * 86_400_000));
        assert_eq!(have, want);
    }

    #[test]
    fn tallies_gathered_elsewhere_and_read_alone_are_walked_as_they_came() {
        let mut next = crate::testing::xorshift(0x6A09_E667_F3BC_C908);
        let day = 86_400_000i64;
        // 4000 rows over 900 recipients in three countries; some spans past 49 days (kept whole).
        let rows: Vec<_> = (0..4000)
            .map(|_| {
                let failed = u32::from(next().is_multiple_of(5));
                let key = 1 + next() % 900;
                let time = (next() % 60) as i64 * day + (next() % 1000) as i64;
                (key, time, (key % 3) as u32, failed, (next() % 6) as u32)
            })
            .collect();
        let from_rows = RecipientShards::default();
        from_rows.absorb(BatchRows::of(&batch(&rows)).unwrap(), &[0, 1, 2]);
        let from_rows = from_rows.finish();
        let remap = [2u32, 0, 1];
        let alone = RecipientShards::default();
        alone.absorb_columns(TallyColumns::of(from_rows.iter()), &remap);
        let alone = alone.finish();
        assert!(alone.shards.iter().all(|s| s.packed.is_empty()));
        assert_eq!(alone.len(), from_rows.len());
        let sorted = |r: &Recipients, remap: &[u32]| {
            let mut v: Vec<_> = r
                .iter()
                .map(|(k, mut s)| {
                    s.country = remapped(remap, s.country);
                    (*k, s)
                })
                .collect();
            v.sort_by_key(|(k, _)| *k);
            v
        };
        assert_eq!(sorted(&alone, &[]), sorted(&from_rows, &remap));
        let failing: Vec<_> = alone
            .iter()
            .map(|(_, r)| r)
            .filter(|r| r.failure_classes != 0)
            .collect();
        assert!(failing.len() > 100 && failing.len() < alone.len());
        assert_eq!(alone.failing(), failing);
    }

    #[test]
    fn a_large_table_takes_its_rows_in_table_order_with_the_same_tallies() {
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        // 4000 rows over 1500 recipients (some with several rows, in different batch countries), into a
        // table sized past the cut-off and into one too small to be reordered.
        let rows: Vec<Row> = (0..4000)
            .map(|t| Row {
                key: 10_000 + next() % 1500,
                time_ms: t,
                country: (next() % 3) as u32,
                failure_class: if next().is_multiple_of(4) {
                    1 << (next() % 5)
                } else {
                    0
                },
            })
            .collect();
        let mut big = Shard::default();
        big.packed.reserve(40_000);
        let ordered = big.table_order(&rows);
        assert_eq!(ordered.len(), rows.len());
        let key_order = |rs: &[Row]| {
            let mut v: Vec<(u64, i64)> = rs.iter().map(|r| (r.key, r.time_ms)).collect();
            v.sort_by_key(|&(k, _)| k); // stable: each recipient's rows in the order given
            v
        };
        assert_eq!(key_order(&ordered), key_order(&rows));
        assert_ne!(
            ordered.iter().map(|r| r.time_ms).collect::<Vec<_>>(),
            rows.iter().map(|r| r.time_ms).collect::<Vec<_>>()
        );
        let mut small = Shard::default();
        for r in &rows {
            small.add(r, r.country);
        }
        for r in ordered.iter() {
            big.add(r, r.country);
        }
        let tallies = |s: Shard| {
            let mut v: Vec<_> = Recipients {
                shards: vec![s],
                columns: TallyColumns::default(),
            }
            .iter()
            .map(|(k, r)| (*k, r))
            .collect();
            v.sort_by_key(|(k, _)| *k);
            v
        };
        assert_eq!(tallies(big), tallies(small));
    }

    #[test]
    fn the_failing_are_every_recipient_with_a_failure_in_iteration_order() {
        let mut next = crate::testing::xorshift(0x51_7CC1_B727_220A);
        let day = 86_400_000i64;
        // 3000 rows over 700 recipients in every shard; some spans past 49 days (kept whole).
        let rows: Vec<_> = (0..3000)
            .map(|_| {
                let failed = u32::from(next().is_multiple_of(5));
                let time = (next() % 60) as i64 * day + (next() % 1000) as i64;
                (1 + next() % 700, time, 0, failed, (next() % 6) as u32)
            })
            .collect();
        let shards = RecipientShards::default();
        shards.absorb(BatchRows::of(&batch(&rows)).unwrap(), &[3]);
        let recipients = shards.finish();
        let expected: Vec<_> = recipients
            .iter()
            .map(|(_, r)| r)
            .filter(|r| r.failure_classes != 0)
            .collect();
        assert!(expected.len() > 100 && expected.len() < recipients.len());
        assert!(recipients.shards.iter().any(|s| !s.wide.is_empty()));
        assert_eq!(recipients.failing(), expected);
    }

    #[test]
    fn tallies_that_do_not_pack_are_kept_whole() {
        let shards = RecipientShards::default();
        let day = 86_400_000i64;
        // 11: a span of 60 days (over u32 milliseconds); 12: a country code over 15 bits; 13: packs.
        let rows = batch(&[
            (11, 0, 0, 1, 3),
            (12, 5, 1, 0, 0),
            (13, 7, 0, 0, 0),
            (11, 60 * day, 0, 0, 0),
            (11, 30 * day, 0, 1, 4),
            (12, 9, 1, 1, 16),
        ]);
        shards.absorb(BatchRows::of(&rows).unwrap(), &[2, 40_000]);
        let recipients = shards.finish();
        assert_eq!(recipients.len(), 3);
        let mut all: Vec<_> = recipients.iter().map(|(k, s)| (*k, s)).collect();
        all.sort_by_key(|(k, _)| *k);
        assert_eq!(
            all,
            vec![
                (11, stats(3, 2, (0, 60 * day), 2, 1 << 3 | 1 << 4, 0)),
                (12, stats(2, 1, (5, 9), 40_000, 1 << 16, 9)),
                (13, stats(1, 0, (7, 7), 2, 0, i64::MAX)),
            ]
        );
    }
}

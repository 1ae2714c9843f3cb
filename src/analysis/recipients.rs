//! Per-recipient tallies across a run: texts, failures, failure classes, first and last attempt. They say
//! who got no code at all, and how many people a failure class reached.
//!
//! A run can have hundreds of thousands of recipients (238,000 in the 2 M-record benchmark): one table of
//! them is too big for the processor's cache, and each batch row would cost a cache miss in it. The table is
//! split into shards by key instead: a batch's rows are first bucketed by shard (sequential writes), then
//! each bucket is applied to its shard (small enough to stay in cache) under that shard's lock only, so
//! workers rarely wait for each other.

use std::sync::Mutex;

use polars::prelude::*;

use crate::frame::dict::FxHashMap;
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

const SHARDS: usize = 16;

/// One batch row, as the tally needs it.
#[derive(Clone, Copy)]
pub struct Row {
    key: u64,
    time_ms: i64,
    /// Code in the batch's country dictionary.
    country: u32,
    /// Failure class bit (0 for a delivered text).
    failure_class: u32,
}

/// A batch's rows, bucketed by shard.
pub struct BatchRows(Vec<Vec<Row>>);

fn shard_of(key: u64) -> usize {
    // Keys are packed phone numbers, not uniform in any bits: mix before taking the top ones.
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60) as usize % SHARDS
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

pub struct RecipientShards(Vec<Mutex<FxHashMap<u64, RecipientStats>>>);

impl Default for RecipientShards {
    fn default() -> Self {
        RecipientShards((0..SHARDS).map(|_| Mutex::default()).collect())
    }
}

impl RecipientShards {
    /// Adds a batch's rows; `country_remap[batch code]` is the run's country code.
    pub fn absorb(&self, rows: BatchRows, country_remap: &[u32]) {
        for (shard, bucket) in self.0.iter().zip(rows.0) {
            // A poisoned shard means another worker panicked; the run is failing anyway.
            let mut map = shard.lock().unwrap_or_else(|p| p.into_inner());
            for row in bucket {
                let s = map.entry(row.key).or_insert_with(|| RecipientStats {
                    first_ms: row.time_ms,
                    last_ms: row.time_ms,
                    country: country_remap
                        .get(row.country as usize)
                        .copied()
                        .unwrap_or(row.country),
                    first_failure_ms: i64::MAX,
                    ..Default::default()
                });
                if row.failure_class != 0 {
                    s.first_failure_ms = s.first_failure_ms.min(row.time_ms);
                }
                s.texts += 1;
                s.failed += u64::from(row.failure_class != 0);
                s.failure_classes |= row.failure_class;
                s.first_ms = s.first_ms.min(row.time_ms);
                s.last_ms = s.last_ms.max(row.time_ms);
            }
        }
    }

    /// Every recipient's tally (in no particular order).
    pub fn into_vec(self) -> Vec<(u64, RecipientStats)> {
        self.0
            .into_iter()
            .flat_map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect()
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
        let mut all = shards.into_vec();
        all.sort_by_key(|(k, _)| *k);
        let s = |texts, failed, (first_ms, last_ms), country, failure_classes, first_failure_ms| {
            RecipientStats {
                texts,
                failed,
                first_ms,
                last_ms,
                country,
                failure_classes,
                first_failure_ms,
            }
        };
        assert_eq!(
            all,
            vec![
                (11, s(3, 2, (300, 900), 7, 1 << 3 | 1 << 5, 300)),
                (12, s(1, 0, (400, 400), 8, 0, i64::MAX)),
                (13, s(1, 1, (100, 100), 9, 1 << 3, 100)),
            ]
        );
    }
}

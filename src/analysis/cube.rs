//! The delivery cube: records aggregated by every dimension a report slices on (providerResponse, outcome,
//! country, carrier, smsType, UTC hour, source kind, region, account, origination identity). Each batch frame is reduced to a partial cube with a Polars
//! group-by; partial cubes are merged the same way; every breakdown is then a group-by of the cube.
//! The cube is small (bounded by distinct dimension combinations, not by record count).

use polars::prelude::*;

use crate::frame::col;
use crate::frame::dict::{remapped, MixedFxHashMap};

pub const PROVIDER_RESPONSE: &str = col::PROVIDER_RESPONSE;
pub const STATUS: &str = col::STATUS;
pub const CLASS: &str = col::CLASS;
pub const COUNTRY: &str = col::COUNTRY;
pub const CARRIER: &str = col::CARRIER;
pub const SMS_TYPE: &str = col::SMS_TYPE;
pub const HOUR: &str = col::HOUR;
pub const SOURCE_KIND: &str = col::SOURCE_KIND;
pub const REGION: &str = col::REGION;
pub const ACCOUNT: &str = col::ACCOUNT;
pub const ORIGINATION: &str = col::ORIGINATION;

pub const EVENTS: &str = "events";
pub const FAILED: &str = "failed";
pub const PRICE_USD: &str = "price_usd";
pub const MESSAGE_PARTS: &str = "message_parts";
pub const FIRST_MS: &str = "first_ms";
pub const LAST_MS: &str = "last_ms";

/// Cube dimensions, in column order.
pub const KEYS: [&str; 11] = [
    PROVIDER_RESPONSE,
    STATUS,
    CLASS,
    COUNTRY,
    CARRIER,
    SMS_TYPE,
    HOUR,
    SOURCE_KIND,
    REGION,
    ACCOUNT,
    ORIGINATION,
];

/// The dimensions whose codes are in a dictionary of the run, in [`super::collector::CubeDicts`]' order.
pub const CODED: [&str; 7] = [
    PROVIDER_RESPONSE,
    SMS_TYPE,
    CARRIER,
    COUNTRY,
    REGION,
    ACCOUNT,
    ORIGINATION,
];

/// How each value column of a group-by is aggregated.
pub struct Aggs<'a> {
    /// Name for the group size column, if wanted.
    pub count_as: Option<&'a str>,
    /// (input column, output column)
    pub sum: &'a [(&'a str, &'a str)],
    pub min: &'a [(&'a str, &'a str)],
    pub max: &'a [(&'a str, &'a str)],
}

/// Group `df` by `keys` and aggregate; one output row per group, keys first, then count, sums, mins, maxs.
pub fn aggregate(df: &DataFrame, keys: &[&str], aggs: &Aggs<'_>) -> PolarsResult<DataFrame> {
    let gb = df.group_by(keys.iter().copied())?;
    let mut out = gb.keys();
    let groups = gb.get_groups();
    if let Some(name) = aggs.count_as {
        let mut sizes = groups.group_count();
        sizes.rename(name.into());
        out.push(sizes.cast(&DataType::UInt64)?.into_column());
    }
    for (kind, list) in [(0, aggs.sum), (1, aggs.min), (2, aggs.max)] {
        for &(input, output) in list {
            let c = df.column(input)?;
            // SAFETY: the groups were computed on `df` itself, so every index is in bounds.
            let agg = unsafe {
                match kind {
                    0 => c.agg_sum(groups),
                    1 => c.agg_min(groups),
                    _ => c.agg_max(groups),
                }
            };
            let agg = match c.dtype() {
                DataType::Float64 => agg,
                DataType::Datetime(..) | DataType::Int64 => agg.cast(&DataType::Int64)?,
                _ => agg.cast(&DataType::UInt64)?,
            };
            out.push(agg.with_name(output.into()));
        }
    }
    let height = out.first().map_or(0, |c| c.len());
    DataFrame::new(height, out)
}

/// One batch frame → partial cube (codes are still the batch's own): one pass over the rows into a hash
/// table of packed keys. Polars' group-by took ~85 ns a row here (its groups are index lists, each
/// aggregate gathers them again); this pass, packing included, about 40. Keys that do not pack take the
/// Polars group-by.
pub fn batch_cube(records: &DataFrame) -> PolarsResult<DataFrame> {
    match Packing::of(records, &KEYS)? {
        Some(packing) => packing.unpack(tally(records, &packing)?),
        None => aggregate(records, &KEYS, &batch_aggs()),
    }
}

/// One cube row being summed, as [`batch_aggs`] defines it: nulls are left out of sums, minima and maxima
/// (a sum of none is 0, a minimum of none is null), as in Polars.
#[derive(Clone, Copy, Default)]
struct Cell {
    events: u64,
    failed: u64,
    price_usd: f64,
    /// The low-order part `price_usd` lost (Neumaier's compensated sum): a month of prices summed one by
    /// one drifts in the last digits, as Polars' own (pairwise) sum does not.
    price_lost: f64,
    message_parts: u64,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
}

/// A batch's rows summed by packed key: the packed key column, then the [`batch_aggs`] columns.
fn tally(df: &DataFrame, packing: &Packing<'_>) -> PolarsResult<DataFrame> {
    let keys = packing.keys_of(df)?;
    let failed = df.column(col::FAILED)?.u32()?;
    let price = df.column(col::PRICE_USD)?.f64()?;
    let parts = df.column(col::MESSAGE_PARTS)?.u32()?;
    let time = df.column(col::TIME)?.cast(&DataType::Int64)?;
    let time = time.i64()?;
    let mut index: MixedFxHashMap<u64, u32> = MixedFxHashMap::default();
    let mut cells: Vec<(u64, Cell)> = Vec::new();
    let rows = keys
        .iter()
        .zip(failed.iter())
        .zip(price.iter().zip(parts.iter()))
        .zip(time.iter());
    for (((&key, failed), (price, parts)), time) in rows {
        let at = *index.entry(key).or_insert_with(|| {
            cells.push((key, Cell::default()));
            (cells.len() - 1) as u32
        });
        let cell = &mut cells[at as usize].1;
        cell.events += 1;
        cell.failed += u64::from(failed.unwrap_or(0));
        if let Some(p) = price {
            let sum = cell.price_usd + p;
            cell.price_lost += if cell.price_usd.abs() >= p.abs() {
                (cell.price_usd - sum) + p
            } else {
                (p - sum) + cell.price_usd
            };
            cell.price_usd = sum;
        }
        cell.message_parts += u64::from(parts.unwrap_or(0));
        if let Some(t) = time {
            cell.first_ms = Some(cell.first_ms.map_or(t, |f| f.min(t)));
            cell.last_ms = Some(cell.last_ms.map_or(t, |l| l.max(t)));
        }
    }
    let n = cells.len();
    let column = |name: &str, f: &dyn Fn(&Cell) -> u64| {
        UInt64Chunked::from_vec(name.into(), cells.iter().map(|(_, c)| f(c)).collect())
            .into_column()
    };
    let times = |name: &str, f: &dyn Fn(&Cell) -> Option<i64>| {
        cells
            .iter()
            .map(|(_, c)| f(c))
            .collect::<Int64Chunked>()
            .with_name(name.into())
            .into_column()
    };
    let columns = vec![
        UInt64Chunked::from_vec(PACKED.into(), cells.iter().map(|(k, _)| *k).collect())
            .into_column(),
        column(EVENTS, &|c| c.events),
        column(FAILED, &|c| c.failed),
        Float64Chunked::from_vec(
            PRICE_USD.into(),
            cells
                .iter()
                .map(|(_, c)| c.price_usd + c.price_lost)
                .collect(),
        )
        .into_column(),
        column(MESSAGE_PARTS, &|c| c.message_parts),
        times(FIRST_MS, &|c| c.first_ms),
        times(LAST_MS, &|c| c.last_ms),
    ];
    DataFrame::new(n, columns)
}

/// [`aggregate`], on one packed key column when the keys fit in 64 bits (nearly always).
fn grouped(df: &DataFrame, keys: &[&str], aggs: &Aggs<'_>) -> PolarsResult<DataFrame> {
    match Packing::of(df, keys)? {
        Some(packing) if keys.len() > 1 => {
            let mut packed = df.clone();
            packed.with_column(packing.pack(df)?)?;
            packing.unpack(aggregate(&packed, &[PACKED], aggs)?)
        }
        _ => aggregate(df, keys, aggs),
    }
}

/// How a batch's records are aggregated into cube rows.
fn batch_aggs() -> Aggs<'static> {
    Aggs {
        count_as: Some(EVENTS),
        sum: &[
            (col::FAILED, FAILED),
            (col::PRICE_USD, PRICE_USD),
            (col::MESSAGE_PARTS, MESSAGE_PARTS),
        ],
        min: &[(col::TIME, FIRST_MS)],
        max: &[(col::TIME, LAST_MS)],
    }
}

/// The packed key column of a group-by.
const PACKED: &str = "cube_key";

/// The group-by keys packed into one `u64`: a group-by on one integer column is several times faster
/// than on many (Polars then hashes the integer instead of row-encoding the tuple). Codes are small and
/// a month has a few hundred hours, so they nearly always fit; when not, the frame is grouped by the key
/// columns.
struct Packing<'k> {
    keys: &'k [&'k str],
    /// Per key: (shift, bits, base).
    fields: Vec<(u32, u32, i64)>,
}

impl<'k> Packing<'k> {
    fn of(df: &DataFrame, keys: &'k [&'k str]) -> PolarsResult<Option<Packing<'k>>> {
        let mut fields = vec![(0, 0, 0); keys.len()];
        let mut shift = 0u32;
        for (field, &name) in fields.iter_mut().zip(keys) {
            let c = df.column(name)?;
            let (min, max) = if name == HOUR {
                let v = c.i64()?;
                match (v.min(), v.max()) {
                    (Some(min), Some(max)) => (min, max),
                    _ => return Ok(None),
                }
            } else {
                (0, i64::from(c.u32()?.max().unwrap_or(0)))
            };
            let span = max.abs_diff(min);
            let bits = u64::BITS - span.leading_zeros();
            if shift + bits > u64::BITS || c.null_count() > 0 {
                return Ok(None);
            }
            *field = (shift, bits, min);
            shift += bits;
        }
        Ok(Some(Packing { keys, fields }))
    }

    fn pack(&self, df: &DataFrame) -> PolarsResult<Column> {
        Ok(UInt64Chunked::from_vec(PACKED.into(), self.keys_of(df)?).into_column())
    }

    /// Each row's packed key.
    fn keys_of(&self, df: &DataFrame) -> PolarsResult<Vec<u64>> {
        let mut key = vec![0u64; df.height()];
        for (&(shift, bits, base), &name) in self.fields.iter().zip(self.keys) {
            if bits == 0 {
                continue;
            }
            let c = df.column(name)?;
            if name == HOUR {
                for (k, v) in key.iter_mut().zip(c.i64()?.into_no_null_iter()) {
                    *k |= (v.wrapping_sub(base) as u64) << shift;
                }
            } else {
                for (k, v) in key.iter_mut().zip(c.u32()?.into_no_null_iter()) {
                    *k |= u64::from(v) << shift;
                }
            }
        }
        Ok(key)
    }

    /// The packed key column of a grouped frame back into the key columns, in front.
    fn unpack(&self, grouped: DataFrame) -> PolarsResult<DataFrame> {
        let keys = grouped.column(PACKED)?.u64()?;
        let mut columns: Vec<Column> = Vec::with_capacity(grouped.width() + self.keys.len());
        for (&(shift, bits, base), &name) in self.fields.iter().zip(self.keys) {
            let mask = if bits == 0 {
                0
            } else {
                u64::MAX >> (u64::BITS - bits)
            };
            // A field of 0 bits holds one value (its base) and may sit at shift 64: not shifted.
            let field =
                keys.into_no_null_iter()
                    .map(move |k| if bits == 0 { 0 } else { (k >> shift) & mask });
            columns.push(if name == HOUR {
                let v: Vec<i64> = field.map(|f| base.wrapping_add(f as i64)).collect();
                Int64Chunked::from_vec(name.into(), v).into_column()
            } else {
                let v: Vec<u32> = field.map(|f| f as u32).collect();
                UInt32Chunked::from_vec(name.into(), v).into_column()
            });
        }
        columns.extend(
            grouped
                .columns()
                .iter()
                .filter(|c| c.name().as_str() != PACKED)
                .cloned(),
        );
        DataFrame::new(grouped.height(), columns)
    }
}

/// Merges partial cubes (already in global codes) into one. A part is grouped already (one row per key,
/// and codes remapped one to one stay distinct): one alone is the merge.
pub fn merge_cubes(parts: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let mut iter = parts.into_iter();
    let Some(mut all) = iter.next() else {
        return Ok(empty_cube());
    };
    if iter.len() == 0 && all.schema() == empty_cube().schema() {
        return Ok(all);
    }
    for p in iter {
        all.vstack_mut_owned(p)?;
    }
    rollup(&all, &KEYS)
}

/// Re-aggregates a cube (or a slice of it) over fewer dimensions.
pub fn rollup(cube: &DataFrame, keys: &[&str]) -> PolarsResult<DataFrame> {
    grouped(cube, keys, &rollup_aggs())
}

/// How cube rows are aggregated into coarser ones.
fn rollup_aggs() -> Aggs<'static> {
    Aggs {
        count_as: None,
        sum: &[
            (EVENTS, EVENTS),
            (FAILED, FAILED),
            (PRICE_USD, PRICE_USD),
            (MESSAGE_PARTS, MESSAGE_PARTS),
        ],
        min: &[(FIRST_MS, FIRST_MS)],
        max: &[(LAST_MS, LAST_MS)],
    }
}

pub fn empty_cube() -> DataFrame {
    let mut cols: Vec<Column> = KEYS
        .iter()
        .map(|k| {
            let dt = if *k == HOUR {
                DataType::Int64
            } else {
                DataType::UInt32
            };
            Column::new_empty((*k).into(), &dt)
        })
        .collect();
    for (n, dt) in [
        (EVENTS, DataType::UInt64),
        (FAILED, DataType::UInt64),
        (PRICE_USD, DataType::Float64),
        (MESSAGE_PARTS, DataType::UInt64),
        (FIRST_MS, DataType::Int64),
        (LAST_MS, DataType::Int64),
    ] {
        cols.push(Column::new_empty(n.into(), &dt));
    }
    DataFrame::new(0, cols).unwrap_or_default()
}

/// Replaces the codes of a `UInt32` key column: `remap[old] = new`.
pub fn remap_codes(df: &mut DataFrame, name: &str, remap: &[u32]) -> PolarsResult<()> {
    let old = df.column(name)?.u32()?;
    let new: Vec<u32> = old
        .into_no_null_iter()
        .map(|c| remapped(remap, c))
        .collect();
    df.replace(
        name,
        UInt32Chunked::from_vec(name.into(), new).into_column(),
    )?;
    Ok(())
}

/// Keeps the rows where the `UInt32` column equals `value`.
pub fn filter_eq(df: &DataFrame, name: &str, value: u32) -> PolarsResult<DataFrame> {
    let mask = df.column(name)?.u32()?.equal(value);
    df.filter(&mask)
}

/// Values of a column as `u64`/`i64`/`f64`/`u32` vectors (nulls as 0): the cube has no nulls in practice.
pub fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    Ok(df
        .column(name)?
        .u32()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}
pub fn u64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<u64>> {
    Ok(df
        .column(name)?
        .u64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}
pub fn i64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<i64>> {
    Ok(df
        .column(name)?
        .i64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}
pub fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<f64>> {
    Ok(df
        .column(name)?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(0.0))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A batch-shaped frame: `n` rows with codes cycling below `codes` and hours spread over `hours`.
    fn batch(n: usize, codes: u32, hours: i64) -> DataFrame {
        let u = |name: &str, m: u32| {
            let v: Vec<u32> = (0..n as u32).map(|i| (i * 7 + m) % codes.max(1)).collect();
            UInt32Chunked::from_vec(name.into(), v).into_column()
        };
        let hour: Vec<i64> = (0..n as i64).map(|i| 490_000 + (i * 13) % hours).collect();
        let time: Vec<i64> = hour
            .iter()
            .enumerate()
            .map(|(i, h)| h * 3_600_000 + i as i64)
            .collect();
        DataFrame::new(
            n,
            vec![
                u(PROVIDER_RESPONSE, 0),
                u(STATUS, 1)
                    .u32()
                    .unwrap()
                    .apply_values(|v| v % 2)
                    .into_column(),
                u(CLASS, 2),
                u(COUNTRY, 3),
                u(CARRIER, 4),
                u(SMS_TYPE, 5),
                Int64Chunked::from_vec(HOUR.into(), hour).into_column(),
                u(SOURCE_KIND, 8),
                u(REGION, 9),
                u(ACCOUNT, 10),
                u(ORIGINATION, 11),
                u(col::FAILED, 6)
                    .u32()
                    .unwrap()
                    .apply_values(|v| v % 2)
                    .into_column(),
                // Some prices and part counts missing, as in records without them.
                (0..n)
                    .map(|i| (i % 5 != 0).then_some(i as f64 / 100.0))
                    .collect::<Float64Chunked>()
                    .with_name(col::PRICE_USD.into())
                    .into_column(),
                (0..n as u32)
                    .map(|i| (i % 7 != 0).then_some((i * 7 + 7) % codes.max(1)))
                    .collect::<UInt32Chunked>()
                    .with_name(col::MESSAGE_PARTS.into())
                    .into_column(),
                Int64Chunked::from_vec(col::TIME.into(), time).into_column(),
            ],
        )
        .unwrap()
    }

    /// Keys that take all 64 bits, followed by constant ones (0 bits, at shift 64).
    #[test]
    fn a_packing_that_fills_64_bits_unpacks_the_constant_keys_too() {
        let mut df = batch(3, 1, 1);
        for (name, values) in [
            (PROVIDER_RESPONSE, [u32::MAX, 0, 7]),
            (CLASS, [0, 1 << 30 | 5, 9]),
        ] {
            df.replace(
                name,
                UInt32Chunked::from_vec(name.into(), values.to_vec()).into_column(),
            )
            .unwrap();
        }
        let status = UInt32Chunked::from_vec(STATUS.into(), vec![0, 1, 1]).into_column();
        df.replace(STATUS, status).unwrap();
        let packing = Packing::of(&df, &KEYS)
            .unwrap()
            .expect("exactly 64 bits fit");
        assert_eq!(
            packing.fields[6],
            (64, 0, 490_000),
            "hour: constant, after 64 bits"
        );
        let plain = aggregate(&df, &KEYS, &batch_aggs()).unwrap();
        assert_same_cube(batch_cube(&df).unwrap(), plain, "64 bits");
    }

    fn sorted(df: DataFrame) -> DataFrame {
        df.sort(KEYS.to_vec(), SortMultipleOptions::default())
            .unwrap()
    }

    /// Equal cubes: every column the same, but prices summed in another order may differ in their last
    /// bits.
    fn assert_same_cube(a: DataFrame, b: DataFrame, what: &str) {
        let (a, b) = (sorted(a), sorted(b));
        let without = |df: &DataFrame| df.drop(PRICE_USD).unwrap();
        assert_eq!(without(&a), without(&b), "{what}");
        let prices = |df: &DataFrame| f64s(df, PRICE_USD).unwrap();
        for (x, y) in prices(&a).into_iter().zip(prices(&b)) {
            assert!(
                (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                "{what}: {x} vs {y}"
            );
        }
    }

    /// A rollup over some of the keys (packed) gives what the many-column group-by gives.
    #[test]
    fn rollups_pack_their_keys_without_changing_the_answer() {
        let cube = batch_cube(&batch(5_000, 20, 700)).unwrap();
        for keys in [
            &[CLASS, COUNTRY, CARRIER, HOUR][..],
            &[PROVIDER_RESPONSE, STATUS, CLASS],
            &[HOUR],
        ] {
            let by = |df: DataFrame| {
                df.sort(keys.to_vec(), SortMultipleOptions::default())
                    .unwrap()
            };
            let plain = aggregate(&cube, keys, &rollup_aggs()).unwrap();
            assert_eq!(by(rollup(&cube, keys).unwrap()), by(plain), "{keys:?}");
        }
    }

    /// The one-pass tally of packed keys gives what the many-column group-by gives, and a batch whose
    /// dimensions do not fit in 64 bits takes the group-by.
    #[test]
    fn batch_cube_packs_keys_without_changing_the_answer() {
        for (codes, hours, packs) in [
            (5, 3, true),
            (20, 700, true),
            (1, 1, true),
            (60_000, 1 << 40, false),
        ] {
            let df = batch(5_000, codes, hours);
            assert_eq!(
                Packing::of(&df, &KEYS).unwrap().is_some(),
                packs,
                "{codes} codes, {hours} hours"
            );
            let plain = aggregate(&df, &KEYS, &batch_aggs()).unwrap();
            let packed = batch_cube(&df).unwrap();
            assert_same_cube(packed, plain, &format!("{codes} codes, {hours} hours"));
        }
    }
}

//! A dataset's snapshot: what the collector gathered from the dataset's rows (the cube and its
//! dictionaries, every recipient's tally, the dwell-time histograms, the throttled seconds), stored beside
//! them by `smslens export` (`DIR/_snapshot/`). The tallies of recipients with a failure are a file of
//! their own: a summary reads only those. `summary|report DIR` on one dataset read whole and alone
//! (no window, nothing to deduplicate against) takes these instead of decoding every row: the cube is a
//! few thousand rows where the table has millions.
//!
//! It is taken only when it was made, by this version of smslens, from exactly the files the manifest
//! lists (path and CRC-32 of each), and its own two Parquet files match the CRC-32 it records; the
//! dataset's files are still checked against the manifest before it is used. Otherwise the rows are read,
//! as for a dataset exported by an older smslens. Evidence and unknown field names are not in it: the
//! manifest holds those.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Cursor, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::collector::{Collected, Collector, CubeDicts, Gathered};
use super::cube;
use super::latency::Histogram;
use super::recipients::TallyColumns;

/// The snapshot's folder in a dataset (a leading `_`: engines reading `messages/` never see it).
pub const DIR: &str = "_snapshot";
const META: &str = "snapshot.json";
const CUBE: &str = "cube.parquet";
/// The tallies of recipients with a failure, and of the others (read only to add rows to).
const TALLIES: &str = "recipients.parquet";
const TALLIES_WITHOUT_FAILURES: &str = "recipients-without-failures.parquet";
const FORMAT: &str = "smslens-dataset-snapshot";
/// Version of this layout; with the smslens version, a snapshot of another is not used.
const VERSION: u32 = 2;

/// Which recipients' tallies a load takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tallies {
    /// Every recipient's: what rows are added to (an export into the dataset).
    All,
    /// Only theirs who had a failure: all that a summary or report of the dataset alone reads. The others
    /// of a dataset are pseudonyms (no digits for the pumping finding to look at) without a failure to
    /// name, count or list; nine in ten recipients of a high-cardinality run.
    WithFailures,
}

/// What a snapshot holds.
pub struct Snapshot {
    cube: DataFrame,
    dicts: CubeDicts,
    tallies: TallyColumns,
    /// Masked numbers of recipients (a dataset exported with `--show-numbers`).
    labels: Vec<(u64, String)>,
    latency: Vec<(String, Histogram)>,
    throttled_seconds: Vec<(i64, u32)>,
}

impl Snapshot {
    /// Hands it to `collector`, as if the dataset's rows had been read.
    pub fn absorb_into(self, collector: &Collector) -> PolarsResult<()> {
        collector.absorb_gathered(Gathered {
            cube: self.cube,
            dicts: self.dicts,
            tallies: self.tallies,
            labels: self.labels,
            latency: self.latency,
            throttled_seconds: self.throttled_seconds,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Meta {
    format: String,
    version: u32,
    smslens: String,
    /// The dataset files it was made from: (path in the dataset, CRC-32), in manifest order.
    files: Vec<(String, String)>,
    cube_crc32: String,
    recipients_crc32: String,
    recipients_without_failures_crc32: String,
    /// The cube's dictionaries, each name at its code.
    dicts: BTreeMap<String, Vec<String>>,
    /// Per country: (a value of each bucket, its count).
    latency: Vec<(String, Vec<(u64, u64)>)>,
    throttled_seconds: Vec<(i64, u32)>,
}

const KEY: &str = "recipient";
const TEXTS: &str = "texts";
const FAILED: &str = "failed";
const FIRST_MS: &str = "first_ms";
const LAST_MS: &str = "last_ms";
const COUNTRY: &str = "country";
const CLASSES: &str = "failure_classes";
const FIRST_FAILURE_MS: &str = "first_failure_ms";
const LABEL: &str = "label";

fn tallies_schema() -> Schema {
    Schema::from_iter([
        Field::new(KEY.into(), DataType::UInt64),
        Field::new(TEXTS.into(), DataType::UInt64),
        Field::new(FAILED.into(), DataType::UInt64),
        Field::new(FIRST_MS.into(), DataType::Int64),
        Field::new(LAST_MS.into(), DataType::Int64),
        Field::new(COUNTRY.into(), DataType::UInt32),
        Field::new(CLASSES.into(), DataType::UInt32),
        Field::new(FIRST_FAILURE_MS.into(), DataType::Int64),
        Field::new(LABEL.into(), DataType::String),
    ])
}

/// The tallies of the recipients with a failure (`failing`), or of the others.
fn tallies_frame(c: &Collected, failing: bool) -> PolarsResult<DataFrame> {
    let t = TallyColumns::of(
        c.recipients
            .iter()
            .filter(|(_, r)| (r.failed > 0 || r.failure_classes != 0) == failing),
    );
    let label: Vec<Option<&str>> = t
        .keys
        .iter()
        .map(|k| c.recipient_labels.get(k).map(String::as_str))
        .collect();
    DataFrame::new(
        t.len(),
        vec![
            Column::new(KEY.into(), t.keys),
            Column::new(TEXTS.into(), t.texts),
            Column::new(FAILED.into(), t.failed),
            Column::new(FIRST_MS.into(), t.first_ms),
            Column::new(LAST_MS.into(), t.last_ms),
            Column::new(COUNTRY.into(), t.country),
            Column::new(CLASSES.into(), t.failure_classes),
            Column::new(FIRST_FAILURE_MS.into(), t.first_failure_ms),
            Column::new(LABEL.into(), label),
        ],
    )
}

fn parquet_bytes(df: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut out = Vec::new();
    // One row group: read back as one chunk per column, which the tallies are read from as slices.
    ParquetWriter::new(&mut out)
        .with_compression(ParquetCompression::Zstd(None))
        .with_row_group_size(Some(df.height().max(1)))
        .finish(df)?;
    Ok(out)
}

/// Writes `to` by way of a temporary name beside it, so that a reader sees the old file or the new one.
fn write_atomically(to: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = to.with_extension(format!("partial-{}", std::process::id()));
    let mut f = fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    fs::rename(&tmp, to)
}

fn crc(bytes: &[u8]) -> String {
    format!("{:08x}", crc32fast::hash(bytes))
}

/// Stores what `c` (the collector's result on the dataset's rows, read whole and alone) holds, made from
/// `files` (each file's path and CRC-32). The meta file goes last: it names the other two by CRC-32.
pub fn write(dir: &Path, files: &[(PathBuf, String)], c: &Collected) -> anyhow::Result<()> {
    // Keys of a dataset's rows are pseudonyms: a number-derived key here would be a bug, and a leak.
    anyhow::ensure!(
        c.odd_numbers.is_empty(),
        "a dataset's rows gave recipients that are numbers"
    );
    let folder = dir.join(DIR);
    fs::create_dir_all(&folder)?;
    // What an interrupted write left.
    for e in fs::read_dir(&folder)?.flatten() {
        if e.file_name().to_string_lossy().contains(".partial-") {
            let _ = fs::remove_file(e.path());
        }
    }
    let cube_bytes = parquet_bytes(&mut c.cube.clone())?;
    let tally_bytes = parquet_bytes(&mut tallies_frame(c, true)?)?;
    let other_bytes = parquet_bytes(&mut tallies_frame(c, false)?)?;
    let files = files
        .iter()
        .map(|(p, crc)| {
            let rel = p
                .strip_prefix(dir)?
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Ok((rel, crc.clone()))
        })
        .collect::<Result<_, std::path::StripPrefixError>>()?;
    let meta = Meta {
        format: FORMAT.to_owned(),
        version: VERSION,
        smslens: env!("CARGO_PKG_VERSION").to_owned(),
        files,
        cube_crc32: crc(&cube_bytes),
        recipients_crc32: crc(&tally_bytes),
        recipients_without_failures_crc32: crc(&other_bytes),
        dicts: cube::CODED
            .iter()
            .zip(c.dicts.all())
            .map(|(name, d)| ((*name).to_owned(), d.names().to_vec()))
            .collect(),
        latency: c
            .latency
            .iter()
            .map(|(country, h)| (country.clone(), h.recorded()))
            .collect(),
        throttled_seconds: {
            let mut t: Vec<(i64, u32)> =
                c.throttled_seconds.iter().map(|(s, n)| (*s, *n)).collect();
            t.sort_unstable();
            t
        },
    };
    write_atomically(&folder.join(CUBE), &cube_bytes)?;
    write_atomically(&folder.join(TALLIES), &tally_bytes)?;
    write_atomically(&folder.join(TALLIES_WITHOUT_FAILURES), &other_bytes)?;
    let mut text = serde_json::to_vec(&meta)?;
    text.push(b'\n');
    write_atomically(&folder.join(META), &text)?;
    Ok(())
}

/// The snapshot of the dataset in `dir`, if it was made from exactly `files` (each file's full path and
/// CRC-32, in any order) by this smslens, and is intact; None otherwise (the rows are read instead).
/// With the tallies `which` asks for.
pub fn load(dir: &Path, files: &[(PathBuf, String)], which: Tallies) -> Option<Snapshot> {
    let folder = dir.join(DIR);
    let meta: Meta = serde_json::from_slice(&fs::read(folder.join(META)).ok()?).ok()?;
    if meta.format != FORMAT || meta.version != VERSION || meta.smslens != env!("CARGO_PKG_VERSION")
    {
        return None;
    }
    let mut made_from: Vec<(PathBuf, &str)> = meta
        .files
        .iter()
        .map(|(p, c)| {
            (
                p.split('/').fold(dir.to_path_buf(), |d, s| d.join(s)),
                c.as_str(),
            )
        })
        .collect();
    let mut listed: Vec<(PathBuf, &str)> =
        files.iter().map(|(p, c)| (p.clone(), c.as_str())).collect();
    made_from.sort_unstable();
    listed.sort_unstable();
    if made_from != listed {
        return None;
    }
    let others = || {
        let crc32 = &meta.recipients_without_failures_crc32;
        (which == Tallies::All).then(|| read_frame(&folder.join(TALLIES_WITHOUT_FAILURES), crc32))
    };
    let (cube, (tallies, others)) = rayon::join(
        || read_frame(&folder.join(CUBE), &meta.cube_crc32),
        || {
            rayon::join(
                || read_frame(&folder.join(TALLIES), &meta.recipients_crc32),
                others,
            )
        },
    );
    let (cube, tallies) = (cube?, tallies?);
    // Not asked for, or read: a file asked for and unreadable leaves the snapshot unused.
    let others = match others {
        Some(None) => return None,
        others => others.flatten(),
    };
    let tally_schema = tallies_schema();
    if cube.schema() != cube::empty_cube().schema()
        || **tallies.schema() != tally_schema
        || others
            .as_ref()
            .is_some_and(|q| **q.schema() != tally_schema)
    {
        return None;
    }
    let mut dicts = CubeDicts::default();
    for (name, d) in cube::CODED.iter().zip(dicts.all_mut()) {
        let names = meta.dicts.get(*name)?;
        for n in names {
            d.code(n);
        }
        // Every code the cube holds names a value: no name twice, none missing.
        let codes = cube.column(name).ok()?.u32().ok()?;
        let within = codes.max().is_none_or(|m| (m as usize) < d.len());
        if d.len() != names.len() || !within {
            return None;
        }
    }
    if cube.columns().iter().any(|c| c.null_count() > 0) {
        return None;
    }
    let (mut tallies, mut labels) = tallies_of(tallies).ok()?;
    if let Some(q) = others {
        let (more, more_labels) = tallies_of(q).ok()?;
        tallies.extend(more);
        labels.extend(more_labels);
    }
    let countries = tallies
        .country
        .iter()
        .max()
        .is_none_or(|&m| (m as usize) < dicts.country.len());
    if !countries {
        return None;
    }
    Some(Snapshot {
        cube,
        dicts,
        tallies,
        labels,
        latency: meta
            .latency
            .iter()
            .map(|(c, v)| (c.clone(), Histogram::from_recorded(v)))
            .collect(),
        throttled_seconds: meta.throttled_seconds,
    })
}

fn read_frame(path: &Path, crc32: &str) -> Option<DataFrame> {
    let bytes = fs::read(path).ok()?;
    if crc(&bytes) != crc32 {
        return None;
    }
    catch_unwind(AssertUnwindSafe(|| {
        ParquetReader::new(Cursor::new(&bytes)).finish().ok()
    }))
    .ok()
    .flatten()
}

/// A column's values, taken over from the buffer Polars read them into when nothing else holds it (a
/// frame just read and taken apart), else copied; an error on a null.
fn values<T: PolarsNumericType>(c: Column) -> PolarsResult<Vec<T::Native>> {
    let series = c.take_materialized_series();
    let ca: ChunkedArray<T> = series.unpack::<T>()?.clone();
    // The frame's own reference gone, the buffers are the array's alone.
    drop(series);
    if ca.null_count() > 0 {
        return Err(polars_err!(ComputeError: "a null in a snapshot's recipient tallies"));
    }
    let mut out = Vec::with_capacity(ca.len());
    for arr in ca.downcast_into_iter() {
        let (_, buffer, _) = arr.into_inner();
        match buffer.into_mut() {
            polars_arrow::Either::Right(v) if out.is_empty() => out = v,
            polars_arrow::Either::Right(v) => out.extend_from_slice(&v),
            polars_arrow::Either::Left(b) => out.extend_from_slice(&b),
        }
    }
    Ok(out)
}

fn tallies_of(mut df: DataFrame) -> PolarsResult<(TallyColumns, Vec<(u64, String)>)> {
    let label = df.drop_in_place(LABEL)?;
    let label = label.str()?;
    let mut take = |n: &str| df.drop_in_place(n);
    let tallies = TallyColumns {
        keys: values::<UInt64Type>(take(KEY)?)?,
        texts: values::<UInt64Type>(take(TEXTS)?)?,
        failed: values::<UInt64Type>(take(FAILED)?)?,
        first_ms: values::<Int64Type>(take(FIRST_MS)?)?,
        last_ms: values::<Int64Type>(take(LAST_MS)?)?,
        country: values::<UInt32Type>(take(COUNTRY)?)?,
        failure_classes: values::<UInt32Type>(take(CLASSES)?)?,
        first_failure_ms: values::<Int64Type>(take(FIRST_FAILURE_MS)?)?,
    };
    if !tallies.is_whole() || label.len() != tallies.len() {
        return Err(polars_err!(ComputeError: "a snapshot's tally columns differ in length"));
    }
    let labels = match label.null_count() == label.len() {
        true => Vec::new(),
        false => tallies
            .keys
            .iter()
            .zip(label.iter())
            .filter_map(|(k, l)| Some((*k, l?.to_owned())))
            .collect(),
    };
    Ok((tallies, labels))
}

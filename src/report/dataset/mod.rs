//! `smslens export`'s output: the record frame as a Hive-partitioned Parquet dataset
//! (`DIR/messages/date=YYYY-MM-DD/part-<run>-<n>.parquet`, zstd), streamed as batches arrive.
//!
//! Rows are buffered per UTC day. A day is written as a row group once its rows pass
//! [`ROW_GROUP_BYTES`], and when all buffers together pass [`BUFFER_BYTES`] the oldest day is written
//! (exports run in time order, so it is nearly always complete). Row groups are therefore a day or at
//! most about [`ROW_GROUP_BYTES`] of column data, below the ~128 MiB engines read best: the memory bound
//! wins, since writing a row group takes some three times its size again (the day's frames joined,
//! sorted and encoded), and that must not grow with the input. A
//! file is rolled after [`FILE_BYTES`]; at most [`MAX_OPEN`] files are open at once. Rows are sorted by
//! event time within each row group (tight min/max statistics for engines that skip row groups).
//!
//! Files are written under hidden temporary names (engines and smslens ignore them) and renamed by
//! [`commit`] once the whole export succeeded; the manifest goes last.

pub mod commit;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::frame::dataset::manifest::FileEntry;
use crate::frame::dataset::write::{to_dataset, Writing};
use crate::frame::dataset::{column_of, dataset_schema, day_of, partition_dir, Fill, TABLE};
use crate::frame::{BatchConsumer, RecordBatch};

/// Column data (as held in memory) past which a day is written at once, whatever the buffer holds: the
/// largest row group.
pub const ROW_GROUP_BYTES: usize = 32 << 20;
/// All days' buffered rows together: past this, the oldest day is written out. Buffered frames take
/// about 2.5 times their estimated size in memory (shared string buffers, the sort's copy).
pub const BUFFER_BYTES: usize = 64 << 20;
/// A file is closed, and the day's next rows go to a new one, past this size on disk.
pub const FILE_BYTES: u64 = 512 << 20;
pub const MAX_OPEN: usize = 16;

/// Writes a dataset's files while an ingest runs (a [`BatchConsumer`]).
pub struct DatasetWriter<'k> {
    root: PathBuf,
    run: String,
    writing: Writing<'k>,
    buffers: Mutex<Buffers>,
    files: Mutex<Files>,
    error: Mutex<Option<PolarsError>>,
}

#[derive(Default)]
struct Buffers {
    days: BTreeMap<i64, Pending>,
    bytes: usize,
}

#[derive(Default)]
struct Pending {
    frames: Vec<DataFrame>,
    bytes: usize,
}

#[derive(Default)]
struct Files {
    open: BTreeMap<i64, OpenFile>,
    done: Vec<Written>,
    /// Files started by this run (numbers them).
    started: u32,
    /// Row groups written so far (how recently each open file was used).
    clock: u64,
}

/// A file written by this run, still under its temporary name.
pub struct Written {
    pub tmp: PathBuf,
    pub entry: FileEntry,
}

struct OpenFile {
    writer: BatchedWriter<Hashing>,
    out: Arc<Mutex<Output>>,
    tmp: PathBuf,
    rel: String,
    rows: u64,
    first_ms: i64,
    last_ms: i64,
    last_use: u64,
}

/// A file's bytes as written, counted and hashed on the way; shared with the [`OpenFile`], which reads
/// the digest once the Parquet writer has written the footer.
struct Hashing(Arc<Mutex<Output>>);

struct Output {
    out: BufWriter<File>,
    sha: Sha256,
    crc: crc32fast::Hasher,
    bytes: u64,
}

impl Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut o = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = o.out.write(buf)?;
        o.sha.update(&buf[..n]);
        o.crc.update(&buf[..n]);
        o.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).out.flush()
    }
}

/// The time-ordered partition name of a temporary file of `run`.
pub fn tmp_name(run: &str, n: u32) -> String {
    format!(".part-{run}-{n:05}.parquet.tmp")
}

pub fn final_name(run: &str, n: u32) -> String {
    format!("part-{run}-{n:05}.parquet")
}

impl<'k> DatasetWriter<'k> {
    pub fn new(root: &Path, run: &str, writing: Writing<'k>) -> DatasetWriter<'k> {
        DatasetWriter {
            root: root.to_path_buf(),
            run: run.to_owned(),
            writing,
            buffers: Mutex::default(),
            files: Mutex::default(),
            error: Mutex::default(),
        }
    }

    fn try_absorb(&self, batch: RecordBatch) -> PolarsResult<()> {
        let rows = to_dataset(&batch, &self.writing)?;
        drop(batch);
        let mut full = Vec::new();
        {
            let mut b = self.buffers.lock().unwrap_or_else(|p| p.into_inner());
            for (day, df) in split_by_day(rows)? {
                let size = df.estimated_size();
                let p = b.days.entry(day).or_default();
                p.frames.push(df);
                p.bytes += size;
                let day_full = p.bytes >= ROW_GROUP_BYTES;
                b.bytes += size;
                if day_full {
                    full.push((day, b.take(day)));
                }
            }
            while b.bytes > BUFFER_BYTES {
                let Some(day) = b.days.keys().next().copied() else {
                    break;
                };
                full.push((day, b.take(day)));
            }
        }
        for (day, frames) in full {
            self.write_row_group(day, frames)?;
        }
        Ok(())
    }

    /// One row group of `day`, sorted by event time, into the day's open file (or a new one).
    fn write_row_group(&self, day: i64, frames: Vec<DataFrame>) -> PolarsResult<()> {
        let mut frames = frames.into_iter();
        let Some(mut df) = frames.next() else {
            return Ok(());
        };
        for f in frames {
            df.vstack_mut_owned(f)?;
        }
        let time = event_time_name();
        let mut df = df.sort(
            [time],
            SortMultipleOptions::default().with_maintain_order(true),
        )?;
        df.rechunk_mut();
        let (first_ms, last_ms) = time_range(&df)?;
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.clock += 1;
        let clock = files.clock;
        if !files.open.contains_key(&day) {
            if files.open.len() >= MAX_OPEN {
                if let Some(lru) = files
                    .open
                    .iter()
                    .min_by_key(|(_, f)| f.last_use)
                    .map(|(d, _)| *d)
                {
                    files.close(lru)?;
                }
            }
            let n = files.started;
            files.started += 1;
            let f = self.create(day, n, clock)?;
            files.open.insert(day, f);
        }
        let Some(f) = files.open.get_mut(&day) else {
            return Ok(());
        };
        f.writer.write_batch(&df)?;
        f.rows += df.height() as u64;
        f.first_ms = f.first_ms.min(first_ms);
        f.last_ms = f.last_ms.max(last_ms);
        f.last_use = clock;
        if f.out.lock().unwrap_or_else(|p| p.into_inner()).bytes >= FILE_BYTES {
            files.close(day)?;
        }
        Ok(())
    }

    fn create(&self, day: i64, n: u32, clock: u64) -> PolarsResult<OpenFile> {
        let part = partition_dir(day);
        let dir = self.root.join(TABLE).join(&part);
        fs::create_dir_all(&dir)?;
        let tmp = dir.join(tmp_name(&self.run, n));
        let out = Arc::new(Mutex::new(Output {
            out: BufWriter::with_capacity(1 << 20, File::create(&tmp)?),
            sha: Sha256::new(),
            crc: crc32fast::Hasher::new(),
            bytes: 0,
        }));
        let writer = ParquetWriter::new(Hashing(Arc::clone(&out)))
            .with_compression(ParquetCompression::Zstd(None))
            .batched(&dataset_schema())?;
        Ok(OpenFile {
            writer,
            out,
            tmp,
            rel: format!("{TABLE}/{part}/{}", final_name(&self.run, n)),
            rows: 0,
            first_ms: i64::MAX,
            last_ms: i64::MIN,
            last_use: clock,
        })
    }

    /// Writes what is still buffered and closes every file: the files this run wrote, still under their
    /// temporary names, in path order.
    pub fn finish(self) -> PolarsResult<Vec<Written>> {
        if let Some(e) = self.error.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(e);
        }
        let buffers = std::mem::take(&mut *self.buffers.lock().unwrap_or_else(|p| p.into_inner()));
        for (day, p) in buffers.days {
            self.write_row_group(day, p.frames)?;
        }
        let mut files = self.files.into_inner().unwrap_or_else(|p| p.into_inner());
        let days: Vec<i64> = files.open.keys().copied().collect();
        for day in days {
            files.close(day)?;
        }
        let mut done = files.done;
        done.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
        Ok(done)
    }
}

impl Buffers {
    fn take(&mut self, day: i64) -> Vec<DataFrame> {
        let p = self.days.remove(&day).unwrap_or_default();
        self.bytes -= p.bytes;
        p.frames
    }
}

impl Files {
    fn close(&mut self, day: i64) -> PolarsResult<()> {
        let Some(f) = self.open.remove(&day) else {
            return Ok(());
        };
        f.writer.finish()?;
        drop(f.writer);
        let mut out = f.out.lock().unwrap_or_else(|p| p.into_inner());
        out.out.flush()?;
        out.out.get_ref().sync_all()?;
        let sha = std::mem::take(&mut out.sha).finalize();
        let crc32 = std::mem::take(&mut out.crc).finalize();
        let bytes = out.bytes;
        drop(out);
        self.done.push(Written {
            tmp: f.tmp,
            entry: FileEntry {
                path: f.rel,
                rows: f.rows,
                bytes,
                sha256: sha.iter().map(|b| format!("{b:02x}")).collect(),
                crc32: format!("{crc32:08x}"),
                first_event_ms: f.first_ms,
                last_event_ms: f.last_ms,
                run: String::new(),
            },
        });
        Ok(())
    }
}

impl BatchConsumer for DatasetWriter<'_> {
    fn absorb(&self, batch: RecordBatch) {
        if batch.df.height() == 0 {
            return;
        }
        if let Err(e) = self.try_absorb(batch) {
            self.fail(e);
        }
    }

    fn fail(&self, e: PolarsError) {
        if let Ok(mut slot) = self.error.lock() {
            slot.get_or_insert(e);
        }
    }
}

fn event_time_name() -> &'static str {
    column_of(Fill::EventTime).map_or("event_time", |c| c.name)
}

fn times(df: &DataFrame) -> PolarsResult<&Int64Chunked> {
    Ok(df.column(event_time_name())?.datetime()?.physical())
}

fn time_range(df: &DataFrame) -> PolarsResult<(i64, i64)> {
    let t = times(df)?;
    Ok((t.min().unwrap_or(i64::MAX), t.max().unwrap_or(i64::MIN)))
}

/// A batch's rows by UTC day (nearly always one day: exports are in time order).
fn split_by_day(df: DataFrame) -> PolarsResult<Vec<(i64, DataFrame)>> {
    let (first, last) = time_range(&df)?;
    if day_of(first) == day_of(last) {
        return Ok(vec![(day_of(first), df)]);
    }
    let mut rows: BTreeMap<i64, Vec<IdxSize>> = BTreeMap::new();
    for (i, t) in times(&df)?.into_no_null_iter().enumerate() {
        rows.entry(day_of(t)).or_default().push(i as IdxSize);
    }
    rows.into_iter()
        .map(|(day, idx)| Ok((day, df.take(&IdxCa::from_vec("".into(), idx))?)))
        .collect()
}

//! Reading a dataset `smslens export` wrote: its manifest (what the export counted: skipped input,
//! duplicates, spend metrics and settings) and its Parquet files (the messages), into the intake like any
//! input, so that `summary`/`report` on a dataset give what they gave on the raw inputs.
//!
//! Only the files the manifest lists are read, each checked against its size and CRC-32 first (a
//! damaged or replaced file is a counted skip, never parsed; the SHA-256 beside them is for audits). A file entirely outside `--since/--until` is
//! counted without being read. Rows are deduplicated across inputs as records are (by message id, time
//! and outcome), except when one dataset is read alone (its rows are unique already). A dataset read
//! whole and alone whose snapshot holds its rows (`analysis::snapshot`) has its files checked and
//! counted, not decoded.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use polars::prelude::*;

use super::open::DatasetPart;
use crate::frame::dataset::manifest::{EvidenceEntry, Manifest, ManifestError};
use crate::frame::dataset::read::{identities, needed_columns, to_batch};
use crate::frame::intake::Recorded;
use crate::frame::{BatchBuilder, EvidenceGroup, Intake, Loc, Sink, SkipReason, BATCH_ROWS};

/// The shape name of dataset inputs (`inputs[].format`).
pub const FORMAT: &str = "smslens-dataset";

/// Whether the rows' message ids are read: for dedupe and for a window (whose evidence must be the
/// window's); a dataset read whole and alone takes its evidence from its manifest.
pub fn read_ids(intake: &Intake<'_>, dedupe: bool) -> bool {
    let w = intake.window();
    dedupe || w.since_ms.is_some() || w.until_ms.is_some()
}

/// A manifest parsed, with its evidence grouped when the run takes evidence from it: the costly part of
/// reading one (megabytes of JSON), which needs nothing from the run.
pub struct ParsedManifest {
    manifest: Manifest,
    evidence: Vec<EvidenceGroup>,
}

/// Parses the manifest in `dir`; its evidence is kept unless the rows' message ids are read (`ids`).
pub fn parse_manifest(dir: &Path, ids: bool) -> Result<ParsedManifest, ManifestError> {
    let mut manifest = Manifest::load(dir)?;
    let mut evidence = Vec::new();
    for e in &mut manifest.exports {
        let entries = std::mem::take(&mut e.evidence);
        if !ids {
            evidence.extend(entries.into_iter().filter_map(EvidenceEntry::into_group));
        }
    }
    Ok(ParsedManifest { manifest, evidence })
}

/// A manifest parsed ahead of the run's reading (beside a snapshot's load), for the reader of the same
/// dataset that takes its evidence the same way; any other reader parses its own.
pub struct ManifestAhead {
    dir: PathBuf,
    ids: bool,
    parsed: Mutex<Option<Result<ParsedManifest, ManifestError>>>,
}

impl std::fmt::Debug for ManifestAhead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManifestAhead")
            .field("dir", &self.dir)
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

impl ManifestAhead {
    pub fn parse(dir: &Path, ids: bool) -> ManifestAhead {
        ManifestAhead {
            dir: dir.to_path_buf(),
            ids,
            parsed: Mutex::new(Some(parse_manifest(dir, ids))),
        }
    }

    fn take(&self, dir: &Path, ids: bool) -> Option<Result<ParsedManifest, ManifestError>> {
        if self.dir != dir || self.ids != ids {
            return None;
        }
        self.parsed.lock().ok()?.take()
    }
}

/// A dataset's manifest as an input: what its exports recorded joins the run's accounting (parsed
/// `ahead` when that is this manifest's).
pub fn read_manifest(
    dir: &Path,
    sink: &mut Sink<'_, '_>,
    dedupe: bool,
    ahead: Option<&ManifestAhead>,
) {
    let ids = read_ids(sink.intake(), dedupe);
    let parsed = ahead
        .and_then(|a| a.take(dir, ids))
        .unwrap_or_else(|| parse_manifest(dir, ids));
    let ParsedManifest {
        manifest: m,
        evidence,
    } = match parsed {
        Ok(p) => p,
        Err(e) => {
            let reason = match e {
                ManifestError::Io { .. } => SkipReason::Unreadable,
                _ => SkipReason::CorruptDataset,
            };
            return sink.skip(reason, Loc::File, e.to_string());
        }
    };
    let mut unknown: Vec<(String, u64)> = Vec::new();
    let window = sink.intake().window();
    for e in m.exports {
        let (no_final_outcome, no_final_outcome_by_hour) =
            e.no_final_outcome_in(window.since_ms, window.until_ms);
        sink.stats.skips.merge(e.skips);
        sink.stats.metrics.extend(e.metrics);
        sink.stats.cognito_errors.extend(e.cognito_errors);
        sink.stats.price_from_usage_usd += e.price_from_usage_usd;
        sink.stats.parts_from_usage += e.parts_from_usage;
        sink.stats.recorded.add(Recorded {
            settings: e
                .settings
                .into_iter()
                .map(|s| (s.path, s.settings))
                .collect(),
            user_pools: e.user_pools,
            spend_limits: e.spend_limits,
            duplicates: e.counts.duplicates,
            outside_window: e.counts.outside_window,
            no_final_outcome,
            no_final_outcome_by_hour,
            usage_only_messages: e.usage_only_messages,
        });
        for (k, n) in e.unknown_fields {
            match unknown.iter_mut().find(|(u, _)| *u == k) {
                Some((_, c)) => *c += n,
                None => unknown.push((k, n)),
            }
        }
    }
    if !unknown.is_empty() || !evidence.is_empty() {
        // Field names the exports saw but smslens does not model, and the evidence: an empty batch.
        match BatchBuilder::default().take_batch() {
            Ok(mut batch) => {
                batch.unknown_fields = unknown;
                batch.evidence_groups = evidence;
                sink.intake().deliver(batch);
            }
            Err(e) => sink.intake().fail(e),
        }
    }
}

/// One Parquet file of a dataset.
pub fn read_part(part: &DatasetPart, sink: &mut Sink<'_, '_>, dedupe: bool) {
    let intake = sink.intake();
    let w = intake.window();
    let outside = w.until_ms.is_some_and(|u| part.first_ms >= u)
        || w.since_ms.is_some_and(|s| part.last_ms < s);
    if outside {
        intake.count_outside(part.rows);
        sink.stats.records += part.rows;
        return;
    }
    if part.in_snapshot {
        sink.stats.records += part.rows;
        return;
    }
    let bytes = match verified(part) {
        Ok(b) => b,
        Err((reason, detail)) => return sink.skip(reason, Loc::File, detail),
    };
    let source = sink.source();
    let ids = read_ids(intake, dedupe);
    let read = catch_unwind(AssertUnwindSafe(|| {
        read_rows(&bytes, ids, |df| {
            admit_and_deliver(intake, df, source, dedupe, ids)
        })
    }));
    match read {
        Ok(Ok(rows)) => sink.stats.records += rows,
        Ok(Err((rows, e))) => {
            sink.stats.records += rows;
            sink.skip(SkipReason::CorruptDataset, Loc::File, e.to_string());
        }
        Err(_) => sink.skip(
            SkipReason::CorruptDataset,
            Loc::File,
            "the Parquet reader failed on this file",
        ),
    }
}

/// Whether every one of `parts` holds the bytes its manifest lists (checked side by side), as a run that
/// counts them without reading them needs to know first.
pub fn intact(parts: &[&DatasetPart]) -> bool {
    use rayon::prelude::*;
    // Streamed through a small buffer per rayon job: reading each file whole would fault in (and zero)
    // as much fresh memory as the dataset's size, most of the check's cost.
    parts
        .par_iter()
        .map_init(
            || vec![0u8; 256 << 10],
            |buf, p| streamed_crc_matches(p, buf).unwrap_or(false),
        )
        .all(|ok| ok)
}

fn streamed_crc_matches(part: &DatasetPart, buf: &mut [u8]) -> std::io::Result<bool> {
    use std::io::Read;
    let mut f = std::fs::File::open(&part.path)?;
    if f.metadata()?.len() != part.bytes {
        return Ok(false);
    }
    let (mut crc, mut read) = (crc32fast::Hasher::new(), 0u64);
    loop {
        match f.read(buf)? {
            0 => break,
            n => {
                crc.update(&buf[..n]);
                read += n as u64;
            }
        }
    }
    Ok(read == part.bytes && format!("{:08x}", crc.finalize()) == part.crc32)
}

/// The file's bytes, if they are the ones the manifest lists.
fn verified(part: &DatasetPart) -> Result<Vec<u8>, (SkipReason, String)> {
    let bytes = std::fs::read(&part.path).map_err(|e| (SkipReason::Unreadable, e.to_string()))?;
    if bytes.len() as u64 != part.bytes {
        let detail = format!(
            "{} bytes, the manifest lists {}: changed or cut short since the export",
            bytes.len(),
            part.bytes
        );
        return Err((SkipReason::CorruptDataset, detail));
    }
    if format!("{:08x}", crc32fast::hash(&bytes)) != part.crc32 {
        let detail = "CRC-32 differs from the manifest's: changed since the export".to_owned();
        return Err((SkipReason::CorruptDataset, detail));
    }
    Ok(bytes)
}

/// Decodes a file a batch-sized slice at a time and hands each to `each`. Returns the rows read, or the
/// rows read before an error and the error. A slice, not a row group (up to ~280 Ki rows in a 20 M
/// export): a row group's columns are megabytes each, past the allocator's threshold for mapping
/// (`frame::allocator`), so every one was mapped, faulted in and zeroed anew. Decoded on the calling
/// worker: the workers already read files side by side, and Polars' pool on top only shared the cores.
fn read_rows(
    bytes: &[u8],
    ids: bool,
    mut each: impl FnMut(DataFrame) -> PolarsResult<()>,
) -> Result<u64, (u64, PolarsError)> {
    let mut rows = 0u64;
    let mut reader = ParquetReader::new(Cursor::new(bytes));
    let metadata = reader.get_metadata().map_err(|e| (0, e))?.clone();
    let columns = needed_columns(ids);
    let mut offset = 0usize;
    let total = metadata
        .row_groups
        .iter()
        .fold(0usize, |n, rg| n.saturating_add(rg.num_rows()));
    while offset < total {
        let len = BATCH_ROWS.min(total - offset);
        let mut r = ParquetReader::new(Cursor::new(bytes))
            .read_parallel(ParallelStrategy::None)
            .with_columns(Some(columns.clone()))
            .with_slice(Some((offset, len)));
        r.set_metadata(metadata.clone());
        let df = r.finish().map_err(|e| (rows, e))?;
        if df.height() == 0 {
            // Row counts in the footer that the pages do not hold: stop rather than step through them.
            let e = polars_err!(ComputeError: "the footer counts {total} rows; the pages end at {offset}");
            return Err((rows, e));
        }
        offset += len;
        let height = df.height() as u64;
        each(df).map_err(|e| (rows, e))?;
        rows += height;
    }
    Ok(rows)
}

fn admit_and_deliver(
    intake: &Intake<'_>,
    df: DataFrame,
    source: u32,
    dedupe: bool,
    ids: bool,
) -> PolarsResult<()> {
    let df = if ids {
        let rows = identities(&df)?;
        let mut keep = Vec::new();
        intake.admit(&rows, dedupe, &mut keep);
        if keep.iter().all(|k| *k) {
            df
        } else {
            df.filter(&BooleanChunked::from_slice("".into(), &keep))?
        }
    } else {
        df
    };
    if df.height() > 0 {
        intake.deliver(to_batch(&df, source, ids)?);
    }
    Ok(())
}

/// Seeds an export's dedupe with the rows already in the dataset it adds to, so that a message already
/// there counts as a duplicate and is not written again. Returns the rows seen.
pub fn seed(dir: &Path, manifest: &Manifest, intake: &Intake<'_>) -> Result<u64, String> {
    let mut rows = 0;
    for f in &manifest.files {
        let path = Manifest::file_path(dir, f);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let read = catch_unwind(AssertUnwindSafe(|| {
            read_rows(&bytes, true, |df| {
                intake.seed(&identities(&df)?);
                Ok(())
            })
        }));
        match read {
            Ok(Ok(n)) => rows += n,
            Ok(Err((_, e))) => return Err(format!("{}: {e}", path.display())),
            Err(_) => return Err(format!("{}: the Parquet reader failed", path.display())),
        }
    }
    Ok(rows)
}

//! The dataset directory: which directories an export may write into, the marker of an export in
//! progress, what an interrupted one left, and the commit (files renamed into place, the manifest last).
//!
//! An export adds to a dataset: files of earlier exports are never rewritten, and rows already in the
//! dataset are not written again (the reader seeds the run's dedupe with them; see `cli/export.rs`).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Written;
use crate::analysis::summary::Summary;
use crate::domain::mask::mask_numbers_in;
use crate::domain::time::rfc3339;
use crate::frame::dataset::manifest::{
    Counts, EvidenceEntry, Export, HourCount, InputEntry, Manifest, ManifestError, SettingsEntry,
    WindowEntry, MANIFEST, PENDING,
};
use crate::frame::dataset::TABLE;
use crate::frame::{Evidence, Received, Skips, Window};
use crate::report::outdir::process_alive;

#[derive(Debug, thiserror::Error)]
pub enum DatasetDirError {
    #[error("{0} exists and is not a directory: choose another -o DIR")]
    NotADirectory(PathBuf),
    #[error("{0} is a symbolic link: give the directory it points to, or another -o DIR")]
    Symlink(PathBuf),
    #[error(
        "{0} exists and is not a dataset that smslens exported (no {MANIFEST} in it): smslens will not \
         write into it. Choose a new -o DIR, or empty this one yourself"
    )]
    NotADataset(PathBuf),
    #[error("another smslens export (process {pid}) is writing {dir}; wait for it to finish")]
    Busy { dir: PathBuf, pid: u32 },
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

/// The marker an export writes first.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    run: String,
    pid: u32,
    started_at: String,
}

/// The directory an export writes into, claimed for this run.
pub struct Target {
    pub dir: PathBuf,
    pub run: String,
    /// The dataset already there, if any.
    pub existing: Option<Manifest>,
    /// Files an interrupted export had left, removed.
    pub cleaned: usize,
}

/// A run's name: its start time and a random part (its files are `part-<run>-<n>.parquet`).
pub fn new_run_id() -> String {
    let mut r = [0u8; 2];
    let _ = getrandom::fill(&mut r);
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    format!("{now}-{:02x}{:02x}", r[0], r[1])
}

/// Claims `dir` for an export: it must not exist, be empty, or be a dataset smslens exported. What an
/// interrupted export left there is removed; then this run's marker is written.
pub fn claim(dir: &Path, run: &str) -> Result<Target, DatasetDirError> {
    let io_err = |e: io::Error| {
        DatasetDirError::Manifest(ManifestError::Io {
            path: dir.to_path_buf(),
            source: e,
        })
    };
    match fs::symlink_metadata(dir) {
        Err(_) => fs::create_dir_all(dir).map_err(io_err)?,
        Ok(m) if m.file_type().is_symlink() => return Err(DatasetDirError::Symlink(dir.into())),
        Ok(m) if !m.is_dir() => return Err(DatasetDirError::NotADirectory(dir.into())),
        Ok(_) => {
            let empty = fs::read_dir(dir).map_err(io_err)?.next().is_none();
            if !empty && !Manifest::is_dataset(dir) {
                return Err(DatasetDirError::NotADataset(dir.into()));
            }
        }
    }
    let mut cleaned = 0;
    if let Ok(text) = fs::read(dir.join(PENDING)) {
        if let Ok(p) = serde_json::from_slice::<Pending>(&text) {
            if p.pid != std::process::id() && process_alive(p.pid) {
                return Err(DatasetDirError::Busy {
                    dir: dir.into(),
                    pid: p.pid,
                });
            }
            cleaned = remove_run_files(dir, &p.run);
        }
        let _ = fs::remove_file(dir.join(PENDING));
    }
    let existing = match dir.join(MANIFEST).is_file() {
        true => Some(Manifest::load(dir)?),
        false => None,
    };
    let marker = Pending {
        run: run.to_owned(),
        pid: std::process::id(),
        started_at: rfc3339(chrono::Utc::now().timestamp_millis()),
    };
    let body = serde_json::to_vec_pretty(&marker).map_err(|e| io_err(io::Error::other(e)))?;
    fs::write(dir.join(PENDING), body).map_err(io_err)?;
    Ok(Target {
        dir: dir.into(),
        run: run.to_owned(),
        existing,
        cleaned,
    })
}

/// Removes the files of `run` (finished or temporary) from the table's partitions, and partitions it
/// leaves empty. Returns how many files went.
fn remove_run_files(dir: &Path, run: &str) -> usize {
    let mut removed = 0;
    let Ok(parts) = fs::read_dir(dir.join(TABLE)) else {
        return 0;
    };
    let ours = |name: &str| {
        name.strip_prefix('.')
            .unwrap_or(name)
            .strip_prefix("part-")
            .and_then(|r| r.strip_prefix(run))
            .is_some_and(|r| r.starts_with('-'))
    };
    for part in parts.flatten() {
        let Ok(files) = fs::read_dir(part.path()) else {
            continue;
        };
        for f in files.flatten() {
            if f.file_name().to_str().is_some_and(ours) && fs::remove_file(f.path()).is_ok() {
                removed += 1;
            }
        }
        // Only an empty folder goes (remove_dir refuses others).
        let _ = fs::remove_dir(part.path());
    }
    removed
}

/// Puts a finished run in place: its files renamed to their final names, then the manifest (which now
/// lists them), then the marker removed.
pub fn commit(target: &Target, written: Vec<Written>, manifest: &Manifest) -> io::Result<()> {
    for w in &written {
        let to = Manifest::file_path(&target.dir, &w.entry);
        fs::rename(&w.tmp, &to)?;
    }
    manifest.save(&target.dir)?;
    fs::remove_file(target.dir.join(PENDING))
}

/// Undoes a run that failed: its files and its marker go, the dataset stays as it was.
pub fn abandon(target: &Target) {
    remove_run_files(&target.dir, &target.run);
    let _ = fs::remove_file(target.dir.join(PENDING));
}

/// What one export run adds to the manifest; strings from the logs or the file system masked unless
/// `show_numbers`.
pub struct Run<'a> {
    pub id: &'a str,
    pub window: Window,
    pub received: &'a Received,
    pub summary: &'a Summary,
    pub unknown_fields: &'a BTreeMap<String, u64>,
    pub evidence: &'a [Evidence],
    /// Size of each input (in `received.inputs` order), when known.
    pub sizes: Vec<Option<u64>>,
    pub show_numbers: bool,
}

impl Run<'_> {
    pub fn entry(&self) -> Export {
        let hide = |s: &str| -> String {
            if self.show_numbers {
                s.to_owned()
            } else {
                mask_numbers_in(s).into_owned()
            }
        };
        let r = self.received;
        let s = self.summary;
        let mut skips = Skips::default();
        let mut masked = r.skips.clone();
        for e in &mut masked.examples {
            e.path = hide(&e.path);
            e.detail = hide(&e.detail);
        }
        skips.merge(masked);
        let mut unknown_fields = BTreeMap::new();
        for (k, n) in self.unknown_fields {
            *unknown_fields.entry(hide(k)).or_default() += n;
        }
        let mut metrics = r.metrics.clone();
        for m in &mut metrics {
            m.label = hide(&m.label);
        }
        Export {
            run: self.id.to_owned(),
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            exported_at: rfc3339(chrono::Utc::now().timestamp_millis()),
            window: WindowEntry {
                since: self.window.since_ms.map(rfc3339),
                until: self.window.until_ms.map(rfc3339),
            },
            counts: Counts {
                messages: s.events,
                records: s.events + r.duplicates + r.outside_window,
                duplicates: r.duplicates,
                outside_window: r.outside_window,
                skipped: r.skips.total(),
                malformed: r.skips.malformed(),
                delivered: s.delivered,
                failed: s.failed,
                spend_usd: s.spend_usd,
                first_event: s.first_event.clone(),
                last_event: s.last_event.clone(),
            },
            skipped_by_reason: r
                .skips
                .counts
                .iter()
                .map(|(k, n)| (k.as_str().to_owned(), *n))
                .collect(),
            skips,
            unknown_fields,
            inputs: r
                .inputs
                .iter()
                .zip(self.sizes.iter().chain(std::iter::repeat(&None)))
                .map(|(i, size)| InputEntry {
                    path: hide(&i.path),
                    format: i.format.to_owned(),
                    records: i.records,
                    skipped: i.skipped,
                    sha256: i.sha256.clone(),
                    bytes: *size,
                })
                .collect(),
            metrics,
            settings: r
                .settings
                .iter()
                .map(|(p, s)| SettingsEntry {
                    path: hide(p),
                    settings: s.clone(),
                })
                .collect(),
            user_pools: r
                .user_pools
                .iter()
                .map(|(p, u)| (hide(p), u.clone()))
                .collect(),
            spend_limits: r
                .spend_limits
                .iter()
                .map(|(p, l)| (hide(p), l.clone()))
                .collect(),
            cognito_errors: r
                .cognito_errors
                .iter()
                .map(|e| {
                    let mut e = e.clone();
                    e.details = hide(&e.details);
                    e
                })
                .collect(),
            no_final_outcome: r.no_final_outcome,
            no_final_outcome_by_hour: r
                .no_final_outcome_by_hour
                .iter()
                .map(|&(sent_hour_ms, messages)| HourCount {
                    sent_hour_ms,
                    messages,
                })
                .collect(),
            usage_only_messages: r.usage_only_messages,
            price_from_usage_usd: r.price_from_usage_usd,
            parts_from_usage: r.parts_from_usage,
            evidence: EvidenceEntry::grouped(self.evidence, hide),
        }
    }
}

//! `smslens export`: the normalised message frame as a Parquet dataset that Athena, Spark, Trino and
//! DuckDB read (`sql/` has their DDL and the queries behind every summary table), and that `smslens
//! summary|report DIR` reads back quickly.
//!
//! Examples:
//!   smslens export exportedlogs/ metrics/ settings.json -o sms-dataset
//!   smslens export logs-eu/ -o sms-dataset --key-file ~/keys/sms.key --since 2026-03-01
//!   smslens summary sms-dataset
//!
//! Same inputs, window, dedupe and accounting as `summary`. DIR must not exist, be empty, or be a dataset
//! smslens exported: an export into an existing dataset adds the messages it does not hold yet (rows are
//! deduplicated on message id, time and outcome; files already there are never rewritten), and an input
//! it already exported with the same window (same path, size and SHA-256) is not read again. The recipient is written as
//! a keyed pseudonym; the key (32 random bytes) is kept outside the dataset, in `--key-file` or in
//! smslens's key folder (`$SMSLENS_KEY_DIR`, else `$XDG_DATA_HOME/smslens/keys`, else
//! `~/.local/share/smslens/keys`), named by the id the manifest records. Once the dataset is in place, it
//! is read back and what the collector gathers from its rows is stored beside it (`analysis::snapshot`),
//! for `summary|report DIR` to take instead of decoding every row.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};

use super::common::{
    collect_dataset_rows, ingest_into, key_dir, report_skips, InputArgs, InputPlan, RunOptions,
};
use crate::analysis::snapshot;
use crate::analysis::spend::SpendOverrides;
use crate::domain::mask::mask_text;
use crate::domain::time::rfc3339;
use crate::frame::dataset::manifest::{Manifest, WindowEntry};
use crate::frame::dataset::pseudonym::Key;
use crate::frame::dataset::write::Writing;
use crate::frame::digests::Digests;
use crate::report::dataset::commit::{self, Run, Target};
use crate::report::dataset::DatasetWriter;
use crate::report::outdir;
use crate::sources::dataset::seed;
use crate::sources::open::Input;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  smslens export exportedlogs/ metrics/ settings.json -o sms-dataset\n  smslens export logs-eu/ -o sms-dataset --key-file ~/keys/sms.key\n  smslens summary sms-dataset"
)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// The dataset directory: new, empty, or a dataset smslens exported (the export adds to it).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// The pseudonym key: read from FILE, or created there when FILE does not exist. Give the same file to
    /// every export that must join on `recipient`. Default: smslens's key folder.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Write free text as the logs wrote it, and the masked number (+1617•••0118) beside the pseudonym.
    #[arg(long)]
    pub show_numbers: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut plan = args.input.plan()?;
    outdir::check_overlap(&args.output, &plan.paths)?;
    let target = commit::claim(&args.output, &commit::new_run_id())?;
    let result = export(&args, &mut plan, &target);
    if result.is_err() {
        commit::abandon(&target);
    }
    result
}

fn export(args: &Args, plan: &mut InputPlan, target: &Target) -> anyhow::Result<ExitCode> {
    if target.cleaned > 0 {
        eprintln!(
            "smslens: removed {} file(s) an interrupted export had left in {}",
            target.cleaned,
            target.dir.display()
        );
    }
    let (key, key_note) = key_for(args, target.existing.as_ref())?;
    let mut manifest = match &target.existing {
        Some(m) if m.show_numbers != args.show_numbers => bail!(
            "{} was exported {} --show-numbers: export into it the same way, or into another -o DIR",
            target.dir.display(),
            if m.show_numbers { "with" } else { "without" }
        ),
        Some(m) => m.clone(),
        None => Manifest::new(key.id(), args.show_numbers),
    };
    let already = skip_exported(plan, target.existing.as_ref(), args.show_numbers)?;
    if already > 0 && plan.inputs.is_empty() {
        println!(
            "nothing new: all {already} input(s) are in {} already (same path, SHA-256 and window)",
            target.dir.display()
        );
        commit::abandon(target);
        return Ok(ExitCode::SUCCESS);
    }
    let writer = DatasetWriter::new(
        &target.dir,
        &target.run,
        Writing {
            key: &key,
            show_numbers: args.show_numbers,
        },
    );
    // Every input's SHA-256 goes into the manifest (computed afresh: a dataset keeps no digest cache).
    let known = Digests::default();
    let run = RunOptions {
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        sha256: Some(&known),
        show_numbers: args.show_numbers,
    };
    let (ingested, summary) = ingest_into(
        plan,
        SpendOverrides::default(),
        run,
        Some(&writer),
        |intake| {
            if let Some(m) = &target.existing {
                seed(&target.dir, m, intake)
                    .map_err(|e| anyhow::anyhow!("reading the dataset already in place: {e}"))?;
            }
            Ok(())
        },
    )?;
    let written = writer.finish().context("writing the dataset's files")?;
    let sizes = plan
        .inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            _ => None,
        })
        .collect();
    let entry = Run {
        id: &target.run,
        window: plan.window,
        received: &ingested.received,
        summary: &summary,
        unknown_fields: &ingested.collected.unknown_fields,
        evidence: &ingested.collected.evidence.to_evidence(),
        sizes,
        show_numbers: args.show_numbers,
    }
    .entry();
    let mut files: Vec<_> = written.iter().map(|w| w.entry.clone()).collect();
    for f in &mut files {
        f.run = target.run.clone();
    }
    let (n_files, bytes) = (files.len(), files.iter().map(|f| f.bytes).sum::<u64>());
    manifest.add_export(entry, files);
    commit::commit(target, written, &manifest)
        .with_context(|| format!("putting the dataset in place in {}", target.dir.display()))?;
    // Without a snapshot, `summary DIR` reads every row: slower, with the same answers. Read back with
    // this run's own tallies dropped first, so that the two are not held at once; only the files this run
    // added, when the dataset's snapshot was of those it held before.
    drop(ingested);
    let earlier = target.existing.as_ref().and_then(|m| {
        let held: Vec<_> = m
            .files
            .iter()
            .map(|f| (Manifest::file_path(&target.dir, f), f.crc32.clone()))
            .collect();
        let s = snapshot::load(&target.dir, &held, snapshot::Tallies::All)?;
        Some((s, held.into_iter().map(|(p, _)| p).collect()))
    });
    if let Err(e) = collect_dataset_rows(&target.dir, earlier)
        .and_then(|(c, made_from)| snapshot::write(&target.dir, &made_from, &c))
    {
        let why = format!("{e:#}");
        eprintln!(
            "smslens: note: no snapshot of the dataset was written ({}): reading it decodes every row",
            mask_text(&why, args.show_numbers)
        );
    }
    println!(
        "exported {} messages ({} delivered, {} failed, {} duplicates dropped) into {}: {} file(s), {:.1} MiB",
        summary.events,
        summary.delivered,
        summary.failed,
        summary.duplicates,
        target.dir.display(),
        n_files,
        bytes as f64 / (1 << 20) as f64
    );
    if already > 0 {
        println!("{already} input(s) were already in the dataset (same path, SHA-256 and window): not read again");
    }
    eprintln!("smslens: {key_note}");
    Ok(report_skips(&summary, plan.strict))
}

/// The key for this export, and a line saying where it is kept.
fn key_for(args: &Args, existing: Option<&Manifest>) -> anyhow::Result<(Key, String)> {
    let (key, note) = match (&args.key_file, existing) {
        (Some(f), _) if f.exists() => (Key::load(f)?, format!("pseudonym key: {}", f.display())),
        (Some(f), None) => {
            let k = Key::generate()?;
            k.save_new(f)?;
            (
                k,
                format!(
                    "pseudonym key created: {} (keep it to add to this dataset or join others)",
                    f.display()
                ),
            )
        }
        (Some(f), Some(m)) => bail!(
            "{}: no such key file; {} was exported with key {} (give the file that holds it)",
            f.display(),
            args.output.display(),
            m.recipient_key_id
        ),
        (None, None) => {
            let k = Key::generate()?;
            let path = key_dir()?.join(format!("{}.key", k.id()));
            k.save_new(&path)?;
            (k, format!("pseudonym key created: {} (keep it to add to this dataset; --key-file to share one key between datasets)", path.display()))
        }
        (None, Some(m)) => {
            let path = key_dir()?.join(format!("{}.key", m.recipient_key_id));
            if !path.exists() {
                bail!(
                    "{} was exported with key {}, which is not in {}: give it with --key-file FILE",
                    args.output.display(),
                    m.recipient_key_id,
                    path.display()
                );
            }
            (
                Key::load(&path)?,
                format!("pseudonym key: {}", path.display()),
            )
        }
    };
    if let Some(m) = existing {
        if key.id() != m.recipient_key_id {
            bail!(
                "{} was exported with key {}, not with this one ({}): its pseudonyms would not match",
                args.output.display(),
                m.recipient_key_id,
                key.id()
            );
        }
    }
    Ok((key, note))
}

/// Drops the inputs an earlier export into this dataset already read with the same window (same path, size
/// and SHA-256): their records and their accounting are there already. Returns how many were dropped.
fn skip_exported(
    plan: &mut InputPlan,
    existing: Option<&Manifest>,
    show_numbers: bool,
) -> anyhow::Result<usize> {
    let Some(m) = existing else { return Ok(0) };
    let window = WindowEntry {
        since: plan.window.since_ms.map(rfc3339),
        until: plan.window.until_ms.map(rfc3339),
    };
    let done: BTreeSet<(&str, u64, &str)> = m
        .exports
        .iter()
        .filter(|e| e.window == window)
        .flat_map(|e| e.inputs.iter())
        .filter_map(|i| Some((i.path.as_str(), i.bytes?, i.sha256.as_deref()?)))
        .collect();
    let before = plan.inputs.len();
    let mut kept = Vec::with_capacity(before);
    for input in std::mem::take(&mut plan.inputs) {
        let seen = match &input {
            Input::File(p) => {
                let shown = input.display();
                let path = mask_text(&shown, show_numbers);
                already_read(p, &path, &done)
            }
            _ => false,
        };
        if !seen {
            kept.push(input);
        }
    }
    plan.inputs = kept;
    Ok(before - plan.inputs.len())
}

fn already_read(p: &Path, path: &str, done: &BTreeSet<(&str, u64, &str)>) -> bool {
    let Ok(meta) = std::fs::metadata(p) else {
        return false;
    };
    // Only a file listed with this path and size is hashed.
    if !done.iter().any(|(q, b, _)| *q == path && *b == meta.len()) {
        return false;
    }
    let sha = crate::sources::digest::path_sha256(p);
    sha.is_some_and(|s| done.contains(&(path, meta.len(), s.as_str())))
}

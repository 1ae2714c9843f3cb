//! Arguments shared by the subcommands that read inputs, and their validation.

use std::io::IsTerminal;

use anyhow::{bail, Context};

use crate::analysis::collector::{Collected, Collector};
use crate::analysis::findings::{diagnose_prepared, Prepared};
use crate::analysis::snapshot::{self, Snapshot};
use crate::analysis::spend::SpendOverrides;
use crate::analysis::summary::Summary;
use crate::domain::mask::mask_text;
use crate::domain::time::parse_user_time;
use crate::frame::dataset::manifest::Manifest;
use crate::frame::dataset::pseudonym::Key;
use crate::frame::digests::Digests;
use crate::frame::{BatchConsumer, Intake, Received, RecordBatch, Skips, Window};
use crate::sources::dataset;
use crate::sources::open::{dataset_inputs, expand, DatasetPart, Input};
use crate::sources::read::{read_all, ReadOptions};

/// Exit code for `--strict` when input was skipped as malformed.
pub const EXIT_STRICT: u8 = 3;

#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Files, directories (read recursively) or `-` for stdin. Shapes are detected from content; gzip is
    /// decoded whatever the extension.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Only records at or after this time (RFC 3339, `YYYY-MM-DD HH:MM`, or a date = its midnight UTC).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only records before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Fail (exit code 3) when any input was skipped as malformed.
    #[arg(long)]
    pub strict: bool,
    /// Lines longer than this many bytes are skipped as "line too long" (a record is a few hundred bytes).
    #[arg(long, value_name = "BYTES", default_value_t = crate::sources::open::MAX_LINE_BYTES)]
    pub max_line_bytes: usize,
    /// No progress bar (it is drawn only when stderr is a terminal). Skip totals and errors are still
    /// printed on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Validated input selection.
pub struct InputPlan {
    /// The files and directories named on the command line (stdin excluded).
    pub paths: Vec<std::path::PathBuf>,
    pub inputs: Vec<Input>,
    /// What the directory walk passed over, counted with the inputs' own skips.
    pub walk_skips: Skips,
    pub window: Window,
    pub strict: bool,
    pub max_line_bytes: usize,
    /// A progress bar on stderr: it is a terminal and `--quiet` was not given.
    pub progress: bool,
}

impl InputArgs {
    pub fn plan(&self) -> anyhow::Result<InputPlan> {
        let time = |flag: &str, v: &Option<String>| -> anyhow::Result<Option<i64>> {
            v.as_deref()
                .map(|s| {
                    parse_user_time(s).with_context(|| {
                        format!(
                            "{flag} {s:?}: expected RFC 3339 or YYYY-MM-DD, e.g. 2026-03-01, \
                             \"2026-03-01 12:00\" or 2026-03-01T12:00:00Z"
                        )
                    })
                })
                .transpose()
        };
        let window = Window {
            since_ms: time("--since", &self.since)?,
            until_ms: time("--until", &self.until)?,
        };
        if let (Some(s), Some(u)) = (window.since_ms, window.until_ms) {
            if s >= u {
                bail!("--since must be before --until");
            }
        }
        if self.max_line_bytes == 0 {
            bail!("--max-line-bytes must be at least 1");
        }
        if self.paths.iter().filter(|p| *p == "-").count() > 1 {
            bail!("`-` (stdin) can be given only once");
        }
        let expanded = expand(&self.paths).map_err(|e| {
            anyhow::anyhow!(
                "{e}: check the path (each PATH is a file, a directory, read recursively, or - for stdin)"
            )
        })?;
        Ok(InputPlan {
            paths: self
                .paths
                .iter()
                .filter(|p| *p != "-")
                .map(std::path::PathBuf::from)
                .collect(),
            inputs: expanded.inputs,
            walk_skips: expanded.skipped,
            window,
            strict: self.strict,
            max_line_bytes: self.max_line_bytes,
            progress: !self.quiet && std::io::stderr().is_terminal(),
        })
    }
}

/// What a run read: the analysis's aggregates and what the intake received.
pub struct Ingested {
    pub collected: Collected,
    pub received: Received,
}

/// How a reading command runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions<'a> {
    /// A progress bar on stderr (from [`InputPlan::progress`]).
    pub progress: bool,
    /// SHA-256 of every input (the report's audit trail), reusing these digests of unchanged files.
    pub sha256: Option<&'a Digests>,
    /// Phone numbers in full (`--show-numbers`).
    pub show_numbers: bool,
}

/// The start of every reading command, after its plan is validated: read the inputs (sources → intake →
/// collector), then summarise. `SMSLENS_TIMING=1` prints the time of each phase on stderr.
pub fn ingest_and_summarise(
    plan: &InputPlan,
    overrides: SpendOverrides,
    run: RunOptions<'_>,
) -> anyhow::Result<(Ingested, Summary)> {
    ingest_into(plan, overrides, run, None, |_| Ok(()))
}

/// When datasets are read beside raw inputs: the key the datasets' pseudonyms were made with (found by
/// the manifest's key id in smslens's key folder), so that the raw inputs' recipients are keyed the same
/// way and a recipient met in both is one.
fn join_key(plan: &InputPlan) -> Join {
    let raw = plan
        .inputs
        .iter()
        .any(|i| matches!(i, Input::Stdin | Input::File(_)));
    if !raw {
        return Join::Nothing;
    }
    let ids: std::collections::BTreeSet<String> = plan
        .inputs
        .iter()
        .filter_map(|i| match i {
            Input::DatasetManifest(dir) => {
                Manifest::load_listing(dir).ok().map(|m| m.recipient_key_id)
            }
            _ => None,
        })
        .collect();
    if ids.is_empty() {
        return Join::Nothing;
    }
    let mut ids = ids.into_iter();
    let (Some(id), None) = (ids.next(), ids.next()) else {
        return Join::Apart("the datasets were exported with different pseudonym keys".into());
    };
    let path = match key_dir() {
        Ok(dir) => dir.join(format!("{id}.key")),
        Err(e) => return Join::Apart(e.to_string()),
    };
    match Key::load(&path) {
        Ok(key) => Join::Key(key),
        Err(e) => Join::Apart(format!("the datasets' pseudonym key is not at hand ({e})")),
    }
}

/// Whether the recipients of raw inputs can be keyed as the datasets read beside them are.
enum Join {
    /// No datasets beside raw inputs.
    Nothing,
    Key(Key),
    /// They cannot, for this reason: they are counted apart.
    Apart(String),
}

impl Join {
    /// What outputs say when the recipients are counted apart.
    fn note(&self) -> Option<String> {
        match self {
            Join::Apart(why) => Some(format!(
                "{why}, so recipients of the raw inputs and of the datasets are counted apart (one in both counts twice)"
            )),
            _ => None,
        }
    }
}

/// smslens's key folder.
pub fn key_dir() -> anyhow::Result<std::path::PathBuf> {
    let var = |v: &str| {
        std::env::var_os(v)
            .filter(|s| !s.is_empty())
            .map(std::path::PathBuf::from)
    };
    if let Some(d) = var("SMSLENS_KEY_DIR") {
        return Ok(d);
    }
    if let Some(d) = var("XDG_DATA_HOME") {
        return Ok(d.join("smslens/keys"));
    }
    match var("HOME") {
        Some(h) => Ok(h.join(".local/share/smslens/keys")),
        None => bail!(
            "no HOME to keep the pseudonym key in: give --key-file FILE or set SMSLENS_KEY_DIR"
        ),
    }
}

/// Leaves what a run gathered to the process's exit, which returns the memory at once: freed table by
/// table, a million recipients' tallies and the evidence took 18 ms of a 0.35 s `summary DIR` (2 M
/// records). For the end of a command only.
pub fn leave_to_exit(ingested: Ingested) {
    std::mem::forget(ingested);
}

/// [`ingest_and_summarise`] with a second consumer of the batches beside the collector (`smslens
/// export`'s writer), and `prepare` called on the intake before any input is read.
pub fn ingest_into(
    plan: &InputPlan,
    overrides: SpendOverrides,
    run: RunOptions,
    also: Option<&dyn BatchConsumer>,
    prepare: impl FnOnce(&Intake<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<(Ingested, Summary)> {
    let t0 = std::time::Instant::now();
    let collector = Collector::default();
    let tee;
    let consumer: &dyn BatchConsumer = match also {
        Some(other) => {
            tee = Tee(other, &collector);
            &tee
        }
        None => &collector,
    };
    let mut intake = Intake::new(plan.window, consumer);
    if also.is_none() {
        intake.without_message_ids();
    }
    let join = match also {
        None => join_key(plan),
        Some(_) => Join::Nothing,
    };
    let recipients_note = join
        .note()
        .map(|n| mask_text(&n, run.show_numbers).into_owned());
    if let Some(note) = &recipients_note {
        eprintln!("smslens: note: {note}");
    }
    if let Join::Key(key) = join {
        intake.join_recipients(key);
    }
    prepare(&intake)?;
    // The export's writer needs the rows themselves.
    let (snapshot, ahead) = match also {
        None => dataset_snapshot(plan, &intake),
        Some(_) => (None, None),
    };
    let (snapshot, counted) = snapshot.unzip();
    let inputs = counted.as_ref().unwrap_or(&plan.inputs);
    let opts = ReadOptions {
        progress: run.progress,
        sha256: run.sha256,
        max_line_bytes: plan.max_line_bytes,
        manifest_ahead: ahead.as_ref(),
    };
    let (files, absorbed) = rayon::join(
        || read_all(inputs, &intake, opts),
        || snapshot.map(|s| s.absorb_into(&collector)),
    );
    absorbed
        .transpose()
        .context("aggregating the dataset's snapshot")?;
    let received = intake.finish(files, plan.walk_skips.clone());
    let collected = collector.finish().context("aggregating records")?;
    let t1 = std::time::Instant::now();
    // The diagnosis's grid needs only the collector: built beside the summary.
    let (summary, prepared) = rayon::join(
        || Summary::build(&collected, &received, overrides, run.show_numbers),
        || Prepared::new(&collected),
    );
    let mut summary = summary.context("summarising records")?;
    summary.recipients_note = recipients_note;
    let t2 = std::time::Instant::now();
    let prepared = prepared.context("ranking findings")?;
    let diagnosis = diagnose_prepared(prepared, &collected, &summary, run.show_numbers)
        .context("ranking findings")?;
    summary.verdict = diagnosis.verdict;
    summary.findings = diagnosis.findings;
    if std::env::var_os("SMSLENS_TIMING").is_some() {
        eprintln!(
            "smslens: timing: ingest {:?}, summary {:?}, findings {:?}",
            t1 - t0,
            t2 - t1,
            t2.elapsed()
        );
    }
    Ok((
        Ingested {
            collected,
            received,
        },
        summary,
    ))
}

/// One dataset read whole and alone, with a snapshot made from exactly the files its manifest lists, all
/// intact: the snapshot, and the inputs with those files marked as counted by it (`analysis::snapshot`).
/// Its manifest is parsed meanwhile (returned whether the snapshot is taken or not).
fn dataset_snapshot(
    plan: &InputPlan,
    intake: &Intake<'_>,
) -> (
    Option<(Snapshot, Vec<Input>)>,
    Option<dataset::ManifestAhead>,
) {
    if plan.window.since_ms.is_some() || plan.window.until_ms.is_some() {
        return (None, None);
    }
    let Some((Input::DatasetManifest(dir), rest)) = plan.inputs.split_first() else {
        return (None, None);
    };
    let parts: Option<Vec<&DatasetPart>> = rest
        .iter()
        .map(|i| match i {
            Input::DatasetFile(p) if p.dataset == *dir => Some(p),
            _ => None,
        })
        .collect();
    let Some(parts) = parts else {
        return (None, None);
    };
    let ids = dataset::read_ids(intake, crate::sources::read::dedupes(&plan.inputs));
    let files: Vec<_> = parts.iter().map(|p| p.listed()).collect();
    let load = || snapshot::load(dir, &files, snapshot::Tallies::WithFailures);
    let ((s, intact), ahead) = rayon::join(
        || rayon::join(load, || dataset::intact(&parts)),
        || dataset::ManifestAhead::parse(dir, ids),
    );
    (taken(plan, s.filter(|_| intact)), Some(ahead))
}

/// The snapshot, and the plan's inputs with the dataset's files marked as counted by it.
fn taken(plan: &InputPlan, s: Option<Snapshot>) -> Option<(Snapshot, Vec<Input>)> {
    let s = s?;
    let mut inputs = plan.inputs.clone();
    for i in &mut inputs {
        if let Input::DatasetFile(p) = i {
            p.in_snapshot = true;
        }
    }
    Some((s, inputs))
}

/// What the collector gathers from the rows of the dataset in `dir`, read whole and alone, and its files
/// (path, CRC-32): what its snapshot is made of. With `earlier`, the snapshot of the files it held before
/// (listed beside it), only the other files are read: an export adds rows no earlier file holds.
pub fn collect_dataset_rows(
    dir: &std::path::Path,
    earlier: Option<(Snapshot, Vec<std::path::PathBuf>)>,
) -> anyhow::Result<(Collected, Vec<(std::path::PathBuf, String)>)> {
    let all = dataset_inputs(dir);
    let files: Vec<_> = all
        .iter()
        .filter_map(|i| match i {
            Input::DatasetFile(p) => Some(p.listed()),
            _ => None,
        })
        .collect();
    let (inputs, earlier) = match earlier {
        Some((s, held)) => {
            let new = |i: &Input| matches!(i, Input::DatasetFile(p) if !held.contains(&p.path));
            (all.into_iter().filter(new).collect(), Some(s))
        }
        None => (all, None),
    };
    let collector = Collector::default();
    if let Some(s) = earlier {
        s.absorb_into(&collector)
            .context("aggregating the dataset's snapshot")?;
    }
    let intake = Intake::new(Window::default(), &collector);
    let opts = ReadOptions {
        progress: false,
        sha256: None,
        max_line_bytes: crate::sources::open::MAX_LINE_BYTES,
        manifest_ahead: None,
    };
    let reports = read_all(&inputs, &intake, opts);
    // A snapshot counts its files as read whole: it is made only when every one was.
    let damaged = inputs
        .iter()
        .zip(&reports)
        .find(|(i, f)| matches!(i, Input::DatasetFile(_)) && f.stats.skips.total() > 0);
    if let Some((_, f)) = damaged {
        bail!("{} could not be read back", f.path);
    }
    intake.finish(reports, Skips::default());
    let collected = collector
        .finish()
        .context("aggregating the dataset's rows")?;
    Ok((collected, files))
}

/// Hands every batch to two consumers (the export's writer, then the collector).
struct Tee<'a>(&'a dyn BatchConsumer, &'a dyn BatchConsumer);

impl BatchConsumer for Tee<'_> {
    fn absorb(&self, batch: RecordBatch) {
        // Cheap: the frame's columns are shared, the dictionaries are a batch's few names.
        self.0.absorb(batch.clone());
        self.1.absorb(batch);
    }

    fn fail(&self, e: polars::prelude::PolarsError) {
        self.1.fail(e);
    }
}

/// Prints the skip totals on stderr (so stdout stays machine-readable) and applies `--strict`.
pub fn report_skips(
    summary: &crate::analysis::summary::Summary,
    strict: bool,
) -> std::process::ExitCode {
    if summary.skipped > 0 {
        let reasons: Vec<String> = summary
            .skipped_by_reason
            .iter()
            .map(|(r, n)| format!("{n} {r}"))
            .collect();
        eprintln!(
            "smslens: skipped {} input item(s): {}",
            summary.skipped,
            reasons.join(", ")
        );
        for e in &summary.skipped_examples {
            let detail = if e.detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", e.detail)
            };
            let line = format!("{}: {}: {}{}", e.path, e.location, e.reason, detail);
            eprintln!("  {}", crate::report::text::printable(&line));
        }
    }
    if strict && summary.malformed > 0 {
        eprintln!(
            "smslens: --strict: {} malformed input item(s) skipped",
            summary.malformed
        );
        return std::process::ExitCode::from(EXIT_STRICT);
    }
    std::process::ExitCode::SUCCESS
}

/// The period to compare with.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct BaselineArgs {
    /// Compare with this period (`SINCE..UNTIL`, each as for --since; either may be left out): what
    /// changed per country, carrier, providerResponse, origination identity, region and smsType, with
    /// G-tests to say which changes are beyond chance. Without --since, the period compared begins where
    /// the baseline ends.
    #[arg(long, value_name = "SINCE..UNTIL")]
    pub baseline: Option<String>,
}

impl BaselineArgs {
    pub fn plan(&self) -> anyhow::Result<Option<Window>> {
        let Some(b) = self.baseline.as_deref() else {
            return Ok(None);
        };
        let Some((since, until)) = b.split_once("..") else {
            bail!("--baseline {b:?}: expected SINCE..UNTIL (e.g. 2026-02-01..2026-03-01)");
        };
        let time = |s: &str| -> anyhow::Result<Option<i64>> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            parse_user_time(s)
                .map(Some)
                .with_context(|| format!("--baseline {b:?}: {s:?} is not RFC 3339 or YYYY-MM-DD"))
        };
        let w = Window {
            since_ms: time(since)?,
            until_ms: time(until)?,
        };
        if w.since_ms.is_none() && w.until_ms.is_none() {
            bail!("--baseline {b:?}: give at least one end of the period");
        }
        if let (Some(s), Some(u)) = (w.since_ms, w.until_ms) {
            if s >= u {
                bail!("--baseline {b:?}: SINCE must be before UNTIL");
            }
        }
        Ok(Some(w))
    }
}

/// Reads the baseline period and sets it beside the run's summary (`summary.comparison`). Without
/// `--since`, the run's own window was made to begin where the baseline ends ([`current_after`]).
pub fn compare_with_baseline(
    plan: &InputPlan,
    baseline: Window,
    overrides: SpendOverrides,
    run: RunOptions,
    current: (&Ingested, &mut Summary),
) -> anyhow::Result<()> {
    let base_plan = InputPlan {
        paths: plan.paths.clone(),
        inputs: plan.inputs.clone(),
        walk_skips: plan.walk_skips.clone(),
        window: baseline,
        strict: plan.strict,
        max_line_bytes: plan.max_line_bytes,
        progress: false,
    };
    let (b_ing, b_sum) = ingest_and_summarise(
        &base_plan,
        overrides,
        // the current pass took the inputs' digests already
        RunOptions {
            progress: false,
            sha256: None,
            ..run
        },
    )
    .context("reading the baseline period")?;
    let (c_ing, c_sum) = current;
    fn side<'a>(ing: &'a Ingested, s: &Summary, w: Window) -> crate::analysis::compare::Side<'a> {
        crate::analysis::compare::Side {
            collected: &ing.collected,
            since_ms: w.since_ms,
            until_ms: w.until_ms,
            first_ms: s.first_ms,
            last_ms: s.last_ms,
            weight: crate::analysis::sampling::success_weight(s.spend.success_sample_rate),
        }
    }
    let comparison = crate::analysis::compare::compare(
        &side(c_ing, c_sum, plan.window),
        &side(&b_ing, &b_sum, baseline),
        run.show_numbers,
    )
    .context("comparing with the baseline")?;
    c_sum.comparison = Some(comparison);
    Ok(())
}

/// Without `--since`, the period compared with a baseline begins where the baseline ends. A baseline
/// reads the inputs a second time, which stdin cannot do.
pub fn current_after(plan: &mut InputPlan, baseline: &Window) -> anyhow::Result<()> {
    if plan.inputs.contains(&Input::Stdin) {
        bail!("--baseline reads the inputs twice: give files or directories, not `-` (stdin)");
    }
    if plan.window.since_ms.is_none() {
        plan.window.since_ms = baseline.until_ms;
    }
    Ok(())
}

/// Spend settings that override the exported `get-sms-attributes` file.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SpendArgs {
    /// The account's monthly SMS spend limit in USD (overrides MonthlySpendLimit from a settings file).
    #[arg(long, value_name = "USD")]
    pub spend_limit: Option<f64>,
    /// Percentage of successful deliveries that were logged (overrides DeliveryStatusSuccessSamplingRate).
    #[arg(long, value_name = "PCT")]
    pub success_sample_rate: Option<f64>,
}

impl SpendArgs {
    pub fn plan(&self) -> anyhow::Result<SpendOverrides> {
        if let Some(l) = self.spend_limit {
            if !(l.is_finite() && l >= 0.0) {
                bail!("--spend-limit must be a non-negative number of USD, got {l}");
            }
        }
        if let Some(r) = self.success_sample_rate {
            if !(r.is_finite() && r > 0.0 && r <= 100.0) {
                bail!("--success-sample-rate must be a percentage in (0, 100], got {r}");
            }
        }
        Ok(SpendOverrides {
            spend_limit_usd: self.spend_limit,
            success_sample_rate: self.success_sample_rate,
        })
    }
}

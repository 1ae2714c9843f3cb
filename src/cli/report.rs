//! `smslens report`: the main job. One offline HTML page plus PNG charts, CSV tables and the summary JSON.
//!
//! Examples:
//!   smslens report samples/
//!   smslens report exportedlogs/ metrics/ settings.json -o march-report --since 2026-03-01 --until 2026-04-01
//!   smslens report logs/ --spend-limit 60 --title "MFA texts, March"
//!   smslens report logs/ --since 2026-03-01 --baseline 2026-02-01..2026-03-01
//!
//! The page opens with a one-sentence verdict, then findings ranked by texts lost (with remedies), the
//! recipients who got no code at all (masked), spend against the limit, breakdowns, and an audit trail.
//! The first screen is the verdict, the headline figures and texts over time.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::common::{
    compare_with_baseline, current_after, ingest_and_summarise, leave_to_exit, report_skips,
    BaselineArgs, InputArgs, RunOptions, SpendArgs,
};
use crate::analysis::findings::locked_out;
use crate::domain::time::rfc3339;
use crate::frame::digests::Digests;
use crate::report::bundle::{self, Bundle};
use crate::report::outdir;
use crate::report::TableFormat;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  smslens report samples/\n  smslens report exportedlogs/ metrics/ -o march-report --since 2026-03-01 --until 2026-04-01\n  smslens report logs/ --spend-limit 60 --title \"MFA texts, March\""
)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub spend: SpendArgs,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Output directory. It must not exist yet, be empty, or be a report smslens wrote (it is then replaced
    /// atomically when the new report is complete); it may not be inside an input, nor contain one.
    #[arg(short, long, value_name = "DIR", default_value = "smslens-report")]
    pub output: PathBuf,
    /// Show full phone numbers (masked like +1617•••0118 by default: they are personal data).
    #[arg(long)]
    pub show_numbers: bool,
    /// Page title.
    #[arg(long, default_value = "SMS delivery report")]
    pub title: String,
    /// Rows of DIR/tables/recipients_without_delivery: the recipients with most failed texts first; 0 lists
    /// every one (a sign-up surge or an SMS-pumping attack can leave hundreds of thousands). All of them are
    /// counted either way.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub recipient_rows: usize,
    /// Format of the files in DIR/tables/.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut plan = args.input.plan()?;
    let overrides = args.spend.plan()?;
    let baseline = args.baseline.plan()?;
    if let Some(b) = &baseline {
        current_after(&mut plan, b)?;
    }
    outdir::check(&args.output, &plan.paths)?;
    // A previous report in DIR keeps the digests of the files it read.
    let known = if outdir::is_smslens_dir(&args.output) {
        Digests::load(&args.output)
    } else {
        Digests::default()
    };
    let run = RunOptions {
        progress: plan.progress,
        sha256: Some(&known),
        show_numbers: args.show_numbers,
    };
    let (ingested, mut summary) = ingest_and_summarise(&plan, overrides, run)?;
    if let Some(b) = baseline {
        compare_with_baseline(&plan, b, overrides, run, (&ingested, &mut summary))?;
    }
    let t0 = std::time::Instant::now();
    let limit = (args.recipient_rows > 0).then_some(args.recipient_rows);
    let locked = locked_out(
        &ingested.collected,
        &summary.findings,
        args.show_numbers,
        limit,
    );
    let verdict = summary.verdict.clone();
    let audit = audit_trail(&args, &plan.window, &summary, &ingested.received);
    // Directories named on the command line: a folder inside one holds only what was read.
    let walked: Vec<PathBuf> = plan.paths.iter().filter(|p| p.is_dir()).cloned().collect();
    let input_groups = crate::report::audit::group(&summary.inputs, &walked);
    bundle::write(
        &args.output,
        &Bundle {
            title: &args.title,
            verdict: &verdict,
            summary: &summary,
            collected: &ingested.collected,
            findings: &summary.findings,
            locked_out: &locked,
            digests: Digests::of(&ingested.received.digests),
            audit,
            input_groups,
            table_format: args.format,
        },
    )
    .with_context(|| format!("writing the report to {}", args.output.display()))?;
    if std::env::var_os("SMSLENS_TIMING").is_some() {
        eprintln!("smslens: timing: charts, page and files {:?}", t0.elapsed());
    }
    println!("{}", crate::report::text::printable(&verdict));
    println!("report: {}", args.output.join("index.html").display());
    leave_to_exit(ingested);
    Ok(report_skips(&summary, plan.strict))
}

fn audit_trail(
    args: &Args,
    window: &crate::frame::Window,
    s: &crate::analysis::summary::Summary,
    received: &crate::frame::Received,
) -> Vec<(String, String)> {
    let digests = received.digests.len() as u64;
    let reused = received.digests_reused;
    vec![
        ("tool".to_owned(), format!("smslens {}", env!("CARGO_PKG_VERSION"))),
        ("command line".to_owned(), crate::domain::mask::mask_text(&std::env::args().collect::<Vec<_>>().join(" "), args.show_numbers).into_owned()),
        ("generated at".to_owned(), rfc3339(chrono::Utc::now().timestamp_millis())),
        (
            "window asked".to_owned(),
            format!(
                "{} to {}",
                window.since_ms.map_or("start".into(), rfc3339),
                window.until_ms.map_or("end".into(), rfc3339)
            ),
        ),
        (
            "records covered".to_owned(),
            format!("{} to {}", s.first_event.as_deref().unwrap_or("-"), s.last_event.as_deref().unwrap_or("-")),
        ),
        ("unique records".to_owned(), s.events.to_string()),
        ("duplicates dropped (overlapping exports)".to_owned(), s.duplicates.to_string()),
        ("records outside the window".to_owned(), s.outside_window.to_string()),
        ("skipped input items".to_owned(), format!("{} ({} malformed)", s.skipped, s.malformed)),
        (
            "success sampling".to_owned(),
            s.spend.sampling_note.clone().unwrap_or_else(|| match s.spend.success_sample_rate {
                Some(r) => format!("{r}% of successes logged: no correction needed"),
                None => "rate unknown (no get-sms-attributes export, no --success-sample-rate): assumed 100%".into(),
            }),
        ),
        ("phone numbers".to_owned(), if args.show_numbers { "shown in full (--show-numbers)".into() } else { "masked".into() }),
        (
            "inputs".to_owned(),
            format!(
                "{} files, grouped below by folder and shape; each file with its sha256 in tables/inputs and summary.json",
                s.inputs.len()
            ),
        ),
        (
            "input digests".to_owned(),
            if reused == 0 {
                format!("{digests} computed")
            } else {
                format!(
                    "{} computed, {reused} reused from the previous report in this folder (files unchanged since: same device, inode, size and modification time)",
                    digests - reused
                )
            },
        ),
    ]
}

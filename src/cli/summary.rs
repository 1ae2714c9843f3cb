//! `smslens summary`: totals and breakdowns of SMS delivery records.
//!
//! Examples:
//!   smslens summary samples/
//!   smslens summary exportedlogs/ --since 2026-03-01 --until 2026-04-01 --format json
//!   smslens summary exportedlogs/ --baseline 2026-02-01..2026-03-01   # March against February
//!   aws logs filter-log-events --log-group-name sns/us-east-1/123/DirectPublishToPhoneNumber/Failure | smslens summary -
//!
//! Output goes to stdout; skipped-input totals and locations go to stderr. With `--strict`, any malformed
//! input makes the exit code 3 (the output is still printed).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::common::{
    compare_with_baseline, current_after, ingest_and_summarise, leave_to_exit, report_skips,
    BaselineArgs, InputArgs, RunOptions, SpendArgs,
};
use crate::report::{renderer, TableFormat};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  smslens summary samples/\n  smslens summary exportedlogs/ --since 2026-03-01 --format json\n  smslens summary exportedlogs/ --baseline 2026-02-01..2026-03-01\n  aws logs filter-log-events --log-group-name ... | smslens summary -"
)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub spend: SpendArgs,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// Show full phone numbers (masked like +1617•••0118 by default: they are personal data).
    #[arg(long)]
    pub show_numbers: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut plan = args.input.plan()?;
    let overrides = args.spend.plan()?;
    let baseline = args.baseline.plan()?;
    if let Some(b) = &baseline {
        current_after(&mut plan, b)?;
    }
    let run = RunOptions {
        progress: plan.progress,
        sha256: None,
        show_numbers: args.show_numbers,
    };
    let (ingested, mut summary) = ingest_and_summarise(&plan, overrides, run)?;
    if let Some(b) = baseline {
        compare_with_baseline(&plan, b, overrides, run, (&ingested, &mut summary))?;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    renderer(args.format)
        .render(&summary, &mut out)
        .context("writing the summary")?;
    out.flush().context("writing the summary")?;
    leave_to_exit(ingested);
    Ok(report_skips(&summary, plan.strict))
}

//! `smslens check`: the diagnosis for cron jobs and CI. Prints the verdict, then every finding at or above
//! `--fail-on` (critical by default), and exits with code 4 when there is one.
//!
//! Examples:
//!   smslens check exportedlogs/ --since 2026-03-01
//!   smslens check logs/ metrics/ settings/ --fail-on warning || notify-on-call
//!   smslens check logs/ --format json > diagnosis.json
//!
//! Exit codes: 0 nothing at or above the threshold; 4 a finding at or above it; 1 an error; 2 a usage
//! error; 3 `--strict` found malformed input (it wins over 4: the findings rest on that input).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;

use super::common::{ingest_and_summarise, report_skips, InputArgs, RunOptions, SpendArgs};
use super::EXIT_FINDING;
use crate::domain::outcome::Severity;
use crate::domain::time::parse_timestamp_ms;
use crate::report::text::printable;

/// The lowest severity that fails the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FailOn {
    Warning,
    #[default]
    Critical,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Warning => Severity::Warning,
            FailOn::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    /// The verdict and one line per finding at or above the threshold.
    #[default]
    Text,
    /// `{"verdict", "fail_on", "failed", "findings"}` (every finding, as in `summary --format json`).
    Json,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: 0 no finding at or above --fail-on; 4 one or more; 1 error; 2 usage error; 3 --strict found malformed input.\n\nExamples:\n  smslens check exportedlogs/ --since 2026-03-01\n  smslens check logs/ metrics/ settings/ --fail-on warning || notify-on-call\n  smslens check logs/ --format json > diagnosis.json"
)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub spend: SpendArgs,
    /// Fail (exit code 4) when a finding of this severity or worse exists: `critical` (users cannot sign
    /// in now) or `warning` (texts or money lost beyond normal, or incomplete logs).
    #[arg(long, value_enum, default_value_t = FailOn::Critical)]
    pub fail_on: FailOn,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Show full phone numbers (masked like +1617•••0118 by default: they are personal data).
    #[arg(long)]
    pub show_numbers: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let plan = args.input.plan()?;
    let overrides = args.spend.plan()?;
    let (_, summary) = ingest_and_summarise(
        &plan,
        overrides,
        RunOptions {
            progress: plan.progress,
            sha256: None,
            show_numbers: args.show_numbers,
        },
    )?;
    let threshold = args.fail_on.severity();
    let failing: Vec<_> = summary
        .findings
        .iter()
        .filter(|f| f.severity >= threshold)
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        CheckFormat::Text => {
            writeln!(out, "{}", printable(&summary.verdict))?;
            for f in &failing {
                let when = |t: &str| {
                    parse_timestamp_ms(t).map_or_else(|| t.to_owned(), crate::domain::time::human)
                };
                let window = if f.window.ongoing {
                    format!("since {}", when(&f.window.start))
                } else {
                    format!("{} to {}", when(&f.window.start), when(&f.window.end))
                };
                let line = format!(
                    "{:<8}  {}  {} texts beyond normal  {}  {}",
                    f.severity.as_str(),
                    f.kind.as_str(),
                    f.excess,
                    window,
                    f.title
                );
                writeln!(out, "{}", printable(&line))?;
            }
        }
        CheckFormat::Json => {
            let doc = serde_json::json!({
                "verdict": summary.verdict,
                "fail_on": threshold,
                "failed": !failing.is_empty(),
                "findings": summary.findings,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
    }
    out.flush().context("writing the diagnosis")?;
    let skips = report_skips(&summary, plan.strict);
    if skips != ExitCode::SUCCESS {
        return Ok(skips);
    }
    Ok(if failing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FINDING)
    })
}

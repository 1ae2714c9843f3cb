//! `smslens chart spend`: the spend-trajectory chart on its own (the report embeds the same one).
//!
//! Examples:
//!   smslens chart spend samples/ -o spend.png
//!   smslens chart spend metrics/SMSMonthToDateSpentUSD.json --spend-limit 60 -o spend.png

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;

use super::common::{ingest_and_summarise, report_skips, InputArgs, RunOptions, SpendArgs};
use crate::report::figures;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub which: Which,
}

#[derive(clap::Subcommand, Debug)]
pub enum Which {
    /// Month-to-date spend against the monthly limit, with the exhaustion moment and the forecast.
    #[command(
        after_help = "Examples:\n  smslens chart spend samples/ -o spend.png\n  smslens chart spend metrics/ --spend-limit 60 -o spend.png"
    )]
    Spend {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        spend: SpendArgs,
        /// The PNG to write.
        #[arg(short, long, value_name = "FILE.png")]
        output: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Which::Spend {
        input,
        spend,
        output,
    } = args.which;
    if output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
        != Some("png")
    {
        bail!(
            "{}: the chart is a PNG; name the file *.png",
            output.display()
        );
    }
    let plan = input.plan()?;
    let overrides = spend.plan()?;
    crate::report::outdir::check_overlap(&output, &plan.paths)?;
    let run = RunOptions {
        progress: plan.progress,
        ..RunOptions::default()
    };
    let (_, summary) = ingest_and_summarise(&plan, overrides, run)?;
    if summary.spend.trajectory.is_empty() {
        bail!(
            "no spend data in the inputs: neither SMSMonthToDateSpentUSD datapoints nor priced delivery records; \
             add the metric's export (aws cloudwatch get-metric-statistics --namespace AWS/SNS --metric-name \
             SMSMonthToDateSpentUSD ...) or the delivery-status logs"
        );
    }
    figures::spend(&output, &summary)?;
    println!("{}", output.display());
    Ok(report_skips(&summary, plan.strict))
}

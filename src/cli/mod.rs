//! Command line: clap definitions, then one module per subcommand. Each subcommand turns its raw arguments
//! into a validated plan before any work starts.

pub mod chart;
pub mod common;
pub mod export;
pub mod report;
pub mod summary;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "smslens",
    version,
    about = "Explains SMS delivery failures and SMS spend from exported AWS files, offline.",
    long_about = "smslens reads Amazon SNS SMS delivery-status logs (CloudWatch Logs exports to S3, `aws logs` \
CLI output, Logs Insights results, Firehose objects), SMS spend metrics and SMS settings, and explains why texts \
(Cognito MFA and verification codes) were not delivered and where the money went. It never touches the network."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The main job: an offline HTML report with charts, tables and a ranked diagnosis.
    Report(report::Args),
    /// Totals and breakdowns of delivery records (table, JSON, CSV or Markdown on stdout).
    Summary(summary::Args),
    /// One chart on its own (PNG).
    Chart(chart::Args),
    /// The normalised messages as a Parquet dataset for Athena, Spark, Trino or DuckDB (and `summary DIR`).
    Export(export::Args),
}

/// Exit code of a run refused before any work: the arguments ask for something smslens will not do (clap
/// uses the same code for malformed arguments).
pub const EXIT_USAGE: u8 = 2;

/// The exit code for an error that ended a run.
pub fn exit_code_of(e: &anyhow::Error) -> ExitCode {
    if e.downcast_ref::<crate::report::outdir::OutDirError>()
        .is_some()
        || e.downcast_ref::<crate::report::dataset::commit::DatasetDirError>()
            .is_some()
    {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::FAILURE
    }
}

/// Parses the command line and runs it. The exit code says whether `--strict` found skipped input.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    // Roomy worker stacks: gzip decoder state is built on the stack before it is boxed.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(16 << 20)
        .build_global();
    match cli.command {
        Command::Report(a) => report::run(a),
        Command::Summary(a) => summary::run(a),
        Command::Chart(a) => chart::run(a),
        Command::Export(a) => export::run(a),
    }
}

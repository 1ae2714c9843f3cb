//! Command line: clap definitions, then one module per subcommand. Each subcommand turns its raw arguments
//! into a validated plan before any work starts.

pub mod chart;
pub mod check;
pub mod common;
pub mod completions;
pub mod export;
pub mod man;
pub mod report;
pub mod summary;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

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
    /// The diagnosis for cron and CI: the verdict, and exit code 4 when a finding at or above
    /// --fail-on (critical by default) exists.
    Check(check::Args),
    /// The normalised messages as a Parquet dataset for Athena, Spark, Trino or DuckDB (and `summary DIR`).
    Export(export::Args),
    /// A shell completion script on stdout (bash, zsh, fish, powershell, elvish).
    Completions(completions::Args),
    /// The manual page (roff) on stdout.
    Man(man::Args),
}

/// Exit code of a run refused before any work: the arguments ask for something smslens will not do (clap
/// uses the same code for malformed arguments).
pub const EXIT_USAGE: u8 = 2;

/// Exit code of `smslens check` when a finding at or above `--fail-on` exists.
pub const EXIT_FINDING: u8 = 4;

/// The exit-code contract, as `--help`, the man page and README show it.
pub const EXIT_CODES: &[(u8, &str)] = &[
    (0, "ok"),
    (
        1,
        "error: an input that cannot be read, a flag value out of range, an output that cannot be written",
    ),
    (
        EXIT_USAGE,
        "usage error (unknown flag, missing value) or refused output (an -o that smslens did not write, or one \
         that overlaps an input)",
    ),
    (
        common::EXIT_STRICT,
        "--strict: input was skipped as malformed (the output is still written)",
    ),
    (EXIT_FINDING, "smslens check: a finding at or above --fail-on"),
];

/// The exit codes as a help section.
fn exit_codes_help() -> String {
    let rows: Vec<String> = EXIT_CODES
        .iter()
        .map(|(code, meaning)| format!("  {code}  {meaning}"))
        .collect();
    format!("Exit codes:\n{}", rows.join("\n"))
}

/// The whole command line as clap sees it: what parsing, completions and the man page are made from.
pub fn command() -> clap::Command {
    Cli::command().after_help(exit_codes_help())
}

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
    let cli = Cli::from_arg_matches(&command().get_matches()).unwrap_or_else(|e| e.exit());
    // Roomy worker stacks: gzip decoder state is built on the stack before it is boxed.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(16 << 20)
        .build_global();
    match cli.command {
        Command::Report(a) => report::run(a),
        Command::Summary(a) => summary::run(a),
        Command::Chart(a) => chart::run(a),
        Command::Check(a) => check::run(a),
        Command::Export(a) => export::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
    }
}

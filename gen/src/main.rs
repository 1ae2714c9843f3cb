//! `smslens-gen`: realistic synthetic data, for smslens's benchmarks, tests and bundled samples.
//!
//! Examples:
//!   smslens-gen records --count 2000000 -o /tmp/2m.jsonl      # bare records, one per line
//!   smslens-gen records --count 2000000 --duplicates 0.25 -o /tmp/dup.jsonl   # a fifth of the lines repeats
//!   smslens-gen export-tree --count 200000 --files 20000 -o /tmp/export
//!   smslens-gen eum-events --count 1250000 -o /tmp/eum.jsonl   # End User Messaging events (~2 M lines)
//!   smslens-gen samples -o samples/                           # the bundled sample set (deterministic)
//!   smslens-gen scenario --name pumping --seed 3 -o /tmp/pumping  # one injected cause, its truth on stderr

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use clap::Parser;

use smslens_gen::{
    write_eum_events, write_eum_firehose, write_export_tree, write_fixtures, write_records,
    write_samples, write_scenario, EumShape, GenConfig, GenTruth, Scenario,
};

#[derive(Parser, Debug)]
#[command(
    name = "smslens-gen",
    version,
    about = "Realistic synthetic SNS SMS delivery-status data for smslens's benchmarks and tests. Each \
             data command prints the data set's true numbers (JSON) on stderr.",
    after_help = "Examples:\n  smslens-gen records --count 2000000 -o /tmp/2m.jsonl\n  smslens-gen export-tree --count 200000 --files 20000 -o /tmp/export\n  smslens-gen eum-events --count 1250000 -o /tmp/eum.jsonl\n  smslens-gen samples -o samples/\n  smslens-gen scenario --name carrier-outage --seed 7 -o /tmp/outage"
)]
struct Cli {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand, Debug)]
enum What {
    /// Bare delivery records, one JSON object per line (`-o -` for stdout).
    Records {
        #[command(flatten)]
        cfg: CfgArgs,
        /// Share of the texts (0 to 1) written a second time, byte for byte and later in the file, as
        /// overlapping exports repeat them: --count lines in all, about count/(1+FRACTION) distinct
        /// message ids (the truth's `unique`).
        #[arg(long, value_name = "FRACTION", default_value_t = 0.0)]
        duplicates: f64,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// A CloudWatch Logs export-to-S3 tree of many small gzip files.
    ExportTree {
        #[command(flatten)]
        cfg: CfgArgs,
        /// Number of `000000.gz` files (log streams).
        #[arg(long, default_value_t = 20_000)]
        files: usize,
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// The month's texts as End User Messaging SMS events, as a pool sending through End User Messaging
    /// directly gets them (about 1.6 events per text; no spend limit unless --spend-limit). `--count` is
    /// the number of texts; the truth says how many events were written.
    EumEvents {
        #[command(flatten)]
        cfg: CfgArgs,
        /// How the events are wrapped: one a line bare, in EventBridge envelopes or in SNS notifications;
        /// or Firehose objects (gzip, concatenated or NDJSON) under DIR/YYYY/MM/DD/HH/.
        #[arg(long, value_enum, default_value_t = Shape::Bare)]
        shape: Shape,
        /// A file (`-` for stdout), or a directory for the Firehose shapes.
        #[arg(short, long, value_name = "FILE|DIR")]
        output: PathBuf,
    },
    /// The bundled sample set (every shape, a visible story), as committed in `samples/`.
    Samples {
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// A month with background failures and one injected cause (the truth on stderr says which, when,
    /// where): records.jsonl (or firehose/ for wrong-region), and settings/metrics when it has them.
    Scenario {
        /// healthy, marketing-burst, spend-limit, carrier-block, carrier-outage, opted-out,
        /// invalid-numbers, max-price, spam, account-review, throttling, wrong-region, pumping
        #[arg(long, value_parser = parse_scenario)]
        name: Scenario,
        #[arg(long, default_value_t = 60_000)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// About this many distinct recipients (default: about count/4, as for `records`): fewer means
        /// more texts per recipient.
        #[arg(long)]
        recipients: Option<u64>,
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// The integration-test fixtures, as committed in `tests/fixtures/` (its README is kept by hand).
    Fixtures {
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Bare,
    Eventbridge,
    SnsNotification,
    Firehose,
    FirehoseNdjson,
}

#[derive(clap::Args, Debug)]
struct CfgArgs {
    /// Number of records.
    #[arg(long, default_value_t = 100_000)]
    count: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The UTC month covered (YYYY-MM).
    #[arg(long, default_value = "2026-03")]
    month: String,
    /// Monthly spend limit in USD; by default one that is reached around the 22nd.
    #[arg(long)]
    spend_limit: Option<f64>,
    /// About this many distinct recipients; by default a pool of about count/4 numbers with frequent
    /// users. At most the 30,900 fictional +1 numbers (555-01xx) plus one per new text to another country
    /// (about 55 % of the texts that are not retries).
    #[arg(long, value_name = "N")]
    recipients: Option<u64>,
}

/// `--recipients`, where given, names at least one (for `records` and `scenario` alike).
fn check_recipients(recipients: Option<u64>) -> anyhow::Result<()> {
    if recipients == Some(0) {
        bail!("--recipients must be at least 1");
    }
    Ok(())
}

impl CfgArgs {
    fn plan(&self) -> anyhow::Result<GenConfig> {
        let month_start = NaiveDate::parse_from_str(&format!("{}-01", self.month), "%Y-%m-%d")
            .with_context(|| format!("--month {:?}: expected YYYY-MM", self.month))?;
        if self.count == 0 {
            bail!("--count must be at least 1");
        }
        check_recipients(self.recipients)?;
        Ok(GenConfig {
            month_start,
            spend_limit_usd: self
                .spend_limit
                .unwrap_or_else(|| GenConfig::suggested_spend_limit_usd(self.count)),
            recipients: self.recipients,
            ..GenConfig::new(self.count, self.seed)
        })
    }
}

fn parse_scenario(s: &str) -> Result<Scenario, String> {
    Scenario::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Scenario::ALL.iter().map(|s| s.name()).collect();
        format!("unknown scenario {s:?}; one of: {}", names.join(", "))
    })
}

/// Runs `write` on `output` (`-`: stdout), buffered.
fn to_file<T>(
    output: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> anyhow::Result<T> {
    if output.as_os_str() == "-" {
        let mut w = BufWriter::new(std::io::stdout().lock());
        let t = write(&mut w)?;
        w.flush()?;
        return Ok(t);
    }
    let f =
        std::fs::File::create(output).with_context(|| format!("creating {}", output.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    let t = write(&mut w).with_context(|| format!("writing {}", output.display()))?;
    w.flush()
        .with_context(|| format!("writing {}", output.display()))?;
    Ok(t)
}

fn records(args: &CfgArgs, duplicates: f64, output: &Path) -> anyhow::Result<GenTruth> {
    if !(0.0..=1.0).contains(&duplicates) {
        bail!("--duplicates must be a share between 0 and 1 (got {duplicates})");
    }
    let cfg = GenConfig {
        duplicates,
        ..args.plan()?
    };
    to_file(output, |w| write_records(w, &cfg))
}

fn eum_events(args: &CfgArgs, shape: Shape, output: &Path) -> anyhow::Result<String> {
    let mut cfg = args.plan()?;
    if args.spend_limit.is_none() {
        // End User Messaging refuses texts over its limit (no event): none unless asked for.
        cfg.spend_limit_usd = f64::INFINITY;
    }
    let lines = |s: EumShape| to_file(output, |w| write_eum_events(w, &cfg, s));
    let truth = match shape {
        Shape::Bare => lines(EumShape::Bare)?,
        Shape::Eventbridge => lines(EumShape::EventBridge)?,
        Shape::SnsNotification => lines(EumShape::SnsNotification)?,
        Shape::Firehose | Shape::FirehoseNdjson => {
            write_eum_firehose(output, &cfg, shape == Shape::FirehoseNdjson)
                .with_context(|| format!("writing {}", output.display()))?
        }
    };
    Ok(serde_json::to_string_pretty(&truth)?)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let truth = match cli.what {
        What::Records {
            cfg,
            duplicates,
            output,
        } => records(&cfg, duplicates, &output)?,
        What::ExportTree { cfg, files, output } => write_export_tree(&output, files, &cfg.plan()?)
            .with_context(|| format!("writing {}", output.display()))?,
        What::Scenario {
            name,
            count,
            seed,
            recipients,
            output,
        } => {
            if count < 1000 {
                bail!("--count must be at least 1000 for a scenario month");
            }
            check_recipients(recipients)?;
            let cfg = GenConfig {
                recipients,
                ..GenConfig::scenario(name, count, seed)
            };
            write_scenario(&output, &cfg)
                .with_context(|| format!("writing {}", output.display()))?
        }
        What::EumEvents { cfg, shape, output } => {
            eprintln!("{}", eum_events(&cfg, shape, &output)?);
            return Ok(());
        }
        What::Samples { output } => {
            write_samples(&output).with_context(|| format!("writing {}", output.display()))?
        }
        What::Fixtures { output } => {
            return write_fixtures(&output)
                .with_context(|| format!("writing {}", output.display()));
        }
    };
    eprintln!("{}", serde_json::to_string_pretty(&truth)?);
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("smslens-gen: error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

//! `smslens generate`: realistic synthetic data, for benchmarks, tests and the bundled samples.
//!
//! Examples:
//!   smslens generate records --count 2000000 -o /tmp/2m.jsonl      # bare records, one per line
//!   smslens generate export-tree --count 200000 --files 20000 -o /tmp/export
//!   smslens generate samples -o samples/                           # the bundled sample set (deterministic)

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::NaiveDate;

use crate::generate::{
    write_export_tree, write_fixtures, write_records, write_samples, GenConfig, GenTruth,
};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  smslens generate records --count 2000000 -o /tmp/2m.jsonl\n  smslens generate export-tree --count 200000 --files 20000 -o /tmp/export\n  smslens generate samples -o samples/"
)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(clap::Subcommand, Debug)]
pub enum What {
    /// Bare delivery records, one JSON object per line (`-o -` for stdout).
    Records {
        #[command(flatten)]
        cfg: CfgArgs,
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
    /// The bundled sample set (every shape, a visible story), as committed in `samples/`.
    Samples {
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// The integration-test fixtures, as committed in `tests/fixtures/` (its README is kept by hand).
    Fixtures {
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
pub struct CfgArgs {
    /// Number of records.
    #[arg(long, default_value_t = 100_000)]
    pub count: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The UTC month covered (YYYY-MM).
    #[arg(long, default_value = "2026-03")]
    pub month: String,
    /// Monthly spend limit in USD; by default one that is reached around the 22nd.
    #[arg(long)]
    pub spend_limit: Option<f64>,
}

impl CfgArgs {
    fn plan(&self) -> anyhow::Result<GenConfig> {
        let month_start = NaiveDate::parse_from_str(&format!("{}-01", self.month), "%Y-%m-%d")
            .with_context(|| format!("--month {:?}: expected YYYY-MM", self.month))?;
        if self.count == 0 {
            bail!("--count must be at least 1");
        }
        Ok(GenConfig {
            records: self.count,
            seed: self.seed,
            month_start,
            spend_limit_usd: self
                .spend_limit
                .unwrap_or_else(|| GenConfig::suggested_spend_limit_usd(self.count)),
        })
    }
}

fn print_truth(t: &GenTruth) -> anyhow::Result<()> {
    eprintln!("{}", serde_json::to_string_pretty(t)?);
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let truth = match args.what {
        What::Records { cfg, output } => {
            let cfg = cfg.plan()?;
            if output.as_os_str() == "-" {
                let mut w = BufWriter::new(std::io::stdout().lock());
                let t = write_records(&mut w, &cfg)?;
                w.flush()?;
                t
            } else {
                let f = std::fs::File::create(&output)
                    .with_context(|| format!("creating {}", output.display()))?;
                let mut w = BufWriter::with_capacity(1 << 20, f);
                let t = write_records(&mut w, &cfg)
                    .with_context(|| format!("writing {}", output.display()))?;
                w.flush()
                    .with_context(|| format!("writing {}", output.display()))?;
                t
            }
        }
        What::ExportTree { cfg, files, output } => write_export_tree(&output, files, &cfg.plan()?)
            .with_context(|| format!("writing {}", output.display()))?,
        What::Samples { output } => {
            write_samples(&output).with_context(|| format!("writing {}", output.display()))?
        }
        What::Fixtures { output } => {
            write_fixtures(&output).with_context(|| format!("writing {}", output.display()))?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    print_truth(&truth)?;
    Ok(ExitCode::SUCCESS)
}

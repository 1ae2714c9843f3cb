//! smslens: explains SMS delivery failures and SMS spend from exported AWS files, offline.
//!
//! The pipeline, one folder per stage, each importing only the stages before it:
//! - [`sources`]: one module per export shape (each a `Source`: sniff and read), opening, directory walks;
//! - [`record`]: what sources yield (delivery records and their parsers, metric series, settings);
//! - [`frame`]: the intake (window, dedupe, counting) and the record frame, Polars DataFrames with an
//!   explicit schema, in batches;
//! - [`analysis`]: the collector that aggregates batches, then summary, spend and findings;
//! - [`report`]: one module per output format, charts, the report directory.
//!
//! [`domain`] is the vocabulary every stage shares (outcome classes, countries, masking, time, money);
//! [`cli`] turns arguments into a validated plan and wires the stages together.

pub mod analysis;
pub mod cli;
pub mod domain;
pub mod frame;
pub mod record;
pub mod report;
pub mod sources;
#[cfg(test)]
mod testing;

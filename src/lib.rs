//! smslens: explains SMS delivery failures and SMS spend from exported AWS files, offline.
//!
//! The pipeline, one folder per stage: `sources` (one module per export shape) → `record` / `frame` (the
//! record frame, a Polars DataFrame with an explicit schema) → `analysis` (cube, summary, spend, findings) →
//! `report` (one module per output format).

pub mod allocator;
pub mod analysis;
pub mod classify;
pub mod cli;
pub mod country;
pub mod dict;
pub mod frame;
pub mod ingest;
pub mod mask;
pub mod record;
pub mod record_fast;
pub mod report;
pub mod sources;
pub mod timefmt;

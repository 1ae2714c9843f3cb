//! Integration tests: every behaviour is driven through the real `smslens` binary on realistic files.
//! One test binary (one link); modules group the specifications.

mod support;

mod account;
mod accounting;
mod bad_input;
mod check;
mod command_line;
mod dataset;
mod dataset_privacy;
mod dataset_sources;
mod dataset_sql;
mod dedupe;
mod diagnosis;
mod eum;
mod eum_generated;
mod fuzz_corpus;
mod generate;
mod large;
mod layout;
mod page;
mod progress;
mod promises;
mod report;
mod shapes;
mod spend;
mod summary_formats;

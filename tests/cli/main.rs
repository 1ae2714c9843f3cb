//! Integration tests: every behaviour is driven through the real `smslens` binary on realistic files.
//! One test binary (one link); modules group the specifications.

mod support;

mod accounting;
mod bad_input;
mod dataset;
mod dataset_sql;
mod dedupe;
mod generate;
mod large;
mod layout;
mod promises;
mod report;
mod shapes;
mod spend;
mod summary_formats;

//! From record batches to answers. The [`collector`] receives the frame stage's batches and keeps only
//! aggregates (the [`cube`], per-recipient tallies, latency histograms); [`summary`] and [`spend`] answer
//! from them and from what the intake received; [`findings`] ranks what went wrong; [`compare`] sets two
//! periods side by side.

pub mod collector;
pub mod compare;
pub mod cube;
pub mod examples;
pub mod findings;
pub mod latency;
pub mod recipients;
pub mod sampling;
pub mod snapshot;
pub mod spend;
pub mod summary;

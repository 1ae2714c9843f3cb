//! From record batches to answers: the cube, recipients, latency, spend, findings.

pub mod collector;
pub mod cube;
pub mod findings;
pub mod latency;
pub mod recipients;
pub mod spend;
pub mod summary;

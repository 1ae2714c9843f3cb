//! What sources yield. Delivery records of every dialect (formats.md §1, §7): the [`Record`] type, the one
//! field table both parsers read ([`fields`]), the fast path for the common compact line ([`fast`], after
//! its quote index [`quotes`]), the full serde parser for everything else ([`full`]), records from
//! flattened columns ([`flat`]), envelopes and Cognito's error logs ([`any`], [`cognito`]). And spend
//! inputs: metric series and settings ([`metric`]).

pub mod any;
pub mod cognito;
pub mod fast;
pub mod fields;
pub mod flat;
pub mod full;
pub mod metric;
pub mod quotes;
pub mod types;

pub use flat::record_from_fields;
pub use types::{Record, RecordError, Status, Value};

/// Parses one record from JSON text: the fast scanner for the common case, serde for everything else
/// (which also names what is wrong).
pub fn parse_record(text: &str) -> Result<Record<'_>, RecordError> {
    match fast::parse_fast(text) {
        Some(r) => Ok(r),
        None => full::parse_record_full(text),
    }
}

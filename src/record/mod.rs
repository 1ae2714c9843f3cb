//! What sources yield. Delivery records (formats.md §1): the [`Record`] type, the one field table both
//! parsers read ([`fields`]), the fast path for the common compact line ([`fast`], after its quote index
//! [`quotes`]), the full serde parser for everything else ([`full`]), and records from flattened columns
//! ([`flat`]). And spend inputs: metric series and SMS settings ([`metric`]).

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

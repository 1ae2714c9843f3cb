//! The record frame: delivery records as a Polars DataFrame with an explicit schema (never inferred, so a
//! column first seen late in a file is never dropped), and the intake that fills it.
//!
//! Sources hand what they read to the [`intake`] (the time window, dedupe across inputs, the count of every
//! record and skipped line, batching). Each worker fills a [`BatchBuilder`] and full batches (64 Ki rows) go
//! to a [`BatchConsumer`] (the analysis stage) as [`RecordBatch`]es, so memory stays flat in input size.
//! Low-cardinality strings are dictionary-encoded (`UInt32` codes + a per-batch [`BatchDicts`]).

pub mod allocator;
pub mod builder;
pub mod dataset;
pub mod dedupe;
pub mod dict;
pub mod digests;
pub mod evidence;
pub mod intake;
pub mod messages;
pub mod outcome;
pub mod recipient;
pub mod skips;
pub mod usage;

use polars::prelude::*;

pub use builder::BatchBuilder;
pub use dict::Dict;
pub use intake::{
    BatchConsumer, FileReport, FileStats, InputStats, Intake, Received, Sink, Window,
};
/// What a [`BatchConsumer`] is told when a batch cannot be built.
pub use polars::prelude::PolarsError;
pub use skips::{Loc, SkipReason, Skips};

use crate::domain::outcome::Class;

/// Rows per batch frame: big enough that per-batch group-bys are cheap, small enough to stay in cache-ish memory.
pub const BATCH_ROWS: usize = 64 * 1024;

/// Column names of the record frame, in schema order.
pub mod col {
    pub const TIME: &str = "time";
    pub const HOUR: &str = "hour";
    pub const STATUS: &str = "status";
    pub const FAILED: &str = "failed";
    pub const PROVIDER_RESPONSE: &str = "provider_response";
    pub const CLASS: &str = "class";
    pub const SMS_TYPE: &str = "sms_type";
    pub const RECIPIENT: &str = "recipient";
    pub const COUNTRY: &str = "country";
    pub const MCC: &str = "mcc";
    pub const MNC: &str = "mnc";
    pub const CARRIER: &str = "carrier";
    pub const SOURCE_KIND: &str = "source_kind";
    pub const REGION: &str = "region";
    pub const ACCOUNT: &str = "account";
    pub const ORIGINATION: &str = "origination";
    pub const PRICE_USD: &str = "price_usd";
    pub const MESSAGE_PARTS: &str = "message_parts";
    pub const DWELL_MS: &str = "dwell_ms";
    pub const DWELL_ACK_MS: &str = "dwell_ack_ms";
    pub const SOURCE: &str = "source";
    pub const MESSAGE_ID: &str = "message_id";
}

/// The explicit schema. Coded columns (`UInt32`: provider_response, sms_type, country, mcc, mnc, carrier,
/// region, account, origination; "unknown" where a record has none, but mcc and mnc are null then) index
/// into [`BatchDicts`]; `status` is 0 = SUCCESS, 1 = FAILURE; `class`
/// is a [`Class`] code; `source_kind` a [`crate::record::types::SourceKind`] code; `recipient` is a
/// [`recipient::key`]; `source` indexes the run's input list; `message_id` is the record's message id
/// (null when it has none).
pub fn record_schema() -> Schema {
    Schema::from_iter([
        Field::new(
            col::TIME.into(),
            DataType::Datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC)),
        ),
        Field::new(col::HOUR.into(), DataType::Int64),
        Field::new(col::STATUS.into(), DataType::UInt32),
        Field::new(col::FAILED.into(), DataType::UInt32),
        Field::new(col::PROVIDER_RESPONSE.into(), DataType::UInt32),
        Field::new(col::CLASS.into(), DataType::UInt32),
        Field::new(col::SMS_TYPE.into(), DataType::UInt32),
        Field::new(col::RECIPIENT.into(), DataType::UInt64),
        Field::new(col::COUNTRY.into(), DataType::UInt32),
        Field::new(col::MCC.into(), DataType::UInt32),
        Field::new(col::MNC.into(), DataType::UInt32),
        Field::new(col::CARRIER.into(), DataType::UInt32),
        Field::new(col::SOURCE_KIND.into(), DataType::UInt32),
        Field::new(col::REGION.into(), DataType::UInt32),
        Field::new(col::ACCOUNT.into(), DataType::UInt32),
        Field::new(col::ORIGINATION.into(), DataType::UInt32),
        Field::new(col::PRICE_USD.into(), DataType::Float64),
        Field::new(col::MESSAGE_PARTS.into(), DataType::UInt32),
        Field::new(col::DWELL_MS.into(), DataType::Int64),
        Field::new(col::DWELL_ACK_MS.into(), DataType::Int64),
        Field::new(col::SOURCE.into(), DataType::UInt32),
        Field::new(col::MESSAGE_ID.into(), DataType::String),
    ])
}

/// The strings behind a batch's coded columns.
#[derive(Debug, Default, Clone)]
pub struct BatchDicts {
    pub provider_response: Dict,
    pub sms_type: Dict,
    pub carrier: Dict,
    pub country: Dict,
    pub mcc: Dict,
    pub mnc: Dict,
    pub region: Dict,
    pub account: Dict,
    pub origination: Dict,
    /// Texts of destinations whose `recipient` key is a hash (see [`recipient`]); unmasked, kept in memory
    /// only, masked by every output.
    pub odd_numbers: Vec<(u64, String)>,
    /// How outputs name recipients known only from a dataset (the number as the dataset holds it, already
    /// masked): shown as they are.
    pub recipient_labels: Vec<(u64, String)>,
}

/// A sample message id kept as evidence (support cases ask for three).
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub time_ms: i64,
    pub message_id: String,
    pub class: Class,
    pub carrier: String,
    pub country: String,
}

pub const EVIDENCE_PER_CLASS: usize = 3;

/// Examples of one failure class, country and carrier, as a dataset's manifest keeps them: the names once
/// (a month of a high-cardinality export keeps a few hundred thousand examples in a few hundred groups).
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceGroup {
    pub class: Class,
    pub country: String,
    pub carrier: String,
    /// (time_ms, message id) of each.
    pub examples: Vec<(i64, Box<str>)>,
}

#[derive(Clone)]
pub struct RecordBatch {
    pub df: DataFrame,
    pub dicts: BatchDicts,
    pub evidence: Vec<Evidence>,
    pub evidence_groups: Vec<EvidenceGroup>,
    pub unknown_fields: Vec<(String, u64)>,
}

impl RecordBatch {
    /// The batch's recipient keys back to their numbers.
    pub fn numbers(&self) -> Numbers<'_> {
        Numbers(
            self.dicts
                .odd_numbers
                .iter()
                .map(|(k, n)| (*k, n.as_str()))
                .collect(),
        )
    }
}

/// Recipient keys back to numbers: E.164 ones decode, the others are in the batch's table.
pub struct Numbers<'b>(dict::FxHashMap<u64, &'b str>);

impl Numbers<'_> {
    /// Writes the number of key `k` into `out` (cleared first); false when the batch does not know it.
    pub fn text_into(&self, k: u64, out: &mut String) -> bool {
        out.clear();
        if recipient::decode_into(k, out) {
            return true;
        }
        match self.0.get(&k) {
            Some(n) => {
                out.push_str(n);
                true
            }
            None => false,
        }
    }
}

/// Text used for a missing providerResponse, carrier or smsType.
pub const UNKNOWN: &str = "unknown";
pub const NO_RESPONSE: &str = "(no providerResponse)";

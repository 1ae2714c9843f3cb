//! The exported dataset: the record frame as a Hive-partitioned Parquet table that Athena, Spark, Trino and
//! DuckDB read (`DIR/messages/date=YYYY-MM-DD/part-*.parquet`), with its manifest (`DIR/_smslens.json`).
//!
//! [`COLUMNS`] is the schema, in one place: each column's name, its type, how a batch frame fills it
//! ([`write`]) and how a dataset's rows become a batch frame again ([`read`]). Adding a column is one line
//! there (then `SMSLENS_REGENERATE=1 cargo test sql_ddl` rewrites the engines' DDL in `sql/`).
//!
//! Free text is masked ([`crate::domain::mask`]) unless the export was asked for `--show-numbers`; the
//! recipient is a keyed pseudonym ([`pseudonym`]), and with `--show-numbers` also its masked number.

pub mod manifest;
pub mod pseudonym;
pub mod read;
pub mod write;

use polars::prelude::{DataType, Field, Schema, TimeUnit};

use super::{col, BatchDicts, Dict, NO_RESPONSE, UNKNOWN};
use crate::domain::time::{day_string, DAY_MS};

/// The table's folder in a dataset, and the Hive partition column of its subfolders.
pub const TABLE: &str = "messages";
pub const PARTITION: &str = "date";
/// Version of [`COLUMNS`] and of the layout; a reader refuses a dataset of another.
pub const SCHEMA_VERSION: u32 = 1;

/// A column's type, as Parquet stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// UTF-8 text.
    Text,
    Int32,
    Int64,
    Double,
    /// Milliseconds, UTC wall-clock time (no time zone attached, so every engine buckets it the same).
    Timestamp,
}

impl Type {
    pub fn dtype(self) -> DataType {
        match self {
            Type::Text => DataType::String,
            Type::Int32 => DataType::Int32,
            Type::Int64 => DataType::Int64,
            Type::Double => DataType::Float64,
            Type::Timestamp => DataType::Datetime(TimeUnit::Milliseconds, None),
        }
    }

    /// The type in Hive DDL (Athena, Spark SQL) and in Trino's.
    pub fn hive(self) -> &'static str {
        match self {
            Type::Text => "STRING",
            Type::Int32 => "INT",
            Type::Int64 => "BIGINT",
            Type::Double => "DOUBLE",
            Type::Timestamp => "TIMESTAMP",
        }
    }

    pub fn trino(self) -> &'static str {
        match self {
            Type::Text => "VARCHAR",
            Type::Int32 => "INTEGER",
            Type::Int64 => "BIGINT",
            Type::Double => "DOUBLE",
            Type::Timestamp => "TIMESTAMP(3)",
        }
    }
}

/// A coded (dictionary) column of the frame, the batch dictionary its codes index, and the placeholder
/// text the frame uses for a missing value (a null in the dataset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coded {
    ProviderResponse,
    SmsType,
    Carrier,
    Country,
    Mcc,
    Mnc,
    Region,
    Account,
    Origination,
}

impl Coded {
    pub fn frame_column(self) -> &'static str {
        match self {
            Coded::ProviderResponse => col::PROVIDER_RESPONSE,
            Coded::SmsType => col::SMS_TYPE,
            Coded::Carrier => col::CARRIER,
            Coded::Country => col::COUNTRY,
            Coded::Mcc => col::MCC,
            Coded::Mnc => col::MNC,
            Coded::Region => col::REGION,
            Coded::Account => col::ACCOUNT,
            Coded::Origination => col::ORIGINATION,
        }
    }

    pub fn dict(self, d: &BatchDicts) -> &Dict {
        match self {
            Coded::ProviderResponse => &d.provider_response,
            Coded::SmsType => &d.sms_type,
            Coded::Carrier => &d.carrier,
            Coded::Country => &d.country,
            Coded::Mcc => &d.mcc,
            Coded::Mnc => &d.mnc,
            Coded::Region => &d.region,
            Coded::Account => &d.account,
            Coded::Origination => &d.origination,
        }
    }

    pub fn dict_mut(self, d: &mut BatchDicts) -> &mut Dict {
        match self {
            Coded::ProviderResponse => &mut d.provider_response,
            Coded::SmsType => &mut d.sms_type,
            Coded::Carrier => &mut d.carrier,
            Coded::Country => &mut d.country,
            Coded::Mcc => &mut d.mcc,
            Coded::Mnc => &mut d.mnc,
            Coded::Region => &mut d.region,
            Coded::Account => &mut d.account,
            Coded::Origination => &mut d.origination,
        }
    }

    /// The frame's text for a missing value; None where the frame holds a null instead (MCC, MNC).
    pub fn placeholder(self) -> Option<&'static str> {
        match self {
            Coded::ProviderResponse => Some(NO_RESPONSE),
            Coded::Mcc | Coded::Mnc => None,
            _ => Some(UNKNOWN),
        }
    }
}

/// How a dataset column is filled from a batch frame, and read back into one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// The frame's `time`.
    EventTime,
    /// A text column of the frame (masked; UUIDs pass unchanged).
    Text(&'static str),
    /// `SUCCESS` or `FAILURE`, from the frame's `status`.
    Status,
    /// smslens's outcome class (`delivered`, `spend_limit`, ...), from the frame's `class`.
    Class,
    /// The kind of source (`sns-delivery-log`, `end-user-messaging`, ...), from the frame's `source_kind`.
    SourceKind,
    Coded(Coded),
    /// A numeric frame column, cast to the column's type.
    Number(&'static str),
    /// The keyed pseudonym of the destination.
    Recipient,
    /// The destination, masked (`+1617•••0118`); only with `--show-numbers`.
    RecipientMasked,
    /// Not in the frame yet (sources that have it are being added): null.
    Absent,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: Type,
    pub fill: Fill,
    pub doc: &'static str,
}

const fn column(name: &'static str, ty: Type, fill: Fill, doc: &'static str) -> Column {
    Column {
        name,
        ty,
        fill,
        doc,
    }
}

/// The dataset's columns, in file order. Every column is nullable.
#[rustfmt::skip]
pub const COLUMNS: &[Column] = &[
    column("event_time", Type::Timestamp, Fill::EventTime, "event time, UTC, milliseconds"),
    column("message_id", Type::Text, Fill::Text(col::MESSAGE_ID), "notification.messageId"),
    column("status", Type::Text, Fill::Status, "SUCCESS or FAILURE"),
    column("provider_response", Type::Text, Fill::Coded(Coded::ProviderResponse), "delivery.providerResponse"),
    column("class", Type::Text, Fill::Class, "smslens outcome class (delivered, spend_limit, carrier_blocked, ...)"),
    column("sms_type", Type::Text, Fill::Coded(Coded::SmsType), "Transactional or Promotional"),
    column("country", Type::Text, Fill::Coded(Coded::Country), "ISO 3166 alpha-2 of the destination"),
    column("mcc", Type::Text, Fill::Coded(Coded::Mcc), "mobile country code, as written (leading zeros kept)"),
    column("mnc", Type::Text, Fill::Coded(Coded::Mnc), "mobile network code, as written (leading zeros kept)"),
    column("carrier", Type::Text, Fill::Coded(Coded::Carrier), "delivery.phoneCarrier"),
    column("price_usd", Type::Double, Fill::Number(col::PRICE_USD), "delivery.priceInUSD"),
    column("parts", Type::Int32, Fill::Number(col::MESSAGE_PARTS), "delivery.numberOfMessageParts"),
    column("dwell_ms", Type::Int64, Fill::Number(col::DWELL_MS), "delivery.dwellTimeMs"),
    column("dwell_ack_ms", Type::Int64, Fill::Number(col::DWELL_ACK_MS), "delivery.dwellTimeMsUntilDeviceAck"),
    column("source_kind", Type::Text, Fill::SourceKind, "sns-delivery-log, end-user-messaging, pinpoint or sns-usage-report"),
    column("region", Type::Text, Fill::Coded(Coded::Region), "AWS region, where the source shows it"),
    column("account", Type::Text, Fill::Coded(Coded::Account), "AWS account id, where the source shows it"),
    column("origination_identity", Type::Text, Fill::Coded(Coded::Origination), "origination number, sender id or pool, where the source shows it"),
    column("recipient", Type::Int64, Fill::Recipient, "keyed pseudonym of the destination (63-bit HMAC-SHA-256)"),
    column("recipient_masked", Type::Text, Fill::RecipientMasked, "the destination, masked; only with --show-numbers"),
];

/// The Parquet schema of the dataset's files (no partition column: it is in the folder names).
pub fn dataset_schema() -> Schema {
    Schema::from_iter(
        COLUMNS
            .iter()
            .map(|c| Field::new(c.name.into(), c.ty.dtype())),
    )
}

/// The column filled by `fill`.
pub fn column_of(fill: Fill) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.fill == fill)
}

/// The partition (UTC day number) of an event time.
pub fn day_of(time_ms: i64) -> i64 {
    time_ms.div_euclid(DAY_MS)
}

/// The partition's folder under the table: `date=YYYY-MM-DD`.
pub fn partition_dir(day: i64) -> String {
    format!("{PARTITION}={}", day_string(day * DAY_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_named_once_and_the_frame_columns_exist() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
        assert!(
            !names.contains(&PARTITION),
            "the partition column is the folder"
        );
        let frame = super::super::record_schema();
        for c in COLUMNS {
            let from = match c.fill {
                Fill::Text(f) | Fill::Number(f) => Some(f),
                Fill::Coded(k) => Some(k.frame_column()),
                _ => None,
            };
            if let Some(f) = from {
                assert!(frame.contains(f), "{} reads frame column {f}", c.name);
            }
        }
    }

    #[test]
    fn partitions_are_utc_days() {
        assert_eq!(partition_dir(day_of(1_774_224_000_000)), "date=2026-03-23");
        assert_eq!(partition_dir(day_of(1_774_223_999_999)), "date=2026-03-22");
    }
}

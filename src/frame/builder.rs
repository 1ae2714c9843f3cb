//! Filling one batch frame: records in, typed columns out, handed to Polars without copies.

use polars::prelude::*;
use polars_arrow::array::MutableBinaryViewArray;
use polars_arrow::bitmap::MutableBitmap;

use super::dict::{Dict, FxHashMap};
use super::{col, recipient, record_schema, BatchDicts, Evidence, RecordBatch};
use super::{BATCH_ROWS, EVIDENCE_PER_CLASS, NO_RESPONSE, UNKNOWN};
use crate::domain::country::country_of;
use crate::domain::outcome::{classify, Class};
use crate::domain::time::HOUR_MS;
use crate::record::{Record, Status};

/// Fills one batch; the caller decides where full batches go.
#[derive(Default)]
pub struct BatchBuilder {
    time: Vec<i64>,
    status: Vec<u32>,
    provider_response: Vec<u32>,
    class: Vec<u32>,
    sms_type: Vec<u32>,
    recipient: Vec<u64>,
    country: Vec<u32>,
    country_slots: CountrySlots,
    mcc: Nullable<u32>,
    mnc: Nullable<u32>,
    carrier: Vec<u32>,
    source_kind: Vec<u32>,
    region: Vec<u32>,
    account: Vec<u32>,
    origination: Vec<u32>,
    price: Nullable<f64>,
    parts: Nullable<u32>,
    dwell: Nullable<i64>,
    dwell_ack: Nullable<i64>,
    source: Vec<u32>,
    /// The message ids (a dataset's `message_id`, the key that re-exports and merged datasets dedupe on).
    message_id: MutableBinaryViewArray<str>,
    /// Not kept in `message_id` (the batch's column is then all null): copying 36-byte ids into the batch
    /// costs a summary a few percent, and only a dataset's writer reads them.
    without_message_ids: bool,
    /// The class of each providerResponse code of this batch, once looked up (`u8::MAX`: not yet).
    class_of_response: Vec<u8>,
    dicts: BatchDicts,
    evidence: Vec<Evidence>,
    /// Failures: where each evidence cell's ids sit in `evidence` (see [`EvidenceCell`]).
    evidence_cells: FxHashMap<EvidenceCell, [u32; EVIDENCE_PER_CLASS]>,
    /// Deliveries: ids kept so far per batch country code (the first few of each batch).
    delivered_kept: Vec<u8>,
    unknown_fields: Vec<(String, u64)>,
}

/// Failures keep their earliest ids per class, country, carrier and hour, so that a finding about one
/// carrier in one window can cite its own texts (support cases ask for three).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct EvidenceCell {
    class: u32,
    country: u32,
    carrier: u32,
    hour: i64,
}

/// A column with nulls as Arrow holds it, values and a validity bit mask, so that handing it to Polars
/// copies nothing (Polars' own builder costs ~25 instructions a value).
#[derive(Default)]
struct Nullable<T> {
    values: Vec<T>,
    valid: MutableBitmap,
    nulls: usize,
}

impl<T: Copy + Default> Nullable<T> {
    fn reserve(&mut self, n: usize) {
        self.values.reserve(n);
        self.valid.reserve(n);
    }

    #[inline]
    fn push(&mut self, v: Option<T>) {
        self.values.push(v.unwrap_or_default());
        self.valid.push(v.is_some());
        self.nulls += v.is_none() as usize;
    }

    fn into_column<P>(self, name: &str) -> Column
    where
        P: PolarsNumericType<Native = T>,
    {
        let validity = (self.nulls > 0).then(|| self.valid.into());
        ChunkedArray::<P>::from_vec_validity(name.into(), self.values, validity).into_column()
    }
}

/// The batch's country codes by the country's two letters: countries are ISO 3166 alpha-2 codes (or
/// "unknown"), so a table of 26 × 26 slots answers without hashing or comparing strings.
struct CountrySlots(Box<[u32; 26 * 26]>);

impl Default for CountrySlots {
    fn default() -> Self {
        CountrySlots(Box::new([u32::MAX; 26 * 26]))
    }
}

impl CountrySlots {
    #[inline]
    fn code(&mut self, dict: &mut Dict, country: &str) -> u32 {
        let [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] = *country.as_bytes() else {
            return dict.code(country);
        };
        let slot = &mut self.0[usize::from(a - b'A') * 26 + usize::from(b - b'A')];
        if *slot == u32::MAX {
            *slot = dict.code(country);
        }
        *slot
    }
}

impl BatchBuilder {
    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.time.len() >= BATCH_ROWS
    }

    /// Whether rows from here on keep their message ids ([`super::Intake::without_message_ids`]).
    pub fn without_message_ids(&mut self, without: bool) {
        self.without_message_ids = without;
    }

    /// Adds one record (after the caller's dedupe and window checks) with its resolved event time,
    /// status and, when its source names it, class (see [`super::outcome::resolve`]); `(region, account)`
    /// is where the file says it was logged, for a record that does not say.
    pub fn push(
        &mut self,
        rec: &Record<'_>,
        time: i64,
        (status, named_class): (Status, Option<Class>),
        source: u32,
        (region, account): (Option<&str>, Option<&str>),
    ) {
        if self.time.capacity() == 0 {
            self.reserve();
        }
        let pr = rec
            .provider_response
            .as_deref()
            .or(rec.status_word.as_deref())
            .or(rec.event_type.as_deref())
            .unwrap_or(NO_RESPONSE);
        let carrier = rec
            .carrier
            .as_deref()
            .filter(|c| !c.is_empty())
            .unwrap_or(UNKNOWN);
        let mcc = rec.mcc_value().filter(|&m| m != 0);
        let (rkey, hashed) = recipient::key(rec.destination.as_deref());
        let country = match rec.iso_country.as_deref() {
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) => c,
            _ => country_of(rec.destination.as_deref(), mcc),
        };
        let d = &mut self.dicts;
        let pr_code = d.provider_response.code(pr);
        let class = match named_class {
            Some(c) => c,
            None => outcome_class(&mut self.class_of_response, pr_code, rec, status),
        };
        self.time.push(time);
        self.status.push(status as u32);
        self.provider_response.push(pr_code);
        self.class.push(class.code());
        self.sms_type
            .push(d.sms_type.code(rec.sms_type.as_deref().unwrap_or(UNKNOWN)));
        if hashed && !d.odd_numbers.iter().any(|(k, _)| *k == rkey) {
            d.odd_numbers.push((
                rkey,
                rec.destination.as_deref().unwrap_or_default().to_owned(),
            ));
        }
        self.recipient.push(rkey);
        self.country
            .push(self.country_slots.code(&mut d.country, country));
        self.mcc.push(rec.mcc.as_deref().map(|m| d.mcc.code(m)));
        self.mnc.push(rec.mnc.as_deref().map(|m| d.mnc.code(m)));
        self.carrier.push(d.carrier.code(carrier));
        self.source_kind.push(rec.source.code());
        let region = rec.region.as_deref().or(region).unwrap_or(UNKNOWN);
        let account = rec.account.as_deref().or(account).unwrap_or(UNKNOWN);
        self.region.push(d.region.code(region));
        self.account.push(d.account.code(account));
        self.origination.push(
            d.origination
                .code(rec.origination.as_deref().unwrap_or(UNKNOWN)),
        );
        self.price.push(rec.cost_usd());
        self.parts.push(rec.parts);
        self.dwell.push(rec.dwell_ms);
        self.dwell_ack.push(rec.dwell_ack_ms);
        self.source.push(source);
        let (country_code, carrier_code) = (
            *self.country.last().unwrap_or(&0),
            *self.carrier.last().unwrap_or(&0),
        );
        if !self.without_message_ids {
            self.message_id.push(rec.message_id.as_deref());
        }
        if status == Status::Failure {
            let cell = EvidenceCell {
                class: class.code(),
                country: country_code,
                carrier: carrier_code,
                hour: time.div_euclid(HOUR_MS),
            };
            self.keep_evidence(rec, time, cell, carrier, country);
        } else {
            self.keep_delivered(rec, time, country_code, carrier, country);
        }
        for k in &rec.unknown_keys {
            match self
                .unknown_fields
                .iter_mut()
                .find(|(n, _)| n == k.as_ref())
            {
                Some((_, c)) => *c += 1,
                None => self.unknown_fields.push((k.to_string(), 1)),
            }
        }
    }

    /// Columns are handed to Polars at each batch, so each batch starts with its full size reserved.
    fn reserve(&mut self) {
        let n = BATCH_ROWS;
        self.time.reserve(n);
        self.status.reserve(n);
        self.provider_response.reserve(n);
        self.class.reserve(n);
        self.sms_type.reserve(n);
        self.recipient.reserve(n);
        self.country.reserve(n);
        self.mcc.reserve(n);
        self.mnc.reserve(n);
        self.carrier.reserve(n);
        self.source_kind.reserve(n);
        self.region.reserve(n);
        self.account.reserve(n);
        self.origination.reserve(n);
        self.price.reserve(n);
        self.parts.reserve(n);
        self.dwell.reserve(n);
        self.dwell_ack.reserve(n);
        self.source.reserve(n);
        if !self.without_message_ids {
            self.message_id.reserve(n);
        }
    }

    /// Keeps the earliest few message ids of each failure cell.
    fn keep_evidence(
        &mut self,
        rec: &Record<'_>,
        time: i64,
        cell: EvidenceCell,
        carrier: &str,
        country: &str,
    ) {
        let Some(id) = rec.message_id.as_deref() else {
            return;
        };
        let slots = self
            .evidence_cells
            .entry(cell)
            .or_insert([u32::MAX; EVIDENCE_PER_CLASS]);
        // Most failures are not kept: decide before allocating anything.
        let slot = match slots.iter().position(|&s| s == u32::MAX) {
            Some(free) => Some((free, None)),
            None => {
                let latest = (0..EVIDENCE_PER_CLASS)
                    .max_by_key(|&i| self.evidence[slots[i] as usize].time_ms)
                    .unwrap_or(0);
                (self.evidence[slots[latest] as usize].time_ms > time)
                    .then_some((latest, Some(slots[latest] as usize)))
            }
        };
        let Some((i, replace)) = slot else { return };
        let ev = Evidence {
            time_ms: time,
            message_id: id.to_owned(),
            class: Class::from_code(cell.class),
            carrier: carrier.to_owned(),
            country: country.to_owned(),
        };
        match replace {
            Some(at) => self.evidence[at] = ev,
            None => {
                slots[i] = self.evidence.len() as u32;
                self.evidence.push(ev);
            }
        }
    }

    /// Keeps the first few delivered ids of each country in the batch (batches are close in time, so the
    /// run keeps some of every country's busy hours); a lookup in a small array, no hashing.
    fn keep_delivered(
        &mut self,
        rec: &Record<'_>,
        time: i64,
        country_code: u32,
        carrier: &str,
        country: &str,
    ) {
        let slot = country_code as usize;
        if self.delivered_kept.len() <= slot {
            self.delivered_kept.resize(slot + 1, 0);
        }
        if usize::from(self.delivered_kept[slot]) >= EVIDENCE_PER_CLASS {
            return;
        }
        let Some(id) = rec.message_id.as_deref() else {
            return;
        };
        self.delivered_kept[slot] += 1;
        self.evidence.push(Evidence {
            time_ms: time,
            message_id: id.to_owned(),
            class: Class::Delivered,
            carrier: carrier.to_owned(),
            country: country.to_owned(),
        });
    }

    /// Turns the rows so far into a batch frame and starts over.
    pub fn take_batch(&mut self) -> PolarsResult<RecordBatch> {
        let n = self.time.len();
        let without_ids = self.without_message_ids;
        let taken = std::mem::replace(
            self,
            BatchBuilder {
                without_message_ids: without_ids,
                ..BatchBuilder::default()
            },
        );
        let message_ids = if without_ids {
            Column::full_null(col::MESSAGE_ID.into(), n, &DataType::String)
        } else {
            StringChunked::with_chunk(col::MESSAGE_ID.into(), taken.message_id.freeze())
                .into_column()
        };
        let hours: Vec<i64> = taken.time.iter().map(|t| t.div_euclid(HOUR_MS)).collect();
        let columns = vec![
            Int64Chunked::from_vec(col::TIME.into(), taken.time)
                .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
                .into_column(),
            Int64Chunked::from_vec(col::HOUR.into(), hours).into_column(),
            Column::new(
                col::FAILED.into(),
                taken
                    .status
                    .iter()
                    .map(|&s| (s == Status::Failure as u32) as u32)
                    .collect::<Vec<u32>>(),
            ),
            UInt32Chunked::from_vec(col::STATUS.into(), taken.status).into_column(),
            UInt32Chunked::from_vec(col::PROVIDER_RESPONSE.into(), taken.provider_response)
                .into_column(),
            UInt32Chunked::from_vec(col::CLASS.into(), taken.class).into_column(),
            UInt32Chunked::from_vec(col::SMS_TYPE.into(), taken.sms_type).into_column(),
            UInt64Chunked::from_vec(col::RECIPIENT.into(), taken.recipient).into_column(),
            UInt32Chunked::from_vec(col::COUNTRY.into(), taken.country).into_column(),
            taken.mcc.into_column::<UInt32Type>(col::MCC),
            taken.mnc.into_column::<UInt32Type>(col::MNC),
            UInt32Chunked::from_vec(col::CARRIER.into(), taken.carrier).into_column(),
            UInt32Chunked::from_vec(col::SOURCE_KIND.into(), taken.source_kind).into_column(),
            UInt32Chunked::from_vec(col::REGION.into(), taken.region).into_column(),
            UInt32Chunked::from_vec(col::ACCOUNT.into(), taken.account).into_column(),
            UInt32Chunked::from_vec(col::ORIGINATION.into(), taken.origination).into_column(),
            taken.price.into_column::<Float64Type>(col::PRICE_USD),
            taken.parts.into_column::<UInt32Type>(col::MESSAGE_PARTS),
            taken.dwell.into_column::<Int64Type>(col::DWELL_MS),
            taken.dwell_ack.into_column::<Int64Type>(col::DWELL_ACK_MS),
            UInt32Chunked::from_vec(col::SOURCE.into(), taken.source).into_column(),
            message_ids,
        ];
        Ok(RecordBatch {
            df: in_schema_order(DataFrame::new(n, columns)?)?,
            dicts: taken.dicts,
            evidence: taken.evidence,
            evidence_groups: Vec::new(),
            unknown_fields: taken.unknown_fields,
        })
    }
}

/// The columns of a batch frame in schema order, checked against the schema: the order is part of the
/// contract, and select() fails loudly if a column is missing.
pub fn in_schema_order(df: DataFrame) -> PolarsResult<DataFrame> {
    let schema = record_schema();
    let mut df = df.select(schema.iter_names().cloned())?;
    df.ensure_matches_schema(&schema)?;
    Ok(df)
}

/// The class of a record of this status: `status` wins over the providerResponse wording. Failures are
/// classified once per distinct providerResponse of a batch.
#[inline]
fn outcome_class(memo: &mut Vec<u8>, pr_code: u32, rec: &Record<'_>, status: Status) -> Class {
    if status == Status::Success {
        return Class::Delivered;
    }
    let slot = pr_code as usize;
    if let Some(&c) = memo.get(slot).filter(|&&c| c != u8::MAX) {
        return Class::from_code(u32::from(c));
    }
    let class = match classify(rec.provider_response.as_deref()) {
        Class::Delivered => Class::Unknown,
        c => c,
    };
    if memo.len() <= slot {
        memo.resize(slot + 1, u8::MAX);
    }
    memo[slot] = class as u8;
    class
}

//! A dataset's rows back into batch frames, for the same collector as records: text becomes codes in the
//! batch's dictionaries again, nulls the frame's placeholders, the pseudonym a recipient key.

use polars::prelude::*;
use polars_arrow::array::Array;

use super::{column_of, Coded, Fill, COLUMNS};
use crate::domain::outcome::Class;
use crate::domain::time::HOUR_MS;
use crate::frame::builder::in_schema_order;
use crate::frame::dedupe::{hashed_key, id_key};
use crate::frame::dict::FxHashMap;
use crate::frame::evidence::keep_earliest;
use crate::frame::{col, recipient, BatchDicts, Evidence, RecordBatch, EVIDENCE_PER_CLASS};
use crate::record::types::SourceKind;
use crate::record::Status;

/// The dataset columns a reader needs: every column filled from the frame, the message id only when asked
/// (`ids`: for dedupe, a window, or evidence; a dataset read alone takes its evidence from its manifest).
pub fn needed_columns(ids: bool) -> Vec<String> {
    COLUMNS
        .iter()
        .filter(|c| c.fill != Fill::Absent && (ids || c.fill != Fill::Text(col::MESSAGE_ID)))
        .map(|c| c.name.to_owned())
        .collect()
}

fn get(df: &DataFrame, fill: Fill) -> PolarsResult<&Column> {
    let c = column_of(fill)
        .ok_or_else(|| polars_err!(ComputeError: "no dataset column for {fill:?}"))?;
    df.column(c.name)
}

fn bad(what: &str) -> PolarsError {
    polars_err!(ComputeError: "{what}")
}

/// Event times; a row without one is damage.
fn times(df: &DataFrame) -> PolarsResult<Int64Chunked> {
    let t = get(df, Fill::EventTime)?
        .datetime()?
        .physical()
        .rechunk()
        .into_owned();
    if t.null_count() > 0 {
        return Err(bad("event_time is null"));
    }
    Ok(t)
}

/// The frame's status codes (0 = SUCCESS, 1 = FAILURE).
fn statuses(df: &DataFrame) -> PolarsResult<Vec<u32>> {
    let mut of: Vec<Option<u32>> = Vec::new();
    let codes = codes(get(df, Fill::Status)?.str()?, |v| {
        of.push(match v {
            Some("SUCCESS") => Some(Status::Success as u32),
            Some("FAILURE") => Some(Status::Failure as u32),
            _ => None,
        });
        (of.len() - 1) as u32
    });
    codes
        .into_iter()
        .map(|c| of[c as usize].ok_or_else(|| bad("status is neither SUCCESS nor FAILURE")))
        .collect()
}

/// (event time, dedupe identity) of each row, for the intake's window and dedupe: the same identity as the
/// record the row was exported from when its message id is a UUID ([`id_key`]); else a hash of the row.
pub fn identities(df: &DataFrame) -> PolarsResult<Vec<(i64, u64)>> {
    let times = times(df)?;
    let statuses = statuses(df)?;
    let ids = get(df, Fill::Text(col::MESSAGE_ID))?.str()?;
    let mut out = Vec::with_capacity(times.len());
    let mut rest: Option<Vec<AnyValue<'_>>> = None;
    for (i, (id, (t, &s))) in ids
        .iter()
        .zip(times.into_no_null_iter().zip(&statuses))
        .enumerate()
    {
        let key = match id.and_then(|id| id_key(id, t, u64::from(s))) {
            Some(k) => k,
            None => {
                // Rare (records without a UUID id): every other field, as text.
                let row = rest.get_or_insert_with(Vec::new);
                row.clear();
                for c in df.columns() {
                    row.push(c.get(i)?);
                }
                hashed_key(format!("{row:?}"))
            }
        };
        out.push((t, key));
    }
    Ok(out)
}

/// Codes of a text column's values, `code` called once per distinct value of each chunk: equal views (the
/// values of a Parquet dictionary share theirs) are looked up once, in a small direct-mapped table first
/// (a column holds a few dozen distinct values; hashing each row's view was a tenth of a read).
fn codes(ca: &StringChunked, mut code: impl FnMut(Option<&str>) -> u32) -> Vec<u32> {
    const SLOTS: usize = 64;
    let mut out = Vec::with_capacity(ca.len());
    for arr in ca.downcast_iter() {
        let mut memo: FxHashMap<u128, u32> = FxHashMap::default();
        let mut table = [(u128::MAX, 0u32); SLOTS];
        let validity = arr.validity().filter(|v| v.unset_bits() > 0);
        let mut null_code = None;
        for (i, view) in arr.views().iter().enumerate() {
            if validity.is_some_and(|v| !v.get_bit(i)) {
                out.push(*null_code.get_or_insert_with(|| code(None)));
                continue;
            }
            let v = view.as_u128();
            let slot = (((v as u64) ^ ((v >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
                as usize;
            let c = match table[slot] {
                (tv, tc) if tv == v => tc,
                _ => {
                    let c = *memo.entry(v).or_insert_with(|| code(Some(arr.value(i))));
                    table[slot] = (v, c);
                    c
                }
            };
            out.push(c);
        }
    }
    out
}

fn coded(df: &DataFrame, k: Coded, dicts: &mut BatchDicts) -> PolarsResult<Vec<u32>> {
    let dict = k.dict_mut(dicts);
    let placeholder = k.placeholder().unwrap_or_default();
    Ok(codes(get(df, Fill::Coded(k))?.str()?, |v| {
        dict.code(v.unwrap_or(placeholder))
    }))
}

/// A coded column whose missing values the frame holds as nulls (MCC, MNC).
fn coded_nullable(df: &DataFrame, k: Coded, dicts: &mut BatchDicts) -> PolarsResult<Column> {
    let dict = k.dict_mut(dicts);
    const NULL: u32 = u32::MAX;
    let codes = codes(get(df, Fill::Coded(k))?.str()?, |v| {
        v.map_or(NULL, |v| dict.code(v))
    });
    let ca: UInt32Chunked = codes
        .into_iter()
        .map(|c| (c != NULL).then_some(c))
        .collect();
    Ok(ca.into_column().with_name(k.frame_column().into()))
}

/// A dataset's rows (already admitted) as a batch frame; `source` is the input's index in the run. With
/// `ids`, the rows' message ids are in `df` and the batch keeps its evidence; without, its message ids are
/// null and the evidence comes from the manifest.
pub fn to_batch(df: &DataFrame, source: u32, ids: bool) -> PolarsResult<RecordBatch> {
    let n = df.height();
    let time = times(df)?;
    let status = statuses(df)?;
    let mut dicts = BatchDicts::default();
    // A class this build does not know (a newer smslens wrote it) reads as unknown.
    let class: Vec<u32> = codes(get(df, Fill::Class)?.str()?, |v| {
        Class::from_id(v.unwrap_or(""))
            .unwrap_or(Class::Unknown)
            .code()
    });
    let source_kind: Vec<u32> = codes(get(df, Fill::SourceKind)?.str()?, |v| {
        SourceKind::from_id(v.unwrap_or(""))
            .unwrap_or_default()
            .code()
    });
    let pr = coded(df, Coded::ProviderResponse, &mut dicts)?;
    let sms_type = coded(df, Coded::SmsType, &mut dicts)?;
    let carrier = coded(df, Coded::Carrier, &mut dicts)?;
    let country = coded(df, Coded::Country, &mut dicts)?;
    let region = coded(df, Coded::Region, &mut dicts)?;
    let account = coded(df, Coded::Account, &mut dicts)?;
    let origination = coded(df, Coded::Origination, &mut dicts)?;
    let mcc = coded_nullable(df, Coded::Mcc, &mut dicts)?;
    let mnc = coded_nullable(df, Coded::Mnc, &mut dicts)?;
    let keys: Vec<u64> = get(df, Fill::Recipient)?
        .i64()?
        .iter()
        .map(|p| p.map_or(recipient::NONE, recipient::from_pseudonym))
        .collect();
    dicts.recipient_labels = labels(df, &keys)?;
    let t = time.cont_slice()?;
    let (message_id, evidence) = if ids {
        let ids = get(df, Fill::Text(col::MESSAGE_ID))?.str()?;
        // As the batch builder keeps them: the earliest few failures of each (class, country, carrier,
        // hour), the first few deliveries of each country.
        let mut cells: FxHashMap<(u32, u32, u32, i64), Vec<Evidence>> = FxHashMap::default();
        let mut delivered: FxHashMap<u32, usize> = FxHashMap::default();
        let mut evidence = Vec::new();
        for i in 0..n {
            let Some(id) = ids.get(i) else { continue };
            let class = Class::from_code(class[i]);
            let make = || Evidence {
                time_ms: t[i],
                message_id: id.to_owned(),
                class,
                carrier: dicts.carrier.name(carrier[i]).to_owned(),
                country: dicts.country.name(country[i]).to_owned(),
            };
            if status[i] == Status::Failure as u32 {
                let cell = (
                    class.code(),
                    country[i],
                    carrier[i],
                    t[i].div_euclid(HOUR_MS),
                );
                keep_earliest(cells.entry(cell).or_default(), class, t[i], make);
            } else if class == Class::Delivered {
                let kept = delivered.entry(country[i]).or_default();
                if *kept < EVIDENCE_PER_CLASS {
                    *kept += 1;
                    evidence.push(make());
                }
            }
        }
        evidence.extend(cells.into_values().flatten());
        (ids.clone().into_column(), evidence)
    } else {
        let c = Column::full_null(col::MESSAGE_ID.into(), n, &DataType::String);
        (c, Vec::new())
    };
    let hours: Vec<i64> = t.iter().map(|t| t.div_euclid(HOUR_MS)).collect();
    let failed: Vec<u32> = status
        .iter()
        .map(|&s| u32::from(s == Status::Failure as u32))
        .collect();
    let u32s = |name: &str, v: Vec<u32>| UInt32Chunked::from_vec(name.into(), v).into_column();
    let mut columns = vec![
        time.into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
            .into_column()
            .with_name(col::TIME.into()),
        Int64Chunked::from_vec(col::HOUR.into(), hours).into_column(),
        u32s(col::STATUS, status),
        u32s(col::FAILED, failed),
        u32s(col::PROVIDER_RESPONSE, pr),
        u32s(col::CLASS, class),
        u32s(col::SMS_TYPE, sms_type),
        UInt64Chunked::from_vec(col::RECIPIENT.into(), keys).into_column(),
        u32s(col::COUNTRY, country),
        u32s(col::CARRIER, carrier),
        u32s(col::SOURCE_KIND, source_kind),
        u32s(col::REGION, region),
        u32s(col::ACCOUNT, account),
        u32s(col::ORIGINATION, origination),
        mcc,
        mnc,
        u32s(col::SOURCE, vec![source; n]),
        message_id,
    ];
    for (name, dtype) in [
        (col::MESSAGE_PARTS, DataType::UInt32),
        (col::PRICE_USD, DataType::Float64),
        (col::DWELL_MS, DataType::Int64),
        (col::DWELL_ACK_MS, DataType::Int64),
    ] {
        let c = get(df, Fill::Number(name))?;
        // Counts and codes are never negative: the same bits as unsigned, without a copy.
        let c = match (c.dtype(), &dtype) {
            (DataType::Int32, DataType::UInt32) => {
                reinterpret(c.as_materialized_series(), &dtype)?.into_column()
            }
            _ => c.cast(&dtype)?,
        };
        columns.push(c.with_name(name.into()));
    }
    Ok(RecordBatch {
        df: in_schema_order(DataFrame::new(n, columns)?)?,
        dicts,
        evidence,
        evidence_groups: Vec::new(),
        unknown_fields: Vec::new(),
    })
}

/// Recipients the dataset names by their masked number (exported with `--show-numbers`).
fn labels(df: &DataFrame, keys: &[u64]) -> PolarsResult<Vec<(u64, String)>> {
    let masked = get(df, Fill::RecipientMasked)?.str()?;
    if masked.null_count() == masked.len() {
        return Ok(Vec::new());
    }
    let mut seen: FxHashMap<u64, String> = FxHashMap::default();
    for (k, m) in keys.iter().zip(masked.iter()) {
        if let (Some(m), true) = (m, *k != recipient::NONE) {
            seen.entry(*k).or_insert_with(|| m.to_owned());
        }
    }
    Ok(seen.into_iter().collect())
}

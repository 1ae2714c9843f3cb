//! A batch frame as the dataset's rows ([`super::COLUMNS`]): codes become their (masked) text, the
//! placeholders for missing values become nulls, the destination becomes its pseudonym.

use std::borrow::Cow;

use polars::prelude::*;

use super::pseudonym::Key;
use super::{Coded, Fill, COLUMNS};
use crate::domain::mask::{mask_number, mask_numbers_in};
use crate::domain::outcome::Class;
use crate::frame::dedupe::parse_uuid;
use crate::frame::dict::FxHashMap;
use crate::frame::{col, recipient, RecordBatch};
use crate::record::types::SourceKind;
use crate::record::Status;

/// How an export writes rows.
pub struct Writing<'a> {
    pub key: &'a Key,
    /// `--show-numbers`: free text as the logs wrote it, and the masked number beside the pseudonym.
    pub show_numbers: bool,
}

/// The dataset rows of one batch frame, in [`super::COLUMNS`] order.
pub fn to_dataset(batch: &RecordBatch, w: &Writing<'_>) -> PolarsResult<DataFrame> {
    let df = &batch.df;
    let n = df.height();
    let recipients = Recipients::of(batch, w)?;
    let mut columns = Vec::with_capacity(COLUMNS.len());
    for c in COLUMNS {
        let name: PlSmallStr = c.name.into();
        let column = match c.fill {
            Fill::EventTime => df
                .column(col::TIME)?
                .datetime()?
                .physical()
                .clone()
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_column(),
            Fill::Text(from) => text(df.column(from)?.str()?, w.show_numbers).into_column(),
            Fill::Status => {
                let names = [Status::Success, Status::Failure].map(|s| Some(s.as_str()));
                gather(&names, df.column(col::STATUS)?.u32()?)?.into_column()
            }
            Fill::Class => {
                let names: Vec<Option<&str>> =
                    Class::ALL.iter().map(|c| Some(c.as_str())).collect();
                gather(&names, df.column(col::CLASS)?.u32()?)?.into_column()
            }
            Fill::SourceKind => {
                let names: Vec<Option<&str>> =
                    SourceKind::ALL.iter().map(|k| Some(k.as_str())).collect();
                gather(&names, df.column(col::SOURCE_KIND)?.u32()?)?.into_column()
            }
            Fill::Coded(k) => coded(batch, k, w.show_numbers)?.into_column(),
            Fill::Number(from) => df.column(from)?.cast(&c.ty.dtype())?,
            Fill::Recipient => Int64Chunked::from_iter_options(
                "".into(),
                recipients.keys.iter().map(|k| recipients.pseudonym(*k)),
            )
            .into_column(),
            Fill::RecipientMasked if w.show_numbers => StringChunked::from_iter_options(
                "".into(),
                recipients.keys.iter().map(|k| recipients.masked(*k)),
            )
            .into_column(),
            Fill::RecipientMasked | Fill::Absent => {
                Column::full_null(name.clone(), n, &c.ty.dtype())
            }
        };
        columns.push(column.with_name(name));
    }
    DataFrame::new(n, columns)
}

/// `names[code]` for each code (a code past the end is an internal error).
fn gather(names: &[Option<&str>], codes: &UInt32Chunked) -> PolarsResult<StringChunked> {
    StringChunked::from_iter_options("".into(), names.iter().copied()).take(codes)
}

/// A coded column as text: each of the batch's names masked once, the placeholder as null. AWS account
/// ids (12 digits, which the masking rules can take for a number) are written as every output shows them.
fn coded(batch: &RecordBatch, k: Coded, show_numbers: bool) -> PolarsResult<StringChunked> {
    let dict = k.dict(&batch.dicts);
    let as_written = show_numbers || k == Coded::Account;
    let names: Vec<Option<Cow<'_, str>>> = (0..dict.len() as u32)
        .map(|code| dict.name(code))
        .map(|n| (Some(n) != k.placeholder()).then(|| mask(n, as_written)))
        .collect();
    let names: Vec<Option<&str>> = names.iter().map(|n| n.as_deref()).collect();
    gather(&names, batch.df.column(k.frame_column())?.u32()?)
}

fn mask(text: &str, show_numbers: bool) -> Cow<'_, str> {
    if show_numbers {
        Cow::Borrowed(text)
    } else {
        mask_numbers_in(text)
    }
}

/// A text column with phone numbers masked; values that are UUIDs (message ids) are left as they are
/// without running the masking rules.
fn text(ca: &StringChunked, show_numbers: bool) -> StringChunked {
    if show_numbers {
        return ca.clone();
    }
    let needs_mask =
        |s: &str| parse_uuid(s).is_none() && matches!(mask_numbers_in(s), Cow::Owned(_));
    if !ca.iter().flatten().any(needs_mask) {
        return ca.clone();
    }
    StringChunked::from_iter_options(
        ca.name().clone(),
        ca.iter().map(|v| v.map(|s| mask(s, false).into_owned())),
    )
}

/// The batch's destinations: each distinct one's pseudonym (and masked number) computed once.
struct Recipients {
    keys: Vec<u64>,
    of: FxHashMap<u64, (i64, Option<String>)>,
}

impl Recipients {
    fn of(batch: &RecordBatch, w: &Writing<'_>) -> PolarsResult<Recipients> {
        let keys: Vec<u64> = batch
            .df
            .column(col::RECIPIENT)?
            .u64()?
            .into_no_null_iter()
            .collect();
        let numbers = batch.numbers();
        let mut of = FxHashMap::default();
        let mut text = String::new();
        for &k in &keys {
            if k == recipient::NONE || of.contains_key(&k) || !numbers.text_into(k, &mut text) {
                continue;
            }
            let masked = w.show_numbers.then(|| mask_number(&text));
            of.insert(k, (w.key.pseudonym(&text), masked));
        }
        Ok(Recipients { keys, of })
    }

    fn pseudonym(&self, k: u64) -> Option<i64> {
        self.of.get(&k).map(|(p, _)| *p)
    }

    fn masked(&self, k: u64) -> Option<&str> {
        self.of.get(&k).and_then(|(_, m)| m.as_deref())
    }
}

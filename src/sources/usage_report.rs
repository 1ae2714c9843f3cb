//! SNS daily SMS usage reports (formats.md §7.3): `SMSUsageReports/<region>/YYYY/MM/DD/00x.csv.gz`, one row
//! per message part: `PublishTimeUTC,MessageId,DestinationPhoneNumber,MessageType,DeliveryStatus,PriceInUSD,
//! PartNumber,TotalParts`. Rows go to the intake's usage messages (merged per message, matched against the
//! delivery logs); these files are read before the others (`read.rs`) so that the matching is exact.

use super::csv;
use super::head::Head;
use super::open::Content;
use super::Source;
use crate::domain::aws::region_and_account;
use crate::domain::time::parse_timestamp_ms;
use crate::frame::usage::UsagePart;
use crate::frame::{Loc, Sink, SkipReason};

pub struct UsageReport;

pub const NAME: &str = "sns-usage-report";

const COLUMNS: [&str; 8] = [
    "PublishTimeUTC",
    "MessageId",
    "DestinationPhoneNumber",
    "MessageType",
    "DeliveryStatus",
    "PriceInUSD",
    "PartNumber",
    "TotalParts",
];

impl Source for UsageReport {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        let header = String::from_utf8_lossy(head.first_line()).to_ascii_lowercase();
        ["publishtimeutc", "messageid", "deliverystatus"]
            .iter()
            .all(|k| header.contains(k))
            .then_some(NAME)
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        if let Some(text) = content.read_text(sink) {
            read(sink, &text);
        }
    }
}

fn read(sink: &mut Sink<'_, '_>, text: &str) {
    let Some((header, rows)) = csv::table(text) else {
        return;
    };
    // Columns by name, in any order; a missing one reads as empty.
    let at: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| {
            header
                .fields
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(c))
        })
        .collect();
    let (region, account) = region_and_account(sink.path());
    let (region, account) = (region.map(str::to_owned), account.map(str::to_owned));
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(bad) if bad.blank => {
                sink.skip(SkipReason::BlankLine, Loc::Line(bad.line), "");
                continue;
            }
            Err(bad) => {
                sink.skip(SkipReason::InvalidCsv, Loc::Line(bad.line), bad.detail);
                continue;
            }
        };
        let loc = Loc::Line(row.line);
        let cell = |i: usize| {
            at[i]
                .and_then(|c| row.fields.get(c))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        match part(&cell) {
            Ok(mut p) => {
                p.region = region.clone();
                p.account = account.clone();
                sink.usage_part(p)
            }
            Err((reason, detail)) => sink.skip(reason, loc, detail),
        }
    }
}

fn part<'a>(cell: &impl Fn(usize) -> Option<&'a str>) -> Result<UsagePart, (SkipReason, String)> {
    let wrong = |what: &str, v: &str| (SkipReason::WrongType, format!("{what} {v:?}"));
    let number = |i: usize, what: &str| -> Result<Option<f64>, (SkipReason, String)> {
        match cell(i) {
            None => Ok(None),
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
                Ok(_) => Err((SkipReason::OutOfRange, format!("{what} {v:?}"))),
                Err(_) => Err(wrong(what, v)),
            },
        }
    };
    let time = cell(0).ok_or((SkipReason::NoTimestamp, "no PublishTimeUTC".to_owned()))?;
    let time_ms = parse_timestamp_ms(time).ok_or_else(|| wrong("PublishTimeUTC", time))?;
    let message_id = cell(1)
        .ok_or((SkipReason::NotARecord, "no MessageId".to_owned()))?
        .to_owned();
    let price_usd = number(5, "PriceInUSD")?;
    if price_usd.is_some_and(|p| p > crate::record::types::MAX_PRICE_USD) {
        return Err((SkipReason::OutOfRange, format!("PriceInUSD {price_usd:?}")));
    }
    let part_number = number(6, "PartNumber")?.map_or(0, |x| x as u32);
    let total_parts = number(7, "TotalParts")?.map(|x| x as u32);
    Ok(UsagePart {
        time_ms,
        message_id,
        destination: cell(2).map(str::to_owned),
        message_type: cell(3).map(str::to_owned),
        delivery_status: cell(4).map(str::to_owned),
        price_usd,
        part_number,
        total_parts,
        region: None,
        account: None,
    })
}

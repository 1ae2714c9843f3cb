//! The account's side: the `SMSMonthToDateSpentUSD` metric as `aws cloudwatch get-metric-statistics`
//! prints it, and `aws sns get-sms-attributes`.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;

use crate::model::traffic::MS_HOUR;
use crate::model::Rec;
use crate::rng::Rng;
use crate::spell::{fmt_ts, push_date_time};
use crate::writers::pretty;

#[derive(Serialize)]
struct Datapoint {
    #[serde(rename = "Timestamp")]
    timestamp: String,
    #[serde(rename = "Maximum")]
    maximum: f64,
    #[serde(rename = "Unit")]
    unit: &'static str,
}

#[derive(Serialize)]
struct MetricStats {
    #[serde(rename = "Label")]
    label: &'static str,
    #[serde(rename = "Datapoints")]
    datapoints: Vec<Datapoint>,
}

#[derive(Serialize)]
struct SmsAttributes<'a> {
    attributes: BTreeMap<&'static str, &'a str>,
}

/// Hourly Maximum of month-to-date spend over `recs` (in time order) for the hours of `[start, end)` that
/// had texts, shuffled by `rng`: CloudWatch does not sort datapoints. Returns the document and the
/// number of datapoints.
pub(crate) fn spend_metric(
    recs: &[Rec],
    (start, end): (i64, i64),
    rng: &mut Rng,
) -> io::Result<(Vec<u8>, usize)> {
    let mut points = Vec::new();
    let mut cum = 0u64;
    let mut i = 0;
    let mut h = start;
    while h < end {
        let mut any = false;
        while i < recs.len() && recs[i].t < h + MS_HOUR {
            cum += recs[i].price as u64;
            i += 1;
            any = true;
        }
        if any {
            points.push(Datapoint {
                timestamp: fmt_ts(h, |b, t| {
                    push_date_time(b, t, b'T');
                    b.push(b'Z');
                }),
                maximum: cum as f64 / 100_000.0,
                unit: "None",
            });
        }
        h += MS_HOUR;
    }
    for k in (1..points.len()).rev() {
        let j = rng.below(k as u64 + 1) as usize;
        points.swap(k, j);
    }
    let npoints = points.len();
    let mut b = Vec::new();
    pretty(
        &mut b,
        &MetricStats {
            label: "SMSMonthToDateSpentUSD",
            datapoints: points,
        },
    )?;
    Ok((b, npoints))
}

/// `get-sms-attributes` of an account that logs every success, with this `MonthlySpendLimit`.
pub(crate) fn sms_attributes(monthly_spend_limit: &str) -> io::Result<Vec<u8>> {
    let attrs = SmsAttributes {
        attributes: BTreeMap::from([
            ("MonthlySpendLimit", monthly_spend_limit),
            ("DeliveryStatusSuccessSamplingRate", "100"),
            ("DefaultSMSType", "Transactional"),
            (
                "DeliveryStatusIAMRole",
                "arn:aws:iam::111122223333:role/SNSSuccessFeedback",
            ),
        ]),
    };
    let mut b = Vec::new();
    pretty(&mut b, &attrs)?;
    Ok(b)
}

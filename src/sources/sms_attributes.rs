//! `aws sns get-sms-attributes` (formats.md §6): the monthly spend limit and the success sampling rate.

use serde_json::Value;

use super::head::Head;
use super::metrics::{num_of, SpendRead};
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::metric::SmsSettings;

pub struct SmsAttributes;

impl Source for SmsAttributes {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        (head.is_object()
            && head.has_key("attributes")
            && [
                "MonthlySpendLimit",
                "DefaultSMSType",
                "DeliveryStatusSuccessSamplingRate",
            ]
            .iter()
            .any(|k| head.has_key(k)))
        .then_some("sms-attributes")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        parse(&data).deliver(sink);
    }
}

/// `aws sns get-sms-attributes`: all values are strings.
pub fn parse(data: &[u8]) -> SpendRead {
    let mut out = SpendRead::default();
    let doc: Value = match serde_json::from_slice(data) {
        Ok(d) => d,
        Err(e) => {
            out.problems.push((
                SkipReason::InvalidJson,
                Loc::Byte(e.column() as u64),
                e.to_string(),
            ));
            return out;
        }
    };
    let a = doc.get("attributes").unwrap_or(&doc);
    let settings = SmsSettings {
        monthly_spend_limit_usd: a.get("MonthlySpendLimit").and_then(num_of),
        success_sampling_rate: a.get("DeliveryStatusSuccessSamplingRate").and_then(num_of),
        default_sms_type: a
            .get("DefaultSMSType")
            .and_then(Value::as_str)
            .map(str::to_owned),
    };
    out.settings = Some(settings);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_strings() {
        let r = parse(br#"{"attributes":{"MonthlySpendLimit":"60","DeliveryStatusSuccessSamplingRate":"25"}}"#);
        let s = r.settings.unwrap();
        assert_eq!(
            (s.monthly_spend_limit_usd, s.success_sampling_rate),
            (Some(60.0), Some(25.0))
        );
    }
}

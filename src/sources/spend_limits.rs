//! `aws pinpoint-sms-voice-v2 describe-spend-limits` (formats.md §7.4): End User Messaging's monthly text
//! spend limit. The limit in force is `EnforcedLimit` when `Overridden` is true, else `MaxLimit` (USD).

use serde_json::Value;

use super::documents;
use super::head::Head;
use super::metrics::num_of;
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::metric::SpendLimits;

pub struct EumSpendLimits;

impl Source for EumSpendLimits {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        (head.is_object() && head.has_key("SpendLimits")).then_some("eum-spend-limits")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        let end = documents::each(data.as_slice(), |doc: Result<Value, String>, offset| {
            let limits = doc
                .ok()
                .as_ref()
                .and_then(|d| d.get("SpendLimits"))
                .and_then(Value::as_array)
                .cloned();
            match limits.as_deref().map(parse) {
                Some(Some(l)) => sink.spend_limits(l),
                _ => sink.skip(
                    SkipReason::NotARecord,
                    Loc::Byte(offset),
                    "no TEXT_MESSAGE_MONTHLY_SPEND_LIMIT in SpendLimits",
                ),
            }
        });
        if let Some((reason, loc, detail)) = end {
            sink.skip(reason, loc, detail);
        }
    }
}

pub fn parse(limits: &[Value]) -> Option<SpendLimits> {
    let text = limits.iter().find(|l| {
        l.get("Name").and_then(Value::as_str) == Some("TEXT_MESSAGE_MONTHLY_SPEND_LIMIT")
    })?;
    let enforced_usd = text.get("EnforcedLimit").and_then(num_of);
    let max_usd = text.get("MaxLimit").and_then(num_of);
    let overridden = text.get("Overridden").and_then(|v| match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let text_limit_usd = if overridden == Some(true) {
        enforced_usd.or(max_usd)
    } else {
        max_usd.or(enforced_usd)
    };
    Some(SpendLimits {
        text_limit_usd,
        enforced_usd,
        max_usd,
        overridden,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_in_force() {
        let v: Value = serde_json::from_str(r#"[{"Name":"TEXT_MESSAGE_MONTHLY_SPEND_LIMIT","EnforcedLimit":60,"MaxLimit":100,"Overridden":true},{"Name":"VOICE_MESSAGE_MONTHLY_SPEND_LIMIT","EnforcedLimit":5,"MaxLimit":5,"Overridden":false}]"#).unwrap();
        assert_eq!(
            parse(v.as_array().unwrap()).unwrap().text_limit_usd,
            Some(60.0)
        );
        let v: Value = serde_json::from_str(r#"[{"Name":"TEXT_MESSAGE_MONTHLY_SPEND_LIMIT","EnforcedLimit":60,"MaxLimit":100,"Overridden":false}]"#).unwrap();
        assert_eq!(
            parse(v.as_array().unwrap()).unwrap().text_limit_usd,
            Some(100.0)
        );
    }
}

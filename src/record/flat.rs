//! A record from flattened `name = value` pairs: Logs Insights columns such as `delivery.providerResponse`,
//! or a query's aliases such as `providerResponse` (formats.md §4). Values are strings, as Insights gives
//! them; an empty one means the field was absent.

use std::borrow::Cow;

use super::fields::flat_field;
use super::types::{Record, RecordError, Value};

/// Unknown column names are kept in `unknown_keys` (Insights' own `@` fields aside); `@timestamp`-style
/// fallbacks are the caller's.
pub fn record_from_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Record<'a>, RecordError> {
    let mut rec = Record::default();
    let mut any = false;
    for (name, value) in fields {
        let Some(field) = flat_field(name) else {
            if !name.starts_with('@') {
                rec.unknown_keys.push(Cow::Borrowed(name));
            }
            continue;
        };
        let v = value.trim();
        let v = if v.is_empty() {
            Value::Null
        } else {
            Value::Str(Cow::Borrowed(v))
        };
        rec.set(field, v).map_err(|e| e.into_record_error(name))?;
        any = true;
    }
    if any {
        Ok(rec)
    } else {
        Err(RecordError::NotARecord)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattened_columns_and_aliases() {
        let r = record_from_fields([
            ("@timestamp", "2026-03-01 00:00:05.120"),
            ("notification.messageId", "m-1"),
            ("status", "FAILURE"),
            ("providerResponse", "Phone carrier has blocked this message"),
            ("delivery.mcc", " 404 "),
            ("delivery.phoneCarrier", ""),
            ("extra", "x"),
        ])
        .unwrap();
        assert_eq!(r.message_id.as_deref(), Some("m-1"));
        assert_eq!(r.mcc.as_deref(), Some("404"));
        assert_eq!(r.carrier, None);
        assert_eq!(r.time_ms, None, "@timestamp is the caller's fallback");
        assert_eq!(r.unknown_keys, vec![Cow::Borrowed("extra")]);
        assert!(matches!(
            record_from_fields([("delivery.mcc", "x")]),
            Err(RecordError::WrongType(_))
        ));
        assert_eq!(
            record_from_fields([("@ptr", "abc")]),
            Err(RecordError::NotARecord)
        );
    }
}

//! Files that are a stream of JSON documents (CLI pages appended to one file, Firehose objects, Insights
//! results, metric exports). Documents are framed first (any valid JSON), then read as their shape: a
//! document of the wrong shape is one skip and the stream goes on. Only broken JSON ends the stream, since
//! nothing after it can be framed reliably.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::frame::{Loc, SkipReason};

/// Calls `on_doc(doc, offset)` for each document (`Err` with the reason when it is not of shape `T`);
/// returns the error that ended the stream, if any.
pub fn each<'a, T: Deserialize<'a>>(
    data: &'a [u8],
    mut on_doc: impl FnMut(Result<T, String>, u64),
) -> Option<(SkipReason, Loc, String)> {
    let mut stream = serde_json::Deserializer::from_slice(data).into_iter::<&'a RawValue>();
    loop {
        let offset = stream.byte_offset() as u64;
        match stream.next() {
            None => return None,
            Some(Ok(raw)) => on_doc(
                serde_json::from_str::<T>(raw.get()).map_err(|e| e.to_string()),
                offset,
            ),
            Some(Err(e)) => {
                let rest = data.len() as u64 - offset;
                return Some((
                    SkipReason::InvalidJson,
                    Loc::Byte(offset),
                    format!("rest of file ({rest} bytes) not read: {e}"),
                ));
            }
        }
    }
}

/// A JSON string's text, or the JSON text of a number or boolean (exports that wrote a value unquoted).
/// `None` for null; `Err` for an object or array.
pub fn text_of(raw: &RawValue) -> Result<Option<String>, String> {
    let t = raw.get().trim();
    match t.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(t)
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(b'n') if t == "null" => Ok(None),
        Some(b'{') => Err("an object where a string belongs".into()),
        Some(b'[') => Err("an array where a string belongs".into()),
        Some(_) => Ok(Some(t.to_owned())),
        None => Ok(None),
    }
}

/// Epoch milliseconds from a number, a numeric string, or a timestamp string.
pub fn epoch_ms_of(raw: &RawValue) -> Option<i64> {
    let text = text_of(raw).ok()??;
    let t = text.trim();
    t.parse::<f64>()
        .ok()
        .and_then(crate::domain::time::epoch_to_ms)
        .or_else(|| crate::domain::time::parse_timestamp_ms(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        n: u32,
    }

    #[test]
    fn a_document_of_the_wrong_shape_costs_only_itself() {
        let data = br#"{"n":1}{"n":"x"}
{"n":3}"#;
        let mut seen = Vec::new();
        let end = each(data, |d: Result<Doc, String>, off| {
            seen.push((d.map(|d| d.n).ok(), off))
        });
        assert!(end.is_none());
        assert_eq!(seen, vec![(Some(1), 0), (None, 7), (Some(3), 16)]);
    }

    #[test]
    fn broken_json_ends_the_stream_and_says_how_much_was_left() {
        let data = br#"{"n":1}{"n":"#;
        let mut n = 0;
        let end = each(data, |_: Result<Doc, String>, _| n += 1).expect("an error");
        assert_eq!(n, 1);
        assert_eq!(end.1, Loc::Byte(7));
        assert!(end.2.contains("5 bytes"), "{}", end.2);
    }

    #[test]
    fn values_written_unquoted_are_read_as_text() {
        let raw = |s: &str| RawValue::from_string(s.to_owned()).unwrap();
        assert_eq!(text_of(&raw(r#""a\"b""#)).unwrap().as_deref(), Some("a\"b"));
        assert_eq!(text_of(&raw("12.5")).unwrap().as_deref(), Some("12.5"));
        assert_eq!(text_of(&raw("null")).unwrap(), None);
        assert!(text_of(&raw("[1]")).is_err());
        assert_eq!(epoch_ms_of(&raw(r#""1646766352401""#)), Some(1646766352401));
        assert_eq!(epoch_ms_of(&raw("1646766352401")), Some(1646766352401));
        assert_eq!(
            epoch_ms_of(&raw(r#""2022-03-08T19:05:52.401Z""#)),
            Some(1646766352401)
        );
    }
}

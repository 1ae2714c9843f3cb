//! Files that are a stream of JSON documents (CLI pages appended to one file, Firehose objects, Insights
//! results, metric exports): each document with the byte offset it starts at, and one error at most: a
//! broken document ends the stream, since nothing after it can be framed reliably.

use serde::de::DeserializeOwned;

use super::{Loc, SkipReason};

/// Calls `on_doc(doc, offset)` for each document; returns the error that ended the stream, if any.
pub fn each<T: DeserializeOwned>(
    data: &[u8],
    mut on_doc: impl FnMut(T, u64),
) -> Option<(SkipReason, Loc, String)> {
    let mut stream = serde_json::Deserializer::from_slice(data).into_iter::<T>();
    loop {
        let offset = stream.byte_offset() as u64;
        match stream.next() {
            None => return None,
            Some(Ok(doc)) => on_doc(doc, offset),
            Some(Err(e)) => {
                let reason = if e.is_data() {
                    SkipReason::WrongType
                } else {
                    SkipReason::InvalidJson
                };
                return Some((
                    reason,
                    Loc::Byte(offset),
                    format!("rest of file not read: {e}"),
                ));
            }
        }
    }
}

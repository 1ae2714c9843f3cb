//! The writers: how a text of the model is spelled in each export shape of formats.md. One module per
//! shape; here what they share (the account, gzip members, files, pretty JSON, CloudWatch event ids).

pub(crate) mod account;
pub(crate) mod cli;
pub(crate) mod eum;
pub(crate) mod export;
pub(crate) mod firehose;
pub(crate) mod insights;
pub(crate) mod record;

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use flate2::{Compression, GzBuilder};
use serde::Serialize;

use crate::model::Rec;
use crate::rng::mix64;

pub(crate) const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";

/// The delivery-status log group of successes, or of failures.
pub(crate) fn log_group(success: bool) -> String {
    let base = format!("sns/{REGION}/{ACCOUNT}/DirectPublishToPhoneNumber");
    if success {
        base
    } else {
        base + "/Failure"
    }
}

/// A gzip writer whose header carries mtime 0: same input, same bytes.
pub(crate) fn gz_writer<W: Write>(w: W) -> flate2::write::GzEncoder<W> {
    GzBuilder::new().mtime(0).write(w, Compression::new(6))
}

pub(crate) fn gzip_member(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut gz = gz_writer(Vec::with_capacity(data.len() / 3 + 64));
    gz.write_all(data)?;
    gz.finish()
}

pub(crate) fn write_file(path: &Path, data: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, data)
}

/// JSON as the AWS CLI prints it (4-space indent), with a final newline.
pub(crate) fn pretty<T: Serialize>(b: &mut Vec<u8>, v: &T) -> io::Result<()> {
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut *b, fmt);
    v.serialize(&mut ser).map_err(io::Error::other)?;
    b.push(b'\n');
    Ok(())
}

/// A 56-digit CloudWatch event id, deterministic per record.
pub(crate) fn event_id(r: &Rec) -> String {
    let mut s = String::with_capacity(56);
    let mut x = r.id_hi ^ r.id_lo.rotate_left(7);
    s.push('3');
    while s.len() < 56 {
        x = mix64(x);
        s.push_str(&format!("{:018}", x % 1_000_000_000_000_000_000));
    }
    s.truncate(56);
    s
}

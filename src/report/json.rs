//! `--format json`: the summary object other tools rely on (see README, "JSON contract").

use std::io::{self, Write};

use super::Render;
use crate::analysis::summary::Summary;

pub struct Json;

impl Render for Json {
    fn render(&self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, summary).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }
}

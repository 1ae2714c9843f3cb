//! `--format csv`: each table as CSV, preceded by a `# title` line and separated by a blank line.

use std::io::{self, Write};

use super::{tables, Render, Table};
use crate::analysis::summary::Summary;

pub struct Csv;

pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// One table as CSV (no title line): the content of `tables/<name>.csv`.
pub fn write_table(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        t.headers
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(",")
    )?;
    for r in &t.rows {
        writeln!(
            out,
            "{}",
            r.iter().map(|c| field(c)).collect::<Vec<_>>().join(",")
        )?;
    }
    Ok(())
}

impl Render for Csv {
    fn render(&self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        for (i, t) in tables::summary_tables(summary).iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(out, "# {}", t.title)?;
            write_table(t, out)?;
        }
        Ok(())
    }
}

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

/// A text cell as a spreadsheet will not run it: one that begins like a formula (`=`, `+`, `-`, `@`, a tab
/// or a carriage return) gets a leading `'` (OWASP's advice on CSV injection), and control characters are
/// written as escapes. Numeric columns are left as they are, so that they stay numbers.
pub fn safe_cell(s: &str, numeric: bool) -> String {
    if numeric {
        return field(s);
    }
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = super::text::printable(s);
    if formula {
        field(&format!("'{text}"))
    } else {
        field(&text)
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
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| safe_cell(c, t.numeric.get(i).copied().unwrap_or(false)))
            .collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

impl Render for Csv {
    fn render(&self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        for (i, t) in tables::summary_tables(summary).iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(out, "# {}", super::text::printable(&t.title))?;
            write_table(t, out)?;
        }
        Ok(())
    }
}

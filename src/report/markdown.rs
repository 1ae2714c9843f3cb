//! `--format markdown`: each table as a GitHub-flavoured Markdown table under a heading.

use std::io::{self, Write};

use super::{tables, Render, Table};
use crate::analysis::summary::Summary;

pub struct Markdown;

fn cell(s: &str) -> String {
    super::text::printable(s).replace('|', "\\|")
}

/// One table under a `###` heading.
pub fn write_table(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### {}\n", cell(&t.title))?;
    writeln!(
        out,
        "| {} |",
        t.headers
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    )?;
    let rule: Vec<&str> = t
        .numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    writeln!(out, "| {} |", rule.join(" | "))?;
    for r in &t.rows {
        writeln!(
            out,
            "| {} |",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        )?;
    }
    writeln!(out)
}

impl Render for Markdown {
    fn render(&self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        for t in tables::summary_tables_to_read(summary) {
            write_table(&t, out)?;
        }
        Ok(())
    }
}

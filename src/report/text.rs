//! `--format table` (default): aligned plain-text tables for a person at a terminal.

use std::io::{self, Write};

use super::{tables, Render, Table};
use crate::analysis::summary::Summary;

pub struct Text;

fn width(s: &str) -> usize {
    s.chars().count()
}

pub fn write_table(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", t.title)?;
    let mut w: Vec<usize> = t.headers.iter().map(|h| width(h)).collect();
    for r in &t.rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(x) = w.get_mut(i) {
                *x = (*x).max(width(c));
            }
        }
    }
    let line = |cells: Vec<&str>, out: &mut dyn Write| -> io::Result<()> {
        let mut s = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            let pad = w[i].saturating_sub(width(c));
            if t.numeric.get(i).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            }
            s.push_str("  ");
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(t.headers.to_vec(), out)?;
    line(
        w.iter()
            .map(|&n| "-".repeat(n))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
        out,
    )?;
    for r in &t.rows {
        line(r.iter().map(String::as_str).collect(), out)?;
    }
    Ok(())
}

impl Render for Text {
    fn render(&self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        for (i, t) in tables::summary_tables(summary).iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_table(t, out)?;
        }
        Ok(())
    }
}

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
    let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut dyn Write| -> io::Result<()> {
        let mut s = String::from(" ");
        for (i, c) in cells.enumerate() {
            let pad = " ".repeat(w.get(i).copied().unwrap_or(0).saturating_sub(width(c)));
            if t.numeric.get(i).copied().unwrap_or(false) {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&pad);
            }
            s.push_str("  ");
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(&mut t.headers.iter().copied(), out)?;
    let rules: Vec<String> = w.iter().map(|&n| "-".repeat(n)).collect();
    line(&mut rules.iter().map(String::as_str), out)?;
    for r in &t.rows {
        line(&mut r.iter().map(String::as_str), out)?;
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

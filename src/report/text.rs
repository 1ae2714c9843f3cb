//! `--format table` (default): aligned plain-text tables for a person at a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{tables, Render, Table};
use crate::analysis::summary::Summary;

pub struct Text;

/// `s` with every control character written as an escape (`\x1b`, `\n`), so that text from the logs can
/// neither move the cursor, retitle the window, ring the bell nor split a table row.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn width(s: &str) -> usize {
    s.chars().count()
}

pub fn write_table(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", printable(&t.title))?;
    let rows: Vec<Vec<Cow<'_, str>>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| printable(c)).collect())
        .collect();
    let mut w: Vec<usize> = t.headers.iter().map(|h| width(h)).collect();
    for r in &rows {
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
    for r in &rows {
        line(&mut r.iter().map(|c| c.as_ref()), out)?;
    }
    Ok(())
}

impl Render for Text {
    fn render(&self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        for (i, t) in tables::summary_tables_to_read(summary).iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_table(t, out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(printable("plain"), "plain");
        assert_eq!(printable("a\x1b]0;title\x07b"), "a\\x1b]0;title\\x07b");
        assert_eq!(printable("two\nlines\tand\r"), "two\\nlines\\tand\\r");
        assert_eq!(printable("c1 \u{9b}2J"), "c1 \\x9b2J");
    }
}

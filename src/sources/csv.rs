//! A small RFC 4180 CSV reader (quoted fields, doubled quotes, newlines inside quotes). The Insights console
//! and CloudWatch graph downloads are the only CSVs smslens reads; a full CSV crate is not needed.
//!
//! A quote that is never closed would swallow the rest of the file as one field. So a row that runs over
//! several lines and does not come out well formed (the header's width, every closing quote followed by a
//! separator) is taken for a broken line: its first line is reported alone and reading resumes on the line
//! after it.

/// One row and the 1-based line it starts on.
#[derive(Debug, PartialEq)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

/// A line that is no row: blank, or given up on (its number and why).
#[derive(Debug, PartialEq)]
pub struct BadLine {
    pub line: u64,
    pub detail: String,
    pub blank: bool,
}

/// The header row and every row after it. `None` for a file with no row at all.
pub fn table(text: &str) -> Option<(Row, Vec<Result<Row, BadLine>>)> {
    let mut at = Cursor { pos: 0, line: 1 };
    let header = loop {
        let (row, next) = row_at(text, at)?;
        at = next;
        if let Some(r) = row {
            break Row {
                line: r.line,
                fields: r.fields,
            };
        }
    };
    let width = header.fields.len();
    let mut rows = Vec::new();
    while let Some((row, next)) = row_at(text, at) {
        match row {
            Some(r) if (r.fields.len() != width || r.stray_quote) && next.line > r.line + 1 => {
                rows.push(Err(BadLine {
                    line: r.line,
                    blank: false,
                    detail: format!(
                        "unbalanced quote: a row of {} fields over {} lines where the header has {width}",
                        r.fields.len(),
                        next.line - r.line
                    ),
                }));
                // Resume on the line after the one the broken row began on.
                let rest = &text[at.pos..];
                at = match rest.find('\n') {
                    Some(i) => Cursor {
                        pos: at.pos + i + 1,
                        line: at.line + 1,
                    },
                    None => break,
                };
                continue;
            }
            Some(r) => rows.push(Ok(Row {
                line: r.line,
                fields: r.fields,
            })),
            None => rows.push(Err(BadLine {
                line: at.line,
                detail: String::new(),
                blank: true,
            })),
        }
        at = next;
    }
    Some((header, rows))
}

/// A row as read, before it is judged.
struct RawRow {
    line: u64,
    fields: Vec<String>,
    /// A closing quote followed by something other than a separator (`"a"b`).
    stray_quote: bool,
}

#[derive(Clone, Copy)]
struct Cursor {
    pos: usize,
    line: u64,
}

/// Reads the row starting at `at`: `None` at the end of the text, `Some((None, next))` for a blank line.
fn row_at(text: &str, at: Cursor) -> Option<(Option<RawRow>, Cursor)> {
    let b = text.as_bytes();
    if at.pos >= b.len() {
        return None;
    }
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = at.line;
    let mut i = at.pos;
    let mut in_quotes = false;
    let mut has_content = false;
    let mut stray_quote = false;
    // Runs of ordinary bytes are copied as slices: only ASCII bytes are ever looked at, so cuts fall on
    // character boundaries.
    let mut run = i;
    while i < b.len() {
        let c = b[i];
        if in_quotes {
            match c {
                b'"' if b.get(i + 1) == Some(&b'"') => {
                    field.push_str(&text[run..=i]);
                    i += 2;
                    run = i;
                    continue;
                }
                b'"' => {
                    field.push_str(&text[run..i]);
                    in_quotes = false;
                    run = i + 1;
                    stray_quote |= !matches!(b.get(i + 1), None | Some(b',' | b'\r' | b'\n'));
                }
                b'\n' => line += 1,
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                field.push_str(&text[run..i]);
                in_quotes = true;
                has_content = true;
                run = i + 1;
            }
            b',' => {
                field.push_str(&text[run..i]);
                fields.push(std::mem::take(&mut field));
                has_content = true;
                run = i + 1;
            }
            b'\r' => {
                field.push_str(&text[run..i]);
                run = i + 1;
            }
            b'\n' => {
                field.push_str(&text[run..i]);
                let next = Cursor {
                    pos: i + 1,
                    line: line + 1,
                };
                return Some((
                    finish(fields, field, has_content, at.line, stray_quote),
                    next,
                ));
            }
            _ => has_content = true,
        }
        i += 1;
    }
    field.push_str(&text[run..]);
    // The text ended; an open quote ends here too.
    let next = Cursor {
        pos: b.len(),
        line: line + u64::from(in_quotes),
    };
    Some((
        finish(fields, field, has_content, at.line, stray_quote),
        next,
    ))
}

fn finish(
    mut fields: Vec<String>,
    field: String,
    has_content: bool,
    line: u64,
    stray_quote: bool,
) -> Option<RawRow> {
    if !has_content && field.is_empty() {
        return None;
    }
    fields.push(field);
    Some(RawRow {
        line,
        fields,
        stray_quote,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(rows: Vec<Result<Row, BadLine>>) -> Vec<Row> {
        rows.into_iter().map(|r| r.expect("a good row")).collect()
    }

    #[test]
    fn quoted_json_and_newlines() {
        let (h, mut rows) =
            table("a,b\n\"x,1\",\"{\"\"k\"\":1}\"\r\n\"multi\nline\",2\n\n").unwrap();
        assert_eq!(h.fields, vec!["a", "b"]);
        let blank = rows.pop().unwrap().unwrap_err();
        assert!(
            blank.blank && blank.line == 5,
            "the blank last line is counted"
        );
        let rows = ok(rows);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].fields, vec!["x,1", "{\"k\":1}"]);
        assert_eq!(rows[1].fields, vec!["multi\nline", "2"]);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn an_unbalanced_quote_costs_only_its_line() {
        let text = "t,m\n1,\"ok\"\n2,\"broken\n3,\"fine\"\n4,\"fine too\"\n";
        let (_, rows) = table(text).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[1].as_ref().unwrap_err().line, 3);
        let good: Vec<u64> = rows
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.line)
            .collect();
        assert_eq!(good, vec![2, 4, 5]);
        // An open quote on the last line is that line's problem alone.
        let (_, rows) = table("t,m\n1,\"ok\"\n2,\"never closed").unwrap();
        assert!(rows[0].is_ok());
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn non_ascii_text_is_kept_whole() {
        let (_, rows) = table("a,b\n\"Ünïcode, yes\",日本\n").unwrap();
        assert_eq!(ok(rows)[0].fields, vec!["Ünïcode, yes", "日本"]);
    }
}

//! A small RFC 4180 CSV reader (quoted fields, doubled quotes, newlines inside quotes). The Insights console
//! and CloudWatch graph downloads are the only CSVs smslens reads; a full CSV crate is not needed.

/// One row and the 1-based line it starts on.
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

/// Splits `text` into rows. A quote left open at the end yields the partial row (the caller decides).
pub fn rows(text: &str) -> Vec<Row> {
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1u64;
    let mut row_line = 1u64;
    let mut chars = text.chars().peekable();
    let mut row_has_content = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                in_quotes = true;
                row_has_content = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                row_has_content = true;
            }
            '\r' => {}
            '\n' => {
                if row_has_content || !field.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    out.push(Row {
                        line: row_line,
                        fields: std::mem::take(&mut fields),
                    });
                }
                row_has_content = false;
                line += 1;
                row_line = line;
            }
            _ => {
                field.push(c);
                row_has_content = true;
            }
        }
    }
    if row_has_content || !field.is_empty() {
        fields.push(field);
        out.push(Row {
            line: row_line,
            fields,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_json_and_newlines() {
        let r = rows("a,b\n\"x,1\",\"{\"\"k\"\":1}\"\r\n\"multi\nline\",2\n");
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].fields, vec!["x,1", "{\"k\":1}"]);
        assert_eq!(r[2].fields, vec!["multi\nline", "2"]);
        assert_eq!(r[2].line, 3);
    }
}

//! The head of an input (its first decompressed bytes), and what shape sniffing asks of it.

use regex::bytes::Regex;
use std::sync::OnceLock;

/// How many decompressed bytes sniffing looks at.
pub const HEAD_BYTES: usize = 64 * 1024;

/// An input's first bytes, without a byte-order mark or leading whitespace.
pub struct Head<'a> {
    pub text: &'a [u8],
    /// The head is the whole input (else its last line may be cut).
    pub whole: bool,
}

impl<'a> Head<'a> {
    pub fn new(head: &'a [u8], whole: bool) -> Self {
        let text = strip_bom(head);
        let start = text
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(text.len());
        Head {
            text: &text[start..],
            whole,
        }
    }

    /// Starts like a JSON object (a document shape, or a bare record).
    pub fn is_object(&self) -> bool {
        self.text.first() == Some(&b'{')
    }

    /// Does the head contain `"key"` followed by `:` (a JSON key at some depth, not inside an escaped
    /// string)?
    pub fn has_key(&self, key: &str) -> bool {
        has_key(self.text, key)
    }

    pub fn first_line(&self) -> &'a [u8] {
        self.text.split(|&b| b == b'\n').next().unwrap_or_default()
    }

    /// The head's lines, without the last one when it may be cut.
    pub fn whole_lines(&self) -> impl Iterator<Item = &'a [u8]> {
        let mut lines: Vec<&'a [u8]> = self.text.split(|&b| b == b'\n').collect();
        if !self.whole && lines.len() > 1 {
            lines.pop();
        }
        lines.into_iter()
    }
}

/// Does `hay` contain `"key"` followed by `:`?
pub fn has_key(hay: &[u8], key: &str) -> bool {
    let pat = format!("\"{key}\"");
    let finder = memchr::memmem::Finder::new(pat.as_bytes());
    finder.find_iter(hay).any(|i| {
        let before_ok = i == 0 || hay[i - 1] != b'\\';
        let after = hay[i + pat.len()..]
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        before_ok && after == Some(&b':')
    })
}

pub fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// `2026-03-01T00:00:05.120Z {`: a CloudWatch Logs export line (the prefix is always UTC with `Z`).
pub fn export_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \{").expect("valid regex")
    })
}

/// `2026-03-01T00:00:05.120000+00:00 <stream> {` or `--format short`: `2026-03-01T00:00:05 {`.
pub fn tail_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)? (\S+ )?\{")
            .expect("valid regex")
    })
}

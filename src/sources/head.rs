//! The head of an input (its first decompressed bytes), and what shape sniffing asks of it.

use std::cell::RefCell;

use memchr::memmem::Finder;

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
    pub fn has_key(&self, key: &'static str) -> bool {
        has_key(self.text, key)
    }

    pub fn first_line(&self) -> &'a [u8] {
        let end = memchr::memchr(b'\n', self.text).unwrap_or(self.text.len());
        &self.text[..end]
    }

    /// The head's lines, without the last one when it may be cut.
    pub fn whole_lines(&self) -> impl Iterator<Item = &'a [u8]> {
        let (text, whole) = (self.text, self.whole);
        let mut start = 0;
        let mut ends = memchr::memchr_iter(b'\n', text);
        let mut last_done = false;
        std::iter::from_fn(move || {
            if let Some(end) = ends.next() {
                let line = &text[start..end];
                start = end + 1;
                return Some(line);
            }
            // After the last newline: a line, unless the head may have cut it (a head of one line is
            // kept whole).
            if last_done || start >= text.len() || (!whole && start > 0) {
                return None;
            }
            last_done = true;
            Some(&text[start..])
        })
    }
}

/// Does `hay` contain `"key"` followed by `:`? Sniffing asks this of every line of tens of thousands of
/// small files, so each thread keeps a searcher per key rather than building one per call.
pub fn has_key(hay: &[u8], key: &'static str) -> bool {
    thread_local! {
        static FINDERS: RefCell<Vec<(&'static str, Finder<'static>)>> = const { RefCell::new(Vec::new()) };
    }
    FINDERS.with_borrow_mut(|finders| {
        let i = match finders.iter().position(|(k, _)| std::ptr::eq(*k, key)) {
            Some(i) => i,
            None => {
                // A few keys per thread, each once for the life of the process.
                let quoted: &'static str = Box::leak(format!("\"{key}\"").into_boxed_str());
                finders.push((key, Finder::new(quoted.as_bytes())));
                finders.len() - 1
            }
        };
        let finder = &finders[i].1;
        let len = finder.needle().len();
        finder.find_iter(hay).any(|at| {
            let before_ok = at == 0 || hay[at - 1] != b'\\';
            let after = hay[at + len..].iter().find(|b| !b.is_ascii_whitespace());
            before_ok && after == Some(&b':')
        })
    })
}

pub fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// What precedes the record on a line that starts with a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimePrefix {
    /// `2026-03-01T00:00:05.120Z {`: a CloudWatch Logs export to S3 (always UTC with `Z`).
    Export,
    /// `2026-03-01T00:00:05.120000+00:00 <stream> {`, or `--format short`: `2026-03-01T00:00:05 {`.
    Tail,
}

/// The kind of timestamp prefix `line` has before its `{` (which is at `open`), if any. Written out rather
/// than as a regex: sniffing asks it of every line of tens of thousands of small files.
pub fn time_prefix(line: &[u8], open: usize) -> Option<TimePrefix> {
    let p = &line[..open];
    let digits =
        |r: std::ops::Range<usize>| p.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: u8| p.get(i) == Some(&c);
    let date_time = digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19);
    if !date_time {
        return None;
    }
    let mut i = 19;
    if at(i, b'.') {
        let n = p[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        i += 1 + n;
    }
    if p[i..] == *b"Z " {
        return Some(TimePrefix::Export);
    }
    // A zone (`Z` or `+HH:MM`), then a space, then an optional stream name and a space.
    if at(i, b'Z') {
        i += 1;
    } else if (at(i, b'+') || at(i, b'-'))
        && digits(i + 1..i + 3)
        && at(i + 3, b':')
        && digits(i + 4..i + 6)
    {
        i += 6;
    }
    if !at(i, b' ') {
        return None;
    }
    let rest = &p[i + 1..];
    let tail = match rest.iter().position(|&c| c == b' ') {
        None => rest.is_empty(),
        Some(sp) => sp > 0 && sp == rest.len() - 1,
    };
    tail.then_some(TimePrefix::Tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(line: &str) -> Option<TimePrefix> {
        time_prefix(line.as_bytes(), line.find('{').unwrap())
    }

    #[test]
    fn time_prefixes_as_the_tools_write_them() {
        assert_eq!(kind("2026-03-01T00:00:05.120Z {"), Some(TimePrefix::Export));
        assert_eq!(kind("2026-03-01T00:00:05Z {"), Some(TimePrefix::Export));
        assert_eq!(
            kind("2026-03-01T00:00:05.120000+00:00 abc-123 {"),
            Some(TimePrefix::Tail)
        );
        assert_eq!(kind("2026-03-01T00:00:05 {"), Some(TimePrefix::Tail));
        assert_eq!(
            kind("2026-03-01T00:00:05Z stream {"),
            Some(TimePrefix::Tail)
        );
        for no in [
            "{",
            "x {",
            "2026-03-01 00:00:05 {",
            "2026-03-01T00:00:05.Z {",
            "2026-03-01T00:00:05+0000 {",
            "2026-03-01T00:00:05 a b {",
            "2026-03-01T00:00:05  {",
            "2026-3-01T00:00:05 {",
        ] {
            assert_eq!(kind(no), None, "{no}");
        }
    }

    #[test]
    fn whole_lines_drop_a_cut_last_line() {
        let lines = |t: &str, whole| Head::new(t.as_bytes(), whole).whole_lines().count();
        assert_eq!(lines("a\nb\nc", true), 3);
        assert_eq!(lines("a\nb\nc", false), 2);
        assert_eq!(lines("a\nb\n", false), 2);
        assert_eq!(lines("only", false), 1, "a head of one line is kept whole");
    }
}

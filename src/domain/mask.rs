//! Phone numbers are personal data: every output masks them unless the user asks otherwise.

use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// `+16175550118` → `+1617•••0118`: the calling code and area stay readable, the subscriber part does not.
pub fn mask_number(n: &str) -> String {
    let digits: Vec<char> = n.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let plus = if n.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    let (keep_head, keep_tail) = if digits.len() >= 10 {
        (4, 4)
    } else if digits.len() >= 6 {
        (2, 2)
    } else {
        (0, 0)
    };
    if keep_head == 0 {
        return format!("{plus}•••");
    }
    let head: String = digits[..keep_head].iter().collect();
    let tail: String = digits[digits.len() - keep_tail..].iter().collect();
    format!("{plus}{head}•••{tail}")
}

/// Masks anything that looks like a phone number inside free text (skip details, strings from logs).
pub fn mask_numbers_in(text: &str) -> Cow<'_, str> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"\+\d{6,15}|\b\d{10,15}\b").expect("valid regex"));
    r.replace_all(text, |c: &regex::Captures<'_>| {
        let m = &c[0];
        let digits = m.chars().filter(char::is_ascii_digit).count();
        if digits >= 7 {
            mask_number(m)
        } else {
            m.to_owned()
        }
    })
}

/// Masks unless `show` is set.
pub fn show_number(n: &str, show: bool) -> String {
    if show {
        n.to_owned()
    } else {
        mask_number(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_docs() {
        assert_eq!(mask_number("+16175550118"), "+1617•••0118");
        assert_eq!(mask_number("+6580000000"), "+6580•••0000");
        assert_eq!(mask_number("+1XXX5550100"), "+1XXX•••0100");
        assert_eq!(mask_number("12345"), "•••");
        assert_eq!(
            mask_numbers_in("status \"+16175550118\" bad"),
            "status \"+1617•••0118\" bad"
        );
        assert_eq!(mask_numbers_in("line 12345"), "line 12345");
        assert_eq!(
            mask_numbers_in("at 2026-03-22 16:01:05"),
            "at 2026-03-22 16:01:05"
        );
        assert_eq!(mask_numbers_in("dest 919900000000,"), "dest 9199•••0000,");
    }
}

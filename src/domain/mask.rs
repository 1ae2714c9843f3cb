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

/// Masks anything that looks like a phone number inside free text (providerResponse, carrier names, field
/// names, skip details, paths): `+` and 7–15 digits, up to three spaces, dashes, dots or brackets between
/// two of them allowed
/// (`+44 7700 900123`, `+91-98450-12345`); a bare run of 10–15 digits (`919900000000`); a North American
/// `(617) 555-0118` / `617-555-0118`. Not: digits inside identifiers (UUID parts, hex), decimals, dates
/// and times, and runs that start with 1 but are not 11 long (epoch seconds and milliseconds).
pub fn mask_numbers_in(text: &str) -> Cow<'_, str> {
    if text.bytes().filter(u8::is_ascii_digit).count() < 7 {
        return Cow::Borrowed(text);
    }
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(r"\+\(?\d(?:[ .\-()]{0,3}\d){6,14}|\(?\d{3}\)?[ .\-]\d{3}[ .\-]\d{4}|\d{10,15}")
            .expect("valid regex")
    });
    let b = text.as_bytes();
    let joins = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    r.replace_all(text, |c: &regex::Captures<'_>| {
        let m = c.get(0).expect("the whole match");
        let s = m.as_str();
        let before = m.start().checked_sub(1).map(|i| b[i]);
        let after = b.get(m.end()).copied();
        let after2 = b.get(m.end() + 1).copied();
        let digits = s.bytes().filter(u8::is_ascii_digit).count();
        let joined_before = before.is_some_and(|c| joins(c) || c == b'.' || c == b'+');
        let decimals_after = after == Some(b'.') && after2.is_some_and(|c| c.is_ascii_digit());
        let joined_after = after.is_some_and(joins) || decimals_after;
        let bounded = !joined_before && !joined_after;
        // `+` and digits is a number wherever it stands; bare digits only apart from other words.
        let phone = s.starts_with('+')
            || if s.bytes().all(|c| c.is_ascii_digit()) {
                bounded && !(s.starts_with('1') && digits != 11)
            } else {
                bounded
            };
        if phone {
            mask_number(s)
        } else {
            s.to_owned()
        }
    })
}

/// Masks the phone numbers in `text` unless `show` is set.
pub fn mask_text(text: &str, show: bool) -> Cow<'_, str> {
    if show {
        Cow::Borrowed(text)
    } else {
        mask_numbers_in(text)
    }
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

    #[test]
    fn numbers_in_any_spelling_are_masked() {
        for (text, want) in [
            ("+14155550102 is opted out", "+1415•••0102 is opted out"),
            ("call +44 7700 900123 now", "call +4477•••0123 now"),
            ("+91-98450-12345", "+9198•••2345"),
            ("+1 (415) 555-0102", "+1415•••0102"),
            ("(617) 555-0118", "6175•••0118"),
            ("617-555-0118", "6175•••0118"),
            (
                "exportedlogs/task/14155550102/000000.gz",
                "exportedlogs/task/1415•••0102/000000.gz",
            ),
            ("k\"+16175550118\":1", "k\"+1617•••0118\":1"),
        ] {
            assert_eq!(mask_numbers_in(text), want, "{text}");
        }
    }

    #[test]
    fn identifiers_dates_and_epochs_are_left_alone() {
        for text in [
            "28b3b8ee-14fa-4e21-85e1-095154012345/000000.gz",
            "exportedlogs/28b3b8ee-14fa-4e21-85e1-123456789012/000000.gz",
            "sns-sms-delivery-status-1-2026-03-29-23-55-50-e276c1e6-050b-40e1-9401-551eb378bc99",
            "at 2026-03-22 16:01:05.120",
            "timestamp 1772323205120 and 1772323205",
            "price 0.1234567890123",
            "eventId 38354370601419239538117731916852225224570666178924571929",
            "Phone carrier has blocked this message",
        ] {
            assert_eq!(mask_numbers_in(text), text, "{text}");
        }
    }
}

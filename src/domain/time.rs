//! Time parsing and formatting without allocation on the hot path.
//!
//! SNS writes `YYYY-MM-DD HH:MM:SS.f` (1–3 fraction digits, no zone, UTC); exports and the CLI add `T`, `Z`,
//! `+00:00` or epoch numbers. Everything becomes epoch milliseconds UTC.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Days since the epoch of a checked `YYYY-MM-DD`. Records come in time order, so nearly every date is
/// the previous one's: each thread remembers the last date it read.
fn date_days(date: &[u8]) -> Option<i64> {
    thread_local! {
        static LAST: std::cell::Cell<([u8; 10], i64)> = const { std::cell::Cell::new(([0; 10], 0)) };
    }
    let date: [u8; 10] = date.try_into().ok()?;
    if let Ok((last, days)) = LAST.try_with(|l| l.get()) {
        if last == date {
            return Some(days);
        }
    }
    let y = digits(&date[0..4])? as i64;
    let mo = digits(&date[5..7])?;
    let d = digits(&date[8..10])?;
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    let _ = LAST.try_with(|l| l.set((date, days)));
    Some(days)
}

/// Parses `YYYY-MM-DD[ T]HH:MM:SS[.f{1,9}][Z|+HH:MM|-HH:MM]` into epoch ms (UTC).
/// A time without a zone is taken as UTC, as SNS writes it.
pub fn parse_timestamp_ms(s: &str) -> Option<i64> {
    sns_timestamp_ms(s.as_bytes()).or_else(|| any_timestamp_ms(s))
}

/// Exactly `YYYY-MM-DD HH:MM:SS.mmm`, the form of nearly every record: fixed positions, no search.
#[inline]
fn sns_timestamp_ms(b: &[u8]) -> Option<i64> {
    if b.len() != 23 || b[10] != b' ' || b[19] != b'.' {
        return None;
    }
    Some(date_time_secs(b)? * 1000 + i64::from(digits(&b[20..23])?))
}

/// `YYYY-MM-DD?HH:MM:SS` at the start of `b`, checked, as seconds since the epoch; the separator between
/// date and time is the caller's to check.
#[inline]
fn date_time_secs(b: &[u8]) -> Option<i64> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let days = date_days(&b[0..10])?;
    let h = digits(&b[11..13])?;
    let mi = digits(&b[14..16])?;
    let se = digits(&b[17..19])?;
    if h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + se))
}

fn any_timestamp_ms(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() < 19 || (b[10] != b' ' && b[10] != b'T') {
        return None;
    }
    let secs = date_time_secs(b)?;
    let mut i = 19;
    let mut ms: i64 = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let frac = &b[start..i];
        if frac.is_empty() {
            return None;
        }
        // Milliseconds from the first three digits; "3" means 300 ms, "12" means 120 ms.
        for k in 0..3 {
            ms = ms * 10 + frac.get(k).map_or(0, |c| (c - b'0') as i64);
        }
    }
    let mut offset_min: i64 = 0;
    match &b[i..] {
        [] | [b'Z'] | [b'z'] => {}
        [sign @ (b'+' | b'-'), hh1, hh2, b':', mm1, mm2]
        | [sign @ (b'+' | b'-'), hh1, hh2, mm1, mm2] => {
            let hh = digits(&[*hh1, *hh2])? as i64;
            let mm = digits(&[*mm1, *mm2])? as i64;
            offset_min = (hh * 60 + mm) * if *sign == b'-' { -1 } else { 1 };
        }
        _ => return None,
    }
    Some((secs - offset_min * 60) * 1000 + ms)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Epoch seconds or milliseconds (by magnitude) into epoch ms.
pub fn epoch_to_ms(v: f64) -> Option<i64> {
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    // 1e11 seconds is the year 5138; anything larger is milliseconds.
    Some(if v < 1e11 {
        (v * 1000.0).round() as i64
    } else {
        v.round() as i64
    })
}

/// A user's `--since/--until`: RFC 3339, `YYYY-MM-DD HH:MM[:SS]`, or a date (its midnight UTC).
pub fn parse_user_time(s: &str) -> Option<i64> {
    if let Some(ms) = parse_timestamp_ms(s) {
        return Some(ms);
    }
    if s.len() == 16 {
        if let Some(ms) = parse_timestamp_ms(&format!("{s}:00")) {
            return Some(ms);
        }
    }
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

pub fn to_datetime(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(ms)
}

/// RFC 3339 with milliseconds and `Z`, e.g. `2026-03-22T16:01:05.120Z`.
pub fn rfc3339(ms: i64) -> String {
    to_datetime(ms).map_or_else(
        || ms.to_string(),
        |t| t.to_rfc3339_opts(SecondsFormat::Millis, true),
    )
}

/// `2026-03-22 16:01 UTC`, for sentences a person reads.
pub fn human(ms: i64) -> String {
    to_datetime(ms).map_or_else(
        || ms.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

pub fn day_string(ms: i64) -> String {
    to_datetime(ms).map_or_else(|| ms.to_string(), |t| t.format("%Y-%m-%d").to_string())
}

pub fn month_string(ms: i64) -> String {
    to_datetime(ms).map_or_else(|| ms.to_string(), |t| t.format("%Y-%m").to_string())
}

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

/// Start of the UTC month containing `ms`, and of the next one.
pub fn month_bounds(ms: i64) -> Option<(i64, i64)> {
    use chrono::Datelike;
    let t = to_datetime(ms)?;
    let start = NaiveDate::from_ymd_opt(t.year(), t.month(), 1)?;
    let next = if t.month() == 12 {
        NaiveDate::from_ymd_opt(t.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(t.year(), t.month() + 1, 1)?
    };
    Some((
        start.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis(),
        next.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis(),
    ))
}

/// Months since January of year 0 (UTC) of the month containing `ms`: calendar steps are whole months.
pub fn month_index(ms: i64) -> Option<i64> {
    use chrono::Datelike;
    let t = to_datetime(ms)?;
    Some(i64::from(t.year()) * 12 + i64::from(t.month0()))
}

/// Start (epoch ms, UTC) of the month that `month_index` numbers; `None` outside chrono's calendar.
pub fn month_index_start(index: i64) -> Option<i64> {
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = index.rem_euclid(12) as u32 + 1;
    let day = NaiveDate::from_ymd_opt(year, month, 1)?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed-position reader agrees with the general one on everything it accepts, and declines the
    /// rest to it: each character of an SNS timestamp replaced by each byte of interest.
    #[test]
    fn the_sns_form_reads_as_the_general_parser_reads_it() {
        let base = *b"2024-02-29 23:59:60.999";
        for at in 0..base.len() {
            for byte in b" +-.:0159TZ\x7fa".iter().copied().chain(0x30..0x3a) {
                let mut t = base;
                t[at] = byte;
                let Ok(text) = std::str::from_utf8(&t) else {
                    continue;
                };
                if let Some(fast) = sns_timestamp_ms(&t) {
                    assert_eq!(Some(fast), any_timestamp_ms(text), "{text}");
                }
                assert_eq!(parse_timestamp_ms(text), any_timestamp_ms(text), "{text}");
            }
        }
        for text in [
            "2023-02-29 00:00:00.000",
            "2026-03-01 00:00:01.415",
            "2026-13-01 00:00:01.415",
        ] {
            assert_eq!(
                sns_timestamp_ms(text.as_bytes()),
                any_timestamp_ms(text),
                "{text}"
            );
        }
    }

    #[test]
    fn sns_timestamps_with_short_fractions() {
        let base = parse_timestamp_ms("2022-03-08 19:05:32.000").unwrap();
        assert_eq!(
            parse_timestamp_ms("2022-03-08 19:05:32.3"),
            Some(base + 300)
        );
        assert_eq!(
            parse_timestamp_ms("2022-03-08 19:05:32.27"),
            Some(base + 270)
        );
        assert_eq!(
            parse_timestamp_ms("2022-03-08 19:05:32.271"),
            Some(base + 271)
        );
        assert_eq!(parse_timestamp_ms("2022-03-08 19:05:32"), Some(base));
        assert_eq!(parse_timestamp_ms("2022-03-08T19:05:32Z"), Some(base));
        assert_eq!(parse_timestamp_ms("2022-03-08T20:05:32+01:00"), Some(base));
        assert_eq!(base, 1_646_766_332_000);
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "yesterday",
            "",
            "2022-13-08 19:05:32",
            "2022-02-30 00:00:00",
            "2022-03-08 19:05:32.",
            "2022-03-08 19:05:32Q",
        ] {
            assert_eq!(parse_timestamp_ms(s), None, "{s}");
        }
    }

    #[test]
    fn epochs() {
        assert_eq!(epoch_to_ms(1_646_766_352.0), Some(1_646_766_352_000));
        assert_eq!(epoch_to_ms(1_646_766_352_401.0), Some(1_646_766_352_401));
    }
}

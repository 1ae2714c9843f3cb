//! Every chart kind on realistic data and on edge cases; the pieces (text, ticks, time axis) on their own.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ab_glyph::Font;
use chrono::{Datelike, NaiveDate, Timelike};

use super::axes::{fmt_duration_ms, nice_ticks, NumFmt};
use super::png::draw_pixels;
use super::spend::split_by_month;
use super::text::{embedded_font, ensure_font, MAX_LABEL_CHARS};
use super::time_axis::{TimeAxis, TimeStep};
use super::*;
use crate::domain::time::{to_datetime as utc, DAY_MS as DAY, HOUR_MS as HOUR};

/// Realistic data is drawn at the reference size; edge cases smaller (encoding a large
/// PNG is the slow part of an unoptimised test build).
const SIZE: (u32, u32) = (900, 500);
const SMALL: (u32, u32) = (360, 220);

fn size_for(case: &str) -> (u32, u32) {
    if case == "realistic" {
        SIZE
    } else {
        SMALL
    }
}

/// A fresh, unique directory under the system temp dir (removed by `Scratch::drop`).
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "smslens-charts-{}-{}-{}",
            std::process::id(),
            nanos,
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }

    fn png(&self, name: &str) -> PathBuf {
        self.0.join(format!("{name}.png"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The file is a PNG whose IHDR says `size`.
fn assert_png(path: &Path, size: (u32, u32)) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.len() > 24, "{}: too short", path.display());
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{}: PNG signature",
        path.display()
    );
    assert_eq!(&bytes[12..16], b"IHDR", "{}: IHDR first", path.display());
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((w, h), size, "{}: IHDR size", path.display());
}

fn ms(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|d| d.and_hms_opt(h, mi, 0))
        .map(|dt| dt.and_utc().timestamp_millis())
        .expect("valid date")
}

fn bar(label: &str, value: f64, note: Option<&str>) -> Bar {
    Bar {
        label: label.to_string(),
        value,
        note: note.map(str::to_string),
    }
}

fn pair(label: &str, total: f64, failed: f64) -> PairBar {
    PairBar {
        label: label.to_string(),
        total,
        failed,
    }
}

fn bucket(start_ms: i64, delivered: f64, failed: f64) -> TimeBucket {
    TimeBucket {
        start_ms,
        delivered,
        failed,
    }
}

fn latency(label: &str, p50: f64, p90: f64, p99: f64) -> Latency {
    Latency {
        label: label.to_string(),
        p50,
        p90,
        p99,
    }
}

#[test]
fn bar_chart_realistic_and_edge_cases() {
    let dir = Scratch::new();
    let bars = vec![
        bar("Phone carrier has blocked this message", 412.0, Some("42.7%")),
        bar("Unknown error attempting to reach phone", 231.0, Some("24.0%")),
        bar(
            "Message has been accepted by phone carrier but the carrier reported a permanent failure",
            12.0,
            Some("1.2%"),
        ),
        bar("line\nbreak\tand tabs", 3.0, None),
        bar("Dropped", 0.0, Some("0.0%")),
    ];
    let cases: Vec<(&str, Vec<Bar>)> = vec![
        ("realistic", bars),
        ("empty", vec![]),
        ("single", vec![bar("only", 7.0, Some("100%"))]),
        ("zeros", vec![bar("a", 0.0, None), bar("b", 0.0, None)]),
        (
            "odd",
            vec![
                bar("nan", f64::NAN, Some("n/a")),
                bar("inf", f64::INFINITY, None),
                bar("negative", -5.0, Some("-5")),
                bar("huge", 1e15, Some("huge")),
                bar("tiny", 1e-9, None),
            ],
        ),
        (
            "many",
            (0..40)
                .map(|i| bar(&format!("response {i}"), i as f64, None))
                .collect(),
        ),
    ];
    for (name, bars) in cases {
        let path = dir.png(&format!("bar-{name}"));
        bar_chart(
            &path,
            "Failed texts by provider response",
            "failed texts",
            &bars,
            size_for(name),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_png(&path, size_for(name));
    }
}

#[test]
fn paired_bar_chart_cases() {
    let dir = Scratch::new();
    let countries = [
        "US", "IN", "BR", "GB", "DE", "FR", "MX", "ID", "NG", "PH", "CA", "JP",
    ];
    let realistic: Vec<PairBar> = countries
        .iter()
        .enumerate()
        .map(|(i, c)| pair(c, 50_000.0 / (i as f64 + 1.0), 900.0 * (i % 4) as f64))
        .collect();
    let cases: Vec<(&str, Vec<PairBar>)> = vec![
        ("realistic", realistic),
        ("empty", vec![]),
        ("single", vec![pair("US", 10.0, 3.0)]),
        ("zeros", vec![pair("US", 0.0, 0.0), pair("GB", 0.0, 0.0)]),
        (
            "odd",
            vec![
                pair("nan", f64::NAN, 1.0),
                pair("more failed than total", 2.0, 5.0),
                pair("orders of magnitude", 1e9, 1.0),
            ],
        ),
    ];
    for (name, bars) in cases {
        let path = dir.png(&format!("paired-{name}"));
        paired_bar_chart(
            &path,
            "Events and failed texts by country",
            &bars,
            size_for(name),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_png(&path, size_for(name));
    }
}

#[test]
fn volume_chart_cases() {
    let dir = Scratch::new();
    let start = ms(2026, 3, 20, 0, 0);
    let hourly: Vec<TimeBucket> = (0..72)
        .map(|i| {
            bucket(
                start + i * HOUR,
                100.0 + (i % 24) as f64 * 10.0,
                (i % 5) as f64,
            )
        })
        .collect();
    let daily: Vec<TimeBucket> = (0..400)
        .map(|i| bucket(start + i * DAY, 5000.0, 250.0))
        .collect();
    let cases: Vec<(&str, Vec<TimeBucket>, i64)> = vec![
        ("realistic", hourly, HOUR),
        ("daily-over-a-year", daily, DAY),
        ("empty", vec![], HOUR),
        ("single", vec![bucket(start, 5.0, 1.0)], 0),
        (
            "zeros",
            vec![bucket(start, 0.0, 0.0), bucket(start + HOUR, 0.0, 0.0)],
            HOUR,
        ),
        (
            "identical-timestamps-unsorted",
            vec![
                bucket(start + HOUR, 1.0, 1.0),
                bucket(start, 2.0, 0.0),
                bucket(start, 3.0, 1.0),
                bucket(start, f64::NAN, -4.0),
            ],
            0,
        ),
        (
            "extreme",
            vec![
                bucket(i64::MIN, 1e300, 1e300),
                bucket(i64::MAX, f64::INFINITY, 1.0),
            ],
            i64::MAX,
        ),
        (
            "negative-bucket",
            vec![bucket(0, 1.0, 1.0), bucket(1, 1.0, 0.0)],
            -5,
        ),
    ];
    for (name, buckets, bucket_ms) in cases {
        let path = dir.png(&format!("volume-{name}"));
        volume_chart(
            &path,
            "Volume and failure rate",
            &buckets,
            bucket_ms,
            size_for(name),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_png(&path, size_for(name));
    }
}

#[test]
fn spend_chart_cases() {
    let dir = Scratch::new();
    let march = ms(2026, 3, 1, 0, 0);
    let reached = ms(2026, 3, 22, 16, 1);
    let rising: Vec<(i64, f64)> = (0..100)
        .map(|i| {
            let t = march + i * 6 * HOUR;
            (t, if t >= reached { 60.0 } else { i as f64 * 0.7 })
        })
        .collect();
    let crossing: Vec<(i64, f64)> = (0..60)
        .map(|i| {
            let t = ms(2026, 2, 10, 0, 0) + i * DAY;
            let day = utc(t).map(|d| d.day0() as f64).unwrap_or(0.0);
            (t, day * 1.5)
        })
        .collect();
    let cases = [
        SpendChart {
            title: "March spend".into(),
            points: rising,
            limit_usd: Some(60.0),
            exhausted_at_ms: Some(reached),
            forecast: vec![(ms(2026, 3, 31, 23, 0), 60.0)],
        },
        SpendChart {
            title: "Crossing a month boundary".into(),
            points: crossing,
            limit_usd: Some(40.0),
            exhausted_at_ms: None,
            forecast: vec![(ms(2026, 4, 30, 0, 0), 45.0)],
        },
        SpendChart {
            title: "Empty".into(),
            ..SpendChart::default()
        },
        SpendChart {
            title: "Single point".into(),
            points: vec![(march, 12.5)],
            limit_usd: Some(60.0),
            exhausted_at_ms: None,
            forecast: vec![],
        },
        SpendChart {
            title: "Forecast only, zero limit".into(),
            points: vec![],
            limit_usd: Some(0.0),
            exhausted_at_ms: None,
            forecast: vec![(march, 0.0), (march + DAY, 1.0)],
        },
        SpendChart {
            title: "Odd values".into(),
            points: vec![
                (march, f64::NAN),
                (march, 0.0),
                (march, 0.0),
                (march + 1, -3.0),
            ],
            limit_usd: Some(f64::NAN),
            exhausted_at_ms: Some(i64::MIN),
            forecast: vec![(i64::MAX, f64::INFINITY)],
        },
    ];
    for (i, chart) in cases.iter().enumerate() {
        let path = dir.png(&format!("spend-{i}"));
        let size = if i == 0 { SIZE } else { SMALL };
        spend_chart(&path, chart, size).unwrap_or_else(|e| panic!("{}: {e}", chart.title));
        assert_png(&path, size);
    }
}

#[test]
fn spend_segments_split_at_month_start() {
    let points = [
        (ms(2026, 1, 30, 0, 0), 50.0),
        (ms(2026, 1, 31, 23, 59), 55.0),
        (ms(2026, 2, 1, 0, 0), 0.0),
        (ms(2026, 2, 2, 0, 0), 2.0),
        (ms(2026, 3, 1, 0, 0), 0.1),
    ];
    let segs = split_by_month(&points);
    let lens: Vec<usize> = segs.iter().map(Vec::len).collect();
    assert_eq!(lens, vec![2, 2, 1]);
}

#[test]
fn latency_chart_cases() {
    let dir = Scratch::new();
    let cases: Vec<(&str, Vec<Latency>)> = vec![
        (
            "realistic",
            vec![
                latency("US", 850.0, 2400.0, 9800.0),
                latency("IN", 1900.0, 12_000.0, 95_000.0),
                latency("NG", 3100.0, 41_000.0, 600_000.0),
                latency("JP", 95.0, 300.0, 1200.0),
            ],
        ),
        ("empty", vec![]),
        ("single", vec![latency("US", 1000.0, 1000.0, 1000.0)]),
        ("zeros", vec![latency("US", 0.0, 0.0, 0.0)]),
        (
            "odd",
            vec![
                latency("nan", f64::NAN, -1.0, f64::INFINITY),
                latency("wide", 0.001, 1.0, 1e12),
            ],
        ),
    ];
    for (name, rows) in cases {
        let path = dir.png(&format!("latency-{name}"));
        latency_chart(&path, "Delivery latency", &rows, size_for(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_png(&path, size_for(name));
    }
}

#[test]
fn other_sizes_render() {
    let dir = Scratch::new();
    let bars = [bar(
        "Phone carrier has blocked this message",
        3.0,
        Some("75%"),
    )];
    let t0 = ms(2026, 3, 1, 0, 0);
    let buckets = [bucket(t0, 3.0, 1.0), bucket(t0 + HOUR, 2.0, 2.0)];
    for size in [(MIN_SIDE, MIN_SIDE), (320, 200), (1200, 700), (1400, 200)] {
        let tag = format!("{}x{}", size.0, size.1);
        let p = dir.png(&format!("bar-{tag}"));
        bar_chart(&p, "Failed texts", "count", &bars, size).unwrap();
        assert_png(&p, size);
        let p = dir.png(&format!("volume-{tag}"));
        volume_chart(&p, "Volume", &buckets, HOUR, size).unwrap();
        assert_png(&p, size);
    }
}

#[test]
fn invalid_requests_are_errors_naming_the_path() {
    let dir = Scratch::new();
    let path = dir.png("too-small");
    let err = bar_chart(&path, "t", "v", &[], (10, 10)).unwrap_err();
    assert!(matches!(err, ChartError::InvalidSize { .. }));
    assert!(err.to_string().contains(&*path.to_string_lossy()), "{err}");
    assert!(!path.exists());

    let path = dir.0.join("chart.txt");
    let err = bar_chart(&path, "t", "v", &[], SIZE).unwrap_err();
    assert!(matches!(err, ChartError::NotPng { .. }));
    assert!(!path.exists());

    let path = dir.0.join("UPPER.PNG");
    bar_chart(&path, "t", "v", &[], SMALL).expect("upper-case extension is fine");
    assert_png(&path, SMALL);

    let path = dir.0.join("missing-dir").join("chart.png");
    let err = bar_chart(&path, "t", "v", &[], SIZE).unwrap_err();
    assert!(matches!(err, ChartError::Io { .. }), "{err}");
    assert!(err.to_string().contains("missing-dir"), "{err}");
}

#[test]
fn text_is_rendered_from_the_embedded_font() {
    assert!(ensure_font());
    let font = embedded_font().expect("embedded font parses");
    for c in (' '..='~').chain(['…', 'é', 'ü', '%']) {
        assert_ne!(font.glyph_id(c).0, 0, "no glyph for {c:?}");
    }
    // A title actually puts dark pixels into the top band of the image.
    let pixels = draw_pixels(SIZE, |root, th, labels| {
        draw_header(root, th, labels, "Failed texts by provider response", &[]).map(|_| ())
    })
    .expect("draws");
    let band = &pixels[..(SIZE.0 * 40 * 3) as usize];
    let dark = band
        .chunks(3)
        .filter(|p| p.iter().all(|&c| c < 128))
        .count();
    assert!(dark > 100, "only {dark} dark pixels in the title band");
}

#[test]
fn labels_are_truncated_with_ellipsis() {
    let long =
        "Message has been accepted by phone carrier but the carrier reported a permanent failure";
    let cut = clean_label(long, MAX_LABEL_CHARS);
    assert_eq!(cut.chars().count(), MAX_LABEL_CHARS);
    assert!(cut.ends_with('…'));
    assert_eq!(clean_label("short", MAX_LABEL_CHARS), "short");
    assert_eq!(clean_label("a\nb\tc", MAX_LABEL_CHARS), "a b c");
    let fitted = fit_text(long, 14.0, 120.0);
    assert!(text_width(&fitted, 14.0) <= 120.0);
    assert!(fitted.ends_with('…'));
}

#[test]
fn time_axis_picks_calendar_steps_and_formats() {
    let t0 = ms(2026, 3, 22, 0, 0);
    let hours = TimeAxis::new(t0, t0 + 12 * HOUR, 800.0, 14.0);
    assert!(matches!(hours.step, TimeStep::Fixed(len, _) if len < DAY));
    assert_eq!(hours.format((t0 + 2 * HOUR) as f64), "02:00");
    assert_eq!(hours.desc, "time (UTC), 2026-03-22");

    let days = TimeAxis::new(ms(2026, 3, 1, 0, 0), ms(2026, 3, 31, 0, 0), 800.0, 14.0);
    assert!(matches!(days.step, TimeStep::Fixed(len, _) if len >= DAY));
    assert_eq!(days.format(ms(2026, 3, 9, 0, 0) as f64), "Mar 9");

    let years = TimeAxis::new(ms(2020, 1, 1, 0, 0), ms(2026, 1, 1, 0, 0), 800.0, 14.0);
    assert!(matches!(
        years.step,
        TimeStep::Months(_) | TimeStep::Years(_)
    ));
    for t in &years.axis.ticks {
        let d = utc(*t as i64).unwrap();
        assert_eq!((d.day(), d.hour()), (1, 0), "month ticks start months");
    }
}

#[test]
fn nice_ticks_cover_the_range() {
    let (lo, hi, ticks, step) = nice_ticks(0.0, 412.0, 5, true);
    assert_eq!(lo, 0.0);
    assert!(hi >= 412.0);
    assert_eq!(ticks.first(), Some(&0.0));
    assert!(step >= 1.0);
    let (lo, hi, _, _) = nice_ticks(0.0, 0.0, 5, false);
    assert!(hi > lo);
    let (lo, hi, _, _) = nice_ticks(f64::NAN, f64::INFINITY, 5, false);
    assert!(lo.is_finite() && hi.is_finite() && hi > lo);
    assert_eq!(NumFmt::new(60_000.0, 10_000.0).format(0.0), "0");
    assert_eq!(NumFmt::new(60_000.0, 10_000.0).format(20_000.0), "20k");
    assert_eq!(NumFmt::new(1.0, 0.25).format(0.75), "0.75");
    assert_eq!(fmt_duration_ms(600_000.0), "10 min");
    assert_eq!(fmt_duration_ms(1500.0), "1.5 s");
}

#[test]
fn month_steps_agree_with_month_bounds() {
    use crate::domain::time::{month_bounds, month_index, month_index_start};
    for t in [
        ms(2026, 3, 22, 16, 1),
        ms(2024, 2, 29, 23, 59),
        ms(1970, 1, 1, 0, 0),
        ms(1969, 12, 31, 23, 59),
        ms(-44, 3, 15, 12, 0),
    ] {
        let i = month_index(t).unwrap();
        let (start, next) = month_bounds(t).unwrap();
        assert_eq!(month_index_start(i), Some(start));
        assert_eq!(month_index_start(i + 1), Some(next));
    }
    assert_eq!(month_index_start(i64::MAX), None);
}

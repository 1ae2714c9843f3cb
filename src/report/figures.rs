//! From analysis results to chart data: which charts a report has and what each shows.

use std::path::Path;

use super::charts::{self, Bar, ChartError, Latency, Out, PairBar, SpendChart, TimeBucket};
use crate::analysis::collector::Collected;
use crate::analysis::summary::{GroupRow, Summary};
use crate::domain::time::{month_string, DAY_MS, HOUR_MS};

pub const SIZE: (u32, u32) = (900, 500);
/// The page's narrow variant of every chart (for phones), with its text scaled up to stay readable there.
pub const NARROW: (u32, u32) = (400, 380);
const NARROW_TEXT: f64 = 1.4;
/// Said wherever dwell-time percentiles are shown: they come from a histogram (analysis::latency).
pub const LATENCY_NOTE: &str = "approximate percentiles (within 1%)";
/// Categories shown per bar chart.
const TOP: usize = 15;

pub fn spend_chart_data(s: &Summary) -> SpendChart {
    let sp = &s.spend;
    let title = match sp.trajectory.last() {
        Some(&(t, _)) => format!(
            "SMS spend, month to date{} ({})",
            if sp.trajectory_from_metric {
                ""
            } else {
                " (from delivery logs)"
            },
            month_string(t)
        ),
        None => "SMS spend, month to date".into(),
    };
    SpendChart {
        title,
        points: sp.trajectory.clone(),
        limit_usd: sp.spend_limit_usd,
        exhausted_at_ms: sp.exhausted_ms,
        forecast: sp.forecast_line.clone(),
    }
}

pub fn spend(path: &Path, s: &Summary) -> Result<(), ChartError> {
    charts::spend_chart(path, &spend_chart_data(s), SIZE)
}

fn pairs(rows: &[GroupRow]) -> Vec<PairBar> {
    let mut v: Vec<&GroupRow> = rows.iter().collect();
    v.sort_by(|a, b| b.failed.cmp(&a.failed).then(b.events.cmp(&a.events)));
    v.into_iter()
        .take(TOP)
        .map(|r| PairBar {
            label: r.key.clone(),
            total: r.events as f64,
            failed: r.failed as f64,
        })
        .collect()
}

/// Hourly buckets for windows up to 4 days, daily beyond.
fn volume_buckets(s: &Summary) -> (Vec<TimeBucket>, i64) {
    let span = match (s.first_ms, s.last_ms) {
        (Some(a), Some(b)) => b - a,
        _ => 0,
    };
    let bucket = if span <= 4 * DAY_MS { HOUR_MS } else { DAY_MS };
    let mut out: Vec<TimeBucket> = Vec::new();
    for h in &s.hourly {
        let start = h.hour_ms.div_euclid(bucket) * bucket;
        match out.last_mut() {
            Some(b) if b.start_ms == start => {
                b.delivered += (h.events - h.failed) as f64;
                b.failed += h.failed as f64;
            }
            _ => out.push(TimeBucket {
                start_ms: start,
                delivered: (h.events - h.failed) as f64,
                failed: h.failed as f64,
            }),
        }
    }
    (out, bucket)
}

pub fn latency_rows(c: &Collected) -> Vec<Latency> {
    let mut v: Vec<(u64, Latency)> = c
        .latency
        .iter()
        .filter_map(|(country, h)| {
            Some((
                h.total(),
                Latency {
                    label: country.clone(),
                    p50: h.quantile(0.5)?,
                    p90: h.quantile(0.9)?,
                    p99: h.quantile(0.99)?,
                },
            ))
        })
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
    v.into_iter().take(TOP).map(|(_, l)| l).collect()
}

/// One chart to draw: file stem, caption, and how (to any output, at any size).
type Job<'a> = (
    &'static str,
    String,
    Box<dyn Fn(Out<'_>, (u32, u32)) -> Result<(), ChartError> + Send + Sync + 'a>,
);

/// A chart of the report: `charts/NAME.png` is written; the page gets the SVGs.
pub struct Drawn {
    /// The file stem under `charts/`.
    pub name: &'static str,
    pub title: String,
    /// At the PNG's size.
    pub svg: String,
    /// At [`NARROW`].
    pub svg_narrow: String,
}

/// Writes every chart of a report into `dir` as PNG and draws it as SVG twice (wide and narrow), charts
/// in parallel (PNG encoding dominates); returns them in page order.
pub fn write_all(dir: &Path, s: &Summary, c: &Collected) -> Result<Vec<Drawn>, ChartError> {
    let spend_data = spend_chart_data(s);
    let failures: Vec<Bar> = s
        .by_provider_response
        .iter()
        .filter(|r| r.status == "FAILURE")
        .take(TOP)
        .map(|r| Bar {
            label: r.provider_response.clone(),
            value: r.count as f64,
            note: Some(format!(
                "{:.1}%",
                r.count as f64 * 100.0 / s.failed.max(1) as f64
            )),
        })
        .collect();
    let countries = pairs(&s.by_country);
    let carriers = pairs(&s.by_carrier);
    let (buckets, bucket_ms) = volume_buckets(s);
    let lat = latency_rows(c);
    let per = if bucket_ms == HOUR_MS { "hour" } else { "day" };
    let jobs: Vec<Job<'_>> = vec![
        (
            "spend",
            format!("Spend: {}", spend_data.title),
            Box::new(|o, size| charts::spend_chart(o, &spend_data, size)),
        ),
        (
            "failures_by_provider_response",
            "Failed texts by providerResponse".into(),
            Box::new(|o, size| {
                charts::bar_chart(
                    o,
                    "Failed texts by providerResponse",
                    "failed texts",
                    &failures,
                    size,
                )
            }),
        ),
        (
            "by_country",
            "Texts and failures by country".into(),
            Box::new(|o, size| {
                charts::paired_bar_chart(o, "Texts and failures by country", &countries, size)
            }),
        ),
        (
            "by_carrier",
            "Texts and failures by carrier".into(),
            Box::new(|o, size| {
                charts::paired_bar_chart(o, "Texts and failures by carrier", &carriers, size)
            }),
        ),
        (
            "volume",
            format!("Texts and failure rate per {per}"),
            Box::new(|o, size| {
                charts::volume_chart(
                    o,
                    &format!("Texts and failure rate per {per}"),
                    &buckets,
                    bucket_ms,
                    size,
                )
            }),
        ),
        (
            "latency",
            format!("Delivery latency (dwell time) by country, {LATENCY_NOTE}"),
            Box::new(|o, size| {
                charts::latency_chart(o, "Delivery latency (dwell time) by country", &lat, size)
            }),
        ),
    ];
    let drawn: Vec<Result<(String, String), ChartError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|(name, _, draw)| {
                scope.spawn(move || {
                    draw(Out::Png(&dir.join(format!("{name}.png"))), SIZE)?;
                    let (mut wide, mut narrow) = (String::new(), String::new());
                    draw(
                        Out::Svg {
                            svg: &mut wide,
                            text: 1.0,
                        },
                        SIZE,
                    )?;
                    draw(
                        Out::Svg {
                            svg: &mut narrow,
                            text: NARROW_TEXT,
                        },
                        NARROW,
                    )?;
                    Ok((wide, narrow))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut out = Vec::new();
    for ((name, title, _), r) in jobs.into_iter().zip(drawn) {
        let (svg, svg_narrow) = r?;
        out.push(Drawn {
            name,
            title,
            svg,
            svg_narrow,
        });
    }
    Ok(out)
}

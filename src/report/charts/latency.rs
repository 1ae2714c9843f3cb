//! Delivery latency percentiles per category: grouped horizontal bars on a logarithmic duration axis.

use super::bars::{category_labels, HBarChart, HBars, ValueKind};
use super::{exact, finite, output, ChartError, Latency, Out, Swatch, P50, P90, P99, TEXT};

/// Delivery latency percentiles (p50, p90, p99 of dwell time in ms) per category,
/// drawn as grouped horizontal bars on a logarithmic axis.
pub fn latency_chart<'a>(
    out: impl Into<Out<'a>>,
    title: &str,
    rows: &[Latency],
    size: (u32, u32),
) -> Result<(), ChartError> {
    let chart = HBarChart {
        title,
        legend: vec![
            ("p50", Swatch::Box(P50)),
            ("p90", Swatch::Box(P90)),
            ("p99", Swatch::Box(P99)),
        ],
        bars: HBars {
            labels: category_labels(rows.iter().map(|r| r.label.as_str())),
            colors: vec![P50, P90, P99],
            values: rows
                .iter()
                .map(|r| vec![finite(r.p50), finite(r.p90), finite(r.p99)])
                .collect(),
            notes: vec![None; rows.len()],
            note_color: TEXT,
            tips: rows
                .iter()
                .map(|r| {
                    let ms = |v: f64| format!("{} ms", exact(v.round()));
                    format!(
                        "{}: p50 {}, p90 {}, p99 {} (approximate, within 1%)",
                        r.label,
                        ms(r.p50),
                        ms(r.p90),
                        ms(r.p99)
                    )
                })
                .collect(),
            x_desc: "delivery latency (dwell time, log scale; percentiles approximate)".to_string(),
            log: true,
            kind: ValueKind::DurationMs,
        },
    };
    output::render(out.into(), size, &chart)
}

//! Horizontal (grouped) bars: the bar and paired-bar charts, and the drawing the latency chart shares.

use plotters::prelude::*;

use super::axes::{
    duration_ticks, fmt_duration_ms, log_ticks, nice_ceil_125, nice_floor_125, nice_ticks,
    no_label, Axis, NumFmt,
};
use super::text::{
    bottom_axis_text, clean_label, fit_text, side_axis_text, text_width, AxisText, Labels, H,
    MAX_LABEL_CHARS, V,
};
use super::{
    exact, finite, output, Area, Bar, Chart, ChartError, DrawResult, Out, PairBar, Swatch, Theme,
    AXIS, DARK_RED, GRID, MUTED_BLUE, MUTED_RED, TEXT,
};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum ValueKind {
    Number { integer: bool },
    DurationMs,
}

/// Categories, each with one bar per series, on a horizontal value axis.
pub(super) struct HBars {
    pub labels: Vec<String>,
    /// One colour per series; each category has one bar per series, top to bottom.
    pub colors: Vec<RGBColor>,
    /// `[category][series]`; `None` draws no bar.
    pub values: Vec<Vec<Option<f64>>>,
    /// Per category, drawn after the category's longest bar.
    pub notes: Vec<Option<String>>,
    pub note_color: RGBColor,
    /// Per category, what hovering over its row tells (exact values, the label in full).
    pub tips: Vec<String>,
    pub x_desc: String,
    pub log: bool,
    pub kind: ValueKind,
}

/// A titled chart of horizontal bars.
pub(super) struct HBarChart<'a> {
    pub title: &'a str,
    pub legend: Vec<(&'static str, Swatch)>,
    pub bars: HBars,
}

impl Chart for HBarChart<'_> {
    fn title(&self) -> &str {
        self.title
    }

    fn legend(&self) -> Vec<(&str, Swatch)> {
        self.legend.clone()
    }

    fn is_empty(&self) -> bool {
        self.bars.labels.is_empty()
    }

    fn plot<DB: DrawingBackend>(
        &self,
        body: &Area<DB>,
        th: &Theme,
        labels: &mut Labels,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        draw_hbars(body, th, labels, &self.bars)
    }
}

/// Where the parts of a bar chart go inside its body, in pixels.
struct BarLayout {
    margin_top: f64,
    margin_bottom: f64,
    margin_left: f64,
    margin_right: f64,
    x_area: f64,
    y_area: f64,
    plot_w: f64,
    /// Category labels, shortened to fit their column, and their size.
    cat_labels: Vec<String>,
    cat_px: f64,
    note_px: f64,
    note_gap: i32,
    /// How much to widen the value range so that the notes fit after the longest bar.
    stretch: f64,
}

impl BarLayout {
    fn new((bw, bh): (f64, f64), th: &Theme, spec: &HBars) -> Self {
        let n = spec.labels.len().max(1);
        let margin_top = (th.small * 0.5).round();
        let margin_bottom = (th.small * 0.3).round();
        let margin_left = (th.label * 0.6).round();
        let margin_right = (th.label * 1.6).round();
        let x_area = th.x_area().round();
        let plot_h = (bh - margin_top - margin_bottom - x_area).max(10.0);
        let band = plot_h / n as f64;

        // Category labels: a smaller font for crowded charts, a capped label column.
        let cat_px = th.label.min(band * 0.9).max(7.0);
        let max_label_w = (bw * 0.42).max(40.0);
        let cat_labels: Vec<String> = spec
            .labels
            .iter()
            .map(|l| fit_text(l, cat_px, max_label_w))
            .collect();
        let label_w = cat_labels
            .iter()
            .map(|l| text_width(l, cat_px))
            .fold(0.0, f64::max);
        let y_area = (label_w + (th.tick + th.gap()) as f64 + 4.0).ceil();
        let plot_w = (bw - margin_left - margin_right - y_area).max(10.0);

        let note_px = th.small.min(band * 0.8).max(7.0);
        let note_gap = (note_px * 0.45).round() as i32;
        let note_w = spec
            .notes
            .iter()
            .flatten()
            .map(|s| text_width(s, note_px) + note_gap as f64 + 4.0)
            .fold(0.0, f64::max);
        let stretch = if note_w > 0.0 {
            plot_w / (plot_w - note_w).max(plot_w * 0.4)
        } else {
            1.0
        };
        BarLayout {
            margin_top,
            margin_bottom,
            margin_left,
            margin_right,
            x_area,
            y_area,
            plot_w,
            cat_labels,
            cat_px,
            note_px,
            note_gap,
            stretch,
        }
    }
}

/// The value axis, where bars start, and how its tick labels read.
struct ValueAxis {
    axis: Axis,
    base: f64,
    format: Box<dyn Fn(f64) -> String>,
}

fn value_axis(spec: &HBars, th: &Theme, plot_w: f64, stretch: f64) -> ValueAxis {
    let finite_vals: Vec<f64> = spec
        .values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if spec.log {
        log_value_axis(spec.kind, &finite_vals, th, plot_w, stretch)
    } else {
        linear_value_axis(spec.kind, &finite_vals, th, plot_w, stretch)
    }
}

fn log_value_axis(
    kind: ValueKind,
    values: &[f64],
    th: &Theme,
    plot_w: f64,
    stretch: f64,
) -> ValueAxis {
    let pos: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    let (lo, hi) = if pos.is_empty() {
        (1.0, 1000.0)
    } else {
        let min = pos.iter().copied().fold(f64::INFINITY, f64::min);
        let max = pos.iter().copied().fold(0.0, f64::max);
        (nice_floor_125(min * 0.7), max)
    };
    let lo = if lo > 0.0 && lo.is_finite() { lo } else { 1.0 };
    let hi = if hi > lo && hi.is_finite() {
        hi
    } else {
        lo * 10.0
    };
    let (a, b) = (lo.log10(), hi.log10());
    let hi = nice_ceil_125(10f64.powf(a + (b - a) * stretch.max(1.05)));
    let ticks = match kind {
        ValueKind::DurationMs => duration_ticks(lo, hi, plot_w, th.label),
        ValueKind::Number { .. } => log_ticks(lo, hi),
    };
    let format: Box<dyn Fn(f64) -> String> = match kind {
        ValueKind::DurationMs => Box::new(fmt_duration_ms),
        ValueKind::Number { .. } => Box::new(|v| NumFmt::new(v.abs(), v.abs()).format(v)),
    };
    ValueAxis {
        axis: Axis {
            lo,
            hi,
            log: true,
            ticks,
        },
        base: lo,
        format,
    }
}

fn linear_value_axis(
    kind: ValueKind,
    values: &[f64],
    th: &Theme,
    plot_w: f64,
    stretch: f64,
) -> ValueAxis {
    let vmin = values.iter().copied().fold(0.0, f64::min);
    let vmax = values.iter().copied().fold(0.0, f64::max);
    let hi = if vmax > 0.0 {
        vmin + (vmax - vmin) * stretch
    } else {
        vmax
    };
    let tick_target = ((plot_w / (th.label * 6.0)).floor() as usize).clamp(2, 10);
    let integer = matches!(kind, ValueKind::Number { integer: true });
    let (lo, hi, ticks, step) = nice_ticks(vmin, hi, tick_target, integer);
    let nf = NumFmt::new(lo.abs().max(hi.abs()), step);
    let format: Box<dyn Fn(f64) -> String> = match kind {
        ValueKind::DurationMs => Box::new(fmt_duration_ms),
        ValueKind::Number { .. } => Box::new(move |v| nf.format(v)),
    };
    ValueAxis {
        axis: Axis::linear(lo, hi, ticks),
        base: 0.0,
        format,
    }
}

type BarContext<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

fn draw_hbars<DB: DrawingBackend>(
    body: &Area<DB>,
    th: &Theme,
    labels: &mut Labels,
    spec: &HBars,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (bw, bh) = body.dim_in_pixel();
    let lay = BarLayout::new((bw as f64, bh as f64), th, spec);
    let ValueAxis { axis, base, format } = value_axis(spec, th, lay.plot_w, lay.stretch);
    let x_ticks = axis.ticks.clone();
    // Non-zero bars stay visible (at least 2 px) on a linear axis.
    let min_len = if spec.log {
        0.0
    } else {
        (axis.hi - axis.lo) * 2.0 / lay.plot_w
    };

    let n = spec.labels.len().max(1);
    let nf = n as f64;
    let centers: Vec<f64> = (0..n).map(|i| nf - i as f64 - 0.5).collect();
    let y_axis = Axis::linear(0.0, nf, centers.clone());

    let mut chart = ChartBuilder::on(body)
        .margin_top(lay.margin_top as i32)
        .margin_bottom(lay.margin_bottom as i32)
        .margin_left(lay.margin_left as i32)
        .margin_right(lay.margin_right as i32)
        .x_label_area_size(lay.x_area as i32)
        .y_label_area_size(lay.y_area as i32)
        .build_cartesian_2d(axis, y_axis)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .set_all_tick_mark_size(th.tick)
        .x_labels(x_ticks.len().max(1))
        .y_labels(n)
        .x_label_formatter(&no_label)
        .y_label_formatter(&no_label)
        .draw()?;

    let rects = bars_and_notes(&chart, spec, &centers, (base, min_len), &lay, labels);
    chart.draw_series(rects)?;

    let frame = chart.plotting_area().get_pixel_range();
    for (c, tip) in centers.iter().zip(&spec.tips) {
        let y = |v: f64| chart.backend_coord(&(base, v)).1;
        labels.tip(
            (frame.0.start, y(c + 0.5), frame.0.end, y(c - 0.5)),
            tip.clone(),
        );
    }
    let y_at = |v: f64| chart.backend_coord(&(base, v)).1;
    let x_at = |v: f64| chart.backend_coord(&(v, 0.0)).0;
    side_axis_text(
        labels,
        th,
        (&frame.0, &frame.1),
        AxisText {
            ticks: centers
                .iter()
                .zip(lay.cat_labels)
                .map(|(c, l)| (y_at(*c), l))
                .collect(),
            px: lay.cat_px,
            desc: None,
        },
        false,
        0,
    );
    bottom_axis_text(
        labels,
        th,
        (&frame.0, &frame.1),
        AxisText {
            ticks: x_ticks.iter().map(|v| (x_at(*v), format(*v))).collect(),
            px: th.label,
            desc: Some(spec.x_desc.clone()).filter(|d| !d.is_empty()),
        },
    );
    Ok(())
}

/// The bars of every category (returned, to be drawn as one series) and the notes after them (added to
/// `labels`). Bars start at `base`; a non-zero bar is at least `min_len` long.
fn bars_and_notes<DB: DrawingBackend>(
    chart: &BarContext<'_, DB>,
    spec: &HBars,
    centers: &[f64],
    (base, min_len): (f64, f64),
    lay: &BarLayout,
    labels: &mut Labels,
) -> Vec<Rectangle<(f64, f64)>> {
    let k = spec.colors.len().max(1);
    let inner = 0.78;
    let t = inner / k as f64;
    let gap = if k > 1 { t * 0.12 } else { 0.0 };
    let mut rects = Vec::new();
    for (i, &c) in centers.iter().enumerate() {
        let row = spec.values.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let mut end = base;
        for (j, color) in spec.colors.iter().enumerate() {
            let Some(v) = row.get(j).copied().flatten().filter(|v| v.is_finite()) else {
                continue;
            };
            if spec.log && v <= 0.0 {
                continue;
            }
            let top = c + inner / 2.0 - j as f64 * t;
            let bottom = top - t + gap;
            let shown = if v != 0.0 && v.abs() < min_len {
                min_len.copysign(v)
            } else {
                v
            };
            rects.push(Rectangle::new(
                [(base, bottom), (shown, top)],
                color.filled(),
            ));
            end = end.max(shown);
        }
        if let Some(Some(note)) = spec.notes.get(i) {
            let (x, y) = chart.backend_coord(&(end, c));
            labels.add(
                note.clone(),
                (x + lay.note_gap, y),
                lay.note_px,
                spec.note_color,
                H::Left,
                V::Center,
            );
        }
    }
    rects
}

fn all_integers(values: impl IntoIterator<Item = f64>) -> bool {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .all(|v| v.fract() == 0.0)
}

/// Category labels of a bar chart: one line, at most `MAX_LABEL_CHARS` characters.
pub(super) fn category_labels<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<String> {
    labels.map(|l| clean_label(l, MAX_LABEL_CHARS)).collect()
}

/// Horizontal bar chart (labels can be long provider-response strings: truncated > 45 chars with "…").
/// Up to ~15 bars (more are drawn thinner, with smaller labels); title at top; x axis label `value_label`.
pub fn bar_chart<'a>(
    out: impl Into<Out<'a>>,
    title: &str,
    value_label: &str,
    bars: &[Bar],
    size: (u32, u32),
) -> Result<(), ChartError> {
    let chart = HBarChart {
        title,
        legend: Vec::new(),
        bars: HBars {
            labels: category_labels(bars.iter().map(|b| b.label.as_str())),
            colors: vec![MUTED_BLUE],
            values: bars.iter().map(|b| vec![finite(b.value)]).collect(),
            notes: bars
                .iter()
                .map(|b| {
                    b.note
                        .as_deref()
                        .map(|n| clean_label(n, 30))
                        .filter(|n| !n.is_empty())
                })
                .collect(),
            note_color: TEXT,
            tips: bars
                .iter()
                .map(|b| {
                    let note = b
                        .note
                        .as_deref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    format!("{}: {}{note}", b.label, exact(b.value))
                })
                .collect(),
            x_desc: clean_label(value_label, 120),
            log: false,
            kind: ValueKind::Number {
                integer: all_integers(bars.iter().map(|b| b.value)),
            },
        },
    };
    output::render(out.into(), size, &chart)
}

/// Two bars per category: total and failed (e.g. events and failed texts per country),
/// with the failure rate (failed / total) as a note.
pub fn paired_bar_chart<'a>(
    out: impl Into<Out<'a>>,
    title: &str,
    bars: &[PairBar],
    size: (u32, u32),
) -> Result<(), ChartError> {
    let chart = HBarChart {
        title,
        legend: vec![
            ("total", Swatch::Box(MUTED_BLUE)),
            ("failed", Swatch::Box(MUTED_RED)),
        ],
        bars: HBars {
            labels: category_labels(bars.iter().map(|b| b.label.as_str())),
            colors: vec![MUTED_BLUE, MUTED_RED],
            values: bars
                .iter()
                .map(|b| vec![finite(b.total), finite(b.failed)])
                .collect(),
            notes: bars
                .iter()
                .map(|b| {
                    let rate = b.failed / b.total * 100.0;
                    (b.total > 0.0 && rate.is_finite()).then(|| format!("{rate:.1}% failed"))
                })
                .collect(),
            note_color: DARK_RED,
            tips: bars
                .iter()
                .map(|b| {
                    let rate = b.failed / b.total * 100.0;
                    let rate = if b.total > 0.0 && rate.is_finite() {
                        format!(" ({rate:.1}% failed)")
                    } else {
                        String::new()
                    };
                    format!(
                        "{}: {} total, {} failed{rate}",
                        b.label,
                        exact(b.total),
                        exact(b.failed)
                    )
                })
                .collect(),
            x_desc: "count".to_string(),
            log: false,
            kind: ValueKind::Number {
                integer: all_integers(bars.iter().flat_map(|b| [b.total, b.failed])),
            },
        },
    };
    output::render(out.into(), size, &chart)
}

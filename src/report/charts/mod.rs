//! PNG charts for smslens reports: plain data in, one PNG file out.
//!
//! Shapes (bars, lines, areas, grid) are drawn by plotters; every chart is drawn through [`Chart`] on any
//! plotters backend, and `png` puts it on the bitmap backend. All text is set with DejaVu Sans compiled
//! into the binary: the font is registered with plotters under the family "sans-serif" (its `ab_glyph`
//! feature; no font-kit, no fontconfig), and the labels themselves are collected while plotters draws and
//! rasterised afterwards directly with `ab_glyph` (see `text`), because plotters 0.3.7's ab_glyph text
//! path drops each glyph's side bearing and truncates pen positions, which visibly mangles letter spacing
//! ("Inval id"). Nothing reads system fonts, so the charts render the same on a bare machine.
//!
//! The same drawing goes to a PNG file or, for the report page, to an inline SVG document (`svg`): shapes by
//! plotters' SVG backend, the labels as text elements (searchable, crisp at any zoom), and hover areas
//! whose `<title>` gives exact values. Every string in it is escaped.
//!
//! Every PNG is drawn into an in-memory RGB buffer first; the file is only created once drawing has
//! succeeded, so a drawing error never leaves a partial file (a failed write removes what it wrote). Odd
//! data never panics: empty inputs give a titled chart saying "no data"; NaN/infinite values are skipped;
//! zeros, single points, identical timestamps and values spanning orders of magnitude all get a sensible
//! axis.
//!
//! Modules: `text` (font, glyph layout, labels), `axes` (numeric ticks and formats), `time_axis` (UTC
//! calendar ticks), `timeseries` (the frame the volume and spend charts share), one module per chart kind
//! (`bars`, `latency`, `volume`, `spend`), `output` (the checks every request gets, then the format), `png`
//! (drawing into memory, the file) and `svg`.

mod axes;
mod bars;
mod latency;
mod output;
mod png;
mod spend;
mod svg;
mod text;
mod time_axis;
mod timeseries;
mod volume;

#[cfg(test)]
mod tests;

use std::error::Error as StdError;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

pub use bars::{bar_chart, paired_bar_chart};
pub use latency::latency_chart;
pub use spend::spend_chart;
pub use volume::volume_chart;

use text::{clean_label, fit_text, text_width, Labels, H, V};

/// Smallest accepted image side in pixels (anything smaller cannot hold axes and labels).
pub const MIN_SIDE: u32 = 200;
/// Largest accepted image side in pixels (keeps the in-memory buffer bounded).
pub const MAX_SIDE: u32 = 8192;

/// Errors from drawing or writing a chart; every message names the output path.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The requested image size is outside `MIN_SIDE..=MAX_SIDE`.
    #[error("chart {}: invalid size {width}x{height} (each side must be {MIN_SIDE}..={MAX_SIDE} px)", .path.display())]
    InvalidSize {
        path: PathBuf,
        width: u32,
        height: u32,
    },
    /// The encoder picks the format from the file name, so it must end in `.png`.
    #[error("chart {}: the output file name must end in .png", .path.display())]
    NotPng { path: PathBuf },
    /// The embedded font could not be parsed or registered.
    #[error("chart {}: the embedded font could not be loaded", .path.display())]
    Font { path: PathBuf },
    /// Plotters failed while drawing into the in-memory buffer (nothing was written).
    #[error("chart {}: drawing failed: {message}", .path.display())]
    Draw { path: PathBuf, message: String },
    /// Encoding or writing the PNG file failed (a partial file is removed).
    #[error("chart {}: writing the PNG failed: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Where a chart goes.
pub enum Out<'a> {
    /// A PNG file.
    Png(&'a Path),
    /// An SVG element for inline use in a page, appended to `svg`. `text` scales the text and lines
    /// against the PNG of the same size (1.0: the same; more for a chart shown narrow, on a phone).
    Svg { svg: &'a mut String, text: f64 },
}

impl<'a, P: AsRef<Path> + ?Sized> From<&'a P> for Out<'a> {
    fn from(path: &'a P) -> Self {
        Out::Png(path.as_ref())
    }
}

impl Out<'_> {
    /// What error messages name: the file, or the inline SVG.
    fn name(&self) -> PathBuf {
        match self {
            Out::Png(p) => p.to_path_buf(),
            Out::Svg { .. } => PathBuf::from("(inline SVG)"),
        }
    }
}

/// One labelled bar. `value` is what the bar length shows; `note` is optional text drawn at the bar end (e.g. "31.2%").
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub note: Option<String>,
}

/// Two bars per category: total and failed; the failure rate is drawn as a note.
#[derive(Debug, Clone, PartialEq)]
pub struct PairBar {
    pub label: String,
    pub total: f64,
    pub failed: f64,
}

/// One time bucket of the volume chart (UTC start time in epoch ms).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeBucket {
    pub start_ms: i64,
    pub delivered: f64,
    pub failed: f64,
}

/// Month-to-date SMS spend against the account's monthly spend limit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpendChart {
    pub title: String,
    /// (epoch ms, month-to-date USD), time-sorted; may span several months (each UTC month is drawn as its own segment).
    pub points: Vec<(i64, f64)>,
    /// Horizontal red line, labelled "limit 60 USD".
    pub limit_usd: Option<f64>,
    /// Vertical marker labelled "limit reached 2026-03-22 16:01 UTC".
    pub exhausted_at_ms: Option<i64>,
    /// Dashed line continuing from the last point (may be empty).
    pub forecast: Vec<(i64, f64)>,
}

/// Delivery latency percentiles (dwell time in ms) for one category.
#[derive(Debug, Clone, PartialEq)]
pub struct Latency {
    pub label: String,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

// ---------------------------------------------------------------------------
// Style
// ---------------------------------------------------------------------------

const TEXT: RGBColor = RGBColor(40, 40, 40);
const MUTED_TEXT: RGBColor = RGBColor(100, 100, 100);
const AXIS: RGBColor = RGBColor(140, 140, 140);
const GRID: RGBColor = RGBColor(230, 230, 230);
const MUTED_BLUE: RGBColor = RGBColor(76, 120, 168);
const MUTED_RED: RGBColor = RGBColor(214, 69, 65);
const DARK_RED: RGBColor = RGBColor(165, 35, 35);
const RATE: RGBColor = RGBColor(45, 45, 45);
const FORECAST: RGBColor = RGBColor(110, 110, 110);
const P50: RGBColor = RGBColor(158, 202, 225);
const P90: RGBColor = RGBColor(66, 146, 198);
const P99: RGBColor = RGBColor(8, 69, 148);

/// Font sizes (ab_glyph pixel heights) and line widths, scaled with the image
/// (reference size 900x500).
struct Theme {
    title: f64,
    label: f64,
    desc: f64,
    small: f64,
    line: u32,
    tick: i32,
}

impl Theme {
    fn new(size: (u32, u32)) -> Self {
        Theme::scaled(Theme::scale_of(size))
    }

    /// The scale of the reference theme that an image of `(w, h)` gets.
    fn scale_of((w, h): (u32, u32)) -> f64 {
        (w as f64 / 900.0).min(h as f64 / 500.0).clamp(0.65, 3.0)
    }

    fn scaled(s: f64) -> Self {
        Theme {
            title: 22.0 * s,
            label: 15.0 * s,
            desc: 15.0 * s,
            small: 14.0 * s,
            line: (2.0 * s).round().max(1.0) as u32,
            tick: (5.0 * s).round().max(3.0) as i32,
        }
    }

    /// Gap between a tick mark and its label.
    fn gap(&self) -> i32 {
        (self.label * 0.35).round() as i32
    }

    /// Height of the area under a horizontal axis: tick, labels and the axis description.
    fn x_area(&self) -> f64 {
        (self.tick + 2 * self.gap()) as f64 + self.label + self.desc * 1.5
    }
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// A value as a hover tip gives it: whole numbers in full with thousands separated (12,345), others with
/// two decimals.
fn exact(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    if v.fract() != 0.0 || v.abs() >= 1e15 {
        return format!("{v:.2}");
    }
    let whole = crate::report::headline::grouped(v.abs() as u64);
    if v < 0.0 {
        format!("-{whole}")
    } else {
        whole
    }
}

/// A count-like value: non-finite and negative values count as zero.
fn count(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------
// One chart on any backend: title, legend, then the plot or "no data"
// ---------------------------------------------------------------------------

type Area<DB> = DrawingArea<DB, Shift>;
type DrawResult<T = ()> = Result<T, Box<dyn StdError>>;

/// What one chart shows. Drawing is generic over the plotters backend; text goes into `Labels`, which the
/// caller renders for its output format.
trait Chart {
    fn title(&self) -> &str;
    fn legend(&self) -> Vec<(&str, Swatch)>;
    /// Nothing to plot: the chart is its title and "no data".
    fn is_empty(&self) -> bool;
    /// Draws the plot into `body`, the area under the title and legend.
    fn plot<DB: DrawingBackend>(
        &self,
        body: &Area<DB>,
        th: &Theme,
        labels: &mut Labels,
    ) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// Draws `chart` (title, legend and plot, or "no data") onto `root`.
fn draw_chart<DB: DrawingBackend, C: Chart>(
    root: &Area<DB>,
    th: &Theme,
    labels: &mut Labels,
    chart: &C,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if chart.is_empty() {
        let body = draw_header(root, th, labels, chart.title(), &[])?;
        return draw_no_data(&body, th, labels);
    }
    let body = draw_header(root, th, labels, chart.title(), &chart.legend())?;
    chart.plot(&body, th, labels)
}

#[derive(Clone, Copy)]
enum Swatch {
    Box(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
}

/// Draws the title (and a one-row legend under it) and returns the area left for the plot.
fn draw_header<DB: DrawingBackend>(
    root: &Area<DB>,
    th: &Theme,
    labels: &mut Labels,
    title: &str,
    legend: &[(&str, Swatch)],
) -> DrawResult<Area<DB>>
where
    DB::ErrorType: 'static,
{
    let (w, _) = root.dim_in_pixel();
    let w = w as i32;
    let title = fit_text(&clean_label(title, 300), th.title, w as f64 - 24.0);
    let title_h = (th.title * 1.9).round() as i32;
    labels.add(
        title,
        (w / 2, title_h / 2 + 2),
        th.title,
        TEXT,
        H::Center,
        V::Center,
    );
    let mut top = title_h;
    if !legend.is_empty() {
        draw_legend(root, th, labels, legend, top)?;
        top += (th.small * 1.6).round() as i32;
    }
    Ok(root.split_vertically(top).1)
}

/// One centred row of swatches and their labels, starting at pixel row `top`.
fn draw_legend<DB: DrawingBackend>(
    root: &Area<DB>,
    th: &Theme,
    labels: &mut Labels,
    legend: &[(&str, Swatch)],
    top: i32,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let w = root.dim_in_pixel().0 as i32;
    let row_h = (th.small * 1.6).round() as i32;
    let sw = (th.small * 1.3).round() as i32;
    let gap = (th.small * 0.45).round() as i32;
    let spacing = (th.small * 1.5).round() as i32;
    let widths: Vec<i32> = legend
        .iter()
        .map(|(label, _)| sw + gap + text_width(label, th.small).ceil() as i32)
        .collect();
    let total: i32 = widths.iter().sum::<i32>() + spacing * (legend.len() as i32 - 1);
    let mut x = ((w - total) / 2).max(4);
    let cy = top + row_h / 2 - 2;
    let half = (th.small * 0.38).round() as i32;
    let stroke = th.line + 1;
    for ((label, swatch), item_w) in legend.iter().zip(&widths) {
        match *swatch {
            Swatch::Box(c) => {
                root.draw(&Rectangle::new(
                    [(x, cy - half), (x + sw, cy + half)],
                    c.filled(),
                ))?;
            }
            Swatch::Line(c) => {
                root.draw(&PathElement::new(
                    vec![(x, cy), (x + sw, cy)],
                    c.stroke_width(stroke),
                ))?;
            }
            Swatch::Dashed(c) => {
                let seg = (sw / 3).max(2);
                for k in [0, 2] {
                    root.draw(&PathElement::new(
                        vec![(x + k * seg, cy), (x + (k + 1) * seg, cy)],
                        c.stroke_width(stroke),
                    ))?;
                }
            }
        }
        labels.add(
            *label,
            (x + sw + gap, cy),
            th.small,
            TEXT,
            H::Left,
            V::Center,
        );
        x += item_w + spacing;
    }
    Ok(())
}

/// Draws a framed, empty plot area with a centred "no data" caption.
fn draw_no_data<DB: DrawingBackend>(body: &Area<DB>, th: &Theme, labels: &mut Labels) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (x, y) = body.get_pixel_range();
    let m = (th.label * 2.0) as i32;
    let (x0, x1, y0, y1) = (x.start + m, x.end - m, y.start + m / 3, y.end - m);
    if x1 > x0 && y1 > y0 {
        body.draw(&Rectangle::new(
            [(m, m / 3), (x1 - x.start, y1 - y.start)],
            AXIS.stroke_width(1),
        ))?;
    }
    labels.add(
        "no data",
        ((x0 + x1) / 2, (y0 + y1) / 2),
        th.title,
        MUTED_TEXT,
        H::Center,
        V::Center,
    );
    Ok(())
}

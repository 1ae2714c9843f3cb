//! PNG charts for smslens reports: plain data in, one PNG file out.
//!
//! Shapes (bars, lines, areas, grid) are drawn by plotters' bitmap backend. All text is set
//! with DejaVu Sans compiled into the binary: the font is registered with plotters under the
//! family "sans-serif" (its `ab_glyph` feature; no font-kit, no fontconfig), and the labels
//! themselves are rasterised here directly with `ab_glyph`, because plotters 0.3.7's ab_glyph
//! text path drops each glyph's side bearing and truncates pen positions, which visibly
//! mangles letter spacing ("Inval id"). Nothing reads system fonts, so the charts render the
//! same on a bare machine.
//!
//! Every chart is drawn into an in-memory RGB buffer first; the PNG file is only created once
//! drawing has succeeded, so a drawing error never leaves a partial file (a failed write
//! removes what it wrote). Odd data never panics: empty inputs give a titled chart saying
//! "no data"; NaN/infinite values are skipped; zeros, single points, identical timestamps and
//! values spanning orders of magnitude all get a sensible axis.

use std::error::Error as StdError;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, OnceLock};

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

/// DejaVu Sans, embedded so no system font is ever looked up.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
/// The family name the embedded font is registered under with plotters.
const FONT_FAMILY: &str = "sans-serif";
static FONT_INIT: Once = Once::new();
static FONT_OK: AtomicBool = AtomicBool::new(false);

/// Smallest accepted image side in pixels (anything smaller cannot hold axes and labels).
pub const MIN_SIDE: u32 = 200;
/// Largest accepted image side in pixels (keeps the in-memory buffer bounded).
pub const MAX_SIDE: u32 = 8192;
/// Category labels longer than this many characters are cut and end in "…".
const MAX_LABEL_CHARS: usize = 45;

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
    fn new((w, h): (u32, u32)) -> Self {
        let s = (w as f64 / 900.0).min(h as f64 / 500.0).clamp(0.65, 3.0);
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

// ---------------------------------------------------------------------------
// Text: measured and rasterised with ab_glyph from the embedded font
// ---------------------------------------------------------------------------

fn embedded_font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
}

/// Registers the embedded font with plotters (once) and checks it parses.
fn ensure_font() -> bool {
    FONT_INIT.call_once(|| {
        let ok = register_font(FONT_FAMILY, FontStyle::Normal, FONT_BYTES).is_ok()
            && embedded_font().is_some();
        FONT_OK.store(ok, Ordering::Release);
    });
    FONT_OK.load(Ordering::Acquire)
}

/// Glyph ids and pen x positions of `text` at pixel height `px`, plus the advance width.
/// Characters the font lacks are shown as "?" rather than as a box.
fn layout(font: &FontRef<'static>, text: &str, px: f64) -> (Vec<(GlyphId, f32)>, f32) {
    let sf = font.as_scaled(PxScale::from(px.max(1.0) as f32));
    let fallback = sf.glyph_id('?');
    let mut x = 0.0f32;
    let mut prev: Option<GlyphId> = None;
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let mut id = sf.glyph_id(c);
        if id.0 == 0 {
            id = fallback;
        }
        if let Some(p) = prev {
            x += sf.kern(p, id);
        }
        out.push((id, x));
        x += sf.h_advance(id);
        prev = Some(id);
    }
    (out, x)
}

/// Advance width of `text` in pixels.
fn text_width(text: &str, px: f64) -> f64 {
    match embedded_font() {
        Some(font) => layout(font, text, px).1 as f64,
        None => text.chars().count() as f64 * px * 0.55,
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum H {
    Left,
    Center,
    Right,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum V {
    Top,
    Center,
    Bottom,
}

/// One piece of text, positioned in absolute image pixels.
struct Label {
    text: String,
    at: (i32, i32),
    px: f64,
    color: RGBColor,
    h: H,
    v: V,
    /// Rotated 90° counter-clockwise (reads bottom to top), anchors relative to the text.
    vertical: bool,
}

/// Text collected while plotters draws the shapes; rasterised on top at the end.
#[derive(Default)]
struct Labels(Vec<Label>);

impl Labels {
    fn add(
        &mut self,
        text: impl Into<String>,
        at: (i32, i32),
        px: f64,
        color: RGBColor,
        h: H,
        v: V,
    ) {
        self.0.push(Label {
            text: text.into(),
            at,
            px,
            color,
            h,
            v,
            vertical: false,
        });
    }

    fn add_vertical(&mut self, text: impl Into<String>, at: (i32, i32), px: f64, color: RGBColor) {
        self.0.push(Label {
            text: text.into(),
            at,
            px,
            color,
            h: H::Center,
            v: V::Center,
            vertical: true,
        });
    }

    /// Alpha-blends every label into the RGB buffer `pixels` of size `w`x`h`.
    fn rasterize(&self, pixels: &mut [u8], (w, h): (u32, u32)) {
        let Some(font) = embedded_font() else {
            return;
        };
        for label in &self.0 {
            if label.text.is_empty() {
                continue;
            }
            let scale = PxScale::from(label.px.max(1.0) as f32);
            let sf = font.as_scaled(scale);
            let (glyphs, width) = layout(font, &label.text, label.px);
            let (ascent, descent) = (sf.ascent(), sf.descent());
            let x0 = match label.h {
                H::Left => 0.0,
                H::Center => -width / 2.0,
                H::Right => -width,
            };
            let baseline = match label.v {
                V::Top => ascent,
                V::Center => (ascent + descent) / 2.0,
                V::Bottom => descent,
            };
            let RGBColor(r, g, b) = label.color;
            // Keep the whole text inside the image (e.g. a tick label at the plot's edge).
            let (along, across) = if label.vertical { (h, w) } else { (w, h) };
            let fit = |start: f32, len: f32, limit: u32| -> i32 {
                let end = start + len;
                if end > limit as f32 - 1.0 {
                    (limit as f32 - 1.0 - end).max(-start).floor() as i32
                } else if start < 0.0 {
                    (-start).ceil() as i32
                } else {
                    0
                }
            };
            let (ax, ay) = label.at;
            let (ax, ay) = if label.vertical {
                // Text runs upwards from ay - x0; its height spans ax - ascent ..= ax - descent.
                let dy = -fit((h as f32 - 1.0) - (ay as f32 - x0), width, along);
                let dx = fit(ax as f32 + baseline - ascent, ascent - descent, across);
                (ax + dx, ay + dy)
            } else {
                let dx = fit(ax as f32 + x0, width, along);
                let dy = fit(ay as f32 + baseline - ascent, ascent - descent, across);
                (ax + dx, ay + dy)
            };
            for (id, gx) in glyphs {
                let glyph = id.with_scale_and_position(scale, point(x0 + gx, baseline));
                let Some(outlined) = font.outline_glyph(glyph) else {
                    continue;
                };
                let bounds = outlined.px_bounds();
                outlined.draw(|px, py, coverage| {
                    // Offset from the anchor in text space (x along the text, y down).
                    let tx = (bounds.min.x + px as f32) as i32;
                    let ty = (bounds.min.y + py as f32) as i32;
                    let (x, y) = if label.vertical {
                        (ax + ty, ay - tx)
                    } else {
                        (ax + tx, ay + ty)
                    };
                    if x < 0 || y < 0 || x >= w as i32 || y >= h as i32 {
                        return;
                    }
                    let a = coverage.clamp(0.0, 1.0);
                    let i = (y as usize * w as usize + x as usize) * 3;
                    if let Some(p) = pixels.get_mut(i..i + 3) {
                        for (dst, src) in p.iter_mut().zip([r, g, b]) {
                            *dst = (*dst as f32 * (1.0 - a) + src as f32 * a).round() as u8;
                        }
                    }
                });
            }
        }
    }
}

/// Printable single-line version of `s`, cut to `max_chars` characters ending in "…".
fn clean_label(s: &str, max_chars: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Shortens `text` (ending in "…") until it is at most `max_px` wide.
fn fit_text(text: &str, px: f64, max_px: f64) -> String {
    if text_width(text, px) <= max_px {
        return text.to_string();
    }
    let chars: Vec<char> = text.trim_end_matches('…').chars().collect();
    let candidate = |n: usize| format!("{}…", chars[..n].iter().collect::<String>().trim_end());
    // Longest prefix that fits, by bisection.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(&candidate(mid), px) <= max_px {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        String::new()
    } else {
        candidate(lo)
    }
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
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
// Rendering pipeline
// ---------------------------------------------------------------------------

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
type DrawResult<T = ()> = Result<T, Box<dyn StdError>>;

/// Draws a chart of `size` into a fresh RGB buffer: shapes via plotters, then the labels.
fn draw_pixels<F>(size: (u32, u32), draw: F) -> DrawResult<Vec<u8>>
where
    F: FnOnce(&Area<'_>, &Theme, &mut Labels) -> DrawResult,
{
    let mut pixels = vec![0u8; size.0 as usize * size.1 as usize * 3];
    let mut labels = Labels::default();
    {
        let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root, &Theme::new(size), &mut labels)?;
        root.present()?;
    }
    labels.rasterize(&mut pixels, size);
    Ok(pixels)
}

/// Validates the request, draws with `draw` into memory, then writes the PNG to `path`.
fn render<F>(path: &Path, size: (u32, u32), draw: F) -> Result<(), ChartError>
where
    F: FnOnce(&Area<'_>, &Theme, &mut Labels) -> DrawResult,
{
    let (w, h) = size;
    if !(MIN_SIDE..=MAX_SIDE).contains(&w) || !(MIN_SIDE..=MAX_SIDE).contains(&h) {
        return Err(ChartError::InvalidSize {
            path: path.to_path_buf(),
            width: w,
            height: h,
        });
    }
    let is_png = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !is_png {
        return Err(ChartError::NotPng {
            path: path.to_path_buf(),
        });
    }
    if !ensure_font() {
        return Err(ChartError::Font {
            path: path.to_path_buf(),
        });
    }

    let pixels = draw_pixels(size, draw).map_err(|e| ChartError::Draw {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;

    // Only now touch the file system. Opening the file first turns "no such directory" or
    // "permission denied" into a plain io::Error; the encoder then overwrites it.
    let io_err = |source: std::io::Error| ChartError::Io {
        path: path.to_path_buf(),
        source,
    };
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(io_err)?;
    let result = {
        let mut out = BitMapBackend::new(path, size);
        let written = out
            .blit_bitmap((0, 0), size, &pixels)
            .and_then(|()| out.present());
        // On failure `out` retries once when dropped; the file is removed below either way.
        written.map_err(|e| io_err(std::io::Error::other(e.to_string())))
    };
    if result.is_err() {
        // Best effort: do not leave a truncated PNG behind.
        let _ = std::fs::remove_file(path);
    }
    result
}

// ---------------------------------------------------------------------------
// Axes: one linear/log f64 coordinate with explicitly chosen tick positions
// ---------------------------------------------------------------------------

/// A 1-D coordinate over `lo..hi` (log10-mapped if `log`) whose labelled ticks are
/// exactly `ticks`; used for values, categories (ticks at band centres) and time (ms).
#[derive(Clone, Debug)]
struct Axis {
    lo: f64,
    hi: f64,
    log: bool,
    ticks: Vec<f64>,
}

impl Axis {
    fn linear(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
        let (lo, hi) = sane_range(lo, hi);
        Axis {
            lo,
            hi,
            log: false,
            ticks,
        }
    }

    fn fraction(&self, v: f64) -> f64 {
        if self.log {
            let (a, b) = (self.lo.log10(), self.hi.log10());
            let v = if v > 0.0 { v.log10() } else { a };
            (v - a) / (b - a)
        } else {
            (v - self.lo) / (self.hi - self.lo)
        }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = self.fraction(*value);
        let px = limit.0 as f64 + t * (limit.1 - limit.0) as f64;
        if px.is_finite() {
            px.round().clamp(-100_000.0, 100_000.0) as i32
        } else {
            limit.0
        }
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            return Vec::new(); // no light grid lines
        }
        let max = hint.max_num_points();
        if max == 0 || self.ticks.is_empty() {
            return Vec::new();
        }
        let step = self.ticks.len().div_ceil(max);
        self.ticks.iter().step_by(step).copied().collect()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// A finite, non-empty `lo < hi` range.
fn sane_range(lo: f64, hi: f64) -> (f64, f64) {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 || hi - lo < f64::MIN_POSITIVE {
        let pad = (lo.abs() * 0.1).max(1.0);
        if lo >= 0.0 && lo - pad < 0.0 {
            hi = lo + pad;
        } else {
            lo -= pad;
            hi += pad;
        }
    }
    (lo, hi)
}

/// "Nice" ticks (1, 2, 2.5, 5 × 10^k) covering `lo..hi` with about `target` intervals.
/// Returns the widened range, the ticks and the step.
fn nice_ticks(lo: f64, hi: f64, target: usize, integer: bool) -> (f64, f64, Vec<f64>, f64) {
    let (lo, hi) = sane_range(lo, hi);
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let mut step = mag
        * if norm <= 1.0 {
            1.0
        } else if norm <= 2.0 {
            2.0
        } else if norm <= 2.5 {
            2.5
        } else if norm <= 5.0 {
            5.0
        } else {
            10.0
        };
    if integer && step < 1.0 {
        step = 1.0;
    }
    if integer && (step - 2.5).abs() < 1e-9 {
        step = 2.0;
    }
    if !step.is_finite() || step <= 0.0 {
        return (lo, hi, vec![lo, hi], hi - lo);
    }
    let nlo = (lo / step + 1e-9).floor() * step;
    let nhi = (hi / step - 1e-9).ceil() * step;
    let n = (((nhi - nlo) / step).round() as usize).min(1000);
    let ticks = (0..=n).map(|k| nlo + k as f64 * step).collect();
    (nlo, nhi, ticks, step)
}

/// Formats axis values consistently for one axis (unit suffix k/M/B and decimals from the step).
#[derive(Clone, Copy, Debug)]
struct NumFmt {
    div: f64,
    suffix: &'static str,
    decimals: usize,
    /// Beyond 10^15 every label is in scientific notation.
    sci: bool,
}

impl NumFmt {
    fn new(max_abs: f64, step: f64) -> Self {
        let (div, suffix) = if max_abs >= 1e12 {
            (1e12, "T")
        } else if max_abs >= 1e9 {
            (1e9, "B")
        } else if max_abs >= 1e6 {
            (1e6, "M")
        } else if max_abs >= 1e4 {
            (1e3, "k")
        } else {
            (1.0, "")
        };
        let s = (step / div).abs();
        let mut decimals = 0;
        while decimals < 6 && s.is_finite() && s > 0.0 {
            let scaled = s * 10f64.powi(decimals as i32);
            if (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0) {
                break;
            }
            decimals += 1;
        }
        NumFmt {
            div,
            suffix,
            decimals,
            sci: max_abs >= 1e15,
        }
    }

    fn format(&self, v: f64) -> String {
        if !v.is_finite() {
            return String::new();
        }
        if self.sci && v != 0.0 {
            return format!("{v:.1e}");
        }
        let x = v / self.div;
        if x.abs() < 0.5 * 10f64.powi(-(self.decimals as i32)) {
            return "0".to_string(); // not "0k" or "-0"
        }
        format!("{:.*}{}", self.decimals, x, self.suffix)
    }
}

/// Ticks for a logarithmic axis over `lo..hi` (both > 0): decades, plus 2× and 5×
/// when the range spans few decades.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let decades = (b - a).max(1);
    let mults: &[f64] = if decades <= 2 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let stride = (decades as usize).div_ceil(8).max(1);
    let mut ticks = Vec::new();
    for e in (a..=b).step_by(stride) {
        for m in mults {
            let v = m * 10f64.powi(e);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                ticks.push(v);
            }
        }
    }
    ticks
}

/// Ticks for a logarithmic duration axis (ms) over `lo..hi`: round durations (1 s, 10 s,
/// 1 min, 10 min, 1 h, ...), plus in-between ones (2 s, 5 s, 30 s, ...) for short ranges,
/// thinned so labels `label_px` high do not collide on an axis `plot_px` long.
fn duration_ticks(lo: f64, hi: f64, plot_px: f64, label_px: f64) -> Vec<f64> {
    const S: f64 = 1000.0;
    const M: f64 = 60.0 * S;
    const HR: f64 = 60.0 * M;
    const D: f64 = 24.0 * HR;
    let major = [
        0.001,
        0.01,
        0.1,
        1.0,
        10.0,
        100.0,
        S,
        10.0 * S,
        M,
        10.0 * M,
        HR,
        10.0 * HR,
        D,
        10.0 * D,
        100.0 * D,
    ];
    let minor = [
        0.002,
        0.005,
        0.02,
        0.05,
        0.2,
        0.5,
        2.0,
        5.0,
        20.0,
        50.0,
        200.0,
        500.0,
        2.0 * S,
        5.0 * S,
        20.0 * S,
        30.0 * S,
        2.0 * M,
        5.0 * M,
        20.0 * M,
        30.0 * M,
        2.0 * HR,
        5.0 * HR,
        2.0 * D,
        5.0 * D,
        20.0 * D,
        50.0 * D,
    ];
    if !(lo > 0.0 && hi > lo) {
        return Vec::new();
    }
    let (a, b) = (lo.log10(), hi.log10());
    let pos = |v: f64| (v.log10() - a) / (b - a) * plot_px;
    let min_gap = |u: f64, v: f64| {
        let w = text_width(&fmt_duration_ms(u), label_px)
            .max(text_width(&fmt_duration_ms(v), label_px));
        w + label_px * 1.5
    };
    let in_range = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    let mut kept: Vec<f64> = Vec::new();
    for v in major.into_iter().filter(in_range) {
        if kept
            .last()
            .is_none_or(|&k| pos(v) - pos(k) >= min_gap(k, v))
        {
            kept.push(v);
        }
    }
    if kept.len() < 4 {
        for v in minor.into_iter().filter(in_range) {
            let clear = kept
                .iter()
                .all(|&k| (pos(v) - pos(k)).abs() >= min_gap(k, v));
            if clear {
                kept.push(v);
            }
        }
        kept.sort_by(f64::total_cmp);
    }
    kept
}

/// Human-readable duration for a value in milliseconds ("250 ms", "1.5 s", "2 min", "3 h").
fn fmt_duration_ms(ms: f64) -> String {
    fn trim(x: f64) -> String {
        let s = if x >= 100.0 || (x - x.round()).abs() < 1e-9 {
            format!("{x:.0}")
        } else if x >= 10.0 {
            format!("{x:.1}")
        } else {
            format!("{x:.2}")
        };
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
    if !ms.is_finite() {
        return String::new();
    }
    if ms.abs() < 1.0 && ms != 0.0 {
        format!("{} µs", trim(ms * 1000.0))
    } else if ms < 1000.0 {
        format!("{} ms", trim(ms))
    } else if ms < 60_000.0 {
        format!("{} s", trim(ms / 1000.0))
    } else if ms < 3_600_000.0 {
        format!("{} min", trim(ms / 60_000.0))
    } else if ms < 172_800_000.0 {
        format!("{} h", trim(ms / 3_600_000.0))
    } else {
        format!("{} d", trim(ms / 86_400_000.0))
    }
}

// ---------------------------------------------------------------------------
// Time axis (UTC)
// ---------------------------------------------------------------------------

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Timestamps are clamped to ±250,000 years around 1970 (inside chrono's range), so that
/// no time arithmetic here can overflow.
const T_LIMIT: i64 = 250_000 * 366 * DAY;

fn clamp_ms(t: i64) -> i64 {
    t.clamp(-T_LIMIT, T_LIMIT)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum TimeStep {
    /// Fixed length in ms, aligned to multiples from `offset` (UTC midnight / Monday).
    Fixed(i64, i64),
    Months(i32),
    Years(i32),
}

impl TimeStep {
    fn approx_ms(self) -> f64 {
        match self {
            TimeStep::Fixed(ms, _) => ms as f64,
            TimeStep::Months(n) => n as f64 * 30.44 * DAY as f64,
            TimeStep::Years(n) => n as f64 * 365.25 * DAY as f64,
        }
    }
}

fn utc(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

fn month_start_ms(year: i32, month0: i32) -> Option<i64> {
    let y = year + month0.div_euclid(12);
    let m = month0.rem_euclid(12) as u32 + 1;
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().timestamp_millis())
}

/// (year, zero-based month) of a timestamp.
fn year_month(ms: i64) -> Option<(i32, i32)> {
    utc(ms).map(|d| (d.year(), d.month0() as i32))
}

fn time_ticks(lo: i64, hi: i64, step: TimeStep) -> Vec<i64> {
    const MAX_TICKS: usize = 400;
    let mut out = Vec::new();
    match step {
        TimeStep::Fixed(len, offset) => {
            let first = (lo - offset).div_euclid(len) * len + offset;
            let mut t = if first < lo {
                first.saturating_add(len)
            } else {
                first
            };
            while t <= hi && out.len() < MAX_TICKS {
                out.push(t);
                t = match t.checked_add(len) {
                    Some(n) => n,
                    None => break,
                };
            }
        }
        TimeStep::Months(n) | TimeStep::Years(n) => {
            let months = i64::from(if let TimeStep::Years(y) = step {
                12 * y
            } else {
                n
            })
            .max(1);
            let Some((y, m0)) = year_month(lo) else {
                return out;
            };
            // Index of months since year 0, aligned to multiples of the step.
            let mut idx = (i64::from(y) * 12 + i64::from(m0)).div_euclid(months) * months;
            for _ in 0..10_000 {
                if out.len() >= MAX_TICKS {
                    break;
                }
                let (Ok(year), Ok(month0)) = (
                    i32::try_from(idx.div_euclid(12)),
                    i32::try_from(idx.rem_euclid(12)),
                ) else {
                    break;
                };
                // Outside chrono's calendar (absurd timestamps) there is simply no tick.
                if let Some(t) = month_start_ms(year, month0) {
                    if t > hi {
                        break;
                    }
                    if t >= lo {
                        out.push(t);
                    }
                }
                idx += months;
            }
        }
    }
    out
}

/// A time axis: range in epoch ms, ticks aligned to UTC calendar units, label format and description.
struct TimeAxis {
    axis: Axis,
    step: TimeStep,
    same_year: bool,
    desc: String,
}

impl TimeAxis {
    /// Chooses the finest calendar step whose labels fit into `plot_px` pixels.
    fn new(lo: i64, hi: i64, plot_px: f64, label_px: f64) -> Self {
        let (lo, hi) = (clamp_ms(lo), clamp_ms(hi));
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - HOUR, lo + HOUR)
        };
        let span = (hi - lo) as f64;
        let monday = 4 * DAY; // 1970-01-05 was a Monday
        let candidates = [
            TimeStep::Fixed(SECOND, 0),
            TimeStep::Fixed(5 * SECOND, 0),
            TimeStep::Fixed(15 * SECOND, 0),
            TimeStep::Fixed(30 * SECOND, 0),
            TimeStep::Fixed(MINUTE, 0),
            TimeStep::Fixed(2 * MINUTE, 0),
            TimeStep::Fixed(5 * MINUTE, 0),
            TimeStep::Fixed(10 * MINUTE, 0),
            TimeStep::Fixed(15 * MINUTE, 0),
            TimeStep::Fixed(30 * MINUTE, 0),
            TimeStep::Fixed(HOUR, 0),
            TimeStep::Fixed(2 * HOUR, 0),
            TimeStep::Fixed(3 * HOUR, 0),
            TimeStep::Fixed(6 * HOUR, 0),
            TimeStep::Fixed(12 * HOUR, 0),
            TimeStep::Fixed(DAY, 0),
            TimeStep::Fixed(2 * DAY, 0),
            TimeStep::Fixed(7 * DAY, monday),
            TimeStep::Fixed(14 * DAY, monday),
            TimeStep::Months(1),
            TimeStep::Months(2),
            TimeStep::Months(3),
            TimeStep::Months(6),
            TimeStep::Years(1),
            TimeStep::Years(2),
            TimeStep::Years(5),
            TimeStep::Years(10),
            TimeStep::Years(25),
            TimeStep::Years(50),
            TimeStep::Years(100),
            TimeStep::Years(500),
            TimeStep::Years(1000),
            TimeStep::Years(10_000),
            TimeStep::Years(100_000),
        ];
        let same_year = year_month(lo).map(|p| p.0) == year_month(hi).map(|p| p.0);
        let fits = |c: TimeStep| {
            let per_label = text_width(Self::sample_label(c, same_year), label_px) + label_px * 2.0;
            (plot_px / per_label).floor().max(2.0)
        };
        let step = candidates
            .into_iter()
            .find(|c| span / c.approx_ms() <= fits(*c) - 0.5)
            .unwrap_or(TimeStep::Years(100_000));
        let mut ticks: Vec<f64> = time_ticks(lo, hi, step)
            .into_iter()
            .map(|t| t as f64)
            .collect();
        let max_labels = fits(step) as usize;
        if ticks.len() > max_labels {
            let stride = ticks.len().div_ceil(max_labels.max(1));
            ticks = ticks.into_iter().step_by(stride).collect();
        }
        let sub_day = matches!(step, TimeStep::Fixed(len, _) if len < DAY);
        let same_day = lo.div_euclid(DAY) == (hi - 1).div_euclid(DAY);
        let desc = match (utc(lo), sub_day) {
            (Some(d), true) if same_day => format!("time (UTC), {}", d.format("%Y-%m-%d")),
            (Some(d), true) if same_year => format!("time (UTC), {}", d.format("%Y")),
            (_, true) => "time (UTC)".to_string(),
            (Some(d), false)
                if same_year && !matches!(step, TimeStep::Months(_) | TimeStep::Years(_)) =>
            {
                format!("date (UTC), {}", d.format("%Y"))
            }
            _ => "date (UTC)".to_string(),
        };
        TimeAxis {
            axis: Axis::linear(lo as f64, hi as f64, ticks),
            step,
            same_year,
            desc,
        }
    }

    /// The widest label a step can produce, for spacing.
    fn sample_label(step: TimeStep, same_year: bool) -> &'static str {
        match step {
            TimeStep::Fixed(len, _) if len < MINUTE => "00:00:00",
            TimeStep::Fixed(len, _) if len < DAY => "Mar 22", // midnight ticks show the date
            TimeStep::Fixed(..) if same_year => "Mar 22",
            TimeStep::Fixed(..) => "2026-03-22",
            TimeStep::Months(_) => "Mar 2026",
            TimeStep::Years(n) if n >= 1000 => "-250000",
            TimeStep::Years(_) => "2026",
        }
    }

    fn format(&self, v: f64) -> String {
        if !v.is_finite() {
            return String::new();
        }
        let ms = v.round() as i64;
        let Some(d) = utc(ms) else {
            return String::new();
        };
        let fmt = match self.step {
            TimeStep::Fixed(len, _) if len < MINUTE => "%H:%M:%S",
            TimeStep::Fixed(len, _) if len < DAY => {
                if d.hour() == 0 && d.minute() == 0 && d.second() == 0 {
                    "%b %-d"
                } else {
                    "%H:%M"
                }
            }
            TimeStep::Fixed(..) if self.same_year => "%b %-d",
            TimeStep::Fixed(..) => "%Y-%m-%d",
            TimeStep::Months(_) => "%b %Y",
            TimeStep::Years(_) => "%Y",
        };
        d.format(fmt).to_string()
    }
}

// ---------------------------------------------------------------------------
// Chart furniture: title, legend, "no data", axis labels
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Swatch {
    Box(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
}

/// Draws the title (and a one-row legend under it) and returns the area left for the plot.
fn draw_header<'a>(
    root: &Area<'a>,
    th: &Theme,
    labels: &mut Labels,
    title: &str,
    legend: &[(&str, Swatch)],
) -> DrawResult<Area<'a>> {
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
        top += row_h;
    }
    Ok(root.split_vertically(top).1)
}

/// Draws a framed, empty plot area with a centred "no data" caption.
fn draw_no_data(body: &Area<'_>, th: &Theme, labels: &mut Labels) -> DrawResult {
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

fn no_label(_: &f64) -> String {
    String::new()
}

/// Text for one axis: tick positions (already mapped to pixels) with their labels.
struct AxisText {
    ticks: Vec<(i32, String)>,
    px: f64,
    desc: Option<String>,
}

/// Tick labels and description under a horizontal axis whose plot spans `x` by `y` pixels.
fn bottom_axis_text(
    labels: &mut Labels,
    th: &Theme,
    (x, y): (&Range<i32>, &Range<i32>),
    axis: AxisText,
) {
    let top = y.end + th.tick + th.gap();
    for (p, text) in axis.ticks {
        labels.add(text, (p, top), axis.px, TEXT, H::Center, V::Top);
    }
    if let Some(desc) = axis.desc {
        let at = (
            (x.start + x.end) / 2,
            top + (axis.px * 1.05 + th.gap() as f64) as i32,
        );
        labels.add(desc, at, th.desc, MUTED_TEXT, H::Center, V::Top);
    }
}

/// Tick labels beside a vertical axis; `desc_x` is where the rotated description is centred.
fn side_axis_text(
    labels: &mut Labels,
    th: &Theme,
    (x, y): (&Range<i32>, &Range<i32>),
    axis: AxisText,
    right: bool,
    desc_x: i32,
) {
    let (lx, h) = if right {
        (x.end + th.tick + th.gap(), H::Left)
    } else {
        (x.start - th.tick - th.gap(), H::Right)
    };
    for (p, text) in axis.ticks {
        labels.add(text, (lx, p), axis.px, TEXT, h, V::Center);
    }
    if let Some(desc) = axis.desc {
        labels.add_vertical(desc, (desc_x, (y.start + y.end) / 2), th.desc, MUTED_TEXT);
    }
}

/// Width of the label column for a value axis with tick labels `ticks`, plus a rotated description.
fn side_area_width(th: &Theme, ticks: &[String], desc: bool) -> f64 {
    let w = ticks
        .iter()
        .map(|l| text_width(l, th.label))
        .fold(0.0, f64::max);
    (w + (th.tick + th.gap()) as f64 + 4.0 + if desc { th.desc * 1.7 } else { 0.0 }).ceil()
}

// ---------------------------------------------------------------------------
// Horizontal (grouped) bars: bar_chart, paired_bar_chart, latency_chart
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum ValueKind {
    Number { integer: bool },
    DurationMs,
}

struct HBars {
    labels: Vec<String>,
    /// One colour per series; each category has one bar per series, top to bottom.
    colors: Vec<RGBColor>,
    /// `[category][series]`; `None` draws no bar.
    values: Vec<Vec<Option<f64>>>,
    /// Per category, drawn after the category's longest bar.
    notes: Vec<Option<String>>,
    note_color: RGBColor,
    x_desc: String,
    log: bool,
    kind: ValueKind,
}

/// Largest 1/2/5×10^k that is <= v (v > 0).
fn nice_floor_125(v: f64) -> f64 {
    let base = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * base)
        .find(|c| *c <= v)
        .unwrap_or(base)
}

/// Smallest 1/2/5×10^k that is >= v (v > 0).
fn nice_ceil_125(v: f64) -> f64 {
    let base = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * base)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * base)
}

fn draw_hbars(body: &Area<'_>, th: &Theme, labels: &mut Labels, spec: &HBars) -> DrawResult {
    let (bw, bh) = body.dim_in_pixel();
    let (bw, bh) = (bw as f64, bh as f64);
    let n = spec.labels.len().max(1);
    let k = spec.colors.len().max(1);

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

    // Notes after the bars need room on the right: stretch the value range.
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

    let finite_vals: Vec<f64> = spec
        .values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();

    let (x_axis, base, x_fmt): (Axis, f64, Box<dyn Fn(f64) -> String>) = if spec.log {
        let pos: Vec<f64> = finite_vals.iter().copied().filter(|v| *v > 0.0).collect();
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
        let ticks = match spec.kind {
            ValueKind::DurationMs => duration_ticks(lo, hi, plot_w, th.label),
            ValueKind::Number { .. } => log_ticks(lo, hi),
        };
        let axis = Axis {
            lo,
            hi,
            log: true,
            ticks,
        };
        let fmt: Box<dyn Fn(f64) -> String> = match spec.kind {
            ValueKind::DurationMs => Box::new(fmt_duration_ms),
            ValueKind::Number { .. } => Box::new(|v| NumFmt::new(v.abs(), v.abs()).format(v)),
        };
        (axis, lo, fmt)
    } else {
        let vmin = finite_vals.iter().copied().fold(0.0, f64::min);
        let vmax = finite_vals.iter().copied().fold(0.0, f64::max);
        let hi = if vmax > 0.0 {
            vmin + (vmax - vmin) * stretch
        } else {
            vmax
        };
        let tick_target = ((plot_w / (th.label * 6.0)).floor() as usize).clamp(2, 10);
        let integer = matches!(spec.kind, ValueKind::Number { integer: true });
        let (lo, hi, ticks, step) = nice_ticks(vmin, hi, tick_target, integer);
        let nf = NumFmt::new(lo.abs().max(hi.abs()), step);
        let fmt: Box<dyn Fn(f64) -> String> = match spec.kind {
            ValueKind::DurationMs => Box::new(fmt_duration_ms),
            ValueKind::Number { .. } => Box::new(move |v| nf.format(v)),
        };
        (Axis::linear(lo, hi, ticks), 0.0, fmt)
    };
    let x_ticks = x_axis.ticks.clone();
    // Non-zero bars stay visible (at least 2 px) on a linear axis.
    let min_len = if spec.log {
        0.0
    } else {
        (x_axis.hi - x_axis.lo) * 2.0 / plot_w
    };

    let nf = n as f64;
    let centers: Vec<f64> = (0..n).map(|i| nf - i as f64 - 0.5).collect();
    let y_axis = Axis::linear(0.0, nf, centers.clone());

    let mut chart = ChartBuilder::on(body)
        .margin_top(margin_top as i32)
        .margin_bottom(margin_bottom as i32)
        .margin_left(margin_left as i32)
        .margin_right(margin_right as i32)
        .x_label_area_size(x_area as i32)
        .y_label_area_size(y_area as i32)
        .build_cartesian_2d(x_axis, y_axis)?;
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
                (x + note_gap, y),
                note_px,
                spec.note_color,
                H::Left,
                V::Center,
            );
        }
    }
    chart.draw_series(rects)?;

    let frame = chart.plotting_area().get_pixel_range();
    let y_at = |v: f64| chart.backend_coord(&(base, v)).1;
    let x_at = |v: f64| chart.backend_coord(&(v, 0.0)).0;
    side_axis_text(
        labels,
        th,
        (&frame.0, &frame.1),
        AxisText {
            ticks: centers
                .iter()
                .zip(cat_labels)
                .map(|(c, l)| (y_at(*c), l))
                .collect(),
            px: cat_px,
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
            ticks: x_ticks.iter().map(|v| (x_at(*v), x_fmt(*v))).collect(),
            px: th.label,
            desc: Some(spec.x_desc.clone()).filter(|d| !d.is_empty()),
        },
    );
    Ok(())
}

fn all_integers(values: impl IntoIterator<Item = f64>) -> bool {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .all(|v| v.fract() == 0.0)
}

/// Horizontal bar chart (labels can be long provider-response strings: truncated > 45 chars with "…").
/// Up to ~15 bars (more are drawn thinner, with smaller labels); title at top; x axis label `value_label`.
pub fn bar_chart(
    path: &Path,
    title: &str,
    value_label: &str,
    bars: &[Bar],
    size: (u32, u32),
) -> Result<(), ChartError> {
    render(path, size, |root, th, labels| {
        let body = draw_header(root, th, labels, title, &[])?;
        if bars.is_empty() {
            return draw_no_data(&body, th, labels);
        }
        let spec = HBars {
            labels: bars
                .iter()
                .map(|b| clean_label(&b.label, MAX_LABEL_CHARS))
                .collect(),
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
            x_desc: clean_label(value_label, 120),
            log: false,
            kind: ValueKind::Number {
                integer: all_integers(bars.iter().map(|b| b.value)),
            },
        };
        draw_hbars(&body, th, labels, &spec)
    })
}

/// Two bars per category: total and failed (e.g. events and failed texts per country),
/// with the failure rate (failed / total) as a note.
pub fn paired_bar_chart(
    path: &Path,
    title: &str,
    bars: &[PairBar],
    size: (u32, u32),
) -> Result<(), ChartError> {
    render(path, size, |root, th, labels| {
        if bars.is_empty() {
            let body = draw_header(root, th, labels, title, &[])?;
            return draw_no_data(&body, th, labels);
        }
        let legend = [
            ("total", Swatch::Box(MUTED_BLUE)),
            ("failed", Swatch::Box(MUTED_RED)),
        ];
        let body = draw_header(root, th, labels, title, &legend)?;
        let spec = HBars {
            labels: bars
                .iter()
                .map(|b| clean_label(&b.label, MAX_LABEL_CHARS))
                .collect(),
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
            x_desc: "count".to_string(),
            log: false,
            kind: ValueKind::Number {
                integer: all_integers(bars.iter().flat_map(|b| [b.total, b.failed])),
            },
        };
        draw_hbars(&body, th, labels, &spec)
    })
}

/// Delivery latency percentiles (p50, p90, p99 of dwell time in ms) per category,
/// drawn as grouped horizontal bars on a logarithmic axis.
pub fn latency_chart(
    path: &Path,
    title: &str,
    rows: &[Latency],
    size: (u32, u32),
) -> Result<(), ChartError> {
    render(path, size, |root, th, labels| {
        if rows.is_empty() {
            let body = draw_header(root, th, labels, title, &[])?;
            return draw_no_data(&body, th, labels);
        }
        let legend = [
            ("p50", Swatch::Box(P50)),
            ("p90", Swatch::Box(P90)),
            ("p99", Swatch::Box(P99)),
        ];
        let body = draw_header(root, th, labels, title, &legend)?;
        let spec = HBars {
            labels: rows
                .iter()
                .map(|r| clean_label(&r.label, MAX_LABEL_CHARS))
                .collect(),
            colors: vec![P50, P90, P99],
            values: rows
                .iter()
                .map(|r| vec![finite(r.p50), finite(r.p90), finite(r.p99)])
                .collect(),
            notes: vec![None; rows.len()],
            note_color: TEXT,
            x_desc: "delivery latency (dwell time, log scale)".to_string(),
            log: true,
            kind: ValueKind::DurationMs,
        };
        draw_hbars(&body, th, labels, &spec)
    })
}

// ---------------------------------------------------------------------------
// Time-series charts: volume_chart, spend_chart
// ---------------------------------------------------------------------------

/// Volume and failure rate over time: stacked delivered (blue) and failed (red) counts per
/// bucket on the left axis, failure rate (0..100 %) as a line on a right-hand axis.
/// Buckets may be unsorted; buckets with identical start times are summed. `bucket_ms <= 0`
/// means "infer from the spacing of the buckets" (one hour for a single bucket).
pub fn volume_chart(
    path: &Path,
    title: &str,
    buckets: &[TimeBucket],
    bucket_ms: i64,
    size: (u32, u32),
) -> Result<(), ChartError> {
    render(path, size, |root, th, labels| {
        if buckets.is_empty() {
            let body = draw_header(root, th, labels, title, &[])?;
            return draw_no_data(&body, th, labels);
        }
        let legend = [
            ("delivered", Swatch::Box(MUTED_BLUE)),
            ("failed", Swatch::Box(MUTED_RED)),
            ("failure rate (right axis)", Swatch::Line(RATE)),
        ];
        let body = draw_header(root, th, labels, title, &legend)?;

        // Sort and merge identical start times.
        let mut rows: Vec<(i64, f64, f64)> = buckets
            .iter()
            .map(|b| (clamp_ms(b.start_ms), count(b.delivered), count(b.failed)))
            .collect();
        rows.sort_by_key(|r| r.0);
        let mut merged: Vec<(i64, f64, f64)> = Vec::with_capacity(rows.len());
        for r in rows {
            match merged.last_mut() {
                Some(last) if last.0 == r.0 => {
                    last.1 += r.1;
                    last.2 += r.2;
                }
                _ => merged.push(r),
            }
        }
        let step = if bucket_ms > 0 {
            bucket_ms.min(T_LIMIT)
        } else {
            merged
                .windows(2)
                .map(|w| w[1].0.saturating_sub(w[0].0))
                .filter(|d| *d > 0)
                .min()
                .unwrap_or(HOUR)
        };
        let lo = merged[0].0;
        let hi = clamp_ms(merged[merged.len() - 1].0 + step);

        let (bw, bh) = body.dim_in_pixel();
        let (bw, bh) = (bw as f64, bh as f64);
        let margin = (th.label * 0.6).round();
        let margin_top = (th.small * 0.6).round();
        let x_area = th.x_area().round();
        let plot_h = (bh - margin_top - margin - x_area).max(10.0);

        let ymax = merged.iter().map(|r| r.1 + r.2).fold(0.0, f64::max);
        let y_target = ((plot_h / (th.label * 3.0)).floor() as usize).clamp(2, 8);
        let (ylo, yhi, yticks, ystep) = nice_ticks(0.0, ymax * 1.04, y_target, true);
        let yfmt = NumFmt::new(yhi, ystep);
        let y_text: Vec<String> = yticks.iter().map(|v| yfmt.format(*v)).collect();
        let rate_ticks: Vec<f64> = (0..=5).map(|i| i as f64 * 20.0).collect();
        let rate_text: Vec<String> = rate_ticks.iter().map(|v| format!("{v:.0}%")).collect();
        let left_area = side_area_width(th, &y_text, true);
        let right_area = side_area_width(th, &rate_text, true);
        let plot_w = (bw - left_area - right_area - 2.0 * margin).max(10.0);
        let time = TimeAxis::new(lo, hi, plot_w, th.label);

        let mut chart = ChartBuilder::on(&body)
            .margin_top(margin_top as i32)
            .margin_bottom(margin as i32)
            .margin_left(margin as i32)
            .margin_right(margin as i32)
            .x_label_area_size(x_area as i32)
            .y_label_area_size(left_area as i32)
            .right_y_label_area_size(right_area as i32)
            .build_cartesian_2d(time.axis.clone(), Axis::linear(ylo, yhi, yticks.clone()))?
            .set_secondary_coord(
                time.axis.clone(),
                Axis::linear(0.0, 100.0, rate_ticks.clone()),
            );
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(AXIS.stroke_width(1))
            .set_all_tick_mark_size(th.tick)
            .x_labels(time.axis.ticks.len().max(1))
            .y_labels(yticks.len().max(1))
            .x_label_formatter(&no_label)
            .y_label_formatter(&no_label)
            .draw()?;
        chart
            .configure_secondary_axes()
            .axis_style(AXIS.stroke_width(1))
            .set_all_tick_mark_size(th.tick)
            .y_labels(rate_ticks.len())
            .y_label_formatter(&no_label)
            .draw()?;

        let px_per_bucket = plot_w * step as f64 / (hi as f64 - lo as f64).max(1.0);
        let inset = if px_per_bucket >= 5.0 {
            step as f64 * 0.12
        } else {
            0.0
        };
        let bar = |t: i64, y0: f64, y1: f64, c: RGBColor| {
            Rectangle::new(
                [
                    (t as f64 + inset, y0),
                    (t.saturating_add(step) as f64 - inset, y1),
                ],
                c.filled(),
            )
        };
        chart.draw_series(
            merged
                .iter()
                .filter(|r| r.1 > 0.0)
                .map(|r| bar(r.0, 0.0, r.1, MUTED_BLUE)),
        )?;
        chart.draw_series(
            merged
                .iter()
                .filter(|r| r.2 > 0.0)
                .map(|r| bar(r.0, r.1, r.1 + r.2, MUTED_RED)),
        )?;

        // Failure rate: broken wherever a bucket is empty or missing.
        let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut prev: Option<i64> = None;
        for r in &merged {
            let total = r.1 + r.2;
            if total <= 0.0 {
                prev = None;
                continue;
            }
            let point = (
                (r.0 as f64 + step as f64 / 2.0).min(hi as f64),
                (r.2 / total * 100.0).clamp(0.0, 100.0),
            );
            match (prev, segments.last_mut()) {
                (Some(p), Some(seg)) if p.saturating_add(step) == r.0 => seg.push(point),
                _ => segments.push(vec![point]),
            }
            prev = Some(r.0);
        }
        let marks = merged.len() <= 60 || px_per_bucket >= 8.0;
        let radius = (th.line as f64 * 1.5).round().max(2.0) as i32;
        for seg in &segments {
            if seg.len() > 1 {
                chart.draw_secondary_series(LineSeries::new(
                    seg.iter().copied(),
                    RATE.stroke_width(th.line),
                ))?;
            }
            if marks || seg.len() == 1 {
                chart.draw_secondary_series(
                    seg.iter().map(|p| Circle::new(*p, radius, RATE.filled())),
                )?;
            }
        }

        let frame = chart.plotting_area().get_pixel_range();
        let frame = (&frame.0, &frame.1);
        bottom_axis_text(
            labels,
            th,
            frame,
            AxisText {
                ticks: time
                    .axis
                    .ticks
                    .iter()
                    .map(|t| (chart.backend_coord(&(*t, ylo)).0, time.format(*t)))
                    .collect(),
                px: th.label,
                desc: Some(time.desc.clone()),
            },
        );
        let (body_x, _) = body.get_pixel_range();
        side_axis_text(
            labels,
            th,
            frame,
            AxisText {
                ticks: yticks
                    .iter()
                    .zip(y_text)
                    .map(|(v, s)| (chart.backend_coord(&(time.axis.lo, *v)).1, s))
                    .collect(),
                px: th.label,
                desc: Some("messages".to_string()),
            },
            false,
            body_x.start + margin as i32 + (th.desc * 0.6) as i32,
        );
        let secondary = chart.borrow_secondary();
        side_axis_text(
            labels,
            th,
            frame,
            AxisText {
                ticks: rate_ticks
                    .iter()
                    .zip(rate_text)
                    .map(|(v, s)| (secondary.backend_coord(&(time.axis.lo, *v)).1, s))
                    .collect(),
                px: th.label,
                desc: Some("failure rate".to_string()),
            },
            true,
            body_x.end - margin as i32 - (th.desc * 0.6) as i32,
        );
        Ok(())
    })
}

fn fmt_usd(v: f64) -> String {
    if (v - v.round()).abs() < 0.005 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// Splits time-sorted points into runs that stay within one UTC calendar month.
fn split_by_month(points: &[(i64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Option<Option<(i32, i32)>> = None;
    for &(t, v) in points {
        let ym = year_month(t);
        if current != Some(ym) {
            out.push(Vec::new());
            current = Some(ym);
        }
        if let Some(seg) = out.last_mut() {
            seg.push((t as f64, v));
        }
    }
    out
}

/// Month-to-date SMS spend against the account's monthly spend limit: one filled line per
/// UTC month (no line dropping across a month reset), the limit as a red horizontal line,
/// the moment the limit was reached as a vertical marker, and the forecast dashed.
pub fn spend_chart(path: &Path, chart: &SpendChart, size: (u32, u32)) -> Result<(), ChartError> {
    let clean = |pts: &[(i64, f64)]| {
        let mut v: Vec<(i64, f64)> = pts
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|p| (clamp_ms(p.0), p.1))
            .collect();
        v.sort_by_key(|p| p.0); // stable: keeps the given order of identical timestamps
        v
    };
    let points = clean(&chart.points);
    let forecast = clean(&chart.forecast);
    let limit = chart.limit_usd.filter(|l| l.is_finite() && *l >= 0.0);
    let exhausted = chart.exhausted_at_ms.map(clamp_ms);

    render(path, size, |root, th, labels| {
        if points.is_empty() && forecast.is_empty() {
            let body = draw_header(root, th, labels, &chart.title, &[])?;
            return draw_no_data(&body, th, labels);
        }
        let mut legend: Vec<(&str, Swatch)> =
            vec![("month-to-date spend", Swatch::Line(MUTED_BLUE))];
        if !forecast.is_empty() {
            legend.push(("forecast", Swatch::Dashed(FORECAST)));
        }
        if limit.is_some() {
            legend.push(("spend limit", Swatch::Line(MUTED_RED)));
        }
        let body = draw_header(root, th, labels, &chart.title, &legend)?;

        let times = points.iter().chain(&forecast).map(|p| p.0).chain(exhausted);
        let lo = times.clone().min().unwrap_or(0);
        let hi = times.max().unwrap_or(0);
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 12 * HOUR, lo + 12 * HOUR)
        };

        let (bw, bh) = body.dim_in_pixel();
        let (bw, bh) = (bw as f64, bh as f64);
        let margin = (th.label * 0.6).round();
        let margin_right = (th.label * 1.8).round();
        let margin_top = (th.small * 0.6).round();
        let x_area = th.x_area().round();
        let plot_h = (bh - margin_top - margin - x_area).max(10.0);

        // Leave room above the limit line (its label) and at the top (the marker's label).
        let values = || points.iter().chain(&forecast).map(|p| p.1);
        let data_max = values().fold(0.0, f64::max);
        let data_min = values().fold(0.0, f64::min);
        let row = th.small * 1.45;
        let headroom = |v: f64, rows: f64| v / (1.0 - (rows * row / plot_h).min(0.5));
        let mut ytop = headroom(data_max, if exhausted.is_some() { 1.3 } else { 0.3 });
        if let Some(l) = limit {
            ytop = ytop.max(headroom(l, if exhausted.is_some() { 2.4 } else { 1.3 }));
        }
        let y_target = ((plot_h / (th.label * 3.0)).floor() as usize).clamp(2, 8);
        let (ylo, yhi, yticks, ystep) = nice_ticks(data_min, ytop, y_target, false);
        let yfmt = NumFmt::new(ylo.abs().max(yhi.abs()), ystep);
        let y_text: Vec<String> = yticks.iter().map(|v| yfmt.format(*v)).collect();
        let left_area = side_area_width(th, &y_text, true);
        let plot_w = (bw - left_area - margin - margin_right).max(10.0);
        let time = TimeAxis::new(lo, hi, plot_w, th.label);
        let (xlo, xhi) = (time.axis.lo, time.axis.hi);

        let mut ctx = ChartBuilder::on(&body)
            .margin_top(margin_top as i32)
            .margin_bottom(margin as i32)
            .margin_left(margin as i32)
            .margin_right(margin_right as i32)
            .x_label_area_size(x_area as i32)
            .y_label_area_size(left_area as i32)
            .build_cartesian_2d(time.axis.clone(), Axis::linear(ylo, yhi, yticks.clone()))?;
        ctx.configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(AXIS.stroke_width(1))
            .set_all_tick_mark_size(th.tick)
            .x_labels(time.axis.ticks.len().max(1))
            .y_labels(yticks.len().max(1))
            .x_label_formatter(&no_label)
            .y_label_formatter(&no_label)
            .draw()?;

        let text_gap = (th.small * 0.45).round() as i32;
        // Limit line (under the data), labelled just above its left end.
        if let Some(l) = limit {
            ctx.draw_series(LineSeries::new(
                [(xlo, l), (xhi, l)],
                MUTED_RED.stroke_width(th.line),
            ))?;
            let (x, y) = ctx.backend_coord(&(xlo, l));
            labels.add(
                format!("limit {} USD", fmt_usd(l)),
                (x + text_gap, y - text_gap),
                th.small,
                DARK_RED,
                H::Left,
                V::Bottom,
            );
        }

        // Spend, one segment per UTC month.
        let radius = (th.line as f64 * 1.5).round().max(2.0) as i32;
        for seg in split_by_month(&points) {
            if seg.len() > 1 {
                ctx.draw_series(
                    AreaSeries::new(seg.iter().copied(), 0.0, MUTED_BLUE.mix(0.12))
                        .border_style(MUTED_BLUE.stroke_width(th.line)),
                )?;
            } else {
                ctx.draw_series(
                    seg.iter()
                        .map(|p| Circle::new(*p, radius, MUTED_BLUE.filled())),
                )?;
            }
        }

        // Forecast, dashed, continuing from the last actual point of the same month.
        if !forecast.is_empty() {
            let mut f = forecast.clone();
            if let Some(&last) = points.last() {
                if f[0].0 >= last.0 && year_month(f[0].0) == year_month(last.0) {
                    f.insert(0, last);
                }
            }
            let dash = (th.line as f64 * 4.0).round() as i32;
            let gap = (th.line as f64 * 3.0).round() as i32;
            for seg in split_by_month(&f) {
                if seg.len() > 1 {
                    ctx.draw_series(DashedLineSeries::new(
                        seg,
                        dash,
                        gap,
                        FORECAST.stroke_width(th.line),
                    ))?;
                } else {
                    ctx.draw_series(
                        seg.iter()
                            .map(|p| Circle::new(*p, radius, FORECAST.filled())),
                    )?;
                }
            }
        }

        // When the limit was reached: vertical marker, labelled at the top.
        if let Some(t) = exhausted {
            let x = t as f64;
            let dash = (th.line as f64 * 3.0).round() as i32;
            ctx.draw_series(DashedLineSeries::new(
                [(x, ylo), (x, yhi)],
                dash,
                dash,
                DARK_RED.stroke_width(th.line),
            ))?;
            if let Some(l) = limit {
                let r = (th.line as f64 * 2.0).round().max(3.0) as i32;
                ctx.draw_series(std::iter::once(Circle::new((x, l), r, DARK_RED.filled())))?;
            }
            let text = match utc(t) {
                Some(d) => format!("limit reached {}", d.format("%Y-%m-%d %H:%M UTC")),
                None => "limit reached".to_string(),
            };
            let (px, py) = ctx.backend_coord(&(x, yhi));
            let (h, dx) = if (x - xlo) / (xhi - xlo) > 0.5 {
                (H::Right, -text_gap)
            } else {
                (H::Left, text_gap)
            };
            labels.add(
                text,
                (px + dx, py + text_gap),
                th.small,
                DARK_RED,
                h,
                V::Top,
            );
        }

        let frame = ctx.plotting_area().get_pixel_range();
        let frame = (&frame.0, &frame.1);
        bottom_axis_text(
            labels,
            th,
            frame,
            AxisText {
                ticks: time
                    .axis
                    .ticks
                    .iter()
                    .map(|t| (ctx.backend_coord(&(*t, ylo)).0, time.format(*t)))
                    .collect(),
                px: th.label,
                desc: Some(time.desc.clone()),
            },
        );
        let (body_x, _) = body.get_pixel_range();
        side_axis_text(
            labels,
            th,
            frame,
            AxisText {
                ticks: yticks
                    .iter()
                    .zip(y_text)
                    .map(|(v, s)| (ctx.backend_coord(&(xlo, *v)).1, s))
                    .collect(),
                px: th.label,
                desc: Some("USD".to_string()),
            },
            false,
            body_x.start + margin as i32 + (th.desc * 0.6) as i32,
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

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
        let long = "Message has been accepted by phone carrier but the carrier reported a permanent failure";
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
}

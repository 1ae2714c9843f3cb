//! Text in charts: the embedded font, glyph layout, and labels collected while plotters draws the shapes,
//! rasterised on top at the end; where axis tick labels and descriptions go.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, OnceLock};

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters::style::{register_font, FontStyle, RGBColor};

use super::{Theme, MUTED_TEXT, TEXT};

/// DejaVu Sans, embedded so no system font is ever looked up.
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");
/// The family name the embedded font is registered under with plotters.
const FONT_FAMILY: &str = "sans-serif";
static FONT_INIT: Once = Once::new();
static FONT_OK: AtomicBool = AtomicBool::new(false);

/// Category labels longer than this many characters are cut and end in "…".
pub(super) const MAX_LABEL_CHARS: usize = 45;

pub(super) fn embedded_font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
}

/// Registers the embedded font with plotters (once) and checks it parses.
pub(super) fn ensure_font() -> bool {
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
pub(super) fn text_width(text: &str, px: f64) -> f64 {
    match embedded_font() {
        Some(font) => layout(font, text, px).1 as f64,
        None => text.chars().count() as f64 * px * 0.55,
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum H {
    Left,
    Center,
    Right,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum V {
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

/// An area of the image and what hovering over it tells (SVG `<title>`; the PNG has none).
pub(super) struct Tip {
    /// Left, top, right, bottom, in image pixels.
    pub rect: (i32, i32, i32, i32),
    pub text: String,
}

/// Text collected while plotters draws the shapes; rasterised on top at the end (PNG) or written as text
/// elements (SVG).
#[derive(Default)]
pub(super) struct Labels {
    labels: Vec<Label>,
    pub tips: Vec<Tip>,
}

/// Where one label goes, in the embedded font's metrics: the text starts at `x0` and sits on `baseline`
/// (both relative to `anchor`, along and across the text). The anchor is the point the alignment names
/// (start, middle or end of the text), shifted so that the text stays inside the image.
pub(super) struct Placed<'a> {
    pub text: &'a str,
    pub px: f64,
    pub color: RGBColor,
    pub h: H,
    pub vertical: bool,
    /// The anchor after the shift, in image pixels. Vertical text runs upwards from it.
    pub anchor: (i32, i32),
    pub x0: f32,
    pub baseline: f32,
}

impl Labels {
    pub(super) fn add(
        &mut self,
        text: impl Into<String>,
        at: (i32, i32),
        px: f64,
        color: RGBColor,
        h: H,
        v: V,
    ) {
        self.labels.push(Label {
            text: text.into(),
            at,
            px,
            color,
            h,
            v,
            vertical: false,
        });
    }

    pub(super) fn add_vertical(
        &mut self,
        text: impl Into<String>,
        at: (i32, i32),
        px: f64,
        color: RGBColor,
    ) {
        self.labels.push(Label {
            text: text.into(),
            at,
            px,
            color,
            h: H::Center,
            v: V::Center,
            vertical: true,
        });
    }

    /// What hovering over `rect` (left, top, right, bottom) shows in the SVG.
    pub(super) fn tip(&mut self, rect: (i32, i32, i32, i32), text: impl Into<String>) {
        let (l, t, r, b) = rect;
        self.tips.push(Tip {
            rect: (l.min(r), t.min(b), l.max(r), t.max(b)),
            text: text.into(),
        });
    }

    /// Every non-empty label, placed for an image of `size`.
    pub(super) fn placed(&self, font: &FontRef<'static>, size: (u32, u32)) -> Vec<Placed<'_>> {
        self.labels
            .iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| place(font, l, size))
            .collect()
    }

    /// Alpha-blends every label into the RGB buffer `pixels` of size `w`x`h`.
    pub(super) fn rasterize(&self, pixels: &mut [u8], (w, h): (u32, u32)) {
        let Some(font) = embedded_font() else {
            return;
        };
        for p in self.placed(font, (w, h)) {
            let scale = PxScale::from(p.px.max(1.0) as f32);
            let (glyphs, _) = layout(font, p.text, p.px);
            let RGBColor(r, g, b) = p.color;
            let (ax, ay) = p.anchor;
            for (id, gx) in glyphs {
                let glyph = id.with_scale_and_position(scale, point(p.x0 + gx, p.baseline));
                let Some(outlined) = font.outline_glyph(glyph) else {
                    continue;
                };
                let bounds = outlined.px_bounds();
                outlined.draw(|px, py, coverage| {
                    // Offset from the anchor in text space (x along the text, y down).
                    let tx = (bounds.min.x + px as f32) as i32;
                    let ty = (bounds.min.y + py as f32) as i32;
                    let (x, y) = if p.vertical {
                        (ax + ty, ay - tx)
                    } else {
                        (ax + tx, ay + ty)
                    };
                    if x < 0 || y < 0 || x >= w as i32 || y >= h as i32 {
                        return;
                    }
                    let a = coverage.clamp(0.0, 1.0);
                    let i = (y as usize * w as usize + x as usize) * 3;
                    if let Some(px) = pixels.get_mut(i..i + 3) {
                        for (dst, src) in px.iter_mut().zip([r, g, b]) {
                            *dst = (*dst as f32 * (1.0 - a) + src as f32 * a).round() as u8;
                        }
                    }
                });
            }
        }
    }
}

/// Where `label` goes in an image of `(w, h)`: aligned as asked, then moved to stay whole inside it (e.g. a
/// tick label at the plot's edge).
fn place<'a>(font: &FontRef<'static>, label: &'a Label, (w, h): (u32, u32)) -> Placed<'a> {
    let sf = font.as_scaled(PxScale::from(label.px.max(1.0) as f32));
    let (_, width) = layout(font, &label.text, label.px);
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
    let anchor = if label.vertical {
        // Text runs upwards from ay - x0; its height spans ax - ascent ..= ax - descent.
        let dy = -fit((h as f32 - 1.0) - (ay as f32 - x0), width, along);
        let dx = fit(ax as f32 + baseline - ascent, ascent - descent, across);
        (ax + dx, ay + dy)
    } else {
        let dx = fit(ax as f32 + x0, width, along);
        let dy = fit(ay as f32 + baseline - ascent, ascent - descent, across);
        (ax + dx, ay + dy)
    };
    Placed {
        text: &label.text,
        px: label.px,
        color: label.color,
        h: label.h,
        vertical: label.vertical,
        anchor,
        x0,
        baseline,
    }
}

/// Printable single-line version of `s`, cut to `max_chars` characters ending in "…".
pub(super) fn clean_label(s: &str, max_chars: usize) -> String {
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
pub(super) fn fit_text(text: &str, px: f64, max_px: f64) -> String {
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

/// Text for one axis: tick positions (already mapped to pixels) with their labels.
pub(super) struct AxisText {
    pub ticks: Vec<(i32, String)>,
    pub px: f64,
    pub desc: Option<String>,
}

/// Tick labels and description under a horizontal axis whose plot spans `x` by `y` pixels.
pub(super) fn bottom_axis_text(
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
pub(super) fn side_axis_text(
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
pub(super) fn side_area_width(th: &Theme, ticks: &[String], desc: bool) -> f64 {
    let w = ticks
        .iter()
        .map(|l| text_width(l, th.label))
        .fold(0.0, f64::max);
    (w + (th.tick + th.gap()) as f64 + 4.0 + if desc { th.desc * 1.7 } else { 0.0 }).ceil()
}

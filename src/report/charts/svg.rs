//! SVG output, for inline use in the report page: the shapes from plotters' SVG backend, then every label
//! as a text element (placed with the embedded font's metrics, as in the PNG), then transparent hover
//! areas whose `<title>` holds exact values. No namespace URL, no external reference; every string
//! escaped (labels come from the logs).

use std::fmt::Write as _;

use ab_glyph::Font;
use plotters::prelude::*;

use super::text::{embedded_font, Labels, Placed, H};
use super::{draw_chart, Chart, ChartError, DrawResult, Theme};

/// Fonts with DejaVu Sans's metrics first (it is what the labels were measured with).
const FONT_FAMILY: &str = "'DejaVu Sans',Verdana,'Bitstream Vera Sans',sans-serif";

/// Appends the `<svg>` element of `chart` to `out`. `text` scales the theme (see `Out::Svg`).
pub(super) fn render<C: Chart>(
    out: &mut String,
    text: f64,
    size: (u32, u32),
    chart: &C,
) -> Result<(), ChartError> {
    let fail = |message: String| ChartError::Draw {
        path: "(inline SVG)".into(),
        message,
    };
    let th = Theme::scaled(Theme::scale_of(size) * text);
    let mut shapes = String::new();
    let mut labels = Labels::default();
    draw(&mut shapes, size, &th, &mut labels, chart).map_err(|e| fail(e.to_string()))?;
    let body =
        inner(&shapes).ok_or_else(|| fail("the SVG backend wrote no <svg> element".into()))?;
    let font =
        embedded_font().ok_or_else(|| fail("the embedded font could not be loaded".into()))?;
    let (w, h) = size;
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"#,
        escape(chart.title())
    );
    out.push('\n');
    out.push_str(body);
    let _ = write!(out, r#"<g font-family="{FONT_FAMILY}">"#);
    out.push('\n');
    let em = font.units_per_em().unwrap_or(2048.0) / font.height_unscaled().max(1.0);
    for p in labels.placed(font, size) {
        text_element(out, &p, em);
    }
    out.push_str("</g>\n");
    if !labels.tips.is_empty() {
        out.push_str("<g class=\"tips\" fill=\"#000\" fill-opacity=\"0\">\n");
        for t in &labels.tips {
            let (l, top, r, b) = t.rect;
            let _ = writeln!(
                out,
                r#"<rect x="{l}" y="{top}" width="{}" height="{}"><title>{}</title></rect>"#,
                (r - l).max(1),
                (b - top).max(1),
                escape(&t.text)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>");
    Ok(())
}

fn draw<C: Chart>(
    shapes: &mut String,
    size: (u32, u32),
    th: &Theme,
    labels: &mut Labels,
    chart: &C,
) -> DrawResult {
    let root = SVGBackend::with_string(shapes, size).into_drawing_area();
    root.fill(&WHITE)?;
    draw_chart(&root, th, labels, chart)?;
    root.present()?;
    Ok(())
}

/// What is inside the backend's `<svg …>` element: its own root carries a namespace URL, which an SVG
/// inside HTML does not need.
fn inner(svg: &str) -> Option<&str> {
    let open = svg.find("<svg")?;
    let start = open + svg[open..].find('>')? + 1;
    let end = svg.rfind("</svg>")?;
    (end >= start).then(|| svg[start..end].trim_start_matches('\n'))
}

/// One label, anchored where its alignment puts it (start, middle or end; `Placed::anchor` is that point):
/// `em` converts the embedded font's pixel height into a CSS font size.
fn text_element(out: &mut String, p: &Placed<'_>, em: f32) {
    let anchor = match p.h {
        H::Left => "start",
        H::Center => "middle",
        H::Right => "end",
    };
    let plotters::style::RGBColor(r, g, b) = p.color;
    let size = p.px as f32 * em;
    let (ax, ay) = p.anchor;
    let _ = if p.vertical {
        write!(
            out,
            r##"<text transform="translate({ax} {ay}) rotate(-90)" y="{:.1}" font-size="{size:.1}" fill="#{r:02x}{g:02x}{b:02x}" text-anchor="{anchor}">"##,
            p.baseline
        )
    } else {
        write!(
            out,
            r##"<text x="{ax}" y="{:.1}" font-size="{size:.1}" fill="#{r:02x}{g:02x}{b:02x}" text-anchor="{anchor}">"##,
            ay as f32 + p.baseline
        )
    };
    out.push_str(&escape(p.text));
    out.push_str("</text>\n");
}

/// Text for an SVG element or attribute: markup characters escaped, control characters (which XML does
/// not allow) made spaces.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

//! The checks every chart request gets (size, file name, font), then the drawing in the format asked for.

use super::text::ensure_font;
use super::{png, svg, Chart, ChartError, Out, MAX_SIDE, MIN_SIDE};

pub(super) fn render<C: Chart>(
    out: Out<'_>,
    size: (u32, u32),
    chart: &C,
) -> Result<(), ChartError> {
    let (w, h) = size;
    if !(MIN_SIDE..=MAX_SIDE).contains(&w) || !(MIN_SIDE..=MAX_SIDE).contains(&h) {
        return Err(ChartError::InvalidSize {
            path: out.name(),
            width: w,
            height: h,
        });
    }
    if let Out::Png(path) = out {
        let is_png = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("png"));
        if !is_png {
            return Err(ChartError::NotPng {
                path: path.to_path_buf(),
            });
        }
    }
    if !ensure_font() {
        return Err(ChartError::Font { path: out.name() });
    }
    match out {
        Out::Png(path) => png::render(path, size, chart),
        Out::Svg { svg, text } => svg::render(svg, text, size, chart),
    }
}

//! PNG output: the chart drawn into an RGB buffer (shapes by plotters' bitmap backend, then the labels),
//! and only then the file written.

use std::path::Path;

use plotters::prelude::*;

use super::text::Labels;
use super::{draw_chart, Area, Chart, ChartError, DrawResult, Theme};

/// Draws a chart of `size` into a fresh RGB buffer: shapes via plotters, then the labels.
pub(super) fn draw_pixels<F>(size: (u32, u32), draw: F) -> DrawResult<Vec<u8>>
where
    F: FnOnce(&Area<BitMapBackend<'_>>, &Theme, &mut Labels) -> DrawResult,
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

/// Draws `chart` into memory, then writes the PNG to `path` (the request is checked already).
pub(super) fn render<C: Chart>(path: &Path, size: (u32, u32), chart: &C) -> Result<(), ChartError> {
    let pixels = draw_pixels(size, |root, th, labels| draw_chart(root, th, labels, chart))
        .map_err(|e| ChartError::Draw {
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

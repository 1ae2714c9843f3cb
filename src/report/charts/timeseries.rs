//! The frame the time-series charts (volume, spend) share: UTC time along the bottom, a value axis on the
//! left and optionally a second one on the right, grid and every axis label; each chart draws only its
//! series into it.

use plotters::chart::DualCoordChartContext;
use plotters::prelude::*;

use super::axes::{nice_ticks, no_label, Axis, NumFmt};
use super::text::{bottom_axis_text, side_area_width, side_axis_text, AxisText, Labels};
use super::time_axis::TimeAxis;
use super::{Area, DrawResult, Theme, AXIS, GRID};

/// Drawing context of a time-series chart: primary (left) and secondary (right) value coordinates over
/// the same time axis.
pub(super) type TimeContext<'a, DB> =
    DualCoordChartContext<'a, DB, Cartesian2d<Axis, Axis>, Cartesian2d<Axis, Axis>>;

/// Margins around the plot inside the chart's body, and the plot height they leave (pixels).
pub(super) struct TimeLayout {
    width: f64,
    margin: f64,
    margin_top: f64,
    margin_right: f64,
    x_area: f64,
    pub plot_h: f64,
}

impl TimeLayout {
    /// `margin_right` is in label heights.
    pub(super) fn new<DB: DrawingBackend>(body: &Area<DB>, th: &Theme, margin_right: f64) -> Self {
        let (bw, bh) = body.dim_in_pixel();
        let (bw, bh) = (bw as f64, bh as f64);
        let margin = (th.label * 0.6).round();
        let margin_top = (th.small * 0.6).round();
        let x_area = th.x_area().round();
        TimeLayout {
            width: bw,
            margin,
            margin_top,
            margin_right: (th.label * margin_right).round(),
            x_area,
            plot_h: (bh - margin_top - margin - x_area).max(10.0),
        }
    }
}

/// A value axis: its range, tick positions, tick labels and description.
pub(super) struct ValueTicks {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    pub text: Vec<String>,
    pub desc: &'static str,
}

impl ValueTicks {
    /// Nice ticks covering `lo..hi`, about one every three label heights of `plot_h`.
    pub(super) fn nice(
        th: &Theme,
        plot_h: f64,
        (lo, hi): (f64, f64),
        integer: bool,
        desc: &'static str,
    ) -> Self {
        let target = ((plot_h / (th.label * 3.0)).floor() as usize).clamp(2, 8);
        let (lo, hi, ticks, step) = nice_ticks(lo, hi, target, integer);
        let format = NumFmt::new(lo.abs().max(hi.abs()), step);
        let text = ticks.iter().map(|v| format.format(*v)).collect();
        ValueTicks {
            lo,
            hi,
            ticks,
            text,
            desc,
        }
    }

    fn axis(&self) -> Axis {
        Axis::linear(self.lo, self.hi, self.ticks.clone())
    }
}

/// A time-series chart's axes: time range (epoch ms) and value axes.
pub(super) struct TimeSeries {
    pub layout: TimeLayout,
    pub lo: i64,
    pub hi: i64,
    pub left: ValueTicks,
    pub right: Option<ValueTicks>,
}

/// What the series drawing gets to know about the frame.
pub(super) struct TimeFrame {
    pub time: TimeAxis,
    /// Plot width in pixels, as laid out.
    pub plot_w: f64,
    /// The left axis's range.
    pub y: (f64, f64),
}

/// Draws the grid and axes of `ts`, then `series`, then the axis labels. Without a right axis, the
/// secondary coordinates are the primary ones.
pub(super) fn draw_time_series<DB, F>(
    body: &Area<DB>,
    th: &Theme,
    labels: &mut Labels,
    ts: TimeSeries,
    series: F,
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    F: FnOnce(&mut TimeContext<'_, DB>, &TimeFrame, &mut Labels) -> DrawResult,
{
    let TimeSeries {
        layout,
        lo,
        hi,
        left,
        right,
    } = ts;
    let left_area = side_area_width(th, &left.text, true);
    let right_area = right
        .as_ref()
        .map_or(0.0, |r| side_area_width(th, &r.text, true));
    let plot_w =
        (layout.width - left_area - right_area - layout.margin - layout.margin_right).max(10.0);
    let time = TimeAxis::new(lo, hi, plot_w, th.label);

    let secondary = right.as_ref().unwrap_or(&left).axis();
    let mut ctx = ChartBuilder::on(body)
        .margin_top(layout.margin_top as i32)
        .margin_bottom(layout.margin as i32)
        .margin_left(layout.margin as i32)
        .margin_right(layout.margin_right as i32)
        .x_label_area_size(layout.x_area as i32)
        .y_label_area_size(left_area as i32)
        .right_y_label_area_size(right_area as i32)
        .build_cartesian_2d(time.axis.clone(), left.axis())?
        .set_secondary_coord(time.axis.clone(), secondary);
    ctx.configure_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .set_all_tick_mark_size(th.tick)
        .x_labels(time.axis.ticks.len().max(1))
        .y_labels(left.ticks.len().max(1))
        .x_label_formatter(&no_label)
        .y_label_formatter(&no_label)
        .draw()?;
    if let Some(right) = &right {
        ctx.configure_secondary_axes()
            .axis_style(AXIS.stroke_width(1))
            .set_all_tick_mark_size(th.tick)
            .y_labels(right.ticks.len())
            .y_label_formatter(&no_label)
            .draw()?;
    }

    let frame = TimeFrame {
        time,
        plot_w,
        y: (left.lo, left.hi),
    };
    series(&mut ctx, &frame, labels)?;
    let (body_x, _) = body.get_pixel_range();
    let desc_x = (
        body_x.start + layout.margin as i32 + (th.desc * 0.6) as i32,
        body_x.end - layout.margin as i32 - (th.desc * 0.6) as i32,
    );
    label_axes(&ctx, th, labels, &frame.time, (left, right), desc_x);
    Ok(())
}

/// Tick labels and descriptions of the time axis and the value axes; `desc_x` is where the left and right
/// descriptions are centred.
fn label_axes<DB: DrawingBackend>(
    ctx: &TimeContext<'_, DB>,
    th: &Theme,
    labels: &mut Labels,
    time: &TimeAxis,
    (left, right): (ValueTicks, Option<ValueTicks>),
    desc_x: (i32, i32),
) {
    let pixels = ctx.plotting_area().get_pixel_range();
    let pixels = (&pixels.0, &pixels.1);
    bottom_axis_text(
        labels,
        th,
        pixels,
        AxisText {
            ticks: time
                .axis
                .ticks
                .iter()
                .map(|t| (ctx.backend_coord(&(*t, left.lo)).0, time.format(*t)))
                .collect(),
            px: th.label,
            desc: Some(time.desc.clone()),
        },
    );
    let side_text = |axis: ValueTicks, at: &dyn Fn(f64) -> i32| AxisText {
        ticks: axis.ticks.iter().map(|v| at(*v)).zip(axis.text).collect(),
        px: th.label,
        desc: Some(axis.desc.to_string()),
    };
    let left_text = side_text(left, &|v| ctx.backend_coord(&(time.axis.lo, v)).1);
    side_axis_text(labels, th, pixels, left_text, false, desc_x.0);
    if let Some(right) = right {
        let secondary = ctx.borrow_secondary();
        let right_text = side_text(right, &|v| secondary.backend_coord(&(time.axis.lo, v)).1);
        side_axis_text(labels, th, pixels, right_text, true, desc_x.1);
    }
}

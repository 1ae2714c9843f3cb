//! Month-to-date SMS spend against the monthly spend limit: one filled line per UTC month, the limit, the
//! moment it was reached, and the forecast.

use plotters::prelude::*;

use super::text::{Labels, H, V};
use super::time_axis::clamp_ms;
use super::timeseries::{
    draw_time_series, TimeContext, TimeFrame, TimeLayout, TimeSeries, ValueTicks,
};
use super::{
    output, Area, Chart, ChartError, DrawResult, Out, SpendChart, Swatch, Theme, DARK_RED,
    FORECAST, MUTED_BLUE, MUTED_RED,
};
use crate::domain::time::{human, month_bounds, to_datetime, HOUR_MS};

/// Hover areas along the spend line at most: one per point up to this, every n-th point beyond.
const MAX_TIPS: usize = 250;

/// A [`SpendChart`] with its values checked: finite, time-sorted, clamped times.
struct Spend<'a> {
    title: &'a str,
    points: Vec<(i64, f64)>,
    forecast: Vec<(i64, f64)>,
    limit: Option<f64>,
    exhausted: Option<i64>,
}

/// Month-to-date SMS spend against the account's monthly spend limit: one filled line per
/// UTC month (no line dropping across a month reset), the limit as a red horizontal line,
/// the moment the limit was reached as a vertical marker, and the forecast dashed.
pub fn spend_chart<'a>(
    out: impl Into<Out<'a>>,
    chart: &SpendChart,
    size: (u32, u32),
) -> Result<(), ChartError> {
    let clean = |pts: &[(i64, f64)]| {
        let mut v: Vec<(i64, f64)> = pts
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|p| (clamp_ms(p.0), p.1))
            .collect();
        v.sort_by_key(|p| p.0); // stable: keeps the given order of identical timestamps
        v
    };
    let spend = Spend {
        title: &chart.title,
        points: clean(&chart.points),
        forecast: clean(&chart.forecast),
        limit: chart.limit_usd.filter(|l| l.is_finite() && *l >= 0.0),
        exhausted: chart.exhausted_at_ms.map(clamp_ms),
    };
    output::render(out.into(), size, &spend)
}

fn fmt_usd(v: f64) -> String {
    if (v - v.round()).abs() < 0.005 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// The start of the UTC month of `t`.
fn month_of(t: i64) -> Option<i64> {
    month_bounds(t).map(|(start, _)| start)
}

/// Splits time-sorted points into runs that stay within one UTC calendar month.
pub(super) fn split_by_month(points: &[(i64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Option<Option<i64>> = None;
    for &(t, v) in points {
        let month = month_of(t);
        if current != Some(month) {
            out.push(Vec::new());
            current = Some(month);
        }
        if let Some(seg) = out.last_mut() {
            seg.push((t as f64, v));
        }
    }
    out
}

impl Chart for Spend<'_> {
    fn title(&self) -> &str {
        self.title
    }

    fn legend(&self) -> Vec<(&str, Swatch)> {
        let mut legend = vec![("month-to-date spend", Swatch::Line(MUTED_BLUE))];
        if !self.forecast.is_empty() {
            legend.push(("forecast", Swatch::Dashed(FORECAST)));
        }
        if self.limit.is_some() {
            legend.push(("spend limit", Swatch::Line(MUTED_RED)));
        }
        legend
    }

    fn is_empty(&self) -> bool {
        self.points.is_empty() && self.forecast.is_empty()
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
        let times = self
            .points
            .iter()
            .chain(&self.forecast)
            .map(|p| p.0)
            .chain(self.exhausted);
        let lo = times.clone().min().unwrap_or(0);
        let hi = times.max().unwrap_or(0);
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 12 * HOUR_MS, lo + 12 * HOUR_MS)
        };
        let layout = TimeLayout::new(body, th, 1.8);
        let plot_h = layout.plot_h;

        // Leave room above the limit line (its label) and at the top (the marker's label).
        let values = || self.points.iter().chain(&self.forecast).map(|p| p.1);
        let data_max = values().fold(0.0, f64::max);
        let data_min = values().fold(0.0, f64::min);
        let row = th.small * 1.45;
        let headroom = |v: f64, rows: f64| v / (1.0 - (rows * row / plot_h).min(0.5));
        let exhausted = self.exhausted.is_some();
        let mut ytop = headroom(data_max, if exhausted { 1.3 } else { 0.3 });
        if let Some(l) = self.limit {
            ytop = ytop.max(headroom(l, if exhausted { 2.4 } else { 1.3 }));
        }
        let left = ValueTicks::nice(th, plot_h, (data_min, ytop), false, "USD");
        let ts = TimeSeries {
            layout,
            lo,
            hi,
            left,
            right: None,
        };
        draw_time_series(body, th, labels, ts, |ctx, frame, labels| {
            // The limit goes under the data.
            self.draw_limit(ctx, frame, th, labels)?;
            self.draw_spend(ctx, th)?;
            self.draw_forecast(ctx, th)?;
            self.draw_exhausted(ctx, frame, th, labels)?;
            self.tips(ctx, labels);
            Ok(())
        })
    }
}

impl Spend<'_> {
    /// Spend at each point (or every n-th of many) on hover: a column from halfway to the point before to
    /// halfway to the next.
    fn tips<DB: DrawingBackend>(&self, ctx: &TimeContext<'_, DB>, labels: &mut Labels) {
        let every = self.points.len().div_ceil(MAX_TIPS).max(1);
        let shown: Vec<(i64, f64)> = self.points.iter().copied().step_by(every).collect();
        let (x, y) = ctx.plotting_area().get_pixel_range();
        let at = |t: i64| ctx.backend_coord(&(t as f64, 0.0)).0;
        for (i, &(t, usd)) in shown.iter().enumerate() {
            let left = i
                .checked_sub(1)
                .map_or(x.start, |p| (at(shown[p].0) + at(t)) / 2);
            let right = shown.get(i + 1).map_or(x.end, |n| (at(t) + at(n.0)) / 2);
            let limit = self
                .limit
                .map(|l| format!(" of the {} USD limit", fmt_usd(l)))
                .unwrap_or_default();
            labels.tip(
                (left, y.start, right, y.end),
                format!("{}: {usd:.2} USD month to date{limit}", human(t)),
            );
        }
    }

    /// The limit as a horizontal line, labelled just above its left end.
    fn draw_limit<DB: DrawingBackend>(
        &self,
        ctx: &mut TimeContext<'_, DB>,
        frame: &TimeFrame,
        th: &Theme,
        labels: &mut Labels,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let Some(l) = self.limit else {
            return Ok(());
        };
        let (xlo, xhi) = (frame.time.axis.lo, frame.time.axis.hi);
        let text_gap = (th.small * 0.45).round() as i32;
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
        Ok(())
    }

    /// Spend, one segment per UTC month.
    fn draw_spend<DB: DrawingBackend>(
        &self,
        ctx: &mut TimeContext<'_, DB>,
        th: &Theme,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let radius = (th.line as f64 * 1.5).round().max(2.0) as i32;
        for seg in split_by_month(&self.points) {
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
        Ok(())
    }

    /// The forecast, dashed, continuing from the last actual point of the same month.
    fn draw_forecast<DB: DrawingBackend>(
        &self,
        ctx: &mut TimeContext<'_, DB>,
        th: &Theme,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        if self.forecast.is_empty() {
            return Ok(());
        }
        let mut f = self.forecast.clone();
        if let Some(&last) = self.points.last() {
            if f[0].0 >= last.0 && month_of(f[0].0) == month_of(last.0) {
                f.insert(0, last);
            }
        }
        let radius = (th.line as f64 * 1.5).round().max(2.0) as i32;
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
        Ok(())
    }

    /// When the limit was reached: a vertical marker, labelled at the top.
    fn draw_exhausted<DB: DrawingBackend>(
        &self,
        ctx: &mut TimeContext<'_, DB>,
        frame: &TimeFrame,
        th: &Theme,
        labels: &mut Labels,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let Some(t) = self.exhausted else {
            return Ok(());
        };
        let (xlo, xhi) = (frame.time.axis.lo, frame.time.axis.hi);
        let (ylo, yhi) = frame.y;
        let text_gap = (th.small * 0.45).round() as i32;
        let x = t as f64;
        let dash = (th.line as f64 * 3.0).round() as i32;
        ctx.draw_series(DashedLineSeries::new(
            [(x, ylo), (x, yhi)],
            dash,
            dash,
            DARK_RED.stroke_width(th.line),
        ))?;
        if let Some(l) = self.limit {
            let r = (th.line as f64 * 2.0).round().max(3.0) as i32;
            ctx.draw_series(std::iter::once(Circle::new((x, l), r, DARK_RED.filled())))?;
        }
        let text = match to_datetime(t) {
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
        Ok(())
    }
}

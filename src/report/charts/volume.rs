//! Volume and failure rate over time: stacked delivered and failed counts per bucket, the failure rate as a
//! line on a right-hand axis.

use plotters::prelude::*;

use super::text::Labels;
use super::time_axis::{clamp_ms, T_LIMIT};
use super::timeseries::{
    draw_time_series, TimeContext, TimeFrame, TimeLayout, TimeSeries, ValueTicks,
};
use super::{
    count, exact, output, Area, Chart, ChartError, DrawResult, Out, Swatch, Theme, TimeBucket,
    MUTED_BLUE, MUTED_RED, RATE,
};
use crate::domain::time::{day_string, human, DAY_MS, HOUR_MS};

/// (start ms, delivered, failed), time-sorted, one per start time.
type Row = (i64, f64, f64);

struct Volume<'a> {
    title: &'a str,
    rows: Vec<Row>,
    /// Bucket length in ms.
    step: i64,
}

/// Volume and failure rate over time: stacked delivered (blue) and failed (red) counts per
/// bucket on the left axis, failure rate (0..100 %) as a line on a right-hand axis.
/// Buckets may be unsorted; buckets with identical start times are summed. `bucket_ms <= 0`
/// means "infer from the spacing of the buckets" (one hour for a single bucket).
pub fn volume_chart<'a>(
    out: impl Into<Out<'a>>,
    title: &str,
    buckets: &[TimeBucket],
    bucket_ms: i64,
    size: (u32, u32),
) -> Result<(), ChartError> {
    let rows = merge(buckets);
    let step = if bucket_ms > 0 {
        bucket_ms.min(T_LIMIT)
    } else {
        rows.windows(2)
            .map(|w| w[1].0.saturating_sub(w[0].0))
            .filter(|d| *d > 0)
            .min()
            .unwrap_or(HOUR_MS)
    };
    output::render(out.into(), size, &Volume { title, rows, step })
}

/// Sorts the buckets and sums those with identical start times.
fn merge(buckets: &[TimeBucket]) -> Vec<Row> {
    let mut rows: Vec<Row> = buckets
        .iter()
        .map(|b| (clamp_ms(b.start_ms), count(b.delivered), count(b.failed)))
        .collect();
    rows.sort_by_key(|r| r.0);
    let mut merged: Vec<Row> = Vec::with_capacity(rows.len());
    for r in rows {
        match merged.last_mut() {
            Some(last) if last.0 == r.0 => {
                last.1 += r.1;
                last.2 += r.2;
            }
            _ => merged.push(r),
        }
    }
    merged
}

impl Chart for Volume<'_> {
    fn title(&self) -> &str {
        self.title
    }

    fn legend(&self) -> Vec<(&str, Swatch)> {
        vec![
            ("delivered", Swatch::Box(MUTED_BLUE)),
            ("failed", Swatch::Box(MUTED_RED)),
            ("failure rate (right axis)", Swatch::Line(RATE)),
        ]
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
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
        let lo = self.rows[0].0;
        let hi = clamp_ms(self.rows[self.rows.len() - 1].0 + self.step);
        let layout = TimeLayout::new(body, th, 0.6);
        let ymax = self.rows.iter().map(|r| r.1 + r.2).fold(0.0, f64::max);
        let left = ValueTicks::nice(th, layout.plot_h, (0.0, ymax * 1.04), true, "messages");
        let rate_ticks: Vec<f64> = (0..=5).map(|i| i as f64 * 20.0).collect();
        let right = ValueTicks {
            lo: 0.0,
            hi: 100.0,
            text: rate_ticks.iter().map(|v| format!("{v:.0}%")).collect(),
            ticks: rate_ticks,
            desc: "failure rate",
        };
        let ts = TimeSeries {
            layout,
            lo,
            hi,
            left,
            right: Some(right),
        };
        draw_time_series(body, th, labels, ts, |ctx, frame, labels| {
            self.draw_series(ctx, frame, th, (lo, hi))?;
            self.tips(ctx, labels);
            Ok(())
        })
    }
}

impl Volume<'_> {
    fn draw_series<DB: DrawingBackend>(
        &self,
        ctx: &mut TimeContext<'_, DB>,
        frame: &TimeFrame,
        th: &Theme,
        (lo, hi): (i64, i64),
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let step = self.step;
        let px_per_bucket = frame.plot_w * step as f64 / (hi as f64 - lo as f64).max(1.0);
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
        ctx.draw_series(
            self.rows
                .iter()
                .filter(|r| r.1 > 0.0)
                .map(|r| bar(r.0, 0.0, r.1, MUTED_BLUE)),
        )?;
        ctx.draw_series(
            self.rows
                .iter()
                .filter(|r| r.2 > 0.0)
                .map(|r| bar(r.0, r.1, r.1 + r.2, MUTED_RED)),
        )?;

        let marks = self.rows.len() <= 60 || px_per_bucket >= 8.0;
        let radius = (th.line as f64 * 1.5).round().max(2.0) as i32;
        for seg in &self.rate_segments(hi) {
            if seg.len() > 1 {
                ctx.draw_secondary_series(LineSeries::new(
                    seg.iter().copied(),
                    RATE.stroke_width(th.line),
                ))?;
            }
            if marks || seg.len() == 1 {
                ctx.draw_secondary_series(
                    seg.iter().map(|p| Circle::new(*p, radius, RATE.filled())),
                )?;
            }
        }
        Ok(())
    }

    /// Each bucket's column tells its counts on hover.
    fn tips<DB: DrawingBackend>(&self, ctx: &TimeContext<'_, DB>, labels: &mut Labels) {
        let (_, y) = ctx.plotting_area().get_pixel_range();
        for &(t, delivered, failed) in &self.rows {
            let when = match self.step {
                DAY_MS => day_string(t),
                _ => human(t),
            };
            let total = delivered + failed;
            let rate = if total > 0.0 {
                format!(" ({:.1}% failed)", failed / total * 100.0)
            } else {
                String::new()
            };
            let x = |t: i64| ctx.backend_coord(&(t as f64, 0.0)).0;
            labels.tip(
                (x(t), y.start, x(t.saturating_add(self.step)), y.end),
                format!(
                    "{when}: {} texts, {} delivered, {} failed{rate}",
                    exact(total),
                    exact(delivered),
                    exact(failed)
                ),
            );
        }
    }

    /// Failure rate (percent) at bucket centres, broken wherever a bucket is empty or missing.
    fn rate_segments(&self, hi: i64) -> Vec<Vec<(f64, f64)>> {
        let step = self.step;
        let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut prev: Option<i64> = None;
        for r in &self.rows {
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
        segments
    }
}

//! A traffic surge per country: texts per hour of each country as solid lines (left axis) and what they
//! cost per hour as dashed lines of the same colour (right axis), so that a pumping attack shows as
//! volume and money jumping together in a few countries.

use plotters::prelude::*;

use super::text::Labels;
use super::time_axis::clamp_ms;
use super::timeseries::{draw_time_series, TimeContext, TimeLayout, TimeSeries, ValueTicks};
use super::{
    finite, output, Area, Chart, ChartError, DrawResult, Out, Swatch, Theme, DARK_RED, MUTED_BLUE,
    P90,
};
use crate::domain::time::HOUR_MS;

/// One country's hourly texts and spend, from `start_ms`, `step_ms` apart.
#[derive(Debug, Clone, PartialEq)]
pub struct CountrySeries {
    pub label: String,
    pub start_ms: i64,
    pub step_ms: i64,
    pub texts: Vec<f64>,
    pub usd: Vec<f64>,
}

/// Line colours, one per country (a surge is a few countries).
const COLOURS: [RGBColor; 5] = [
    MUTED_BLUE,
    DARK_RED,
    RGBColor(46, 139, 87),
    RGBColor(150, 90, 20),
    P90,
];

struct Surge<'a> {
    title: &'a str,
    series: &'a [CountrySeries],
    legend: Vec<String>,
}

/// Texts (left axis) and USD (right axis) per hour of each country.
pub fn surge_chart<'a>(
    out: impl Into<Out<'a>>,
    title: &str,
    series: &[CountrySeries],
    size: (u32, u32),
) -> Result<(), ChartError> {
    let series: Vec<CountrySeries> = series.iter().take(COLOURS.len()).cloned().collect();
    let legend = series
        .iter()
        .flat_map(|s| {
            [
                format!("{} texts", s.label),
                format!("{} USD (right)", s.label),
            ]
        })
        .collect();
    output::render(
        out.into(),
        size,
        &Surge {
            title,
            series: &series,
            legend,
        },
    )
}

impl CountrySeries {
    fn points<'a>(&'a self, values: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
        let step = self.step_ms.max(1);
        values.iter().enumerate().filter_map(move |(i, v)| {
            let t = clamp_ms(self.start_ms.saturating_add(i as i64 * step));
            finite(*v).map(|v| ((t + step / 2) as f64, v.max(0.0)))
        })
    }

    fn end(&self) -> i64 {
        let n = self.texts.len().max(self.usd.len()) as i64;
        clamp_ms(self.start_ms.saturating_add(n * self.step_ms.max(1)))
    }
}

impl Chart for Surge<'_> {
    fn title(&self) -> &str {
        self.title
    }

    fn legend(&self) -> Vec<(&str, Swatch)> {
        self.legend
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let c = COLOURS[i / 2 % COLOURS.len()];
                let swatch = if i % 2 == 0 {
                    Swatch::Line(c)
                } else {
                    Swatch::Dashed(c)
                };
                (l.as_str(), swatch)
            })
            .collect()
    }

    fn is_empty(&self) -> bool {
        self.series.iter().all(|s| s.texts.is_empty())
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
        let lo = self.series.iter().map(|s| s.start_ms).min().unwrap_or(0);
        let hi = self
            .series
            .iter()
            .map(CountrySeries::end)
            .max()
            .unwrap_or(lo + HOUR_MS)
            .max(lo + HOUR_MS);
        let max = |f: &dyn Fn(&CountrySeries) -> &[f64]| {
            self.series
                .iter()
                .flat_map(|s| f(s).iter().copied().filter_map(finite))
                .fold(0.0, f64::max)
        };
        let layout = TimeLayout::new(body, th, 0.6);
        let texts_max = max(&|s| &s.texts).max(1.0);
        let usd_max = max(&|s| &s.usd).max(0.01);
        let left = ValueTicks::nice(
            th,
            layout.plot_h,
            (0.0, texts_max * 1.05),
            true,
            "texts per hour",
        );
        let right = ValueTicks::nice(
            th,
            layout.plot_h,
            (0.0, usd_max * 1.05),
            false,
            "USD per hour",
        );
        let ts = TimeSeries {
            layout,
            lo,
            hi,
            left,
            right: Some(right),
        };
        draw_time_series(body, th, labels, ts, |ctx, _, _| self.draw_lines(ctx, th))
    }
}

impl Surge<'_> {
    fn draw_lines<DB: DrawingBackend>(
        &self,
        ctx: &mut TimeContext<'_, DB>,
        th: &Theme,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let dash = (th.line as f64 * 4.0).round() as i32;
        let gap = (th.line as f64 * 3.0).round() as i32;
        for (i, s) in self.series.iter().enumerate() {
            let c = COLOURS[i % COLOURS.len()];
            ctx.draw_series(LineSeries::new(
                s.points(&s.texts).collect::<Vec<_>>(),
                c.stroke_width(th.line),
            ))?;
            ctx.draw_secondary_series(DashedLineSeries::new(
                s.points(&s.usd).collect::<Vec<_>>(),
                dash,
                gap,
                c.stroke_width(th.line),
            ))?;
        }
        Ok(())
    }
}

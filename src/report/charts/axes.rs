//! Numeric axes: a linear or log coordinate with explicitly chosen ticks, "nice" tick steps, number and
//! duration formats.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

use super::text::text_width;

/// A 1-D coordinate over `lo..hi` (log10-mapped if `log`) whose labelled ticks are
/// exactly `ticks`; used for values, categories (ticks at band centres) and time (ms).
#[derive(Clone, Debug)]
pub(super) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    pub ticks: Vec<f64>,
}

impl Axis {
    pub(super) fn linear(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
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
pub(super) fn nice_ticks(
    lo: f64,
    hi: f64,
    target: usize,
    integer: bool,
) -> (f64, f64, Vec<f64>, f64) {
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
pub(super) struct NumFmt {
    div: f64,
    suffix: &'static str,
    decimals: usize,
    /// Beyond 10^15 every label is in scientific notation.
    sci: bool,
}

impl NumFmt {
    pub(super) fn new(max_abs: f64, step: f64) -> Self {
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

    pub(super) fn format(&self, v: f64) -> String {
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
pub(super) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
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
pub(super) fn duration_ticks(lo: f64, hi: f64, plot_px: f64, label_px: f64) -> Vec<f64> {
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
pub(super) fn fmt_duration_ms(ms: f64) -> String {
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

/// Largest 1/2/5×10^k that is <= v (v > 0).
pub(super) fn nice_floor_125(v: f64) -> f64 {
    let base = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * base)
        .find(|c| *c <= v)
        .unwrap_or(base)
}

/// Smallest 1/2/5×10^k that is >= v (v > 0).
pub(super) fn nice_ceil_125(v: f64) -> f64 {
    let base = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * base)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * base)
}

/// Tick labels are drawn by `text`, not by plotters.
pub(super) fn no_label(_: &f64) -> String {
    String::new()
}

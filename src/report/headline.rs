//! The headline figures under the verdict: what a reader wants before any table (texts, failure rate,
//! spend against the limit, users locked out, the top cause).

use crate::analysis::findings::Finding;
use crate::analysis::summary::Summary;
use crate::domain::time::{human, parse_timestamp_ms};

/// One figure: what it is, its value, and a line of context.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub note: String,
}

/// The figures, in reading order. `locked_out` is the number of recipients with no successful delivery.
pub fn figures(s: &Summary, findings: &[Finding], locked_out: u64) -> Vec<Figure> {
    let day = |t: &Option<String>| {
        t.as_deref()
            .map_or("-", |t| t.get(..10).unwrap_or(t))
            .to_owned()
    };
    let sampled = if s.spend.sampling_note.is_some() {
        ", successes re-weighted for sampling"
    } else {
        ""
    };
    vec![
        Figure {
            label: "texts",
            value: grouped(s.events),
            note: match (&s.first_event, &s.last_event) {
                (None, None) => "no records read".into(),
                (first, last) => format!("{} to {}", day(first), day(last)),
            },
        },
        Figure {
            label: "failure rate",
            value: percent(s.failure_rate),
            note: format!("{} failed{sampled}", grouped(s.failed)),
        },
        spend(s),
        Figure {
            label: "users locked out",
            value: grouped(locked_out),
            note: "recipients with no text delivered".into(),
        },
        top_cause(findings),
    ]
}

/// Spend of the latest month (the metric's month-to-date maximum where exported) against the limit.
fn spend(s: &Summary) -> Figure {
    let sp = &s.spend;
    let Some(month) = sp.spend_by_month.last() else {
        return Figure {
            label: "spend vs limit",
            value: "-".into(),
            note: "no spend data".into(),
        };
    };
    let spent = month.metric_max_usd.unwrap_or(month.spend_usd_estimated);
    let (value, note) = match sp.spend_limit_usd {
        Some(limit) => {
            let reached = sp
                .quota_exhausted_at
                .as_deref()
                .and_then(parse_timestamp_ms)
                .map(|t| format!(", limit reached {}", human(t)));
            let share = reached.unwrap_or_else(|| match spent / limit {
                r if r.is_finite() => format!(", {} of the limit", percent(r)),
                _ => String::new(),
            });
            (
                format!("{spent:.2} / {} USD", usd(limit)),
                format!("{}{share}", month.month),
            )
        }
        None => (
            format!("{spent:.2} USD"),
            format!("{}, spend limit unknown (--spend-limit)", month.month),
        ),
    };
    Figure {
        label: "spend vs limit",
        value,
        note,
    }
}

fn top_cause(findings: &[Finding]) -> Figure {
    match findings.first() {
        Some(f) => Figure {
            label: "top cause",
            value: f.title.clone(),
            note: format!(
                "{} texts ({} of failures)",
                grouped(f.texts),
                percent(f.share_of_failures)
            ),
        },
        None => Figure {
            label: "top cause",
            value: "none".into(),
            note: "no failures".into(),
        },
    }
}

/// "<1%" rather than a misleading "0%".
pub fn percent(x: f64) -> String {
    if x > 0.0 && x < 0.01 {
        "<1%".into()
    } else {
        format!("{:.0}%", x * 100.0)
    }
}

fn usd(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// 12,345.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(4400), "4,400");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(percent(0.3443), "34%");
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.0), "0%");
    }
}

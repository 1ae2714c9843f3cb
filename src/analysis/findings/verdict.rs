//! One sentence a support engineer can paste, spoken from the top finding (after a caution when the logs
//! themselves are incomplete).

use super::model::{Finding, FindingKind};
use super::{count, pct, usd};
use crate::analysis::summary::Summary;
use crate::domain::outcome::{Phrase, Severity};
use crate::domain::time::{human, HOUR_MS};

pub fn verdict(s: &Summary, findings: &[Finding]) -> String {
    if s.events == 0 {
        return "No delivery records were found in the inputs.".into();
    }
    let caution: String = findings
        .iter()
        .filter(|f| f.kind.is_data_quality())
        .map(|f| {
            format!(
                "Caution: {} (see the first finding). ",
                lower_first(&f.title)
            )
        })
        .take(1)
        .collect();
    let rate = s.failure_rate * 100.0;
    let top = findings.iter().find(|f| !f.kind.is_data_quality());
    let main = match top {
        None => format!(
            "{rate:.0}% of {} texts failed; no failure pattern stands out.",
            s.events
        ),
        Some(f) if f.severity == Severity::Info => format!(
            "{rate:.0}% of {} texts failed, at ordinary background rates (mostly {}); no cause stands out.",
            s.events,
            label(s, f)
        ),
        Some(f) => match f.kind {
            FindingKind::CarrierOutage => format!(
                "{rate:.0}% of texts failed; {} {} of the texts on {} failed with carrier-network errors: a probable carrier outage ({} texts lost beyond the normal rate).",
                when(f),
                pct(f.rate_in),
                f.title.trim_start_matches("Probable outage on "),
                count(f.excess as f64)
            ),
            FindingKind::SmsPumping => format!(
                "Probable SMS pumping {}: {} texts to {} numbers never texted before in {} cost {} USD beyond the usual spend, delivered; {rate:.0}% of texts failed.",
                when(f),
                count(f.texts as f64),
                count(f.recipients as f64),
                f.scope.countries.join(", "),
                usd(f.cost_usd.unwrap_or(0.0))
            ),
            FindingKind::WrongRegion => format!(
                "{rate:.0}% of texts failed; {} SNS refuses texts with `No quota left for account` although the spend is far below the {} USD limit exported: the limit in force is another region's.",
                when(f),
                s.spend.spend_limit_usd.unwrap_or(0.0)
            ),
            FindingKind::Class(_) | FindingKind::LoggingGap | FindingKind::SuccessSampling => {
                class_sentence(s, f, rate)
            }
        },
    };
    caution + &main
}

/// "since 2026-03-22 16:00 UTC" or "from 2026-03-14 12:00 UTC to 2026-03-14 15:00 UTC".
fn when(f: &Finding) -> String {
    if f.window.ongoing {
        format!("since {}", human(f.window.start_ms))
    } else {
        format!(
            "from {} to {}",
            human(f.window.start_ms),
            human(f.window.end_ms)
        )
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The class's most common providerResponse, quoted, else its title.
fn label(s: &Summary, f: &Finding) -> String {
    match s
        .by_provider_response
        .iter()
        .find(|r| r.class == f.kind.as_str())
    {
        Some(r) => format!("`{}`", first_sentence(&r.provider_response)),
        None => f.title.clone(),
    }
}

/// A long providerResponse (the account-review one runs to a paragraph and a URL) by its first
/// sentence.
fn first_sentence(s: &str) -> String {
    match s.find(". ") {
        Some(i) if s.len() > 100 => format!("{}.", &s[..i]),
        _ => s.to_owned(),
    }
}

/// "34% of texts failed; 100% of failures since … are `…`: <because>."
fn class_sentence(s: &Summary, f: &Finding, rate: f64) -> String {
    let (from, to) = (f.window.start_ms, f.window.end_ms);
    // Share of the failures in the finding's window that it explains.
    let failed: u64 = s
        .hourly
        .iter()
        .filter(|h| h.hour_ms + HOUR_MS > from && (f.window.ongoing || h.hour_ms <= to))
        .map(|h| h.failed)
        .sum();
    let share = if failed > 0 {
        (f.texts as f64 / failed as f64).min(1.0)
    } else {
        1.0
    };
    let why = because(f, s.spend.spend_limit_usd);
    let label = label(s, f);
    if f.window.ongoing {
        format!(
            "{rate:.0}% of texts failed; {:.0}% of failures since {} are {label}: {why}.",
            share * 100.0,
            human(from)
        )
    } else {
        format!(
            "{rate:.0}% of texts failed; from {} to {}, {:.0}% of failures were {label}: {why}.",
            human(from),
            human(to),
            share * 100.0
        )
    }
}

/// Why the texts failed, as the verdict says it.
fn because(top: &Finding, limit_usd: Option<f64>) -> String {
    let concentration = || {
        top.concentration
            .as_ref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default()
    };
    match top.kind {
        FindingKind::Class(class) => {
            let o = class.outcome();
            let said = o
                .because
                .map_or_else(|| lower_first(&top.title), |p: Phrase| p.render(limit_usd));
            if o.because_names_concentration {
                said + &concentration()
            } else {
                said
            }
        }
        _ => lower_first(&top.title),
    }
}

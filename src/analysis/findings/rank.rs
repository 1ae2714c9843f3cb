//! Severity and order. A finding is *critical* when users cannot sign in now (a cause of that kind still
//! going at the end of the data, failing at least a quarter of the texts it touches), a *warning* when it
//! cost texts beyond normal (or money, or trust in the logs), *info* when it is background or one user's
//! retries. Findings about the logs come first (every rate depends on them); then by severity, a cause before what it
//! caused, and the texts explained beyond the baseline.

use super::classes::MIN_EXCESS;
use super::model::{Finding, FindingKind};
use crate::domain::outcome::{Class, Severity};

/// Share of its texts a cause must fail, still going at the end, to stop users signing in now.
const CRITICAL_RATE: f64 = 0.25;

/// How severe a cause of this kind can be.
fn ceiling(kind: FindingKind) -> Severity {
    match kind {
        FindingKind::Class(c) => c.outcome().severity,
        FindingKind::CarrierOutage | FindingKind::WrongRegion => Severity::Critical,
        FindingKind::SmsPumping | FindingKind::LoggingGap | FindingKind::SuccessSampling => {
            Severity::Warning
        }
    }
}

pub fn severity(f: &Finding) -> Severity {
    if f.kind.is_data_quality() {
        return Severity::Warning;
    }
    if (f.excess as f64) < MIN_EXCESS {
        return Severity::Info;
    }
    if f.few_recipients {
        return Severity::Info;
    }
    if f.root_cause {
        return Severity::Critical;
    }
    match ceiling(f.kind) {
        Severity::Critical if f.window.ongoing && f.rate_in >= CRITICAL_RATE => Severity::Critical,
        Severity::Critical | Severity::Warning => Severity::Warning,
        // classes that are mostly background (unreachable, unknown) matter when they changed
        Severity::Info if f.is_change => Severity::Warning,
        Severity::Info => match f.kind {
            FindingKind::Class(c) if f.rate_in >= 2.0 * c.outcome().normal_rate => {
                Severity::Warning
            }
            _ => Severity::Info,
        },
    }
}

/// Marks causes of other findings, gives every finding its severity, and sorts.
pub fn rank(found: &mut [Finding]) {
    // A surge that began before the spend limit was reached used it up.
    let limit_from = found
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FindingKind::Class(Class::SpendLimit) | FindingKind::WrongRegion
            ) && f.excess as f64 >= MIN_EXCESS
        })
        .map(|f| f.window.start_ms)
        .min();
    for f in found.iter_mut() {
        if let (FindingKind::SmsPumping, Some(t)) = (f.kind, limit_from) {
            if f.window.start_ms <= t {
                f.root_cause = true;
                f.evidence.push(format!(
                    "the surge used up the spend limit: from {} every text fails with `No quota left for account`",
                    crate::domain::time::human(t)
                ));
            }
        }
        f.severity = severity(f);
    }
    found.sort_by(|a, b| {
        b.kind
            .is_data_quality()
            .cmp(&a.kind.is_data_quality())
            .then(b.severity.cmp(&a.severity))
            .then(b.root_cause.cmp(&a.root_cause))
            .then(b.excess.cmp(&a.excess))
            .then(b.texts.cmp(&a.texts))
            .then_with(|| a.kind.as_str().cmp(b.kind.as_str()))
            .then_with(|| a.window.start_ms.cmp(&b.window.start_ms))
    });
}

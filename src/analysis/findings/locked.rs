//! Recipients with no successful delivery in the window: the users locked out of MFA, each with the
//! finding that explains their failures.

use super::model::{Finding, Recipient};
use crate::analysis::collector::Collected;
use crate::analysis::recipients::RecipientStats;
use crate::domain::outcome::Class;
use crate::domain::time::rfc3339;

/// Recipients with no successful delivery in the window.
#[derive(Debug, Default)]
pub struct LockedOut {
    /// How many there are.
    pub total: u64,
    /// The worst of them (most failed texts, then earliest last attempt, then number), at most the limit.
    pub worst: Vec<Recipient>,
}

/// The locked-out recipients: all of them counted, the worst `limit` (all with `None`) listed, each with
/// the cause that locked them out (`findings` ranked). A sign-up surge or a pumping attack leaves hundreds
/// of thousands; only the listed ones are formatted.
pub fn locked_out(
    c: &Collected,
    findings: &[Finding],
    show_numbers: bool,
    limit: Option<usize>,
) -> LockedOut {
    let locked = |r: &RecipientStats| r.texts > 0 && r.failed == r.texts;
    // (failed texts, last attempt): the order without the number, which only breaks ties.
    let mut all: Vec<(u64, i64)> = c
        .recipients
        .iter()
        .filter(|(_, r)| locked(r))
        .map(|(_, r)| (r.failed, r.last_ms))
        .collect();
    let total = all.len() as u64;
    let order = |a: &(u64, i64), b: &(u64, i64)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    // The first n by that order and every tie of the n-th: the number decides among those.
    let edge = match limit {
        Some(0) => {
            return LockedOut {
                total,
                worst: Vec::new(),
            }
        }
        Some(n) if n < all.len() => Some(*all.select_nth_unstable_by(n - 1, order).1),
        _ => None,
    };
    drop(all);
    let mut worst: Vec<Recipient> = c
        .recipients
        .iter()
        .filter(|(_, r)| locked(r))
        .filter(|(_, r)| edge.is_none_or(|e| order(&(r.failed, r.last_ms), &e).is_le()))
        .map(|(k, r)| {
            // A number, or for a dataset's recipient its masked number or pseudonym.
            let name = c.recipient_name(*k, show_numbers);
            recipient(c, findings, name, &r)
        })
        .collect();
    worst.sort_by(|a, b| {
        b.failed_texts
            .cmp(&a.failed_texts)
            .then_with(|| a.last_attempt.cmp(&b.last_attempt))
            .then_with(|| a.number.cmp(&b.number))
    });
    worst.truncate(limit.unwrap_or(usize::MAX));
    LockedOut { total, worst }
}

/// One locked-out recipient and the highest-ranked finding of one of their classes, where and when they
/// failed (else their first failure class).
fn recipient(c: &Collected, findings: &[Finding], name: String, r: &RecipientStats) -> Recipient {
    let country = c.dicts.country.name(r.country).to_owned();
    let classes: Vec<Class> = Class::ALL
        .into_iter()
        .filter(|cl| r.failure_classes & (1 << cl.code()) != 0)
        .collect();
    let cause = findings
        .iter()
        .find(|f| {
            f.classes & r.failure_classes != 0
                && f.window.start_ms <= r.last_ms
                && f.window.end_ms >= r.first_ms
                && f.scope.country.as_ref().is_none_or(|fc| *fc == country)
        })
        .map(|f| f.kind.as_str())
        .or_else(|| classes.first().map(|cl| cl.as_str()))
        .unwrap_or("unknown");
    Recipient {
        number: name,
        country,
        failed_texts: r.failed,
        first_attempt: rfc3339(r.first_ms),
        last_attempt: rfc3339(r.last_ms),
        failure_classes: classes.iter().map(|cl| cl.as_str()).collect(),
        cause,
    }
}

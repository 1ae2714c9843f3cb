//! Recipients with no successful delivery in the window: the users locked out of MFA, each with the
//! finding that explains their failures.

use super::model::{Finding, Recipient};
use crate::analysis::collector::Collected;
use crate::domain::mask::show_number;
use crate::domain::outcome::Class;
use crate::domain::time::rfc3339;

/// Every recipient who got only failures, most failed texts first; `findings` ranked.
pub fn locked_out(c: &Collected, findings: &[Finding], show_numbers: bool) -> Vec<Recipient> {
    let mut v: Vec<Recipient> = c
        .recipients
        .iter()
        .filter(|(_, r)| r.texts > 0 && r.failed == r.texts)
        .filter_map(|(k, r)| {
            let number =
                crate::frame::recipient::decode(*k).or_else(|| c.odd_numbers.get(k).cloned())?;
            Some((number, r))
        })
        .map(|(n, r)| {
            let country = c.dicts.country.name(r.country).to_owned();
            let classes: Vec<Class> = Class::ALL
                .into_iter()
                .filter(|cl| r.failure_classes & (1 << cl.code()) != 0)
                .collect();
            // The highest-ranked finding of one of their classes, where and when they failed.
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
                number: show_number(&n, show_numbers),
                country,
                failed_texts: r.failed,
                first_attempt: rfc3339(r.first_ms),
                last_attempt: rfc3339(r.last_ms),
                failure_classes: classes.iter().map(|cl| cl.as_str()).collect(),
                cause,
            }
        })
        .collect();
    v.sort_by(|a, b| {
        b.failed_texts
            .cmp(&a.failed_texts)
            .then_with(|| a.last_attempt.cmp(&b.last_attempt))
            .then_with(|| a.number.cmp(&b.number))
    });
    v
}

//! Sample message ids kept as evidence (support cases ask for three): the earliest few per failure class,
//! chosen the same way from records (the batch builder) and from a dataset's rows.

use super::{Evidence, EVIDENCE_PER_CLASS};
use crate::domain::outcome::Class;

/// Offers one failure of `class` at `time`: kept while the class has fewer than [`EVIDENCE_PER_CLASS`],
/// or in place of the latest kept one if it is earlier. `make` is called only when it is kept (most
/// failures are not: nothing is allocated for them).
#[inline]
pub fn keep_earliest(
    kept: &mut Vec<Evidence>,
    class: Class,
    time: i64,
    make: impl FnOnce() -> Evidence,
) {
    let mut same = 0;
    let mut latest: Option<usize> = None;
    for (i, e) in kept.iter().enumerate() {
        if e.class == class {
            same += 1;
            if latest.is_none_or(|l| kept[l].time_ms < e.time_ms) {
                latest = Some(i);
            }
        }
    }
    match latest {
        _ if same < EVIDENCE_PER_CLASS => kept.push(make()),
        Some(l) if kept[l].time_ms > time => kept[l] = make(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(time_ms: i64, class: Class) -> Evidence {
        Evidence {
            time_ms,
            message_id: format!("m{time_ms}"),
            class,
            carrier: String::new(),
            country: String::new(),
        }
    }

    #[test]
    fn keeps_the_earliest_three_per_class() {
        let mut kept = Vec::new();
        for t in [50, 40, 30, 20, 60, 10] {
            keep_earliest(&mut kept, Class::SpendLimit, t, || ev(t, Class::SpendLimit));
        }
        keep_earliest(&mut kept, Class::OptedOut, 99, || ev(99, Class::OptedOut));
        let mut times: Vec<i64> = kept
            .iter()
            .filter(|e| e.class == Class::SpendLimit)
            .map(|e| e.time_ms)
            .collect();
        times.sort();
        assert_eq!(times, vec![10, 20, 30]);
        assert_eq!(kept.len(), 4);
    }
}

//! Carrier outages: a burst of `Phone carrier is currently unreachable/unavailable` or `Unknown error
//! attempting to reach phone` on one carrier, for minutes to hours, while it otherwise delivers. The
//! window is fitted to the burst (its first failure to the end of its last failing hour), and the finding
//! claims those failures (and the same country's unnamed ones in that window when they rose too), so the
//! classes' own findings no longer count them.

use super::classes::{concentration, expected, MIN_EXCESS};
use super::grid::Scope;
use super::model::{Finding, FindingKind, Window};
use super::scan::{llr, may_go_on, scan, widen, Fit, LLR_MIN};
use super::{count, pct, Ctx};
use crate::domain::outcome::{Class, Severity};
use crate::domain::time::{human, HOUR_MS};

/// An outage lasts minutes to hours; a carrier failing for days is a class finding on that carrier.
const MAX_HOURS: usize = 48;

/// Most of the carrier's texts fail in an outage: at least this share in the window.
const MIN_RATE: f64 = 0.3;

/// And far more than it normally does.
const MIN_RATIO: f64 = 5.0;

/// Outages looked for, at most (each claims its failures, then the next is sought).
const MAX_OUTAGES: usize = 5;

fn classes() -> u32 {
    super::only(Class::CarrierUnreachable) | super::only(Class::Unknown)
}

pub(super) fn findings(cx: &mut Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for _ in 0..MAX_OUTAGES {
        let Some((seg, fit)) = best(cx) else { break };
        out.push(finding(cx, seg, &fit));
    }
    out
}

/// The named carrier with the strongest burst.
fn best(cx: &Ctx<'_>) -> Option<(usize, Fit)> {
    let g = &cx.grid;
    let per_seg = g.per_seg(classes());
    (0..g.segs.len())
        .filter(|&s| g.segs[s].named() && per_seg[s] >= MIN_EXCESS)
        .filter_map(|s| {
            let scope = Scope::Seg(s);
            let (k, n) = (g.count(&scope, classes()), g.texts_for(&scope, classes()));
            let mut fit = scan(&k, &n, MAX_HOURS)?;
            widen(&k, &n, &mut fit);
            let burst = fit.llr >= LLR_MIN
                && fit.k_in >= MIN_EXCESS
                && fit.rate_in() >= MIN_RATE
                && fit.rate_in() >= MIN_RATIO * fit.rate_out();
            burst.then_some((s, fit))
        })
        .max_by(|a, b| a.1.llr.total_cmp(&b.1.llr))
}

/// The outage of segment `seg` over the fitted window; claims its failures.
fn finding(cx: &mut Ctx<'_>, seg: usize, fit: &Fit) -> Finding {
    let (a, b) = (fit.a, fit.b);
    let g = &cx.grid;
    let bits = classes();
    let country = g.segs[seg].country.clone();
    let carrier_raw = g.segs[seg].carrier.clone();
    let carrier = cx.name(&carrier_raw);
    let counts = g.seg_counts(bits, (a, b));
    // The same country's records that name no carrier: part of the outage when they rose too.
    let unnamed = g
        .segs_of(g.segs[seg].cx)
        .into_iter()
        .find(|&s| !g.segs[s].named())
        .filter(|&s| {
            let c = counts[s];
            llr(c.k_in, c.n_in, c.k_out, c.n_out) >= LLR_MIN / 2.0
        });
    let mut members = vec![seg];
    members.extend(unnamed);
    let scope = Scope::Segs(members.clone());
    let texts: f64 = members.iter().map(|&s| counts[s].k_in).sum();
    let sent: f64 = members.iter().map(|&s| counts[s].n_in).sum();
    let expected = expected(&counts, |s| members.contains(&s), fit.rate_out());
    let excess = (texts - expected).max(0.0);
    let ongoing = may_go_on(
        &g.count(&Scope::Seg(seg), bits),
        &g.texts_for(&Scope::Seg(seg), bits),
        fit,
    );
    let (first, last_failure) = g
        .span(&Scope::Seg(seg), bits, (a, b))
        .unwrap_or((g.hour_ms(a), g.hour_ms(b + 1)));
    // The burst ends when the carrier delivers again.
    let end = if ongoing {
        g.last_ms
    } else {
        g.delivered_again(seg, last_failure)
    };
    let window = Window::new(first, end, ongoing);
    // The other carriers of the country, over the same hours.
    let others: Vec<usize> = g
        .segs_of(g.segs[seg].cx)
        .into_iter()
        .filter(|&s| s != seg && g.segs[s].named())
        .collect();
    let (ok, of): (f64, f64) = others
        .iter()
        .map(|&s| (counts[s].k_in, counts[s].n_in))
        .fold((0.0, 0.0), |acc, x| (acc.0 + x.0, acc.1 + x.1));
    let mut evidence = vec![format!(
        "{} of {} texts on {carrier} ({country}) failed with carrier-network errors from {} to {} ({}), against {} the rest of the time",
        count(texts),
        count(sent),
        human(window.start_ms),
        if ongoing { "the end of the data".to_owned() } else { human(window.end_ms) },
        pct(fit.rate_in()),
        pct(fit.rate_out()),
    )];
    if of > 0.0 {
        evidence.push(format!(
            "the other carriers in {country} lost {} of {} texts in the same hours ({})",
            count(ok),
            count(of),
            pct(ok / of)
        ));
    }
    if unnamed.is_some() {
        evidence.push(format!(
            "includes failures in {country} whose records name no carrier, which rose in the same hours"
        ));
    }
    let mut message_ids = cx.message_ids(
        bits,
        Some(&country),
        &[carrier_raw.as_str()],
        (first, end + HOUR_MS),
    );
    message_ids.truncate(3);
    let (concentration, _) = concentration(cx, &counts);
    let f = Finding {
        kind: FindingKind::CarrierOutage,
        severity: Severity::Info,
        title: format!("Probable outage on {carrier} ({country})"),
        texts: texts.round() as u64,
        expected,
        excess: excess.round() as u64,
        share_of_failures: excess / cx.failed_total(),
        recipients: cx.recipients(bits, Some(&country), (first, end)),
        message_ids,
        window,
        scope: super::model::Scope {
            country: Some(country.clone()),
            carrier: Some(carrier.clone()),
            ..Default::default()
        },
        concentration: concentration
            .or_else(|| Some(format!("{} of the texts on {carrier}", pct(fit.rate_in())))),
        baseline: format!(
            "the carrier's own rate of carrier-network errors outside the window: {}",
            pct(fit.rate_out())
        ),
        cost_usd: None,
        evidence,
        remedy: Class::CarrierUnreachable.outcome().remedy.to_owned(),
        classes: bits,
        rate_in: fit.rate_in(),
        is_change: true,
        root_cause: false,
        few_recipients: false,
        chart: None,
    };
    cx.grid.claim(&scope, bits, (a, b));
    f
}

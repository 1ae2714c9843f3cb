//! One finding per outcome class: the window where its rate rose, scanned over everything, per country
//! and per carrier (the scope with the strongest change wins), its excess counted against the class's
//! own rate outside the window in each country and carrier; else, when nothing changed, its steady level
//! against the class's normal background (`Outcome::normal_rate`). For a class the recipient decides,
//! whether it is more than chance is weighed on recipients, not texts: its failures cluster by recipient
//! ([`Clusters`]), so the scan's ratio is divided by the design effect of the window's failures, and the
//! excess must be [`MIN_EXCESS`] recipients' worth of texts.

use rayon::prelude::*;

use super::clusters::Clusters;
use super::grid::{sum, Grid, Scope, SegCounts};
use super::model::{Finding, FindingKind, Window};
use super::scan::{llr, may_go_on, scan, widen, Fit, LLR_MIN};
use super::{count, only, pct, Ctx};
use crate::domain::outcome::{classify, Class, Severity};
use crate::domain::time::{human, HOUR_MS};
use crate::frame::UNKNOWN;

/// Fewest texts a cause must explain beyond the baseline to be more than background (operators alarm
/// on more than 10 failures).
pub const MIN_EXCESS: f64 = 10.0;

/// Fewest recipients who began failing in a change of a class that is a property of the recipient (a
/// mistyped number, a dead phone) for it to be a cause: fewer is one user retrying, however many texts.
const MIN_RECIPIENTS: u64 = 3;

/// A class can change more than once (two separate incidents); later ones are looked for after the
/// first is claimed.
const MAX_WINDOWS_PER_CLASS: usize = 3;

/// Pseudo-texts at the scope's rate added to each segment's outside counts: a carrier with few texts
/// outside the window gets a baseline near its scope's, not 0 % or 100 %.
const SHRINK: f64 = 100.0;

pub(super) fn findings(cx: &mut Ctx<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let clusters = Clusters::of(cx.c, cx.all_failing());
    for class in Class::ALL.into_iter().filter(|c| *c != Class::Delivered) {
        let bits = only(class);
        let deff =
            |g: &Grid, scope: &Scope, fit: &Fit| window_deff(g, &clusters, class, scope, fit);
        let mut mine: Vec<usize> = Vec::new();
        let mut scanned = Scanned::default();
        for _ in 0..MAX_WINDOWS_PER_CLASS {
            let Some((scope, fit, d)) = best_change(cx, bits, &deff, &mut scanned) else {
                break;
            };
            let scope = with_unnamed(cx, scope, bits, &fit, d);
            let f = change_finding(cx, class, &scope, &fit, d);
            cx.grid.claim(&scope, bits, (fit.a, fit.b));
            scanned.claimed = Some(scope);
            // what is left next to an earlier change of the class is part of it
            match mine.iter().find(|&&i| next_to(&out[i], &f)) {
                Some(&i) => merge(&mut out[i], f),
                None => {
                    mine.push(out.len());
                    out.push(f);
                }
            }
        }
        let d = clusters.design_effect(class, None);
        out.extend(steady_finding(cx, class, !mine.is_empty(), d));
    }
    out
}

/// The design effect of the failures of `class` a window holds in `scope`, from where they are.
fn window_deff(g: &Grid, clusters: &Clusters, class: Class, scope: &Scope, fit: &Fit) -> f64 {
    let k_in = g.per_seg_in(scope, only(class), (fit.a, fit.b));
    let weights = k_in
        .iter()
        .enumerate()
        .map(|(s, &k)| (g.segs[s].country.as_str(), k));
    clusters.design_effect_of(class, weights)
}

/// Whether an excess of texts is fewer than [`MIN_EXCESS`] recipients' worth: the retries of a few
/// users, however many texts (`deff`: the texts in a failed text's cluster, [`Clusters`]).
fn few_recipients_worth(excess: f64, deff: f64) -> bool {
    excess / deff < MIN_EXCESS
}

/// Within six hours of each other, in the same country (or without one).
fn next_to(a: &Finding, b: &Finding) -> bool {
    let gap = 6 * HOUR_MS;
    a.window.start_ms <= b.window.end_ms + gap
        && b.window.start_ms <= a.window.end_ms + gap
        && (a.scope.country == b.scope.country
            || a.scope.country.is_none()
            || b.scope.country.is_none())
}

/// Folds `b` into `a`: its texts, its excess, its window.
fn merge(a: &mut Finding, b: Finding) {
    a.texts += b.texts;
    a.expected += b.expected;
    a.excess += b.excess;
    a.share_of_failures += b.share_of_failures;
    a.few_recipients &= b.few_recipients;
    let ongoing = a.window.ongoing || b.window.ongoing;
    a.window = Window::new(
        a.window.start_ms.min(b.window.start_ms),
        a.window.end_ms.max(b.window.end_ms),
        ongoing,
    );
}

/// A carrier's change, with the same country's records that name no carrier when those rose in the
/// same window (carriers often go unnamed in failure records).
fn with_unnamed(cx: &Ctx<'_>, scope: Scope, bits: u32, fit: &Fit, deff: f64) -> Scope {
    let g = &cx.grid;
    let Scope::Seg(seg) = scope else {
        return scope;
    };
    let counts = g.seg_counts(bits, (fit.a, fit.b));
    let unnamed = g
        .segs_of(g.segs[seg].cx)
        .into_iter()
        .find(|&s| !g.segs[s].named())
        .filter(|&s| {
            let c = counts[s];
            llr(c.k_in, c.n_in, c.k_out, c.n_out) / deff >= LLR_MIN / 2.0
        });
    match unnamed {
        Some(u) => Scope::Segs(vec![seg, u]),
        None => scope,
    }
}

/// Whether a fitted window is a change worth a finding.
pub fn is_change(fit: &Fit) -> bool {
    fit.llr >= LLR_MIN
        && fit.rate_in() >= 2.0 * fit.rate_out()
        && fit.k_in - fit.rate_out() * fit.n_in >= MIN_EXCESS
}

/// A scope's change: its window, the design effect of its failures, and its strength (the ratio before
/// that discount).
type Change = (Fit, f64, f64);

/// The scans of one class's scopes, kept for its next window: a claim changes the counts of only the
/// scopes that share a segment with it (claims of `bits` touch only cells of `bits`), so the others'
/// scans are taken again as they were.
#[derive(Default)]
struct Scanned {
    /// Each scope scanned, and its change if it had one.
    scopes: Vec<(Scope, Option<Change>)>,
    /// The scope claimed since.
    claimed: Option<Scope>,
}

impl Scanned {
    /// The earlier scan of `scope`, if the claim since cannot have changed it.
    fn unchanged(&self, g: &Grid, scope: &Scope) -> Option<Option<Change>> {
        let claimed = self.claimed.as_ref()?;
        let apart = (0..g.segs.len()).all(|s| !(g.in_scope(scope, s) && g.in_scope(claimed, s)));
        let earlier = self.scopes.iter().find(|(s, _)| s == scope)?;
        apart.then_some(earlier.1)
    }
}

/// The scope and window where the unclaimed texts of `bits` changed most, among those that are a
/// change once their evidence is discounted by the design effect of the scope (`deff`, returned with
/// them). The strongest
/// change in texts wins, as without the discount: scopes' design effects differ (a country without
/// retried numbers has none), and a smaller one must not make a country's part of an account-wide
/// change look like the better scope.
fn best_change(
    cx: &Ctx<'_>,
    bits: u32,
    deff: &(dyn Fn(&Grid, &Scope, &Fit) -> f64 + Sync),
    scanned: &mut Scanned,
) -> Option<(Scope, Fit, f64)> {
    let g = &cx.grid;
    let per_seg = g.per_seg(bits);
    if per_seg.iter().sum::<f64>() < MIN_EXCESS {
        return None;
    }
    let mut scopes = vec![Scope::All];
    for cx_ in 0..g.countries.len() {
        let k: f64 = g.segs_of(cx_).iter().map(|&s| per_seg[s]).sum();
        if k >= MIN_EXCESS && g.countries.len() > 1 {
            scopes.push(Scope::Country(cx_));
        }
    }
    for (s, &k) in per_seg.iter().enumerate() {
        if k >= MIN_EXCESS && g.segs[s].named() {
            scopes.push(Scope::Seg(s));
        }
    }
    // Scopes scanned side by side (the grid is only read; the findings' other steps run on one core),
    // the strongest taken in scope order as before.
    let earlier = &*scanned;
    let results: Vec<(Scope, Option<Change>)> = scopes
        .into_par_iter()
        .map(|scope| {
            if let Some(r) = earlier.unchanged(g, &scope) {
                return (scope, r);
            }
            let (k, n) = (g.count(&scope, bits), g.texts_for(&scope, bits));
            let change = scan(&k, &n, g.hours).and_then(|mut fit| {
                widen(&k, &n, &mut fit);
                let strength = fit.llr;
                let d = deff(g, &scope, &fit);
                fit.dispersed_at_least(d);
                is_change(&fit).then_some((fit, d, strength))
            });
            (scope, change)
        })
        .collect();
    let best = results
        .iter()
        .filter_map(|(scope, c)| c.as_ref().map(|c| (scope, c)))
        .max_by(|a, b| a.1 .2.total_cmp(&b.1 .2))
        .map(|(scope, &(fit, d, _))| (scope.clone(), fit, d));
    scanned.scopes = results;
    scanned.claimed = None;
    best
}

/// Where a scope is, for people: "in IN", "on Airtel in IN".
pub fn place(cx: &Ctx<'_>, scope: &Scope) -> String {
    let g = &cx.grid;
    match scope {
        Scope::All => String::new(),
        Scope::Country(c) => format!("in {}", g.countries[*c]),
        Scope::Seg(s) => format!(
            "on {} in {}",
            cx.name(&g.segs[*s].carrier),
            g.segs[*s].country
        ),
        Scope::Segs(v) => match v.first() {
            Some(&s) => format!(
                "on {} in {}",
                cx.name(&g.segs[s].carrier),
                g.segs[s].country
            ),
            None => String::new(),
        },
    }
}

/// What the baseline predicts in the window: each segment's own rate outside it (pulled towards the
/// scope's rate when it has few texts there) times its texts inside.
pub fn expected(counts: &[SegCounts], in_scope: impl Fn(usize) -> bool, scope_rate: f64) -> f64 {
    counts
        .iter()
        .enumerate()
        .filter(|(s, _)| in_scope(*s))
        .map(|(_, c)| (c.k_out + SHRINK * scope_rate) / (c.n_out + SHRINK) * c.n_in)
        .sum()
}

/// "88% in IN, 91% on Airtel" over the texts of `bits` in the window, when they concentrate.
pub fn concentration(cx: &Ctx<'_>, counts: &[SegCounts]) -> (Option<String>, Option<usize>) {
    let g = &cx.grid;
    let total: f64 = counts.iter().map(|c| c.k_in).sum();
    if total <= 0.0 {
        return (None, None);
    }
    let mut per_country = vec![0.0; g.countries.len()];
    let mut per_carrier: std::collections::BTreeMap<String, f64> = Default::default();
    let mut named = 0.0;
    for (s, c) in counts.iter().enumerate() {
        per_country[g.segs[s].cx] += c.k_in;
        if g.segs[s].named() {
            *per_carrier.entry(g.segs[s].carrier.clone()).or_default() += c.k_in;
            named += c.k_in;
        }
    }
    let mut parts = Vec::new();
    let top_country = per_country
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)));
    let mut country = None;
    if let Some((i, &n)) = top_country {
        let share = n / total;
        if g.countries.len() > 1 && (share >= 0.5 && per_country.len() > 1 || share >= 0.8) {
            parts.push(format!("{} in {}", pct(share), g.countries[i]));
            country = Some(i);
        }
    }
    if let Some((name, &n)) = per_carrier
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
    {
        if named > 0.0 && n / named >= 0.5 && name != UNKNOWN {
            parts.push(format!("{} on {}", pct(n / named), cx.name(name)));
        }
    }
    ((!parts.is_empty()).then(|| parts.join(", ")), country)
}

/// The scope's country and carrier, for the finding's `scope`: its own, or where 80 % of its texts are.
fn scope_names(
    cx: &Ctx<'_>,
    scope: &Scope,
    counts: &[SegCounts],
) -> (Option<String>, Option<String>) {
    let g = &cx.grid;
    if let Scope::Seg(s) = scope {
        return (
            Some(g.segs[*s].country.clone()),
            Some(cx.name(&g.segs[*s].carrier)),
        );
    }
    let segs: Vec<usize> = (0..g.segs.len())
        .filter(|&s| g.in_scope(scope, s))
        .collect();
    let total: f64 = segs.iter().map(|&s| counts[s].k_in).sum();
    let country = match scope {
        Scope::Country(c) => Some(*c),
        _ => {
            let mut per = vec![0.0; g.countries.len()];
            for &s in &segs {
                per[g.segs[s].cx] += counts[s].k_in;
            }
            per.iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .filter(|(_, &n)| total > 0.0 && n / total >= 0.8 && g.countries.len() > 1)
                .map(|(i, _)| i)
        }
    };
    let mut per_carrier: std::collections::BTreeMap<&str, f64> = Default::default();
    for &s in segs
        .iter()
        .filter(|&&s| g.segs[s].named() && country.is_none_or(|c| g.segs[s].cx == c))
    {
        *per_carrier.entry(g.segs[s].carrier.as_str()).or_default() += counts[s].k_in;
    }
    let named: f64 = per_carrier.values().sum();
    let carrier = per_carrier
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .filter(|(_, &n)| named > 0.0 && n / named >= 0.8)
        .map(|(c, _)| cx.name(c));
    (country.map(|c| g.countries[c].clone()), carrier)
}

/// The finding of a class's change in `scope` over the fitted window.
fn change_finding(cx: &Ctx<'_>, class: Class, scope: &Scope, fit: &Fit, deff: f64) -> Finding {
    let g = &cx.grid;
    let bits = only(class);
    let counts = g.seg_counts(bits, (fit.a, fit.b));
    let expected = expected(&counts, |s| g.in_scope(scope, s), fit.rate_out());
    let k_in: f64 = counts
        .iter()
        .enumerate()
        .filter(|(s, _)| g.in_scope(scope, *s))
        .map(|(_, c)| c.k_in)
        .sum();
    let excess = (k_in - expected).max(0.0);
    let ongoing = may_go_on(&g.count(scope, bits), &g.texts_for(scope, bits), fit);
    let (first, last) = g
        .span(scope, bits, (fit.a, fit.b))
        .unwrap_or((g.hour_ms(fit.a), g.hour_ms(fit.b + 1)));
    let (country, carrier) = scope_names(cx, scope, &counts);
    // for a property of the recipient, the first failure of someone who had not failed before: later
    // than `first` when the window's first hour holds a user who fails this way anyway
    let first = match class.outcome().per_recipient {
        true => cx
            .onset(bits, country.as_deref(), (first, last))
            .map_or(first, |t| t.max(first)),
        false => first,
    };
    let window = Window::new(first, if ongoing { g.last_ms } else { last }, ongoing);
    let few_recipients = few_recipients_worth(excess, deff)
        || class.outcome().per_recipient
            && cx.began_failing(bits, country.as_deref(), (first, window.end_ms)) < MIN_RECIPIENTS;
    let (concentration, _) = concentration(cx, &counts);
    let place = place(cx, scope);
    let at = if place.is_empty() {
        String::new()
    } else {
        format!(" {place}")
    };
    let mut evidence = vec![format!(
        "{} of {} texts{at} failed this way from {} to {} ({}), against {} in the rest of the data ({} of {})",
        count(fit.k_in),
        count(fit.n_in),
        human(window.start_ms),
        if ongoing { "the end of the data".to_owned() } else { human(window.end_ms) },
        pct(fit.rate_in()),
        pct(fit.rate_out()),
        count(fit.k_out),
        count(fit.n_out),
    )];
    evidence.extend(class_evidence(cx, class, (window.start_ms, window.end_ms)));
    let raw_carrier = match scope {
        Scope::Seg(s) => vec![g.segs[*s].carrier.as_str()],
        Scope::Segs(v) => v.iter().map(|&s| g.segs[s].carrier.as_str()).collect(),
        _ => vec![],
    };
    let title = class.outcome().title.render(cx.s.spend.spend_limit_usd);
    Finding {
        kind: FindingKind::Class(class),
        severity: Severity::Info,
        title: if place.is_empty() {
            title
        } else {
            format!("{title} ({})", place.trim_start_matches("on "))
        },
        texts: k_in.round() as u64,
        expected,
        excess: excess.round() as u64,
        share_of_failures: excess / cx.failed_total(),
        recipients: cx.recipients(bits, country.as_deref(), (first, window.end_ms)),
        message_ids: cx.message_ids(
            bits,
            country.as_deref(),
            &raw_carrier,
            (first, window.end_ms),
        ),
        window,
        scope: super::model::Scope {
            country,
            carrier,
            ..Default::default()
        },
        concentration,
        baseline: format!(
            "its own rate{at} outside the window, per country and carrier: {} of texts",
            pct(fit.rate_out())
        ),
        cost_usd: None,
        evidence,
        remedy: class.outcome().remedy.to_owned(),
        classes: bits,
        rate_in: fit.rate_in(),
        is_change: true,
        root_cause: false,
        few_recipients,
        chart: None,
    }
}

/// A class's texts that no change explains, against its normal background. `after_changes`: the class
/// already has change findings, and the rest is news only when it is itself above normal.
fn steady_finding(cx: &Ctx<'_>, class: Class, after_changes: bool, deff: f64) -> Option<Finding> {
    let g = &cx.grid;
    let bits = only(class);
    if g.hours == 0 {
        return None;
    }
    let all = (0, g.hours - 1);
    let k = sum(&g.count(&Scope::All, bits), all);
    if k <= 0.0 {
        return None;
    }
    let n = sum(&g.texts_for(&Scope::All, bits), all);
    let normal = class.outcome().normal_rate;
    let expected = normal * n;
    let excess = (k - expected).max(0.0);
    if after_changes && excess < MIN_EXCESS {
        return None;
    }
    let (first, last) = g.span(&Scope::All, bits, all)?;
    let ongoing = last >= g.last_ms - 12 * HOUR_MS;
    let counts = g.seg_counts(bits, all);
    let (concentration, _) = concentration(cx, &counts);
    let (country, carrier) = scope_names(cx, &Scope::All, &counts);
    let mut evidence = vec![format!(
        "{} of {} texts ({}) from {} to {}, with no change in that time",
        count(k),
        count(n),
        pct(k / n.max(1.0)),
        human(first),
        human(last)
    )];
    evidence.extend(class_evidence(cx, class, (first, last)));
    Some(Finding {
        kind: FindingKind::Class(class),
        severity: Severity::Info,
        title: class.outcome().title.render(cx.s.spend.spend_limit_usd),
        texts: k.round() as u64,
        expected,
        excess: excess.round() as u64,
        share_of_failures: excess / cx.failed_total(),
        recipients: cx.recipients(bits, None, (first, last)),
        message_ids: cx.message_ids(bits, None, &[], (first, last)),
        window: Window::new(first, last, ongoing),
        scope: super::model::Scope {
            country,
            carrier,
            ..Default::default()
        },
        concentration,
        baseline: if normal > 0.0 {
            format!(
                "the usual background of this class: {} of texts (the logs hold no change to compare with)",
                pct(normal)
            )
        } else {
            "none: a healthy account never sees this class".into()
        },
        cost_usd: None,
        evidence,
        remedy: class.outcome().remedy.to_owned(),
        classes: bits,
        rate_in: k / n.max(1.0),
        is_change: false,
        root_cause: false,
        few_recipients: few_recipients_worth(excess, deff),
        chart: None,
    })
}

/// What else the data says about a class: the limit and the metric, unrecognised responses, bursts.
fn class_evidence(cx: &Ctx<'_>, class: Class, (from, to): (i64, i64)) -> Vec<String> {
    let s = cx.s;
    let mut v = Vec::new();
    match class {
        Class::SpendLimit => {
            if let Some(l) = s.spend.spend_limit_usd {
                v.push(format!("monthly spend limit: {l} USD"));
            }
            if let Some(t) = &s.spend.limit_reached_at_metric {
                v.push(format!("SMSMonthToDateSpentUSD reached the limit at {t}"));
            }
        }
        Class::Unknown => {
            v.extend(
                s.by_provider_response
                    .iter()
                    .filter(|r| {
                        r.class == "unknown"
                            && classify(Some(&r.provider_response)) == Class::Unknown
                            && r.provider_response != "Unknown error attempting to reach phone"
                    })
                    .map(|r| {
                        format!(
                            "unrecognised providerResponse \"{}\" ({} texts)",
                            r.provider_response, r.count
                        )
                    }),
            );
        }
        Class::Throttled => v.extend(bursts(cx, (from, to))),
        _ => {}
    }
    v
}

/// How `Rate exceeded` failures cluster in seconds.
fn bursts(cx: &Ctx<'_>, (from, to): (i64, i64)) -> Option<String> {
    let mut secs: Vec<(i64, u32)> =
        cx.c.throttled_seconds
            .iter()
            .filter(|(s, _)| **s * 1000 >= from - 1000 && **s * 1000 <= to)
            .map(|(s, n)| (*s, *n))
            .collect();
    if secs.is_empty() {
        return None;
    }
    secs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: u32 = secs.iter().map(|s| s.1).sum();
    let clustered: u32 = secs.iter().filter(|s| s.1 >= 5).map(|s| s.1).sum();
    let (peak_s, peak) = secs[0];
    Some(format!(
        "{} failures in {} distinct seconds; {} in seconds with 5 or more; at most {} in one second ({}): bursts of sends above the account's texts-per-second rate",
        total,
        secs.len(),
        pct(clustered as f64 / total.max(1) as f64),
        peak,
        crate::domain::time::rfc3339(peak_s * 1000)
    ))
}

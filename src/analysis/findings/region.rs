//! The wrong region: SNS refuses texts with `No quota left for account` while the spend is far below the
//! monthly limit the settings export (or `--spend-limit`) shows. The limit that stopped them is another
//! one: that of the SNS region the texts go through (Cognito's `SnsRegion` can differ from the pool's,
//! and a new region starts at the 1 USD default), so raising the limit where it was exported changes
//! nothing. The finding explains the spend-limit failures (it claims them).

use super::grid::Scope;
use super::model::{Finding, FindingKind, Window};
use super::{count, only, usd, Ctx};
use crate::domain::outcome::{Class, Severity};
use crate::domain::time::{human, month_bounds, DAY_MS, HOUR_MS};

/// Spend below this share of the known limit when SNS refused the first text: not that limit.
const BELOW: f64 = 0.5;

pub(super) fn findings(cx: &mut Ctx<'_>) -> Option<Finding> {
    let s = cx.s;
    let limit = s.spend.spend_limit_usd.filter(|l| *l > 0.0)?;
    let g = &cx.grid;
    if g.hours == 0 {
        return None;
    }
    let bits = only(Class::SpendLimit);
    let all = (0, g.hours - 1);
    let (first, last) = g.span(&Scope::All, bits, all)?;
    let quota = super::grid::sum(&g.count(&Scope::All, bits), all);
    // Month-to-date spend when SNS refused the first text: the metric's, else the logs' (which hold
    // the whole month only when they start with it).
    let (mtd, from_metric) = month_to_date_at(cx, first)?;
    if mtd >= BELOW * limit {
        return None;
    }
    let source = s
        .spend
        .spend_limit_source
        .as_deref()
        .map_or("the settings".to_owned(), |p| {
            if p == "flag" {
                "--spend-limit".to_owned()
            } else {
                p.to_owned()
            }
        });
    let ongoing = last >= g.last_ms - 12 * HOUR_MS;
    let window = Window::new(first, if ongoing { g.last_ms } else { last }, ongoing);
    let evidence = vec![
        format!(
            "SNS refused {} texts with `No quota left for account` from {}, when the month-to-date spend was {} USD ({}): {:.0}% of the {} USD MonthlySpendLimit in {source}",
            count(quota),
            human(first),
            usd(mtd),
            if from_metric { "SMSMonthToDateSpentUSD" } else { "from the delivery logs" },
            mtd / limit * 100.0,
            limit,
        ),
        "the limit that stopped them is that of the SNS region the texts are sent through (a region starts at the 1 USD default), not the one exported".into(),
    ];
    let f = Finding {
        kind: FindingKind::WrongRegion,
        severity: Severity::Info,
        title: "The spend limit reached is another region's than the one exported".into(),
        texts: quota.round() as u64,
        expected: 0.0,
        excess: quota.round() as u64,
        share_of_failures: quota / cx.failed_total(),
        recipients: cx.recipients(bits, None, (first, last)),
        message_ids: cx.message_ids(bits, None, &[], (first, last)),
        window,
        scope: Default::default(),
        concentration: None,
        baseline: "none: with spend below the limit, SNS refuses no text".into(),
        cost_usd: None,
        evidence,
        remedy: "Find the SNS region Cognito sends through (aws cognito-idp describe-user-pool: SmsConfiguration.SnsRegion) and raise MonthlySpendLimit there (aws sns set-sms-attributes --region <SnsRegion>), not in the pool's region; export that region's settings and delivery logs to check.".into(),
        classes: bits,
        rate_in: 1.0,
        is_change: true,
        root_cause: false,
        few_recipients: false,
        chart: None,
    };
    cx.grid.claim(&Scope::All, bits, all);
    Some(f)
}

/// The month-to-date spend at `t` (USD), and whether it is the metric's. None when neither the metric nor
/// logs that start with the month can say.
fn month_to_date_at(cx: &Ctx<'_>, t: i64) -> Option<(f64, bool)> {
    let sp = &cx.s.spend;
    let (month_start, _) = month_bounds(t)?;
    let points = sp
        .trajectory
        .iter()
        .filter(|p| p.0 >= month_start && p.0 <= t);
    let latest = points.max_by_key(|p| p.0).map(|p| p.1);
    if sp.trajectory_from_metric {
        return Some((latest.unwrap_or(0.0), true));
    }
    // Logs alone: only when they cover the month from its first day.
    (cx.grid.first_ms < month_start + DAY_MS).then_some((latest.unwrap_or(0.0), false))
}

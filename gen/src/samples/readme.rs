//! `samples/README.md`: the files, the true numbers, and the story with the numbers of this sample set.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{FileRow, FirehoseObject};
use crate::model::population::C_IN;
use crate::model::traffic::MS_DAY;
use crate::model::*;
use crate::writers::record::destination_string;
use crate::GenTruth;

pub(super) fn readme(
    recs: &[Rec],
    truth: &GenTruth,
    files: &[FileRow],
    fh: &[FirehoseObject],
    npoints: usize,
) -> String {
    let mut s = String::new();
    files_section(&mut s, truth, files, fh, npoints);
    truth_section(&mut s, truth);
    story_section(&mut s, recs, truth);
    s
}

fn files_section(
    s: &mut String,
    truth: &GenTruth,
    files: &[FileRow],
    fh: &[FirehoseObject],
    npoints: usize,
) {
    let _ = writeln!(s, "# smslens sample data\n");
    let _ = writeln!(
        s,
        "Two months of Amazon Cognito MFA / verification texts, exported the ways people actually export them: \
         **story 1** (the folders at the top, March 2026) is a user pool sending through Amazon SNS; **story 2** \
         (`end-user-messaging/`, February 2026) is another account's pool sending through AWS End User Messaging \
         SMS directly. `smslens report samples/` reads both (their accounts, regions and months differ, and the \
         report keeps them apart); point it at `end-user-messaging/`, or at story 1's folders, for one story alone. \
         All of it is synthetic (written by smslens's generator, the workspace crate `smslens-gen`: \
         `cargo run -p smslens-gen -- samples -o samples/`; same bytes every run): message ids, numbers and \
         accounts are made up (`+1` numbers are the fictional 555-01xx lines; accounts 111122223333 and \
         444455556666). Times are UTC.\n"
    );
    let _ = writeln!(
        s,
        "## 1. A month through Amazon SNS (`cli/`, `cloudwatch-export/`, `firehose/`, `insights/`, `metrics/`, `settings/`; March 2026)\n"
    );
    let _ = writeln!(s, "### Files\n");
    let _ = writeln!(
        s,
        "| path | produced by | records | notification.timestamp range |"
    );
    let _ = writeln!(s, "|---|---|---:|---|");
    for f in files {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} |",
            f.path, f.how, f.records, f.range
        );
    }
    let _ = writeln!(
        s,
        "| `metrics/SMSMonthToDateSpentUSD.json` | `aws cloudwatch get-metric-statistics --namespace AWS/SNS --metric-name SMSMonthToDateSpentUSD --start-time 2026-03-01T00:00:00Z --end-time 2026-04-01T00:00:00Z --period 3600 --statistics Maximum`: {npoints} hourly datapoints, deliberately not in time order; each is the month-to-date spend at the end of that hour; flat once the limit is reached | | |"
    );
    let _ = writeln!(
        s,
        "| `settings/sms-attributes.json` | `aws sns get-sms-attributes`: MonthlySpendLimit \"60\", DeliveryStatusSuccessSamplingRate \"100\" (every success is logged), DefaultSMSType \"Transactional\" | | |\n"
    );
    let _ = writeln!(s, "Firehose objects:\n");
    for f in fh {
        let _ = writeln!(s, "- `{}`: {} records, {}", f.path, f.records, f.range);
    }
    let _ = writeln!(
        s,
        "\nEvery record is in exactly one file, except the {} records at the end of the export that \
         `cli/filter-log-events.json` repeats (identical records, as overlapping exports give): \
         count them once.\n",
        truth.records - truth.unique
    );
}

fn truth_section(s: &mut String, truth: &GenTruth) {
    let _ = writeln!(s, "### True numbers\n");
    let _ = writeln!(s, "| | |\n|---|---:|");
    let _ = writeln!(s, "| record occurrences in the files | {} |", truth.records);
    let _ = writeln!(s, "| unique records (by messageId) | {} |", truth.unique);
    let _ = writeln!(s, "| SUCCESS | {} |", truth.delivered);
    let _ = writeln!(s, "| FAILURE | {} |", truth.failed);
    let _ = writeln!(
        s,
        "| spend (sum of priceInUSD, unique records) | {:.5} USD |",
        truth.spend_usd
    );
    let _ = writeln!(
        s,
        "| first `No quota left for account` | {} |\n",
        truth.quota_exhausted_at.as_deref().unwrap_or("none")
    );
    let _ = writeln!(s, "| providerResponse | unique records |\n|---|---:|");
    let mut by: Vec<_> = truth.by_provider_response.iter().collect();
    by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (k, v) in by {
        let _ = writeln!(s, "| {k} | {v} |");
    }
}

/// The story's numbers, counted from the records.
struct StoryNumbers {
    /// (texts, failures) per country
    countries: BTreeMap<&'static str, (usize, usize)>,
    airtel_before: usize,
    airtel_after: usize,
    blocked_before: usize,
    blocked_after: usize,
    blocked_after_named: usize,
    blocked_all: usize,
    /// texts per dead number
    dead: BTreeMap<String, usize>,
    quota: usize,
    spend: u64,
    outage: usize,
    quirks_mcc: usize,
    quirks_price: usize,
}

impl StoryNumbers {
    fn of(recs: &[Rec]) -> StoryNumbers {
        let block_from = recs[0].t.div_euclid(MS_DAY) * MS_DAY + 9 * MS_DAY;
        let airtel: Vec<&Rec> = recs
            .iter()
            .filter(|r| {
                r.country as usize == C_IN && r.carrier().name == "Airtel" && r.resp != R_QUOTA
            })
            .collect();
        let (before, after): (Vec<&Rec>, Vec<&Rec>) = airtel.iter().partition(|r| r.t < block_from);
        let blocked = |v: &[&Rec]| v.iter().filter(|r| r.resp == R_CARRIER_BLOCKED).count();
        let count = |f: &dyn Fn(&Rec) -> bool| recs.iter().filter(|r| f(r)).count();
        let mut dead: BTreeMap<String, usize> = BTreeMap::new();
        for r in recs.iter().filter(|r| r.resp == R_UNREACHABLE) {
            *dead.entry(destination_string(r)).or_default() += 1;
        }
        let mut countries: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for r in recs {
            let e = countries
                .entry(COUNTRIES[r.country as usize].iso)
                .or_default();
            e.0 += 1;
            if !r.success() {
                e.1 += 1;
            }
        }
        StoryNumbers {
            countries,
            airtel_before: before.len(),
            airtel_after: after.len(),
            blocked_before: blocked(&before),
            blocked_after: blocked(&after),
            blocked_after_named: after
                .iter()
                .filter(|r| r.resp == R_CARRIER_BLOCKED && r.net == Net::Carrier)
                .count(),
            blocked_all: count(&|r| r.resp == R_CARRIER_BLOCKED),
            dead,
            quota: count(&|r| r.resp == R_QUOTA),
            spend: recs.iter().map(|r| r.price as u64).sum(),
            outage: count(&|r| r.resp == R_CARRIER_UNREACHABLE && r.net == Net::Carrier),
            quirks_mcc: count(&|r| r.quirks & Q_MCC_STR != 0),
            quirks_price: count(&|r| r.quirks & Q_PRICE_STR != 0),
        }
    }
}

fn story_section(s: &mut String, recs: &[Rec], truth: &GenTruth) {
    let n = StoryNumbers::of(recs);
    let usd = |p: u64| format!("{:.5}", p as f64 / 100_000.0);
    let _ = writeln!(s, "\n### The story\n");
    let _ = writeln!(
        s,
        "- Recipients in nine countries (texts / failures): {}.",
        n.countries
            .iter()
            .map(|(k, (n, f))| format!("{k} {n}/{f}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        s,
        "- **Carrier blocking on one carrier.** From 2026-03-10 about 40 % of texts to India on Airtel fail with \
         `Phone carrier has blocked this message`: before the 10th {} of {} Airtel-IN texts were blocked, from the \
         10th {} of {} ({} of them still name the carrier; the rest have mcc/mnc 0 and no carrier). All other \
         countries and carriers together: {} blocked.",
        n.blocked_before,
        n.airtel_before,
        n.blocked_after,
        n.airtel_after,
        n.blocked_after_named,
        n.blocked_all - n.blocked_before - n.blocked_after
    );
    let _ = writeln!(
        s,
        "- **Dead numbers.** {} recipients never receive anything (`Phone is currently unreachable/unavailable`, \
         no carrier, mcc/mnc 0) and keep asking for new codes: {} texts in all, up to {} to one number.",
        n.dead.len(),
        n.dead.values().sum::<usize>(),
        n.dead.values().max().copied().unwrap_or(0)
    );
    if n.outage > 0 {
        let _ = writeln!(
            s,
            "- **A carrier outage.** 2026-03-15 12:00-18:00 UTC about half the texts to Telcel (MX) fail with \
             `Phone carrier is currently unreachable/unavailable` naming the carrier ({} here; at this volume it is \
             barely visible, in a large generated month it stands out). Other such failures are scattered and carrier-less.",
            n.outage
        );
    }
    let _ = writeln!(
        s,
        "- **Spend limit.** MonthlySpendLimit is 60 USD. SNS charges attempts, so failures carry a price too. \
         Month-to-date spend reaches the limit on the 22nd; the first text refused is at {}, and from then on every text ({} of them) fails with the minimal \
         `No quota left for account` record (destination, smsType, providerResponse, dwellTimeMs; no price), and \
         users retry. Final spend {} USD; the metric file flattens at that value.",
        truth.quota_exhausted_at.as_deref().unwrap_or("never"),
        n.quota,
        usd(n.spend)
    );
    let _ = writeln!(
        s,
        "- **Sprinkles.** Opted-out and invalid numbers (every text to them fails), scattered unknown errors, \
         two old-wording `Phone is blacklisted` (today `Phone is on a blocked list`), and {} texts with a response \
         in no table (`{}`), which must be shown verbatim as class unknown.",
        truth.by_provider_response.get(RESPONSES[R_UNLISTED as usize]).copied().unwrap_or(0),
        RESPONSES[R_UNLISTED as usize]
    );
    let _ = writeln!(
        s,
        "- **Reader traps.** notification.timestamp drops trailing zeros (`.3`, `.12`); {} records carry \
         mcc/mnc as strings (`\"mcc\":\"404\"`) and {} carry priceInUSD as a string; `Delivered` records often \
         have no carrier at all; mnc values lose leading zeros (`\"mnc\":5` is 05).",
        n.quirks_mcc, n.quirks_price
    );
}

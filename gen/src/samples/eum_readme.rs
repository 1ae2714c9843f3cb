//! The second story's part of `samples/README.md`: its files, true numbers and story, with the numbers of
//! these exact files.

use std::fmt::Write as _;

use super::eum::{by_country, EumSample, ACCOUNT, CONFIGURATION_SET, LIMIT_USD, POOL_ID, REGION};
use crate::model::events::{Refusal, K_DELIVERED, K_TTL_EXPIRED, K_UNKNOWN};
use crate::spell::{fmt_ts, push_iso_ms_z};

pub(super) fn section(s: &mut String, e: &EumSample) {
    let t = &e.truth;
    let tl = &e.timeline;
    let ts = |ms: i64| fmt_ts(ms, push_iso_ms_z);
    let _ = writeln!(
        s,
        "\n## 2. A month on the End User Messaging direct path (`end-user-messaging/`, February 2026)\n"
    );
    let _ = writeln!(
        s,
        "The user pool `{POOL_ID}` (account {ACCOUNT}, {REGION}, MFA required) sends its texts through AWS End \
         User Messaging SMS directly (`SmsConfiguration.EumsSms`, configuration set `{CONFIGURATION_SET}`): there \
         are no SNS delivery-status logs at all. What exists is what an operator of such a pool has: the \
         configuration set's events (through EventBridge and Firehose), a day's SNS usage report from before the \
         switch, Cognito's own error log, and the settings. End User Messaging's spend limit is {LIMIT_USD} USD, \
         like the SNS account's of story 1 (the month spends far less).\n"
    );
    let _ = writeln!(s, "### Files\n");
    let _ = writeln!(s, "| path | produced by | contents |\n|---|---|---|");
    let _ = writeln!(
        s,
        "| `end-user-messaging/eventbridge/filter-log-events-2026-02-01-to-18.json.gz` | An EventBridge rule \
         (`source: aws.sms-voice`, `detail-type: Text Message Delivery Status Updated`) logging to the CloudWatch \
         Logs group `/aws/events/sms-voice-delivery`; `aws logs filter-log-events --log-group-name \
         /aws/events/sms-voice-delivery --start-time <{}> --end-time <{}> \\| gzip`: one document, each event's \
         EventBridge envelope (`account`, `region`, `detail`) as the `message` string | {} events |",
        ts(tl.switch),
        ts(tl.eventbridge_to),
        t.eventbridge_events
    );
    let _ = writeln!(
        s,
        "| `end-user-messaging/firehose/sms-events/{ACCOUNT}/{REGION}/2026/02/DD/HH/cognito-otp-events-1-<time>-<uuid>.gz` \
         | The configuration set's Firehose destination (added {}), delivery stream prefix `sms-events/{ACCOUNT}/{REGION}/` \
         (Firehose appends `YYYY/MM/DD/HH/`), buffer 900 s, GZIP; copied with `aws s3 cp --recursive`. The events \
         are concatenated with nothing between them until the stream's newline delimiter was turned on ({}), one a \
         line after (the first object: `{}`) | {} objects, {} events |",
        ts(tl.firehose_from),
        ts(tl.newline_from),
        e.firehose.first().map_or("", |o| o.path.as_str()),
        t.firehose_objects,
        t.firehose_events
    );
    let _ = writeln!(
        s,
        "| `end-user-messaging/usage-reports/{ACCOUNT}/SMSUsageReports/{REGION}/2026/02/01/001.csv.gz` | The SNS \
         account's daily usage report (S3 subscription), kept in a folder named for the account: \
         `PublishTimeUTC,MessageId,DestinationPhoneNumber,MessageType,DeliveryStatus,PriceInUSD,PartNumber,TotalParts`, \
         one row per part, numbers without `+`, opted-out recipients left out | {} rows, {} texts |",
        t.usage_rows,
        e.sns_texts.len()
    );
    let _ = writeln!(
        s,
        "| `end-user-messaging/cognito/exportedlogs/` | The pool's log delivery (`EventSource: userNotification`, \
         `LogLevel: ERROR`) to a CloudWatch Logs group, exported with `aws logs create-export-task`: \
         `<time> <event>` lines, one `000000.gz` per log stream, and the `aws-logs-write-test` permission check. \
         AWS documents the event's envelope, not the wording of `details`: these follow the End User Messaging \
         API's exceptions | {} entries |",
        t.cognito_errors
    );
    let _ = writeln!(
        s,
        "| `end-user-messaging/settings/describe-user-pool.json` | `aws cognito-idp describe-user-pool --user-pool-id \
         {POOL_ID}`: `EumsSms` with `CallerArn` and `ConfigurationSetName` | |"
    );
    let _ = writeln!(
        s,
        "| `end-user-messaging/settings/describe-spend-limits.json` | `aws pinpoint-sms-voice-v2 describe-spend-limits`: \
         `TEXT_MESSAGE_MONTHLY_SPEND_LIMIT` EnforcedLimit {LIMIT_USD}, MaxLimit 100, Overridden true (so {LIMIT_USD} \
         USD applies) | |\n"
    );
    let _ = writeln!(
        s,
        "Every event is in exactly one file, except those of {} .. {}, which both destinations hold: {} final \
         events (and their non-final ones) are read twice and must count once.\n",
        ts(tl.firehose_from),
        ts(tl.eventbridge_to),
        t.duplicates
    );
    numbers(s, e);
    story(s, e);
}

fn numbers(s: &mut String, e: &EumSample) {
    let t = &e.truth;
    let _ = writeln!(s, "### True numbers\n");
    let _ = writeln!(s, "| | |\n|---|---:|");
    let rows = [
        ("messages with an outcome (a final event, or a usage-report row)", t.messages.to_string()),
        ("of which from End User Messaging events", t.by_source["end-user-messaging"].to_string()),
        ("of which from the SNS usage report", t.by_source["sns-usage-report"].to_string()),
        ("delivered", t.delivered.to_string()),
        ("failed", t.failed.to_string()),
        ("no final outcome yet (only non-final events in the data)", t.no_final_outcome.to_string()),
        ("final events read twice (both destinations)", t.duplicates.to_string()),
        ("End User Messaging events in the files (duplicates included)", (t.eventbridge_events + t.firehose_events).to_string()),
        ("spend (totalMessagePrice + totalCarrierFee of final events, PriceInUSD of report rows)", format!("{:.5} USD", t.spend_usd)),
        ("message parts", t.message_parts.to_string()),
        ("texts Cognito could not hand over (its error log)", t.cognito_errors.to_string()),
        ("`TEXT_PROTECT_BLOCKED`", t.protect_blocked.to_string()),
        ("first text blocked by the protect configuration", t.first_protect_block.clone().unwrap_or_default()),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "| {k} | {v} |");
    }
    let _ = writeln!(s, "\n| final eventType | messages |\n|---|---:|");
    let mut by: Vec<_> = t.events.by_event_type.iter().collect();
    by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (k, v) in by {
        let _ = writeln!(s, "| {k} | {v} |");
    }
}

fn story(s: &mut String, e: &EumSample) {
    let t = &e.truth;
    let tl = &e.timeline;
    let ts = |ms: i64| fmt_ts(ms, push_iso_ms_z);
    let finals = &e.finals;
    let count =
        |f: &dyn Fn(&crate::model::events::Event) -> bool| finals.iter().filter(|e| f(e)).count();
    let denied = e
        .refused
        .iter()
        .filter(|r| r.1 == Refusal::AccessDenied)
        .count();
    let opted_out = e
        .refused
        .iter()
        .filter(|r| r.1 == Refusal::OptedOut)
        .count();
    let countries = by_country(finals);
    let blocked_failures = t.protect_blocked as f64 / t.events.failed.max(1) as f64 * 100.0;
    let _ = writeln!(s, "\n### The story\n");
    let _ = writeln!(
        s,
        "- **The switch.** Until {} the pool sent through SNS, with no delivery-status logging: the day's usage report \
         is the only record of those {} texts. Then it was switched to End User Messaging directly. For the first \
         70 minutes the role in `CallerArn` lacked `sms-voice:SendTextMessage`: End User Messaging refused those {} \
         texts (users asked again), no event exists for them, and only Cognito's error log shows them \
         (`AccessDeniedException`), until {}. Later {} texts to opted-out numbers were refused the same way \
         (`DESTINATION_PHONE_NUMBER_OPTED_OUT`, the number in the text: masked in every output).",
        ts(tl.switch),
        e.sns_texts.len(),
        denied,
        ts(tl.role_fixed),
        opted_out
    );
    let _ = writeln!(
        s,
        "- **The cause: a protect configuration blocks India.** At {} an account-default protect configuration was \
         put in place with country rules that block India, where 15 % of the pool's users are: from then on every \
         event carries `protectConfiguration` (`protectStatus` `ALLOW`, or `BLOCK`), and every text to India fails \
         `TEXT_PROTECT_BLOCKED` (no carrier, no price): {} of the {} texts to India from then on, {} texts in all \
         with the users' retries, {:.0} % of the End User Messaging failures. The first: {}.",
        ts(tl.protect_from),
        t.india_after_block.1,
        t.india_after_block.0,
        t.protect_blocked,
        blocked_failures,
        t.first_protect_block.clone().unwrap_or_default()
    );
    let _ = writeln!(
        s,
        "- **Background**, as in story 1: dead numbers (`TEXT_UNREACHABLE` every time), carrier blocking on Airtel \
         India from the 10th until the protect block hides it, scattered carrier errors, {} `TEXT_TTL_EXPIRED` \
         (`The delivery TTL has expired`), and {} `TEXT_UNKNOWN`, most of them texts whose carrier never sent a \
         receipt: End User Messaging gives up after 72 hours.",
        count(&|e| e.kind == K_TTL_EXPIRED),
        count(&|e| e.kind == K_UNKNOWN),
    );
    let _ = writeln!(
        s,
        "- **Several events per message.** {} of the {} messages with a final event had a non-final one first \
         (`TEXT_SUCCESSFUL` with `isFinal: false` then `TEXT_DELIVERED`; `TEXT_PENDING` before a failure; now \
         and then `TEXT_QUEUED`); {} `TEXT_DELIVERED`. The data ends at {}: the messages whose final event \
         would come later (the 72-hour `TEXT_UNKNOWN` of texts of the month's last three days), {} of them, have \
         no final outcome yet.",
        count(&|e| e.after_in_flight()),
        t.events.delivered + t.events.failed,
        count(&|e| e.kind == K_DELIVERED),
        ts(tl.end),
        t.no_final_outcome
    );
    let _ = writeln!(
        s,
        "- Countries (final events / failures): {}. Carrier fees (`totalCarrierFee`) on US texts only; {} \
         messages in two UNICODE parts. `mcc`/`mnc` are strings with their leading zeros (`\"mnc\":\"05\"`, \
         `\"020\"`); a few events lack `isoCountryCode` (the country then comes from the number); the texts the \
         protect configuration blocked carry no carrier.",
        countries
            .iter()
            .map(|(k, (n, f))| format!("{k} {n}/{f}"))
            .collect::<Vec<_>>()
            .join(", "),
        count(&|e| e.parts > 1),
    );
}

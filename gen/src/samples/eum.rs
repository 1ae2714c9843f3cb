//! The second sample story: a month (February 2026) of a Cognito user pool that sends through End User
//! Messaging directly (`EumsSms`), in account 444455556666, eu-west-1, exported the ways such an operator
//! has it:
//!
//! * until 2026-02-01 16:00 the pool still sent through SNS, with no delivery-status logging: the account's
//!   daily usage report of that day is the only record of those texts;
//! * then the pool's texts go through End User Messaging with the configuration set `cognito-otp`, whose
//!   events reach an EventBridge rule that logs them to CloudWatch Logs (exported with
//!   `filter-log-events` up to 2026-02-18 12:00), and, from 2026-02-18, a Firehose destination too
//!   (gzip objects under `YYYY/MM/DD/HH/`: concatenated, then NDJSON once the stream's newline delimiter
//!   was turned on); the half day both cover has every event twice;
//! * for 70 minutes after the switch the role Cognito uses may not send (Cognito's own error log shows
//!   those texts, and the ones End User Messaging refused for opted-out numbers);
//! * the cause: from 2026-02-12 09:30 an account-default protect configuration blocks India, 15 % of the
//!   pool's users: every text to India fails `TEXT_PROTECT_BLOCKED`, and the users ask again.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::events::{
    EumStory, EumStream, EumTruth, Event, Item, Protect, Refusal, K_PROTECT_BLOCKED,
};
use crate::model::population::{push_destination, C_IN};
use crate::model::traffic::{MS_DAY, MS_HOUR};
use crate::model::{Gen, Rec, COUNTRIES, RESPONSES, R_OPTED_OUT};
use crate::rng::{mix64, Rng};
use crate::spell::{push_iso_ms_z, push_price, push_u64, push_uuid, uuid4_string};
use crate::writers::cli::{FleDoc, FleEvent};
use crate::writers::eum::{push_eventbridge, write_firehose, Buffering, FirehoseObject, Origin};
use crate::writers::export::WRITE_TEST_BODY;
use crate::writers::{gzip_member, pretty, write_file};
use crate::GenConfig;

const TEXTS: usize = 2000;
const SEED: u64 = 20260201;
pub(crate) const ACCOUNT: &str = "444455556666";
pub(crate) const REGION: &str = "eu-west-1";
pub(crate) const POOL_ID: &str = "eu-west-1_Q8mZ3kT2x";
pub(crate) const CONFIGURATION_SET: &str = "cognito-otp";
pub(crate) const LIMIT_USD: u32 = 60;
const ORIGIN: Origin = Origin {
    account: ACCOUNT,
    region: REGION,
    protect_id: "protect-8f2b6c1e0a7d4e39b5c2a1f0e9d8c7b6",
};
const ROLE: &str = "arn:aws:iam::444455556666:role/service-role/CognitoEumsSmsRole";

/// When things happen, epoch ms.
pub(crate) struct Timeline {
    pub(crate) start: i64,
    pub(crate) end: i64,
    /// The pool switched from SNS to End User Messaging.
    pub(crate) switch: i64,
    /// The role could send from here on.
    pub(crate) role_fixed: i64,
    pub(crate) protect_from: i64,
    pub(crate) firehose_from: i64,
    /// The EventBridge log group was exported up to here.
    pub(crate) eventbridge_to: i64,
    pub(crate) newline_from: i64,
}

impl Timeline {
    fn of(start: i64, end: i64) -> Timeline {
        let at = |day: i64, hour: i64, minute: i64| {
            start + (day - 1) * MS_DAY + hour * MS_HOUR + minute * 60_000
        };
        Timeline {
            start,
            end,
            switch: at(1, 16, 0),
            role_fixed: at(1, 17, 10),
            protect_from: at(12, 9, 30),
            firehose_from: at(18, 0, 0),
            eventbridge_to: at(18, 12, 0),
            newline_from: at(24, 10, 0),
        }
    }
}

/// The true numbers of the story: what `smslens summary samples/end-user-messaging/` must say.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EumSampleTruth {
    /// Messages with an outcome: End User Messaging messages with their final event in the data, plus the
    /// usage report's messages.
    pub messages: u64,
    pub delivered: u64,
    pub failed: u64,
    /// End User Messaging messages with only non-final events in the data.
    pub no_final_outcome: u64,
    /// Final events read twice (the half day both destinations cover).
    pub duplicates: u64,
    /// End User Messaging: totalMessagePrice + totalCarrierFee of the final events; usage report: PriceInUSD.
    pub spend_usd: f64,
    pub message_parts: u64,
    /// Messages per source (`end-user-messaging`, `sns-usage-report`).
    pub by_source: BTreeMap<String, u64>,
    /// Texts Cognito could not hand over (its error log's entries).
    pub cognito_errors: u64,
    pub protect_blocked: u64,
    /// RFC 3339 request time of the first text the protect configuration blocked.
    pub first_protect_block: Option<String>,
    /// Texts to India and how many of them failed, from the protect block on.
    pub india_after_block: (u64, u64),
    /// Lines, documents and objects written: EventBridge events logged, Firehose objects, usage-report rows.
    pub eventbridge_events: u64,
    pub firehose_objects: u64,
    pub firehose_events: u64,
    pub usage_rows: u64,
    /// The End User Messaging side alone.
    pub events: EumTruth,
}

/// What the README needs besides the truth.
pub(crate) struct EumSample {
    pub(crate) truth: EumSampleTruth,
    pub(crate) timeline: Timeline,
    pub(crate) firehose: Vec<FirehoseObject>,
    pub(crate) sns_texts: Vec<Rec>,
    /// Final events, for the story's breakdowns.
    pub(crate) finals: Vec<Event>,
    pub(crate) refused: Vec<(Rec, Refusal)>,
}

/// Writes the story into `dir` (normally `samples/end-user-messaging/`).
pub(crate) fn write(dir: &Path) -> io::Result<EumSample> {
    let cfg = GenConfig {
        month_start: NaiveDate::from_ymd_opt(2026, 2, 1).expect("valid date"),
        // End User Messaging's limit (60 USD) is not reached this month; refusals are the stream's
        spend_limit_usd: f64::INFINITY,
        ..GenConfig::new(TEXTS, SEED)
    };
    let mut g = Gen::new(&cfg);
    let recs: Vec<Rec> = g.by_ref().collect();
    let (start, end) = g.month();
    let tl = Timeline::of(start, end);
    let split = recs.partition_point(|r| r.t < tl.switch);
    let story = EumStory {
        seed: SEED,
        protect: Some(Protect {
            from: tl.protect_from,
            blocked_country: Some(C_IN),
        }),
        denied: Some((tl.switch, tl.role_fixed)),
        end,
    };
    let mut stream = EumStream::new(recs[split..].iter().copied(), story);
    let items: Vec<Item> = stream.by_ref().collect();
    let eum = stream.truth();
    let events: Vec<Event> = items
        .iter()
        .filter_map(|i| match i {
            Item::Event(e) => Some(*e),
            Item::Refused(..) => None,
        })
        .collect();
    let refused: Vec<(Rec, Refusal)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Refused(r, why) => Some((*r, *why)),
            Item::Event(_) => None,
        })
        .collect();
    let mut rng = Rng::new(SEED ^ 0x0E0E_5A3B_1E5E);

    let eb: Vec<&Event> = events
        .iter()
        .filter(|e| e.time < tl.eventbridge_to)
        .collect();
    write_eventbridge(dir, &eb, &mut rng)?;
    let newline_from = tl.newline_from;
    let firehose = write_firehose(
        dir,
        &format!("firehose/sms-events/{ACCOUNT}/{REGION}/"),
        "cognito-otp-events",
        events
            .iter()
            .copied()
            .filter(|e| e.time >= tl.firehose_from),
        &ORIGIN,
        Buffering {
            interval_ms: 900_000,
            size: 5 << 20,
        },
        &|t| t >= newline_from,
    )?;
    let sns_texts: Vec<Rec> = recs[..split]
        .iter()
        .filter(|r| r.resp != R_OPTED_OUT)
        .copied()
        .collect();
    let usage_rows = write_usage_report(dir, &sns_texts, tl.start)?;
    write_cognito_log(dir, &refused, &mut rng)?;
    write_settings(dir)?;

    let finals: Vec<Event> = events.iter().filter(|e| e.is_final).copied().collect();
    let mut truth = EumSampleTruth {
        duplicates: finals
            .iter()
            .filter(|e| e.time >= tl.firehose_from && e.time < tl.eventbridge_to)
            .count() as u64,
        cognito_errors: refused.len() as u64,
        eventbridge_events: eb.len() as u64,
        firehose_objects: firehose.len() as u64,
        firehose_events: firehose.iter().map(|o| o.events as u64).sum(),
        usage_rows,
        ..EumSampleTruth::default()
    };
    add_up(&mut truth, &eum, &finals, &sns_texts);
    truth.events = eum;
    Ok(EumSample {
        truth,
        timeline: tl,
        firehose,
        sns_texts,
        finals,
        refused,
    })
}

/// Parts of a text sent through SNS (the same rule as End User Messaging's: a longer template now and then).
pub(crate) fn sns_parts(r: &Rec) -> u64 {
    if mix64(r.id_lo ^ 0x9A27).is_multiple_of(25) {
        2
    } else {
        1
    }
}

fn add_up(t: &mut EumSampleTruth, eum: &EumTruth, finals: &[Event], sns: &[Rec]) {
    let sns_ok = sns.iter().filter(|r| r.success()).count() as u64;
    let sns_spend: u64 = sns.iter().map(|r| r.price as u64 * sns_parts(r)).sum();
    t.messages = eum.delivered + eum.failed + sns.len() as u64;
    t.delivered = eum.delivered + sns_ok;
    t.failed = eum.failed + sns.len() as u64 - sns_ok;
    t.no_final_outcome = eum.no_final_outcome;
    t.spend_usd = eum.spend_usd + sns_spend as f64 / 100_000.0;
    t.message_parts = eum.message_parts + sns.iter().map(sns_parts).sum::<u64>();
    t.by_source = BTreeMap::from([
        ("end-user-messaging".to_string(), eum.delivered + eum.failed),
        ("sns-usage-report".to_string(), sns.len() as u64),
    ]);
    let blocked: Vec<&Event> = finals
        .iter()
        .filter(|e| e.kind == K_PROTECT_BLOCKED)
        .collect();
    t.protect_blocked = blocked.len() as u64;
    t.first_protect_block = blocked
        .iter()
        .map(|e| e.rec.t)
        .min()
        .map(|ms| crate::spell::fmt_ts(ms, push_iso_ms_z));
    let india: Vec<&Event> = finals
        .iter()
        .filter(|e| {
            e.rec.country as usize == C_IN && e.protect != crate::model::events::ProtectStatus::None
        })
        .collect();
    let india_failed = india.iter().filter(|e| !e.event_type().delivered).count() as u64;
    t.india_after_block = (india.len() as u64, india_failed);
}

/// The EventBridge rule's log group, as `aws logs filter-log-events --output json | gzip`: one document,
/// the events' envelopes as JSON strings, a few log streams.
fn write_eventbridge(dir: &Path, events: &[&Event], rng: &mut Rng) -> io::Result<()> {
    let streams: Vec<String> = (0..4).map(|_| uuid4_string(rng)).collect();
    let mut line = Vec::with_capacity(1500);
    let fle: Vec<FleEvent> = events
        .iter()
        .map(|e| {
            line.clear();
            push_eventbridge(&mut line, e, &ORIGIN);
            let logged = e.time + 250 + (e.uid() % 700) as i64;
            FleEvent {
                log_stream_name: Some(streams[(e.uid() % 4) as usize].clone()),
                timestamp: logged,
                message: String::from_utf8_lossy(&line).into_owned(),
                ingestion_time: logged + 30 + (e.uid() % 200) as i64,
                event_id: Some(event_id(e.uid())),
            }
        })
        .collect();
    let doc = FleDoc {
        events: fle,
        searched_log_streams: vec![],
        search_statistics: None,
        next_token: None,
    };
    let mut b = Vec::new();
    pretty(&mut b, &doc)?;
    write_file(
        &dir.join("eventbridge")
            .join("filter-log-events-2026-02-01-to-18.json.gz"),
        &gzip_member(&b)?,
    )
}

/// A 56-digit CloudWatch event id.
fn event_id(x: u64) -> String {
    let mut s = String::with_capacity(56);
    let mut v = x;
    while s.len() < 56 {
        v = mix64(v);
        s.push_str(&format!("{:018}", v % 1_000_000_000_000_000_000));
    }
    s.truncate(56);
    s
}

/// The usage report of the last day on SNS: one row per part, numbers without `+`.
fn write_usage_report(dir: &Path, texts: &[Rec], day: i64) -> io::Result<u64> {
    let mut b = Vec::new();
    b.extend_from_slice(b"PublishTimeUTC,MessageId,DestinationPhoneNumber,MessageType,DeliveryStatus,PriceInUSD,PartNumber,TotalParts\n");
    let mut rows = 0;
    for r in texts {
        let parts = sns_parts(r);
        for part in 1..=parts {
            push_iso_ms_z(&mut b, r.t);
            b.push(b',');
            push_uuid(&mut b, r.id_hi, r.id_lo);
            b.push(b',');
            let at = b.len();
            push_destination(&mut b, r.country as usize, r.local);
            b.remove(at);
            b.extend_from_slice(b",Transactional,");
            b.extend_from_slice(RESPONSES[r.resp as usize].as_bytes());
            b.push(b',');
            push_price(&mut b, r.price as u64);
            b.push(b',');
            push_u64(&mut b, part);
            b.push(b',');
            push_u64(&mut b, parts);
            b.push(b'\n');
            rows += 1;
        }
    }
    let date = crate::spell::utc(day).date();
    let path = format!(
        "usage-reports/{ACCOUNT}/SMSUsageReports/{REGION}/{}/001.csv.gz",
        date.format("%Y/%m/%d")
    );
    write_file(&dir.join(path), &gzip_member(&b)?)?;
    Ok(rows)
}

/// Cognito's words for a text it could not hand over. AWS documents the log's envelope, not this text:
/// these follow the End User Messaging API's exceptions.
fn details(r: &Rec, why: Refusal) -> String {
    match why {
        Refusal::AccessDenied => format!(
            "Failed to send SMS message. End User Messaging SMS responded with AccessDeniedException: User: arn:aws:sts::{ACCOUNT}:assumed-role/CognitoEumsSmsRole/CognitoIdentityProvider is not authorized to perform: sms-voice:SendTextMessage on resource: arn:aws:sms-voice:{REGION}:{ACCOUNT}:configuration-set/{CONFIGURATION_SET}"
        ),
        Refusal::OptedOut | Refusal::SpendLimit => {
            let mut n = Vec::new();
            push_destination(&mut n, r.country as usize, r.local);
            let reason = if why == Refusal::OptedOut {
                "ConflictException: DESTINATION_PHONE_NUMBER_OPTED_OUT"
            } else {
                "ServiceQuotaExceededException: MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT"
            };
            format!(
                "Failed to send SMS message to {}. End User Messaging SMS responded with {reason}",
                String::from_utf8_lossy(&n)
            )
        }
    }
}

/// The pool's `userNotification` log (ERROR level), exported to S3 with `create-export-task`: lines of
/// `<time> <event>` in one `000000.gz` per log stream (one stream a day), and the permission check.
fn write_cognito_log(dir: &Path, refused: &[(Rec, Refusal)], rng: &mut Rng) -> io::Result<()> {
    let root = dir.join("cognito").join("exportedlogs");
    write_file(&root.join("aws-logs-write-test"), WRITE_TEST_BODY)?;
    let task = uuid4_string(rng);
    let mut by_day: BTreeMap<i64, Vec<u8>> = BTreeMap::new();
    for (r, why) in refused {
        let logged = r.t + 120 + (r.id_lo % 600) as i64;
        let b = by_day.entry(logged.div_euclid(MS_DAY)).or_default();
        push_iso_ms_z(b, logged + 40);
        b.push(b' ');
        // the keys in the order of AWS's example (serde_json would sort them)
        b.extend_from_slice(b"{\"eventTimestamp\":\"");
        push_u64(b, logged as u64);
        b.extend_from_slice(b"\",\"eventSource\":\"USER_NOTIFICATION\",\"logLevel\":\"ERROR\",\"message\":{\"details\":");
        b.extend_from_slice(serde_json::to_string(&details(r, *why))?.as_bytes());
        b.extend_from_slice(b"},\"logSourceId\":{\"userPoolId\":\"");
        b.extend_from_slice(POOL_ID.as_bytes());
        b.extend_from_slice(b"\"}}");
        b.push(b'\n');
    }
    for lines in by_day.values() {
        let stream = uuid4_string(rng);
        write_file(
            &root.join(&task).join(stream).join("000000.gz"),
            &gzip_member(lines)?,
        )?;
    }
    Ok(())
}

/// `aws cognito-idp describe-user-pool` and `aws pinpoint-sms-voice-v2 describe-spend-limits`, as the CLI
/// prints them (the keys in the API's order).
fn write_settings(dir: &Path) -> io::Result<()> {
    let pool = format!(
        r#"{{
    "UserPool": {{
        "Id": "{POOL_ID}",
        "Name": "example-app-users",
        "Policies": {{
            "PasswordPolicy": {{
                "MinimumLength": 12,
                "RequireUppercase": true,
                "RequireLowercase": true,
                "RequireNumbers": true,
                "RequireSymbols": false,
                "TemporaryPasswordValidityDays": 7
            }}
        }},
        "DeletionProtection": "ACTIVE",
        "LambdaConfig": {{}},
        "LastModifiedDate": "2026-02-01T16:02:11.418000+00:00",
        "CreationDate": "2023-05-09T10:41:27.903000+00:00",
        "SchemaAttributes": [],
        "AutoVerifiedAttributes": [
            "phone_number"
        ],
        "UsernameAttributes": [
            "phone_number"
        ],
        "SmsVerificationMessage": "Your verification code is {{####}}",
        "SmsAuthenticationMessage": "Your sign-in code is {{####}}",
        "MfaConfiguration": "ON",
        "EstimatedNumberOfUsers": 5731,
        "SmsConfiguration": {{
            "EumsSms": {{
                "CallerArn": "{ROLE}",
                "ConfigurationSetName": "{CONFIGURATION_SET}"
            }}
        }},
        "UserPoolTags": {{}},
        "Domain": "example-app-auth",
        "AdminCreateUserConfig": {{
            "AllowAdminCreateUserOnly": false
        }},
        "UsernameConfiguration": {{
            "CaseSensitive": false
        }},
        "Arn": "arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{POOL_ID}",
        "AccountRecoverySetting": {{
            "RecoveryMechanisms": [
                {{
                    "Priority": 1,
                    "Name": "verified_phone_number"
                }}
            ]
        }},
        "UserPoolTier": "ESSENTIALS"
    }}
}}
"#
    );
    let limits = format!(
        r#"{{
    "SpendLimits": [
        {{
            "Name": "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT",
            "EnforcedLimit": {LIMIT_USD},
            "MaxLimit": 100,
            "Overridden": true
        }},
        {{
            "Name": "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT",
            "EnforcedLimit": 0,
            "MaxLimit": 0,
            "Overridden": false
        }},
        {{
            "Name": "MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT",
            "EnforcedLimit": 0,
            "MaxLimit": 0,
            "Overridden": false
        }}
    ]
}}
"#
    );
    let settings = dir.join("settings");
    write_file(&settings.join("describe-user-pool.json"), pool.as_bytes())?;
    write_file(
        &settings.join("describe-spend-limits.json"),
        limits.as_bytes(),
    )
}

/// Final events per country: (texts, failures).
pub(crate) fn by_country(finals: &[Event]) -> BTreeMap<&'static str, (u64, u64)> {
    let mut m: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for e in finals {
        let c = m.entry(COUNTRIES[e.rec.country as usize].iso).or_default();
        c.0 += 1;
        c.1 += u64::from(!e.event_type().delivered);
    }
    m
}

//! The bundled sample set: every shape, one month, the story of `super`'s doc, with overlaps.

use super::*;

const OVERLAP: usize = 100;

#[derive(Serialize)]
struct Datapoint {
    #[serde(rename = "Timestamp")]
    timestamp: String,
    #[serde(rename = "Maximum")]
    maximum: f64,
    #[serde(rename = "Unit")]
    unit: &'static str,
}

#[derive(Serialize)]
struct MetricStats {
    #[serde(rename = "Label")]
    label: &'static str,
    #[serde(rename = "Datapoints")]
    datapoints: Vec<Datapoint>,
}

#[derive(Serialize)]
struct SmsAttributes {
    attributes: BTreeMap<&'static str, &'static str>,
}

struct Streams {
    ids: Vec<u32>,
    seed: u64,
}

impl Streams {
    /// Log streams of 1..=6 consecutive records of one log group (success or failure).
    fn assign(recs: &[Rec], rng: &mut Rng, seed: u64) -> Streams {
        let mut next = [0u32, 1 << 30];
        let mut left = [0u64; 2];
        let ids = recs
            .iter()
            .map(|r| {
                let g = usize::from(!r.success());
                if left[g] == 0 {
                    next[g] += 1;
                    left[g] = 1 + rng.below(6);
                }
                left[g] -= 1;
                next[g]
            })
            .collect();
        Streams { ids, seed }
    }
    fn name_of(&self, id: u32) -> String {
        let mut r = Rng::new(self.seed ^ 0x57AE_A11D ^ ((id as u64) << 20));
        uuid4_string(&mut r)
    }
}

pub(super) fn write(dir: &Path) -> io::Result<GenTruth> {
    let cfg = GenConfig {
        records: SAMPLE_RECORDS,
        seed: SAMPLE_SEED,
        month_start: NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date"),
        spend_limit_usd: SAMPLE_LIMIT_USD,
    };
    let mut g = Gen::new(&cfg);
    let mut recs = Vec::with_capacity(cfg.records);
    while let Some(r) = g.next_rec() {
        recs.push(r);
    }
    let start = g.start;
    let end = g.end;
    let mut truth = g.tally.truth();
    let mut rng = Rng::new(SAMPLE_SEED ^ 0x5A3B_1E5E_7000_0001);
    let streams = Streams::assign(&recs, &mut rng, SAMPLE_SEED);
    let stream_of = |i: usize| streams.name_of(streams.ids[i]);

    let at = |day: i64, hour: i64| start + (day - 1) * MS_DAY + hour * MS_HOUR;
    let idx = |t: i64| recs.partition_point(|r| r.t < t);
    let a_end = idx(at(10, 6));
    let b_start = a_end - OVERLAP;
    let b_end = idx(at(14, 0));
    let c_end = idx(at(16, 0));
    let d_end = idx(at(18, 0));
    let e_end = idx(at(19, 0));
    let f_end = idx(at(25, 0));
    let mut readme_files: Vec<(String, String, String, usize)> = Vec::new();
    let span = |a: usize, b: usize| {
        format!(
            "{} .. {}",
            fmt_ts(recs[a].t, push_notification_ts),
            fmt_ts(recs[b - 1].t, push_notification_ts)
        )
    };

    // 1. CloudWatch export to S3: one task per log group, one folder per log stream.
    let exp = dir.join("cloudwatch-export").join("exportedlogs");
    write_file(&exp.join("aws-logs-write-test"), WRITE_TEST_BODY)?;
    let tasks = [uuid4_string(&mut rng), uuid4_string(&mut rng)];
    let mut by_stream: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for i in 0..a_end {
        by_stream.entry(streams.ids[i]).or_default().push(i);
    }
    let mut nfiles = 0;
    for (id, mut members) in by_stream {
        if members.len() >= 2 && rng.chance(0.3) {
            members.reverse();
        }
        let mut lines = Vec::new();
        for &i in &members {
            export_line(&mut lines, &recs[i]);
        }
        let task = &tasks[usize::from(id >= 1 << 30)];
        let path = exp.join(task).join(streams.name_of(id)).join("000000.gz");
        write_file(&path, &gzip_member(&lines)?)?;
        nfiles += 1;
    }
    readme_files.push((
        "cloudwatch-export/exportedlogs/".into(),
        format!(
            "`aws logs create-export-task --log-group-name {} --from <ms> --to <ms> --destination <bucket> --destination-prefix exportedlogs` (one task per log group: `{}` holds the success group, `{}` the `/Failure` group), then `aws s3 cp --recursive s3://<bucket>/exportedlogs cloudwatch-export/exportedlogs`. {} log streams, one `000000.gz` each; lines are `<event time> <record>`; `aws-logs-write-test` is the permission-check object (not logs).",
            log_group(true),
            tasks[0],
            tasks[1],
            nfiles
        ),
        span(0, a_end),
        a_end,
    ));

    // 2. filter-log-events, two pages appended to one file (the first ends with NextToken).
    let mid = b_start + (b_end - b_start) / 2;
    let mut fle = Vec::new();
    for (k, (a, b)) in [(b_start, mid), (mid, b_end)].into_iter().enumerate() {
        let doc = FleDoc {
            events: (a..b).map(|i| fle_event(&recs[i], &stream_of(i))).collect(),
            searched_log_streams: vec![],
            search_statistics: None,
            next_token: if k == 0 {
                Some(next_token(&mut rng))
            } else {
                None
            },
        };
        pretty(&mut fle, &doc)?;
    }
    write_file(&dir.join("cli").join("filter-log-events.json"), &fle)?;
    readme_files.push((
        "cli/filter-log-events.json".into(),
        format!(
            "`aws logs filter-log-events --log-group-name <log group> --start-time <ms> --end-time <ms> --max-items {}` > file, then the next page (`--starting-token <NextToken>`) appended with `>>`: two JSON documents in one file, the first ending with `\"NextToken\"`. `message` is the record as a JSON string. Its first {} events are also in the export (overlapping time ranges). (Real output comes one log group at a time; this sample mixes both groups' records.)",
            mid - b_start,
            OVERLAP
        ),
        span(b_start, b_end),
        b_end - b_start,
    ));

    // 3. aws logs tail
    let refs: Vec<&Rec> = recs.iter().collect();
    let names: Vec<String> = (b_end..c_end).map(stream_of).collect();
    let tail = tail_lines(&refs[b_end..c_end], Some(&names));
    write_file(&dir.join("cli").join("tail.txt"), &tail)?;
    readme_files.push((
        "cli/tail.txt".into(),
        "`aws logs tail <log group> --since <time> > tail.txt` (CLI v2): `<time +00:00> <log stream> <record>` per line (both groups' records mixed, as above).".to_string(),
        span(b_end, c_end),
        c_end - b_end,
    ));

    // 4. Logs Insights: get-query-results JSON, console CSV (@message) and a flattened CSV.
    let newest_first = |a: usize, b: usize| refs[a..b].iter().rev().copied().collect::<Vec<&Rec>>();
    let qr = insights_json(&newest_first(c_end, d_end), 1234, &mut rng)?;
    write_file(&dir.join("insights").join("query-results.json"), &qr)?;
    readme_files.push((
        "insights/query-results.json".into(),
        "`aws logs start-query --log-group-names <success group> <failure group> --query-string 'fields @timestamp, @message | sort @timestamp desc | limit 10000'`, then `aws logs get-query-results --query-id <id>`: rows newest first, every value a string, `@ptr` per row.".into(),
        span(c_end, d_end),
        d_end - c_end,
    ));
    write_file(
        &dir.join("insights").join("results-flat.csv"),
        &insights_flat_csv(&newest_first(d_end, e_end)),
    )?;
    readme_files.push((
        "insights/results-flat.csv".into(),
        "Console \"Export results\" -> CSV of `fields @timestamp, notification.messageId, status, delivery.providerResponse, delivery.destination, delivery.phoneCarrier, delivery.priceInUSD, delivery.smsType, delivery.mcc, delivery.mnc | sort @timestamp desc`: Insights flattens the JSON with dots; empty cell = field absent.".into(),
        span(d_end, e_end),
        e_end - d_end,
    ));
    write_file(
        &dir.join("insights").join("results.csv"),
        &insights_csv(&newest_first(e_end, f_end)),
    )?;
    readme_files.push((
        "insights/results.csv".into(),
        "Console \"Export results\" -> CSV of `fields @timestamp, @message | sort @timestamp desc`: header `@timestamp,@message`, the record JSON CSV-quoted (inner quotes doubled).".into(),
        span(e_end, f_end),
        f_end - e_end,
    ));

    // 5. Firehose: one object per day, gzip members of concatenated documents.
    let mut day_start = f_end;
    let mut first_object = true;
    let mut fh_names = Vec::new();
    while day_start < recs.len() {
        let (y, m, d) = civil_from_days(recs[day_start].t.div_euclid(MS_DAY));
        let day_end = idx((recs[day_start].t.div_euclid(MS_DAY) + 1) * MS_DAY).min(recs.len());
        let mut object = Vec::new();
        let delivered_at = recs[day_end - 1].event_time() + 60_000 + rng.below(240_000) as i64;
        if first_object {
            object.extend(gzip_member(&firehose_control(
                recs[day_start].event_time() - 5_000,
            )?)?);
            first_object = false;
        }
        let mut i = day_start;
        while i < day_end {
            let s = streams.ids[i];
            let mut j = i;
            let mut group: Vec<&Rec> = Vec::new();
            while j < day_end && streams.ids[j] == s && group.len() < 5 {
                group.push(&recs[j]);
                j += 1;
            }
            // the same stream may continue after records of the other group; keep docs small
            object.extend(gzip_member(&firehose_data(&group, &streams.name_of(s))?)?);
            i = j;
        }
        let name = format!(
            "sns-sms-delivery-status-1-{}-{}",
            fmt_ts(delivered_at, |b, t| {
                push_date_time(b, t, b'-');
                for c in b.iter_mut().rev().take(8) {
                    if *c == b':' {
                        *c = b'-';
                    }
                }
            }),
            uuid4_string(&mut rng)
        );
        let rel = format!("firehose/{y:04}/{m:02}/{d:02}/{name}");
        write_file(&dir.join(&rel), &object)?;
        fh_names.push((rel, span(day_start, day_end), day_end - day_start));
        day_start = day_end;
    }
    let fh_total: usize = fh_names.iter().map(|f| f.2).sum();
    readme_files.push((
        "firehose/2026/03/DD/<object>".into(),
        format!(
            "Subscription filter on both log groups -> Kinesis Data Firehose -> S3, copied with `aws s3 cp --recursive`. {} objects, no extension, gzip with several members, JSON documents concatenated with no newline; the first object starts with a `CONTROL_MESSAGE` (health check, not logs).",
            fh_names.len()
        ),
        span(f_end, recs.len()),
        fh_total,
    ));

    // 6. Spend metric: hourly Maximum of month-to-date spend, datapoints not in time order.
    let mut points = Vec::new();
    let mut cum = 0u64;
    let mut i = 0;
    let mut h = start;
    while h < end {
        let mut any = false;
        while i < recs.len() && recs[i].t < h + MS_HOUR {
            cum += recs[i].price as u64;
            i += 1;
            any = true;
        }
        if any {
            points.push(Datapoint {
                timestamp: fmt_ts(h, |b, t| {
                    push_date_time(b, t, b'T');
                    b.push(b'Z');
                }),
                maximum: cum as f64 / 100_000.0,
                unit: "None",
            });
        }
        h += MS_HOUR;
    }
    for k in (1..points.len()).rev() {
        let j = rng.below(k as u64 + 1) as usize;
        points.swap(k, j);
    }
    let npoints = points.len();
    let mut mb = Vec::new();
    pretty(
        &mut mb,
        &MetricStats {
            label: "SMSMonthToDateSpentUSD",
            datapoints: points,
        },
    )?;
    write_file(
        &dir.join("metrics").join("SMSMonthToDateSpentUSD.json"),
        &mb,
    )?;

    let attrs = SmsAttributes {
        attributes: BTreeMap::from([
            ("MonthlySpendLimit", "60"),
            ("DeliveryStatusSuccessSamplingRate", "100"),
            ("DefaultSMSType", "Transactional"),
            (
                "DeliveryStatusIAMRole",
                "arn:aws:iam::111122223333:role/SNSSuccessFeedback",
            ),
        ]),
    };
    let mut ab = Vec::new();
    pretty(&mut ab, &attrs)?;
    write_file(&dir.join("settings").join("sms-attributes.json"), &ab)?;

    truth.records += OVERLAP as u64;
    let readme = readme(&recs, &truth, &readme_files, &fh_names, npoints);
    write_file(&dir.join("README.md"), readme.as_bytes())?;
    Ok(truth)
}

fn readme(
    recs: &[Rec],
    truth: &GenTruth,
    files: &[(String, String, String, usize)],
    fh: &[(String, String, usize)],
    npoints: usize,
) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let usd = |p: u64| format!("{:.5}", p as f64 / 100_000.0);
    let _ = writeln!(s, "# smslens sample data\n");
    let _ = writeln!(
        s,
        "A month (March 2026, UTC) of Amazon Cognito MFA / verification texts sent through Amazon SNS, \
         exported the ways people actually export them. All of it is synthetic (written by smslens's \
         generator, `generate::write_samples`; same bytes every run): message ids, \
         numbers and accounts are made up (`+1` numbers are the fictional 555-01xx lines; account 111122223333).\n"
    );
    let _ = writeln!(s, "## Files\n");
    let _ = writeln!(
        s,
        "| path | produced by | records | notification.timestamp range |"
    );
    let _ = writeln!(s, "|---|---|---:|---|");
    for (p, how, range, n) in files {
        let _ = writeln!(s, "| `{p}` | {how} | {n} | {range} |");
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
    for (p, range, n) in fh {
        let _ = writeln!(s, "- `{p}`: {n} records, {range}");
    }
    let _ = writeln!(
        s,
        "\nEvery record is in exactly one file, except the {} records at the end of the export that \
         `cli/filter-log-events.json` repeats (identical records, as overlapping exports give): \
         count them once.\n",
        truth.records - truth.unique
    );

    let _ = writeln!(s, "## True numbers\n");
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

    // the story, with its numbers
    let block_from = recs[0].t.div_euclid(MS_DAY) * MS_DAY + 9 * MS_DAY;
    let airtel: Vec<&Rec> = recs
        .iter()
        .filter(|r| r.country as usize == C_IN && r.carrier().name == "Airtel" && r.resp != R_QUOTA)
        .collect();
    let (before, after): (Vec<&Rec>, Vec<&Rec>) = airtel.iter().partition(|r| r.t < block_from);
    let blocked = |v: &[&Rec]| v.iter().filter(|r| r.resp == R_CARRIER_BLOCKED).count();
    let blocked_all = recs.iter().filter(|r| r.resp == R_CARRIER_BLOCKED).count();
    let blocked_airtel_carrier = after
        .iter()
        .filter(|r| r.resp == R_CARRIER_BLOCKED && r.net == Net::Carrier)
        .count();
    let mut dead: BTreeMap<String, usize> = BTreeMap::new();
    for r in recs.iter().filter(|r| r.resp == R_UNREACHABLE) {
        *dead.entry(destination_string(r)).or_default() += 1;
    }
    let quota: Vec<&Rec> = recs.iter().filter(|r| r.resp == R_QUOTA).collect();
    let spend_at_quota: u64 = recs.iter().map(|r| r.price as u64).sum();
    let outage = recs
        .iter()
        .filter(|r| r.resp == R_CARRIER_UNREACHABLE && r.net == Net::Carrier)
        .count();
    let quirks_mcc = recs.iter().filter(|r| r.quirks & Q_MCC_STR != 0).count();
    let quirks_price = recs.iter().filter(|r| r.quirks & Q_PRICE_STR != 0).count();
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
    let _ = writeln!(s, "\n## The story\n");
    let _ = writeln!(
        s,
        "- Recipients in nine countries (texts / failures): {}.",
        countries
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
        blocked(&before),
        before.len(),
        blocked(&after),
        after.len(),
        blocked_airtel_carrier,
        blocked_all - blocked(&before) - blocked(&after)
    );
    let _ = writeln!(
        s,
        "- **Dead numbers.** {} recipients never receive anything (`Phone is currently unreachable/unavailable`, \
         no carrier, mcc/mnc 0) and keep asking for new codes: {} texts in all, up to {} to one number.",
        dead.len(),
        dead.values().sum::<usize>(),
        dead.values().max().copied().unwrap_or(0)
    );
    if outage > 0 {
        let _ = writeln!(
            s,
            "- **A carrier outage.** 2026-03-15 12:00-18:00 UTC about half the texts to Telcel (MX) fail with \
             `Phone carrier is currently unreachable/unavailable` naming the carrier ({} here; at this volume it is \
             barely visible, in a large generated month it stands out). Other such failures are scattered and carrier-less.",
            outage
        );
    }
    let _ = writeln!(
        s,
        "- **Spend limit.** MonthlySpendLimit is 60 USD. SNS charges attempts, so failures carry a price too. \
         Month-to-date spend reaches the limit on the 22nd; the first text refused is at {}, and from then on every text ({} of them) fails with the minimal \
         `No quota left for account` record (destination, smsType, providerResponse, dwellTimeMs; no price), and \
         users retry. Final spend {} USD; the metric file flattens at that value.",
        truth.quota_exhausted_at.as_deref().unwrap_or("never"),
        quota.len(),
        usd(spend_at_quota)
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
        quirks_mcc, quirks_price
    );
    s
}

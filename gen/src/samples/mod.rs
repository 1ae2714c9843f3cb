//! The bundled sample set, two stories and a README with their true numbers:
//!
//! 1. one month through SNS (March 2026, the crate's story), cut into consecutive time ranges, one per
//!    export shape, with a 100-record overlap between the export and `filter-log-events`; plus the spend
//!    metric and the SMS settings;
//! 2. one month of a user pool on the End User Messaging direct path (February 2026, `eum`), in
//!    `end-user-messaging/`.

pub(crate) mod eum;
mod eum_readme;
mod readme;

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::model::traffic::{MS_DAY, MS_HOUR};
use crate::model::{Gen, Rec};
use crate::rng::Rng;
use crate::spell::{fmt_ts, push_date_time, push_notification_ts, utc, uuid4_string};
use crate::writers::account::{sms_attributes, spend_metric};
use crate::writers::cli::{fle_event, next_token, tail_lines, FleDoc};
use crate::writers::export::{export_line, WRITE_TEST_BODY};
use crate::writers::firehose::{firehose_control, firehose_data};
use crate::writers::insights::{insights_csv, insights_flat_csv, insights_json};
use crate::writers::{gzip_member, log_group, pretty, write_file};
use crate::{GenConfig, GenTruth};

pub(crate) const SAMPLE_RECORDS: usize = 4400;
const SAMPLE_SEED: u64 = 20260301;
pub(crate) const SAMPLE_LIMIT_USD: f64 = 60.0;
/// Records at the end of the export that `filter-log-events` repeats.
const OVERLAP: usize = 100;

/// Which log stream each record is in.
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

/// A row of the README's table of files.
struct FileRow {
    path: String,
    how: String,
    /// notification.timestamp range
    range: String,
    records: usize,
}

/// A Firehose object, for the README's list.
struct FirehoseObject {
    path: String,
    range: String,
    records: usize,
}

/// The sample set being written: the month's records, their streams, and one random stream for every
/// choice made while cutting them into files (drawn in a fixed order).
struct Samples<'a> {
    dir: &'a Path,
    recs: &'a [Rec],
    streams: Streams,
    rng: Rng,
    files: Vec<FileRow>,
}

pub(crate) fn write(dir: &Path) -> io::Result<GenTruth> {
    let cfg = GenConfig {
        records: SAMPLE_RECORDS,
        seed: SAMPLE_SEED,
        month_start: NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date"),
        spend_limit_usd: SAMPLE_LIMIT_USD,
        recipients: None,
    };
    let mut g = Gen::new(&cfg);
    let recs: Vec<Rec> = g.by_ref().collect();
    let (start, end) = g.month();
    let mut truth = g.truth();
    let mut rng = Rng::new(SAMPLE_SEED ^ 0x5A3B_1E5E_7000_0001);
    let streams = Streams::assign(&recs, &mut rng, SAMPLE_SEED);
    let mut s = Samples {
        dir,
        recs: &recs,
        streams,
        rng,
        files: Vec::new(),
    };

    // consecutive time ranges, one per shape
    let at = |day: i64, hour: i64| start + (day - 1) * MS_DAY + hour * MS_HOUR;
    let idx = |t: i64| recs.partition_point(|r| r.t < t);
    let a_end = idx(at(10, 6));
    let b_end = idx(at(14, 0));
    let c_end = idx(at(16, 0));
    let d_end = idx(at(18, 0));
    let e_end = idx(at(19, 0));
    let f_end = idx(at(25, 0));
    s.export(a_end)?;
    s.filter_log_events(a_end - OVERLAP, b_end)?;
    s.tail(b_end, c_end)?;
    s.insights([c_end, d_end, e_end, f_end])?;
    let firehose = s.firehose(f_end)?;
    let npoints = s.account((start, end))?;

    truth.records += OVERLAP as u64;
    let eum = eum::write(&dir.join("end-user-messaging"))?;
    let mut readme = readme::readme(&recs, &truth, &s.files, &firehose, npoints);
    eum_readme::section(&mut readme, &eum);
    write_file(&dir.join("README.md"), readme.as_bytes())?;
    Ok(truth)
}

impl Samples<'_> {
    fn stream_of(&self, i: usize) -> String {
        self.streams.name_of(self.streams.ids[i])
    }

    /// `first .. last` notification.timestamp of records `a..b`.
    fn span(&self, a: usize, b: usize) -> String {
        format!(
            "{} .. {}",
            fmt_ts(self.recs[a].t, push_notification_ts),
            fmt_ts(self.recs[b - 1].t, push_notification_ts)
        )
    }

    fn row(&mut self, path: &str, how: String, (a, b): (usize, usize), records: usize) {
        let range = self.span(a, b);
        self.files.push(FileRow {
            path: path.to_string(),
            how,
            range,
            records,
        });
    }

    /// Records `..end` as a CloudWatch export to S3: one task per log group, one folder per log stream.
    fn export(&mut self, end: usize) -> io::Result<()> {
        let exp = self.dir.join("cloudwatch-export").join("exportedlogs");
        write_file(&exp.join("aws-logs-write-test"), WRITE_TEST_BODY)?;
        let tasks = [uuid4_string(&mut self.rng), uuid4_string(&mut self.rng)];
        let mut by_stream: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for i in 0..end {
            by_stream.entry(self.streams.ids[i]).or_default().push(i);
        }
        let mut nfiles = 0;
        for (id, mut members) in by_stream {
            if members.len() >= 2 && self.rng.chance(0.3) {
                members.reverse();
            }
            let mut lines = Vec::new();
            for &i in &members {
                export_line(&mut lines, &self.recs[i]);
            }
            let task = &tasks[usize::from(id >= 1 << 30)];
            let path = exp
                .join(task)
                .join(self.streams.name_of(id))
                .join("000000.gz");
            write_file(&path, &gzip_member(&lines)?)?;
            nfiles += 1;
        }
        let how = format!(
            "`aws logs create-export-task --log-group-name {} --from <ms> --to <ms> --destination <bucket> --destination-prefix exportedlogs` (one task per log group: `{}` holds the success group, `{}` the `/Failure` group), then `aws s3 cp --recursive s3://<bucket>/exportedlogs cloudwatch-export/exportedlogs`. {} log streams, one `000000.gz` each; lines are `<event time> <record>`; `aws-logs-write-test` is the permission-check object (not logs).",
            log_group(true),
            tasks[0],
            tasks[1],
            nfiles
        );
        self.row("cloudwatch-export/exportedlogs/", how, (0, end), end);
        Ok(())
    }

    /// Records `start..end` as filter-log-events, two pages appended to one file (the first ends with
    /// NextToken).
    fn filter_log_events(&mut self, start: usize, end: usize) -> io::Result<()> {
        let mid = start + (end - start) / 2;
        let mut fle = Vec::new();
        for (k, (a, b)) in [(start, mid), (mid, end)].into_iter().enumerate() {
            let doc = FleDoc {
                events: (a..b)
                    .map(|i| fle_event(&self.recs[i], &self.stream_of(i)))
                    .collect(),
                searched_log_streams: vec![],
                search_statistics: None,
                next_token: if k == 0 {
                    Some(next_token(&mut self.rng))
                } else {
                    None
                },
            };
            pretty(&mut fle, &doc)?;
        }
        write_file(&self.dir.join("cli").join("filter-log-events.json"), &fle)?;
        let how = format!(
            "`aws logs filter-log-events --log-group-name <log group> --start-time <ms> --end-time <ms> --max-items {}` > file, then the next page (`--starting-token <NextToken>`) appended with `>>`: two JSON documents in one file, the first ending with `\"NextToken\"`. `message` is the record as a JSON string. Its first {} events are also in the export (overlapping time ranges). (Real output comes one log group at a time; this sample mixes both groups' records.)",
            mid - start,
            OVERLAP
        );
        self.row("cli/filter-log-events.json", how, (start, end), end - start);
        Ok(())
    }

    fn tail(&mut self, start: usize, end: usize) -> io::Result<()> {
        let refs: Vec<&Rec> = self.recs[start..end].iter().collect();
        let names: Vec<String> = (start..end).map(|i| self.stream_of(i)).collect();
        let tail = tail_lines(&refs, Some(&names));
        write_file(&self.dir.join("cli").join("tail.txt"), &tail)?;
        let how = "`aws logs tail <log group> --since <time> > tail.txt` (CLI v2): `<time +00:00> <log stream> <record>` per line (both groups' records mixed, as above).";
        self.row("cli/tail.txt", how.into(), (start, end), end - start);
        Ok(())
    }

    /// Logs Insights: get-query-results JSON, a flattened CSV and the console CSV of @message, over the
    /// three ranges between the four cuts; rows newest first.
    fn insights(&mut self, [c, d, e, f]: [usize; 4]) -> io::Result<()> {
        let recs = self.recs;
        let newest_first = |a: usize, b: usize| recs[a..b].iter().rev().collect::<Vec<&Rec>>();
        let dir = self.dir.join("insights");
        let qr = insights_json(&newest_first(c, d), 1234, &mut self.rng)?;
        write_file(&dir.join("query-results.json"), &qr)?;
        self.row(
            "insights/query-results.json",
            "`aws logs start-query --log-group-names <success group> <failure group> --query-string 'fields @timestamp, @message | sort @timestamp desc | limit 10000'`, then `aws logs get-query-results --query-id <id>`: rows newest first, every value a string, `@ptr` per row.".into(),
            (c, d),
            d - c,
        );
        write_file(
            &dir.join("results-flat.csv"),
            &insights_flat_csv(&newest_first(d, e)),
        )?;
        self.row(
            "insights/results-flat.csv",
            "Console \"Export results\" -> CSV of `fields @timestamp, notification.messageId, status, delivery.providerResponse, delivery.destination, delivery.phoneCarrier, delivery.priceInUSD, delivery.smsType, delivery.mcc, delivery.mnc | sort @timestamp desc`: Insights flattens the JSON with dots; empty cell = field absent.".into(),
            (d, e),
            e - d,
        );
        write_file(&dir.join("results.csv"), &insights_csv(&newest_first(e, f)))?;
        self.row(
            "insights/results.csv",
            "Console \"Export results\" -> CSV of `fields @timestamp, @message | sort @timestamp desc`: header `@timestamp,@message`, the record JSON CSV-quoted (inner quotes doubled).".into(),
            (e, f),
            f - e,
        );
        Ok(())
    }

    /// Records `start..` as Firehose objects, one per day: gzip members of concatenated documents.
    fn firehose(&mut self, start: usize) -> io::Result<Vec<FirehoseObject>> {
        let recs = self.recs;
        let idx = |t: i64| recs.partition_point(|r| r.t < t);
        let mut day_start = start;
        let mut objects = Vec::new();
        while day_start < recs.len() {
            let day = recs[day_start].t.div_euclid(MS_DAY);
            let day_end = idx((day + 1) * MS_DAY).min(recs.len());
            let delivered_at =
                recs[day_end - 1].event_time() + 60_000 + self.rng.below(240_000) as i64;
            let mut object = Vec::new();
            if objects.is_empty() {
                let control = firehose_control(recs[day_start].event_time() - 5_000)?;
                object.extend(gzip_member(&control)?);
            }
            let mut i = day_start;
            while i < day_end {
                let s = self.streams.ids[i];
                let mut j = i;
                let mut group: Vec<&Rec> = Vec::new();
                while j < day_end && self.streams.ids[j] == s && group.len() < 5 {
                    group.push(&recs[j]);
                    j += 1;
                }
                // the same stream may continue after records of the other group; keep docs small
                object.extend(gzip_member(&firehose_data(
                    &group,
                    &self.streams.name_of(s),
                )?)?);
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
                uuid4_string(&mut self.rng)
            );
            let date = utc(recs[day_start].t).date();
            let (y, m, d) = (date.year(), date.month(), date.day());
            let rel = format!("firehose/{y:04}/{m:02}/{d:02}/{name}");
            write_file(&self.dir.join(&rel), &object)?;
            objects.push(FirehoseObject {
                path: rel,
                range: self.span(day_start, day_end),
                records: day_end - day_start,
            });
            day_start = day_end;
        }
        let how = format!(
            "Subscription filter on both log groups -> Kinesis Data Firehose -> S3, copied with `aws s3 cp --recursive`. {} objects, no extension, gzip with several members, JSON documents concatenated with no newline; the first object starts with a `CONTROL_MESSAGE` (health check, not logs).",
            objects.len()
        );
        let total = objects.iter().map(|f| f.records).sum();
        self.row(
            "firehose/2026/03/DD/<object>",
            how,
            (start, recs.len()),
            total,
        );
        Ok(objects)
    }

    /// The spend metric and the SMS settings; returns the number of metric datapoints.
    fn account(&mut self, month: (i64, i64)) -> io::Result<usize> {
        let (metric, npoints) = spend_metric(self.recs, month, &mut self.rng)?;
        let dir = self.dir;
        write_file(
            &dir.join("metrics").join("SMSMonthToDateSpentUSD.json"),
            &metric,
        )?;
        write_file(
            &dir.join("settings").join("sms-attributes.json"),
            &sms_attributes("60")?,
        )?;
        Ok(npoints)
    }
}

//! A scenario month as files: the records (bare lines, or Firehose objects when the region matters), and
//! the account's settings and spend metric when the scenario has them.

use std::io;
use std::path::Path;

use chrono::Datelike;

use crate::model::traffic::MS_DAY;
use crate::model::{Gen, Rec};
use crate::rng::Rng;
use crate::spell::{utc, uuid4_string};
use crate::writers::account::{sms_attributes, spend_metric};
use crate::writers::firehose::firehose_data;
use crate::writers::record::json_lines;
use crate::writers::{gzip_member, write_file};
use crate::{GenConfig, GenTruth, Scenario};

pub(crate) fn write(dir: &Path, cfg: &GenConfig) -> io::Result<GenTruth> {
    let mut g = Gen::new(cfg);
    let recs: Vec<Rec> = g.by_ref().collect();
    let month = g.month();
    let truth = g.truth();
    let mut rng = Rng::new(cfg.seed ^ 0x0F11_E5CE_7A21_0000);
    if cfg.scenario == Some(Scenario::WrongRegion) {
        firehose_days(dir, &recs, &mut rng)?;
    } else {
        let refs: Vec<&Rec> = recs.iter().collect();
        write_file(&dir.join("records.jsonl"), &json_lines(&refs))?;
    }
    let Some(plan) = g.scenario().map(|s| &s.plan) else {
        return Ok(truth);
    };
    if let Some(limit) = plan.settings_limit_usd {
        write_file(
            &dir.join("settings").join("sms-attributes.json"),
            &sms_attributes(&format!("{limit}"))?,
        )?;
    }
    if plan.with_metric || cfg.scenario == Some(Scenario::WrongRegion) {
        // the metric of the region the settings came from (the first)
        let first_region: Vec<Rec> = recs.iter().filter(|r| r.region == 0).copied().collect();
        let (metric, _) = spend_metric(&first_region, month, &mut rng)?;
        write_file(
            &dir.join("metrics").join("SMSMonthToDateSpentUSD.json"),
            &metric,
        )?;
    }
    Ok(truth)
}

/// One Firehose object per day, of documents of up to 40 records of one log group (region and status).
fn firehose_days(dir: &Path, recs: &[Rec], rng: &mut Rng) -> io::Result<()> {
    let mut i = 0;
    while i < recs.len() {
        let day = recs[i].t.div_euclid(MS_DAY);
        let end = i + recs[i..].partition_point(|r| r.t.div_euclid(MS_DAY) == day);
        let mut object = Vec::new();
        let groups: [(u8, bool); 4] = [(0, true), (0, false), (1, true), (1, false)];
        for (region, success) in groups {
            let members: Vec<&Rec> = recs[i..end]
                .iter()
                .filter(|r| r.region == region && r.success() == success)
                .collect();
            for chunk in members.chunks(40) {
                let stream = uuid4_string(rng);
                object.extend(gzip_member(&firehose_data(chunk, &stream)?)?);
            }
        }
        let date = utc(recs[i].t).date();
        let rel = format!(
            "firehose/{:04}/{:02}/{:02}/sns-sms-delivery-status-1-{}",
            date.year(),
            date.month(),
            date.day(),
            uuid4_string(rng)
        );
        write_file(&dir.join(rel), &object)?;
        i = end;
    }
    Ok(())
}

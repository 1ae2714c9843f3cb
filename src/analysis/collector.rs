//! Receives record batches from all worker threads and keeps only aggregates: the cube, per-recipient
//! counts, latency histograms, evidence ids. Heavy work (the batch group-by) runs on the worker before
//! the lock is taken; under the lock only small merges happen.

use std::collections::BTreeMap;
use std::sync::Mutex;

use polars::prelude::*;

use super::cube;
pub use super::examples::Examples;
use super::latency::Histogram;
pub use super::recipients::RecipientStats;
use super::recipients::{BatchRows, RecipientShards, Recipients};
use crate::domain::mask::show_number;
use crate::domain::outcome::Class;
use crate::frame::dict::{Dict, FxHashMap};
use crate::frame::{col, recipient, BatchConsumer, RecordBatch};

/// Global dictionaries the cube's codes refer to.
#[derive(Debug, Default, Clone)]
pub struct CubeDicts {
    pub provider_response: Dict,
    pub sms_type: Dict,
    pub carrier: Dict,
    pub country: Dict,
    pub region: Dict,
    pub account: Dict,
    pub origination: Dict,
}

#[derive(Default)]
struct Accum {
    dicts: CubeDicts,
    cube_parts: Vec<DataFrame>,
    odd_numbers: FxHashMap<u64, String>,
    recipient_labels: FxHashMap<u64, String>,
    latency: BTreeMap<String, Histogram>,
    evidence: Examples,
    throttled_seconds: FxHashMap<i64, u32>,
    unknown_fields: BTreeMap<String, u64>,
}

#[derive(Default)]
pub struct Collector {
    recipients: RecipientShards,
    accum: Mutex<Accum>,
    error: Mutex<Option<PolarsError>>,
}

/// Everything the collector learned, after the last batch.
pub struct Collected {
    pub cube: DataFrame,
    pub dicts: CubeDicts,
    /// Every recipient's tally, in no particular order.
    pub recipients: Recipients,
    /// Texts of recipients whose key is a hash (not a packed E.164 number).
    pub odd_numbers: FxHashMap<u64, String>,
    /// Names of recipients known only from a dataset (its masked number), shown as they are.
    pub recipient_labels: FxHashMap<u64, String>,
    pub latency: BTreeMap<String, Histogram>,
    /// Example message ids: the earliest few per class, country, carrier and hour.
    pub evidence: Examples,
    /// `Rate exceeded` failures per second (epoch seconds): throttling comes in bursts within seconds.
    pub throttled_seconds: FxHashMap<i64, u32>,
    pub unknown_fields: BTreeMap<String, u64>,
}

impl BatchConsumer for Collector {
    /// Absorbs one batch. Errors here are bugs in smslens (the frame is ours), kept and reported at the end.
    fn absorb(&self, batch: RecordBatch) {
        if batch.df.height() == 0 && batch.unknown_fields.is_empty() && batch.evidence.is_empty() {
            return;
        }
        if let Err(e) = self.try_absorb(batch) {
            self.fail(e);
        }
    }

    /// Records an internal error (first one wins); the run fails at `finish`.
    fn fail(&self, e: PolarsError) {
        if let Ok(mut slot) = self.error.lock() {
            slot.get_or_insert(e);
        }
    }
}

impl Collector {
    fn try_absorb(&self, batch: RecordBatch) -> PolarsResult<()> {
        let RecordBatch {
            df,
            dicts,
            evidence,
            unknown_fields,
        } = batch;
        let mut part = cube::batch_cube(&df)?;
        let recipients = BatchRows::of(&df)?;
        let latency = batch_latency(&df, &dicts.country)?;
        let throttled = throttled_seconds(&df)?;

        let mut guard = self.accum.lock().unwrap_or_else(|p| p.into_inner());
        let acc = &mut *guard;
        let remaps = [
            (
                cube::PROVIDER_RESPONSE,
                acc.dicts.provider_response.absorb(&dicts.provider_response),
            ),
            (cube::SMS_TYPE, acc.dicts.sms_type.absorb(&dicts.sms_type)),
            (cube::CARRIER, acc.dicts.carrier.absorb(&dicts.carrier)),
            (cube::COUNTRY, acc.dicts.country.absorb(&dicts.country)),
            (cube::REGION, acc.dicts.region.absorb(&dicts.region)),
            (cube::ACCOUNT, acc.dicts.account.absorb(&dicts.account)),
            (
                cube::ORIGINATION,
                acc.dicts.origination.absorb(&dicts.origination),
            ),
        ];
        for (name, remap) in &remaps {
            cube::remap_codes(&mut part, name, remap)?;
        }
        let [_, _, _, (_, country_remap), ..] = remaps;
        acc.cube_parts.push(part);
        // Keep the number of parts (and memory) bounded on long runs.
        if acc.cube_parts.len() >= 64 {
            let merged = cube::merge_cubes(std::mem::take(&mut acc.cube_parts))?;
            acc.cube_parts.push(merged);
        }
        for (k, n) in dicts.odd_numbers {
            acc.odd_numbers.entry(k).or_insert(n);
        }
        for (k, n) in dicts.recipient_labels {
            acc.recipient_labels.entry(k).or_insert(n);
        }
        for (country, h) in latency {
            acc.latency.entry(country).or_default().merge(&h);
        }
        for e in evidence {
            acc.evidence.add(e);
        }
        for (sec, n) in throttled {
            *acc.throttled_seconds.entry(sec).or_default() += n;
        }
        for (k, n) in unknown_fields {
            *acc.unknown_fields.entry(k).or_default() += n;
        }
        drop(guard);
        self.recipients.absorb(recipients, &country_remap);
        Ok(())
    }

    pub fn finish(self) -> PolarsResult<Collected> {
        if let Some(e) = self.error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        let acc = self.accum.into_inner().unwrap_or_else(|p| p.into_inner());
        let cube = cube::merge_cubes(acc.cube_parts)?;
        Ok(Collected {
            cube,
            dicts: acc.dicts,
            recipients: self.recipients.finish(),
            odd_numbers: acc.odd_numbers,
            recipient_labels: acc.recipient_labels,
            latency: acc.latency,
            evidence: acc.evidence,
            throttled_seconds: acc.throttled_seconds,
            unknown_fields: acc.unknown_fields,
        })
    }
}

impl Collected {
    /// How outputs name a recipient: its number, masked unless `show_numbers`; for one known only from a
    /// dataset, the masked number the dataset holds (exported with `--show-numbers`), else its pseudonym.
    pub fn recipient_name(&self, key: u64, show_numbers: bool) -> String {
        match recipient::decode(key).or_else(|| self.odd_numbers.get(&key).cloned()) {
            Some(n) => show_number(&n, show_numbers),
            None => match (
                self.recipient_labels.get(&key),
                recipient::pseudonym_of(key),
            ) {
                (Some(label), _) => label.clone(),
                (None, Some(p)) => format!("pseudonym {p}"),
                (None, None) => "-".to_owned(),
            },
        }
    }
}

/// `Rate exceeded` failures of a batch per second.
fn throttled_seconds(df: &DataFrame) -> PolarsResult<Vec<(i64, u32)>> {
    let class = df.column(col::CLASS)?.u32()?;
    let code = Class::Throttled.code();
    if !class.into_no_null_iter().any(|c| c == code) {
        return Ok(Vec::new());
    }
    let time = df.column(col::TIME)?.cast(&DataType::Int64)?;
    let mut per: FxHashMap<i64, u32> = FxHashMap::default();
    for (c, t) in class
        .into_no_null_iter()
        .zip(time.i64()?.into_no_null_iter())
    {
        if c == code {
            *per.entry(t.div_euclid(1000)).or_default() += 1;
        }
    }
    Ok(per.into_iter().collect())
}

fn batch_latency(df: &DataFrame, countries: &Dict) -> PolarsResult<Vec<(String, Histogram)>> {
    let country = df.column(col::COUNTRY)?.u32()?;
    let dwell = df.column(col::DWELL_MS)?.i64()?;
    // A histogram is some 30 KB: made only for the countries this batch has dwell times for.
    let mut hists: Vec<Option<Histogram>> = vec![None; countries.len()];
    for (c, d) in country.into_no_null_iter().zip(dwell.iter()) {
        if let (Some(h), Some(d)) = (hists.get_mut(c as usize), d) {
            h.get_or_insert_with(Histogram::default).add(d);
        }
    }
    Ok(hists
        .into_iter()
        .enumerate()
        .filter_map(|(i, h)| Some((countries.name(i as u32).to_owned(), h?)))
        .collect())
}

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
use super::recipients::{BatchRows, RecipientShards, Recipients, TallyColumns};
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

impl CubeDicts {
    /// Every dictionary, in [`cube::CODED`]'s order.
    pub fn all(&self) -> [&Dict; 7] {
        [
            &self.provider_response,
            &self.sms_type,
            &self.carrier,
            &self.country,
            &self.region,
            &self.account,
            &self.origination,
        ]
    }

    pub fn all_mut(&mut self) -> [&mut Dict; 7] {
        [
            &mut self.provider_response,
            &mut self.sms_type,
            &mut self.carrier,
            &mut self.country,
            &mut self.region,
            &mut self.account,
            &mut self.origination,
        ]
    }
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

/// Aggregates gathered elsewhere, in the collector's terms: a cube part with its dictionaries, recipients'
/// tallies (countries in codes of `dicts`), their labels, dwell times and throttled seconds.
pub struct Gathered {
    pub cube: DataFrame,
    pub dicts: CubeDicts,
    pub tallies: TallyColumns,
    pub labels: Vec<(u64, String)>,
    pub latency: Vec<(String, Histogram)>,
    pub throttled_seconds: Vec<(i64, u32)>,
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
        if batch.df.height() == 0
            && batch.unknown_fields.is_empty()
            && batch.evidence.is_empty()
            && batch.evidence_groups.is_empty()
        {
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
            evidence_groups,
            unknown_fields,
        } = batch;
        let mut part = cube::batch_cube(&df)?;
        let recipients = BatchRows::of(&df)?;
        let latency = batch_latency(&df, &dicts.country)?;
        let throttled = throttled_seconds(&df)?;

        let mut guard = self.accum.lock().unwrap_or_else(|p| p.into_inner());
        let acc = &mut *guard;
        let country_remap = absorb_dicts(
            &mut acc.dicts,
            [
                &dicts.provider_response,
                &dicts.sms_type,
                &dicts.carrier,
                &dicts.country,
                &dicts.region,
                &dicts.account,
                &dicts.origination,
            ],
            &mut part,
        )?;
        // A batch of only evidence or field names (a dataset's manifest) adds no cube rows.
        if part.height() > 0 {
            acc.cube_parts.push(part);
        }
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
        for g in evidence_groups {
            acc.evidence.add_group(g);
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

    /// Takes what was gathered elsewhere (a dataset's snapshot), as if its rows had been absorbed.
    pub fn absorb_gathered(&self, g: Gathered) -> PolarsResult<()> {
        let Gathered {
            mut cube,
            dicts,
            tallies,
            labels,
            latency,
            throttled_seconds,
        } = g;
        let mut guard = self.accum.lock().unwrap_or_else(|p| p.into_inner());
        let acc = &mut *guard;
        let country_remap = absorb_dicts(&mut acc.dicts, dicts.all(), &mut cube)?;
        acc.cube_parts.push(cube);
        for (k, n) in labels {
            acc.recipient_labels.entry(k).or_insert(n);
        }
        for (country, h) in latency {
            acc.latency.entry(country).or_default().merge(&h);
        }
        for (sec, n) in throttled_seconds {
            *acc.throttled_seconds.entry(sec).or_default() += n;
        }
        drop(guard);
        if !tallies.is_whole() {
            return Err(
                polars_err!(ComputeError: "recipient tallies whose columns differ in length"),
            );
        }
        self.recipients.absorb_columns(tallies, &country_remap);
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

/// Adds a part's dictionaries (in [`cube::CODED`]'s order) to the run's and puts the part's codes in the
/// run's; returns the country remap (the recipient tallies hold country codes too).
fn absorb_dicts(
    run: &mut CubeDicts,
    theirs: [&Dict; 7],
    part: &mut DataFrame,
) -> PolarsResult<Vec<u32>> {
    let mut country = Vec::new();
    for ((name, ours), theirs) in cube::CODED.iter().zip(run.all_mut()).zip(theirs) {
        let remap = ours.absorb(theirs);
        cube::remap_codes(part, name, &remap)?;
        if *name == cube::COUNTRY {
            country = remap;
        }
    }
    Ok(country)
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

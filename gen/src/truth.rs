//! The true numbers of a generated data set, counted while it is generated: what smslens must report.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Rec, NRESP, RESPONSES, R_QUOTA};
use crate::spell::{fmt_ts, push_iso_ms_z};

/// The true numbers of a generated data set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GenTruth {
    /// Record occurrences written (duplicates from overlapping exports included).
    pub records: u64,
    /// Distinct records (by messageId).
    pub unique: u64,
    /// Unique records with status SUCCESS.
    pub delivered: u64,
    /// Unique records with status FAILURE.
    pub failed: u64,
    /// Sum of priceInUSD over unique records.
    pub spend_usd: f64,
    /// Unique records per providerResponse.
    pub by_provider_response: BTreeMap<String, u64>,
    /// RFC 3339 (ms, `Z`) notification time of the first "No quota left for account" failure.
    pub quota_exhausted_at: Option<String>,
}

/// Running counts of the generated texts (each counted once).
#[derive(Default, Clone)]
pub(crate) struct Tally {
    records: u64,
    delivered: u64,
    failed: u64,
    /// in 0.00001 USD: exact
    spend: u64,
    by: [u64; NRESP],
    quota_first: Option<i64>,
}

impl Tally {
    pub(crate) fn add(&mut self, r: &Rec) {
        self.records += 1;
        if r.success() {
            self.delivered += 1;
        } else {
            self.failed += 1;
        }
        self.spend += r.price as u64;
        self.by[r.resp as usize] += 1;
        if r.resp == R_QUOTA {
            self.quota_first = Some(self.quota_first.map_or(r.t, |q| q.min(r.t)));
        }
    }

    pub(crate) fn truth(&self) -> GenTruth {
        GenTruth {
            records: self.records,
            unique: self.records,
            delivered: self.delivered,
            failed: self.failed,
            spend_usd: self.spend as f64 / 100_000.0,
            by_provider_response: self
                .by
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, &n)| (RESPONSES[i].to_string(), n))
                .collect(),
            quota_exhausted_at: self.quota_first.map(|t| fmt_ts(t, push_iso_ms_z)),
        }
    }
}

//! The true numbers of the End User Messaging events handed out, counted as they are.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Item, EVENT_TYPES};

/// The true numbers of End User Messaging events handed out.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct EumTruth {
    /// Events written.
    pub events: u64,
    /// Texts with at least one event in the data: `delivered + failed + no_final_outcome`.
    pub messages: u64,
    /// Messages whose final event is in the data and delivered (TEXT_SUCCESSFUL or TEXT_DELIVERED).
    pub delivered: u64,
    /// Messages whose final event is in the data and a failure.
    pub failed: u64,
    /// Messages with only non-final events in the data.
    pub no_final_outcome: u64,
    /// Texts End User Messaging refused, so that no event exists (Cognito's log names them).
    pub refused: u64,
    /// Sum of totalMessagePrice + totalCarrierFee over the final events.
    pub spend_usd: f64,
    /// Sum of totalMessageParts over the final events.
    pub message_parts: u64,
    /// Final events per eventType.
    pub by_event_type: BTreeMap<String, u64>,
}

/// Running counts behind [`EumTruth`].
#[derive(Default, Clone, Debug)]
pub(crate) struct EumTally {
    events: u64,
    delivered: u64,
    failed: u64,
    in_flight: u64,
    resolved: u64,
    refused: u64,
    spend: u64,
    parts: u64,
    by: [u64; EVENT_TYPES.len()],
}

impl EumTally {
    pub(crate) fn add(&mut self, item: &Item) {
        let e = match item {
            Item::Refused(..) => {
                self.refused += 1;
                return;
            }
            Item::Event(e) => e,
        };
        self.events += 1;
        if e.first && !e.is_final {
            self.in_flight += 1;
        }
        if e.is_final {
            if e.event_type().delivered {
                self.delivered += 1;
            } else {
                self.failed += 1;
            }
            self.spend += u64::from(e.price) + u64::from(e.fee);
            self.parts += u64::from(e.parts);
            self.by[e.kind as usize] += 1;
            self.resolved += u64::from(e.after_in_flight);
        }
    }

    pub(crate) fn truth(&self) -> EumTruth {
        let no_final = self.in_flight - self.resolved;
        EumTruth {
            events: self.events,
            messages: self.delivered + self.failed + no_final,
            delivered: self.delivered,
            failed: self.failed,
            no_final_outcome: no_final,
            refused: self.refused,
            spend_usd: self.spend as f64 / 100_000.0,
            message_parts: self.parts,
            by_event_type: self
                .by
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, &n)| (EVENT_TYPES[i].name.to_string(), n))
                .collect(),
        }
    }
}

//! The model: who is sent what, when, and with which outcome, as a stream of format-free [`Rec`]s. Nothing
//! here knows how an export spells a record; `crate::writers` does.
//!
//! * `population`: countries, carriers, numbers and each recipient's fixed traits;
//! * `traffic`: the month and when in it texts are sent;
//! * `recipients`: which recipient each new text goes to;
//! * `outcome`: the story's incidents and what happens to one text;
//! * `generator`: the stream itself, with the retries of users whose code did not arrive;
//! * `events`: the End User Messaging events of those texts, when the pool sends through it directly.

pub(crate) mod events;
pub(crate) mod generator;
pub(crate) mod outcome;
pub(crate) mod population;
pub(crate) mod recipients;
pub(crate) mod traffic;

pub(crate) use generator::Gen;
pub(crate) use population::{Carrier, COUNTRIES};

pub(crate) const R_ACCEPTED_CARRIER: u8 = 0;
pub(crate) const R_ACCEPTED_PHONE: u8 = 1;
pub(crate) const R_DELIVERED: u8 = 2;
pub(crate) const R_CARRIER_BLOCKED: u8 = 3;
pub(crate) const R_UNREACHABLE: u8 = 4;
pub(crate) const R_OPTED_OUT: u8 = 5;
pub(crate) const R_INVALID: u8 = 6;
pub(crate) const R_UNKNOWN_ERROR: u8 = 7;
pub(crate) const R_CARRIER_UNREACHABLE: u8 = 8;
pub(crate) const R_BLACKLISTED: u8 = 9;
pub(crate) const R_UNLISTED: u8 = 10;
pub(crate) const R_QUOTA: u8 = 11;
pub(crate) const NRESP: usize = 12;

/// providerResponse of each outcome code.
pub(crate) const RESPONSES: [&str; NRESP] = [
    "Message has been accepted by phone carrier",
    "Message has been accepted by phone",
    "Delivered",
    "Phone carrier has blocked this message",
    "Phone is currently unreachable/unavailable",
    "Phone number is opted out",
    "Invalid phone number",
    "Unknown error attempting to reach phone",
    "Phone carrier is currently unreachable/unavailable",
    "Phone is blacklisted",
    "Destination carrier rejected the message (code 4051)",
    "No quota left for account",
];

pub(crate) fn is_success(resp: u8) -> bool {
    resp <= R_DELIVERED
}

/// How the record names the network.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Net {
    /// phoneCarrier, mcc and mnc
    Carrier,
    /// mcc and mnc but no phoneCarrier
    MccOnly,
    /// `"mnc":0` and `"mcc":0`, no phoneCarrier
    Zero,
    /// no phoneCarrier, mcc or mnc at all
    Absent,
}

/// `Rec::quirks`: mcc and mnc written as strings.
pub(crate) const Q_MCC_STR: u8 = 1;
/// `Rec::quirks`: priceInUSD written as a string.
pub(crate) const Q_PRICE_STR: u8 = 2;

/// One text and its outcome: everything a writer needs, in no export's spelling.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rec {
    pub(crate) id_hi: u64,
    pub(crate) id_lo: u64,
    /// notification.timestamp, epoch ms UTC
    pub(crate) t: i64,
    /// CloudWatch event time minus notification time, ms
    pub(crate) lag: u32,
    pub(crate) country: u8,
    pub(crate) carrier: u8,
    pub(crate) local: u32,
    pub(crate) net: Net,
    pub(crate) resp: u8,
    /// priceInUSD in 0.00001 USD; 0 = no price (quota failures)
    pub(crate) price: u32,
    pub(crate) dwell: u32,
    /// dwellTimeMsUntilDeviceAck; 0 = absent
    pub(crate) ack: u32,
    pub(crate) quirks: u8,
}

impl Rec {
    pub(crate) fn success(&self) -> bool {
        is_success(self.resp)
    }
    pub(crate) fn event_time(&self) -> i64 {
        self.t + self.lag as i64
    }
    pub(crate) fn carrier(&self) -> &'static Carrier {
        &COUNTRIES[self.country as usize].carriers[self.carrier as usize]
    }
    /// mcc and mnc as the record carries them (`None`: absent).
    pub(crate) fn mcc_mnc(&self) -> (Option<u16>, Option<u16>) {
        match self.net {
            Net::Carrier | Net::MccOnly => (Some(self.carrier().mcc), Some(self.carrier().mnc)),
            Net::Zero => (Some(0), Some(0)),
            Net::Absent => (None, None),
        }
    }
}

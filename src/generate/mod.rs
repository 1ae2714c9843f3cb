//! Synthetic Amazon SNS SMS delivery-status data, in every export shape smslens reads.
//!
//! Every data set tells the same month-long story of Cognito MFA / verification texts
//! (smsType `Transactional`):
//!
//! * recipients in US, CA, IN, GB, BR, SG, DE, MX and JM (weights 45/8/15/8/8/4/5/5/2 %), a recipient
//!   pool of about `records / 4` numbers (fictional `+1NXX55501xx` numbers for +1, plausible mobile
//!   numbers elsewhere), a few frequent users;
//! * most texts succeed (`Message has been accepted by phone carrier`, some `Delivered`, some
//!   `Message has been accepted by phone`);
//! * from day 10 of the month about 40 % of texts to India on Airtel fail with
//!   `Phone carrier has blocked this message` (carrier kept on most of them, so the concentration shows);
//! * about 1 % of recipients are dead numbers: every text to them fails with
//!   `Phone is currently unreachable/unavailable`, and those users retry;
//! * sprinkles: opted-out and invalid numbers, unknown errors, a carrier outage (Telcel, MX, day 15, 12-18 UTC),
//!   two old-wording `Phone is blacklisted`, three texts with a response that is in no table;
//! * spend accumulates `priceInUSD` (failures are charged too); once it reaches the spend limit every later
//!   text fails with the minimal `No quota left for account` record (no price).
//!
//! Everything is deterministic: the same [`GenConfig`] gives the same bytes (gzip headers carry mtime 0).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use flate2::{Compression, GzBuilder};
use serde::Serialize;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenConfig {
    /// Number of delivery records (exactly this many are written).
    pub records: usize,
    /// PRNG seed; same seed, same bytes.
    pub seed: u64,
    /// A day of the UTC month to cover (normally its first day; any day selects that month).
    pub month_start: NaiveDate,
    /// Account `MonthlySpendLimit` in USD; `f64::INFINITY` for none.
    pub spend_limit_usd: f64,
}

impl GenConfig {
    /// A spend limit that a month of `records` texts reaches around the 22nd, as in the samples
    /// (about 0.0139 USD per record).
    pub fn suggested_spend_limit_usd(records: usize) -> f64 {
        (records as f64 * SAMPLE_LIMIT_USD / SAMPLE_RECORDS as f64 * 100.0).round() / 100.0
    }
}

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

/// Bare delivery records, one compact JSON object per line (formats.md section 1), in time order
/// (by notification.timestamp) over the month.
pub fn write_records(out: &mut dyn Write, cfg: &GenConfig) -> io::Result<GenTruth> {
    let mut g = Gen::new(cfg);
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 18);
    while let Some(r) = g.next_rec() {
        write_record(&mut buf, &r);
        buf.push(b'\n');
        if buf.len() >= 1 << 17 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()?;
    Ok(g.tally.truth())
}

/// A CloudWatch Logs export-to-S3 tree (formats.md section 2):
/// `<dir>/exportedlogs/<taskid>/<stream>/000000.gz`, `min(files, records)` streams with the records
/// spread evenly over them in time order (lines inside a file are sometimes out of order, as in real
/// exports), each line `<event time ISO ms Z> <record>`, plus `<dir>/exportedlogs/aws-logs-write-test`.
pub fn write_export_tree(dir: &Path, files: usize, cfg: &GenConfig) -> io::Result<GenTruth> {
    let root = dir.join("exportedlogs");
    fs::create_dir_all(&root)?;
    fs::write(root.join("aws-logs-write-test"), WRITE_TEST_BODY)?;
    let mut names = Rng::new(cfg.seed ^ 0x7A5C_0E11_E5A5_4B1D);
    let mut path = root.join(uuid4_string(&mut names));
    fs::create_dir_all(&path)?;
    let mut g = Gen::new(cfg);
    let n = cfg.records as u64;
    let nfiles = if n == 0 {
        0
    } else {
        (files as u64).clamp(1, n)
    };
    let mut lines: Vec<u8> = Vec::with_capacity(1 << 14);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for k in 0..nfiles {
        let count = (k + 1) * n / nfiles - k * n / nfiles;
        lines.clear();
        spans.clear();
        for _ in 0..count {
            let r = match g.next_rec() {
                Some(r) => r,
                None => break,
            };
            let s = lines.len();
            export_line(&mut lines, &r);
            spans.push((s, lines.len()));
        }
        if spans.len() >= 2 && names.chance(0.25) {
            let a = names.below(spans.len() as u64) as usize;
            let b = names.below(spans.len() as u64) as usize;
            spans.swap(a, b);
        }
        path.push(uuid4_string(&mut names));
        fs::create_dir_all(&path)?;
        path.push("000000.gz");
        let mut gz = gz_writer(File::create(&path)?);
        for &(s, e) in &spans {
            gz.write_all(&lines[s..e])?;
        }
        gz.finish()?;
        path.pop();
        path.pop();
    }
    Ok(g.tally.truth())
}

/// The bundled sample set (a month, March 2026, 60 USD limit reached on the 22nd) in `dir`
/// (normally `samples/`), with `README.md`. Deterministic bytes.
pub fn write_samples(dir: &Path) -> io::Result<GenTruth> {
    samples::write(dir)
}

/// Regenerates the small integration-test fixtures in `dir` (normally `tests/fixtures/`), all files
/// except `README.md` (whose counts were taken from these exact bytes). Deterministic bytes.
pub fn write_fixtures(dir: &Path) -> io::Result<()> {
    fixtures::write(dir)
}

// ------------------------------------------------------------------------------------------------
// Constants of the story

const SAMPLE_RECORDS: usize = 4400;
const SAMPLE_SEED: u64 = 20260301;
const SAMPLE_LIMIT_USD: f64 = 60.0;
const WRITE_TEST_BODY: &[u8] = b"Permission Check Successful";
const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";

const R_ACCEPTED_CARRIER: u8 = 0;
const R_ACCEPTED_PHONE: u8 = 1;
const R_DELIVERED: u8 = 2;
const R_CARRIER_BLOCKED: u8 = 3;
const R_UNREACHABLE: u8 = 4;
const R_OPTED_OUT: u8 = 5;
const R_INVALID: u8 = 6;
const R_UNKNOWN_ERROR: u8 = 7;
const R_CARRIER_UNREACHABLE: u8 = 8;
const R_BLACKLISTED: u8 = 9;
const R_UNLISTED: u8 = 10;
const R_QUOTA: u8 = 11;
const NRESP: usize = 12;

const RESPONSES: [&str; NRESP] = [
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

fn is_success(resp: u8) -> bool {
    resp <= R_DELIVERED
}

/// How the record names the network.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Net {
    /// phoneCarrier, mcc and mnc
    Carrier,
    /// mcc and mnc but no phoneCarrier
    MccOnly,
    /// `"mnc":0` and `"mcc":0`, no phoneCarrier
    Zero,
    /// no phoneCarrier, mcc or mnc at all
    Absent,
}

struct Carrier {
    name: &'static str,
    mcc: u16,
    mnc: u16,
    /// percent of the country's recipients
    share: u8,
    /// priceInUSD in units of 0.00001 USD
    price: u32,
}

enum Numbering {
    /// `+1 <area> 555 01xx` (the fictional 555-0100..0199 lines of each area code)
    Nanp(&'static [u16]),
    /// `+<cc> <prefix><digits>`, national number `national_len` digits long
    Mobile {
        cc: &'static str,
        prefixes: &'static [&'static str],
        national_len: u32,
    },
}

struct Country {
    iso: &'static str,
    /// per mille of texts
    weight: u32,
    numbering: Numbering,
    carriers: &'static [Carrier],
}

const US_AREAS: &[u16] = &[
    201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225,
    228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281,
    301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321,
    323, 330, 334, 336, 337, 339, 347, 351, 352, 360, 361, 386, 401, 402, 404, 405, 406, 407, 408,
    409, 410, 412, 413, 414, 415, 417, 419, 423, 425, 430, 432, 434, 435, 440, 443, 469, 478, 479,
    480, 484, 501, 502, 503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516, 517, 518, 520, 530,
    540, 541, 551, 559, 561, 562, 563, 567, 570, 571, 573, 574, 575, 580, 585, 586, 601, 602, 603,
    605, 606, 607, 608, 609, 610, 612, 614, 615, 616, 617, 618, 619, 620, 623, 626, 630, 631, 636,
    641, 646, 650, 651, 660, 661, 662, 678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713, 714,
    715, 716, 717, 718, 719, 720, 724, 727, 731, 732, 734, 740, 754, 757, 760, 763, 765, 770, 772,
    773, 774, 775, 781, 785, 786, 801, 802, 803, 804, 805, 806, 808, 810, 812, 813, 814, 815, 816,
    817, 818, 828, 830, 831, 832, 843, 845, 847, 848, 850, 856, 857, 858, 859, 860, 862, 863, 864,
    865, 870, 901, 903, 904, 906, 907, 908, 909, 910, 912, 913, 914, 915, 916, 917, 918, 919, 920,
    925, 928, 931, 936, 937, 940, 941, 947, 949, 952, 954, 956, 970, 971, 972, 973, 978, 979, 980,
    985, 989,
];
const CA_AREAS: &[u16] = &[
    204, 226, 236, 249, 250, 289, 306, 343, 365, 403, 416, 418, 431, 437, 438, 450, 506, 514, 519,
    548, 579, 581, 587, 604, 613, 639, 647, 705, 709, 778, 780, 782, 807, 819, 825, 867, 873, 902,
    905,
];
const JM_AREAS: &[u16] = &[876, 658];

const fn car(name: &'static str, mcc: u16, mnc: u16, share: u8, price: u32) -> Carrier {
    Carrier {
        name,
        mcc,
        mnc,
        share,
        price,
    }
}

const C_US: usize = 0;
const C_IN: usize = 2;
const C_MX: usize = 7;

static COUNTRIES: [Country; 9] = [
    Country {
        iso: "US",
        weight: 450,
        numbering: Numbering::Nanp(US_AREAS),
        carriers: &[
            car("AT&T", 311, 180, 34, 645),
            car("T-Mobile", 310, 260, 33, 581),
            car("Verizon Wireless", 311, 480, 33, 606),
        ],
    },
    Country {
        iso: "CA",
        weight: 80,
        numbering: Numbering::Nanp(CA_AREAS),
        carriers: &[
            car("Bell", 302, 610, 36, 645),
            car("Rogers", 302, 720, 36, 612),
            car("Telus", 302, 220, 28, 581),
        ],
    },
    Country {
        iso: "IN",
        weight: 150,
        numbering: Numbering::Mobile {
            cc: "91",
            prefixes: &[
                "98", "99", "97", "96", "95", "94", "93", "90", "89", "88", "87", "86", "85", "84",
                "83", "82", "81", "80", "79", "78", "77", "76", "75", "74", "73", "72", "70", "63",
                "62",
            ],
            national_len: 10,
        },
        carriers: &[
            car("Airtel", 404, 10, 20, 2220),
            car("Airtel", 404, 31, 15, 2220),
            car("Jio", 405, 857, 40, 2227),
            car("Vodafone Idea", 404, 20, 25, 2218),
        ],
    },
    Country {
        iso: "GB",
        weight: 80,
        numbering: Numbering::Mobile {
            cc: "44",
            prefixes: &[
                "7711", "7722", "7733", "7745", "7751", "7766", "7777", "7788", "7799", "7400",
                "7412", "7500", "7513", "7825", "7890", "7946",
            ],
            national_len: 10,
        },
        carriers: &[
            car("O2", 234, 10, 30, 3951),
            car("Vodafone", 234, 15, 25, 3951),
            car("EE", 234, 30, 30, 3951),
            car("Three", 234, 20, 15, 3951),
        ],
    },
    Country {
        iso: "BR",
        weight: 80,
        numbering: Numbering::Mobile {
            cc: "55",
            prefixes: &[
                "119", "219", "319", "419", "519", "619", "719", "819", "859", "279", "479", "489",
            ],
            national_len: 11,
        },
        carriers: &[
            car("Claro", 724, 5, 35, 3680),
            car("Vivo", 724, 6, 35, 3680),
            car("TIM", 724, 2, 30, 3680),
        ],
    },
    Country {
        iso: "SG",
        weight: 40,
        numbering: Numbering::Mobile {
            cc: "65",
            prefixes: &[
                "81", "82", "83", "84", "85", "86", "87", "88", "90", "91", "92", "93", "94", "96",
                "97", "98",
            ],
            national_len: 8,
        },
        carriers: &[
            car("Singtel", 525, 1, 45, 3360),
            car("StarHub", 525, 5, 30, 3360),
            car("M1", 525, 3, 25, 3360),
        ],
    },
    Country {
        iso: "DE",
        weight: 50,
        numbering: Numbering::Mobile {
            cc: "49",
            prefixes: &[
                "151", "160", "170", "171", "175", "152", "162", "172", "173", "174", "176", "179",
                "159",
            ],
            national_len: 11,
        },
        carriers: &[
            car("Telekom", 262, 1, 40, 7880),
            car("Vodafone", 262, 2, 35, 7880),
            car("O2", 262, 3, 25, 7880),
        ],
    },
    Country {
        iso: "MX",
        weight: 50,
        numbering: Numbering::Mobile {
            cc: "52",
            prefixes: &["55", "33", "81", "222", "442", "664", "999"],
            national_len: 10,
        },
        carriers: &[
            car("Telcel", 334, 20, 65, 2750),
            car("AT&T", 334, 50, 20, 2750),
            car("Movistar", 334, 30, 15, 2750),
        ],
    },
    Country {
        iso: "JM",
        weight: 20,
        numbering: Numbering::Nanp(JM_AREAS),
        carriers: &[
            car("Digicel", 338, 50, 60, 5510),
            car("Flow", 338, 180, 40, 5510),
        ],
    },
];

/// UTC hour-of-day traffic shape (US evenings and India daytime overlap).
const DIURNAL: [f64; 24] = [
    1.00, 0.92, 0.82, 0.72, 0.76, 0.82, 0.90, 0.98, 1.04, 1.10, 1.14, 1.18, 1.24, 1.34, 1.44, 1.50,
    1.52, 1.48, 1.42, 1.36, 1.30, 1.24, 1.16, 1.06,
];

const MS_HOUR: i64 = 3_600_000;
const MS_DAY: i64 = 86_400_000;

// ------------------------------------------------------------------------------------------------
// PRNG (splitmix64)

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(mix64(seed ^ 0x005E_ED0F_5A15_1E55))
    }
    #[inline]
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }
    /// uniform in [0, 1)
    #[inline]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
    /// uniform in [0, n)
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }
    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// exponential with mean 1
    #[inline]
    fn exp1(&mut self) -> f64 {
        -(1.0 - self.unit()).ln()
    }
}

const MASK48: u64 = (1 << 48) - 1;

/// A bijection on 48-bit values (odd multiplications and xor-shifts mod 2^48).
fn perm48(mut x: u64) -> u64 {
    x &= MASK48;
    x = x.wrapping_mul(0x5DEE_CE66D) & MASK48;
    x ^= x >> 23;
    x = x.wrapping_mul(0xBF58_476D_1CE5) & MASK48;
    x ^= x >> 21;
    x = x.wrapping_mul(0x94D0_49BB_1331) & MASK48;
    x ^ (x >> 25)
}

/// SNS-style (version 5 layout) message id, unique per serial for a given seed.
fn message_uuid(seed: u64, serial: u64) -> (u64, u64) {
    let a = mix64(serial ^ seed.rotate_left(23) ^ 0x0123_4567_89AB_CDEF);
    let node = perm48(serial.wrapping_add(mix64(seed)));
    let hi = (a & !0xF000) | 0x5000;
    let clock = (mix64(a) & 0x3FFF) | 0x8000;
    (hi, (clock << 48) | node)
}

fn uuid4(rng: &mut Rng) -> (u64, u64) {
    let hi = (rng.next() & !0xF000) | 0x4000;
    let lo = (rng.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    (hi, lo)
}

fn uuid4_string(rng: &mut Rng) -> String {
    let (hi, lo) = uuid4(rng);
    let mut b = Vec::with_capacity(36);
    push_uuid(&mut b, hi, lo);
    String::from_utf8(b).expect("hex is ascii")
}

// ------------------------------------------------------------------------------------------------
// The record

const Q_MCC_STR: u8 = 1;
const Q_PRICE_STR: u8 = 2;

#[derive(Clone, Copy, Debug)]
struct Rec {
    id_hi: u64,
    id_lo: u64,
    /// notification.timestamp, epoch ms UTC
    t: i64,
    /// CloudWatch event time minus notification time, ms
    lag: u32,
    country: u8,
    carrier: u8,
    local: u32,
    net: Net,
    resp: u8,
    /// priceInUSD in 0.00001 USD; 0 = no price (quota failures)
    price: u32,
    dwell: u32,
    /// dwellTimeMsUntilDeviceAck; 0 = absent
    ack: u32,
    quirks: u8,
}

impl Rec {
    fn success(&self) -> bool {
        is_success(self.resp)
    }
    fn event_time(&self) -> i64 {
        self.t + self.lag as i64
    }
    fn carrier(&self) -> &'static Carrier {
        &COUNTRIES[self.country as usize].carriers[self.carrier as usize]
    }
}

fn write_record(b: &mut Vec<u8>, r: &Rec) {
    b.extend_from_slice(b"{\"notification\":{\"messageId\":\"");
    push_uuid(b, r.id_hi, r.id_lo);
    b.extend_from_slice(b"\",\"timestamp\":\"");
    push_notification_ts(b, r.t);
    b.extend_from_slice(b"\"},\"delivery\":{");
    if r.resp == R_QUOTA {
        b.extend_from_slice(b"\"destination\":\"");
        push_destination(b, r.country as usize, r.local);
        b.extend_from_slice(b"\",\"smsType\":\"Transactional\",\"providerResponse\":\"No quota left for account\",\"dwellTimeMs\":");
        push_u64(b, r.dwell as u64);
        b.extend_from_slice(b"},\"status\":\"FAILURE\"}");
        return;
    }
    let c = r.carrier();
    let as_str = r.quirks & Q_MCC_STR != 0;
    let (mcc, mnc) = match r.net {
        Net::Carrier | Net::MccOnly => (Some(c.mcc), Some(c.mnc)),
        Net::Zero => (Some(0), Some(0)),
        Net::Absent => (None, None),
    };
    if r.net == Net::Carrier {
        b.extend_from_slice(b"\"phoneCarrier\":\"");
        b.extend_from_slice(c.name.as_bytes());
        b.extend_from_slice(b"\",");
    }
    if let Some(mnc) = mnc {
        b.extend_from_slice(b"\"mnc\":");
        push_maybe_quoted(b, mnc as u64, as_str);
        b.push(b',');
    }
    b.extend_from_slice(b"\"numberOfMessageParts\":1,\"destination\":\"");
    push_destination(b, r.country as usize, r.local);
    b.extend_from_slice(b"\",\"priceInUSD\":");
    if r.quirks & Q_PRICE_STR != 0 {
        b.push(b'"');
        push_price(b, r.price as u64);
        b.push(b'"');
    } else {
        push_price(b, r.price as u64);
    }
    b.extend_from_slice(b",\"smsType\":\"Transactional\",");
    if let Some(mcc) = mcc {
        b.extend_from_slice(b"\"mcc\":");
        push_maybe_quoted(b, mcc as u64, as_str);
        b.push(b',');
    }
    b.extend_from_slice(b"\"providerResponse\":\"");
    b.extend_from_slice(RESPONSES[r.resp as usize].as_bytes());
    b.extend_from_slice(b"\",\"dwellTimeMs\":");
    push_u64(b, r.dwell as u64);
    if r.ack != 0 {
        b.extend_from_slice(b",\"dwellTimeMsUntilDeviceAck\":");
        push_u64(b, r.ack as u64);
    }
    b.extend_from_slice(if r.success() {
        b"},\"status\":\"SUCCESS\"}"
    } else {
        b"},\"status\":\"FAILURE\"}"
    });
}

fn record_string(r: &Rec) -> String {
    let mut b = Vec::with_capacity(400);
    write_record(&mut b, r);
    String::from_utf8(b).expect("records are ascii")
}

fn destination_string(r: &Rec) -> String {
    let mut b = Vec::with_capacity(16);
    push_destination(&mut b, r.country as usize, r.local);
    String::from_utf8(b).expect("digits are ascii")
}

/// `<event time ISO ms Z> <record>\n` (export to S3).
fn export_line(b: &mut Vec<u8>, r: &Rec) {
    push_iso_ms_z(b, r.event_time());
    b.push(b' ');
    write_record(b, r);
    b.push(b'\n');
}

// ------------------------------------------------------------------------------------------------
// Formatting helpers (no allocation)

#[inline]
fn push_u64(b: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    b.extend_from_slice(&tmp[i..]);
}

fn push_maybe_quoted(b: &mut Vec<u8>, v: u64, quoted: bool) {
    if quoted {
        b.push(b'"');
        push_u64(b, v);
        b.push(b'"');
    } else {
        push_u64(b, v);
    }
}

/// Zero-padded to `width` digits.
#[inline]
fn push_padded(b: &mut Vec<u8>, v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut x = v;
    let mut i = tmp.len();
    while x > 0 {
        i -= 1;
        tmp[i] = b'0' + (x % 10) as u8;
        x /= 10;
    }
    let start = tmp.len() - width.max(tmp.len() - i);
    b.extend_from_slice(&tmp[start..]);
}

/// A price in 0.00001 USD as a decimal without trailing zeros (`645` -> `0.00645`, `2220` -> `0.0222`).
fn push_price(b: &mut Vec<u8>, p: u64) {
    push_u64(b, p / 100_000);
    b.push(b'.');
    let mut frac = p % 100_000;
    if frac == 0 {
        b.push(b'0');
        return;
    }
    let mut width = 5;
    while frac.is_multiple_of(10) {
        frac /= 10;
        width -= 1;
    }
    push_padded(b, frac, width);
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_hex(b: &mut Vec<u8>, v: u64, digits: u32) {
    for i in (0..digits).rev() {
        b.push(HEX[((v >> (i * 4)) & 0xF) as usize]);
    }
}

fn push_uuid(b: &mut Vec<u8>, hi: u64, lo: u64) {
    push_hex(b, hi >> 32, 8);
    b.push(b'-');
    push_hex(b, (hi >> 16) & 0xFFFF, 4);
    b.push(b'-');
    push_hex(b, hi & 0xFFFF, 4);
    b.push(b'-');
    push_hex(b, lo >> 48, 4);
    b.push(b'-');
    push_hex(b, lo & MASK48, 12);
}

/// Days since 1970-01-01 -> (year, month, day) (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

fn days_since_epoch(d: NaiveDate) -> i64 {
    d.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"))
        .num_days()
}

/// `YYYY-MM-DD<sep>HH:MM:SS`
fn push_date_time(b: &mut Vec<u8>, ms: i64, sep: u8) {
    let (y, m, d) = civil_from_days(ms.div_euclid(MS_DAY));
    let s = ms.rem_euclid(MS_DAY) / 1000;
    push_padded(b, y as u64, 4);
    b.push(b'-');
    push_padded(b, m as u64, 2);
    b.push(b'-');
    push_padded(b, d as u64, 2);
    b.push(sep);
    push_padded(b, (s / 3600) as u64, 2);
    b.push(b':');
    push_padded(b, (s / 60 % 60) as u64, 2);
    b.push(b':');
    push_padded(b, (s % 60) as u64, 2);
}

fn millis(ms: i64) -> u64 {
    ms.rem_euclid(1000) as u64
}

/// notification.timestamp: `2026-03-01 00:00:05.12` (trailing zeros of the fraction dropped).
fn push_notification_ts(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b' ');
    b.push(b'.');
    let f = millis(ms);
    if f.is_multiple_of(100) {
        push_u64(b, f / 100);
    } else if f.is_multiple_of(10) {
        push_padded(b, f / 10, 2);
    } else {
        push_padded(b, f, 3);
    }
}

/// `2026-03-01T00:00:05.120Z`
fn push_iso_ms_z(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b'T');
    b.push(b'.');
    push_padded(b, millis(ms), 3);
    b.push(b'Z');
}

/// `2026-03-01 00:00:05.120` (Logs Insights @timestamp)
fn push_insights_ts(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b' ');
    b.push(b'.');
    push_padded(b, millis(ms), 3);
}

fn fmt_ts(ms: i64, f: fn(&mut Vec<u8>, i64)) -> String {
    let mut b = Vec::with_capacity(32);
    f(&mut b, ms);
    String::from_utf8(b).expect("ascii")
}

/// `aws logs tail` default format: `2026-03-01T00:00:05.120000+00:00`
fn push_tail_ts(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b'T');
    b.push(b'.');
    push_padded(b, millis(ms), 3);
    b.extend_from_slice(b"000+00:00");
}

/// `aws logs tail --format short`: `2026-03-01T00:00:05`
fn push_tail_short_ts(b: &mut Vec<u8>, ms: i64) {
    push_date_time(b, ms, b'T');
}

fn capacity(c: usize) -> u64 {
    match COUNTRIES[c].numbering {
        Numbering::Nanp(areas) => areas.len() as u64 * 100,
        Numbering::Mobile {
            prefixes,
            national_len,
            ..
        } => {
            let digits = national_len - prefixes.iter().map(|p| p.len() as u32).max().unwrap_or(0);
            prefixes.len() as u64 * 10u64.pow(digits)
        }
    }
}

/// E.164 number of recipient `local` of country `c` (a bijection within `capacity(c)`).
fn push_destination(b: &mut Vec<u8>, c: usize, local: u32) {
    let local = local as u64;
    match COUNTRIES[c].numbering {
        Numbering::Nanp(areas) => {
            b.extend_from_slice(b"+1");
            push_u64(b, areas[(local / 100 % areas.len() as u64) as usize] as u64);
            b.extend_from_slice(b"55501");
            push_padded(b, local % 100, 2);
        }
        Numbering::Mobile {
            cc,
            prefixes,
            national_len,
        } => {
            b.push(b'+');
            b.extend_from_slice(cc.as_bytes());
            let np = prefixes.len() as u64;
            let prefix = prefixes[(local % np) as usize];
            b.extend_from_slice(prefix.as_bytes());
            let digits = national_len - prefix.len() as u32;
            let m = 10u64.pow(digits);
            // odd, not a multiple of 5: a bijection mod 10^k
            let v = ((local / np) % m * 7_654_321 + 3_141_593) % m;
            push_padded(b, v, digits as usize);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Tally -> GenTruth

#[derive(Default, Clone)]
struct Tally {
    records: u64,
    delivered: u64,
    failed: u64,
    spend: u64,
    by: [u64; NRESP],
    quota_first: Option<i64>,
}

impl Tally {
    fn add(&mut self, r: &Rec) {
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
    fn truth(&self) -> GenTruth {
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

// ------------------------------------------------------------------------------------------------
// The generator

#[derive(Clone, Copy)]
struct Pending {
    t: i64,
    country: u8,
    local: u32,
    /// further retries after this one
    left: u8,
}

struct Gen {
    rng: Rng,
    seed: u64,
    n: u64,
    emitted: u64,
    start: i64,
    end: i64,
    block_from: i64,
    outage: (i64, i64),
    hour_w: Vec<f64>,
    cum: Vec<f64>,
    hour_ptr: usize,
    pool: [u64; 9],
    country_cdf: [u32; 9],
    spend: u64,
    limit: u64,
    pending: Vec<Pending>,
    forced: [(u64, u8); 5],
    tally: Tally,
}

fn month_bounds(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("valid month");
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    }
    .expect("valid month");
    (first, next)
}

impl Gen {
    fn new(cfg: &GenConfig) -> Gen {
        let (first, next) = month_bounds(cfg.month_start);
        let d0 = days_since_epoch(first);
        let start = d0 * MS_DAY;
        let end = days_since_epoch(next) * MS_DAY;
        let hours = ((end - start) / MS_HOUR) as usize;
        let mut hour_w = Vec::with_capacity(hours);
        let mut cum = Vec::with_capacity(hours + 1);
        cum.push(0.0);
        for h in 0..hours {
            let day = d0 + (h / 24) as i64;
            let weekend = matches!((day + 4).rem_euclid(7), 0 | 6);
            let growth = 0.92 + 0.16 * h as f64 / hours as f64;
            let w = DIURNAL[h % 24] * growth * if weekend { 0.85 } else { 1.0 };
            hour_w.push(w);
            cum.push(cum[h] + w);
        }
        let n = cfg.records as u64;
        let base_pool = (n / 4).max(1);
        let mut pool = [1u64; 9];
        let mut country_cdf = [0u32; 9];
        let mut acc = 0;
        for (c, country) in COUNTRIES.iter().enumerate() {
            pool[c] = (base_pool * country.weight as u64 / 1000).clamp(1, capacity(c));
            acc += country.weight;
            country_cdf[c] = acc;
        }
        let limit_f = cfg.spend_limit_usd * 100_000.0;
        let limit = if limit_f.is_nan() || limit_f <= 0.0 {
            0
        } else {
            limit_f.round() as u64
        };
        let at = |frac: f64| (n as f64 * frac) as u64;
        Gen {
            rng: Rng::new(cfg.seed),
            seed: cfg.seed,
            n,
            emitted: 0,
            start,
            end,
            block_from: start + 9 * MS_DAY,
            outage: (
                start + 14 * MS_DAY + 12 * MS_HOUR,
                start + 14 * MS_DAY + 18 * MS_HOUR,
            ),
            hour_w,
            cum,
            hour_ptr: 0,
            pool,
            country_cdf,
            spend: 0,
            limit,
            pending: Vec::with_capacity(64),
            forced: [
                (at(0.13), R_BLACKLISTED),
                (at(0.47), R_BLACKLISTED),
                (at(0.21), R_UNLISTED),
                (at(0.36), R_UNLISTED),
                (at(0.58), R_UNLISTED),
            ],
            tally: Tally::default(),
        }
    }

    /// Time at traffic quantile `u` in [0, 1) (monotone in `u`; calls must not go back).
    fn time_at(&mut self, u: f64) -> i64 {
        let total = self.cum[self.cum.len() - 1];
        let target = u * total;
        let hours = self.hour_w.len();
        while self.hour_ptr + 1 < hours && self.cum[self.hour_ptr + 1] <= target {
            self.hour_ptr += 1;
        }
        let h = self.hour_ptr;
        let frac = ((target - self.cum[h]) / self.hour_w[h]).clamp(0.0, 0.999_999_9);
        (self.start + h as i64 * MS_HOUR + (frac * MS_HOUR as f64) as i64).min(self.end - 1)
    }

    fn next_rec(&mut self) -> Option<Rec> {
        if self.emitted >= self.n {
            return None;
        }
        let u = (self.emitted as f64 + self.rng.unit()) / self.n as f64;
        let t_main = self.time_at(u);
        let mut best: Option<usize> = None;
        for (i, p) in self.pending.iter().enumerate() {
            if p.t <= t_main && best.is_none_or(|b| p.t < self.pending[b].t) {
                best = Some(i);
            }
        }
        let r = if let Some(i) = best {
            let p = self.pending.swap_remove(i);
            self.make(p.country as usize, p.local, p.t, Some(p.left))
        } else {
            let pick = self.rng.below(1000) as u32;
            let c = self.country_cdf.iter().position(|&x| pick < x).unwrap_or(0);
            let p = self.pool[c];
            let local = if self.rng.chance(0.3) {
                self.rng.below((p / 20).max(1))
            } else {
                self.rng.below(p)
            };
            self.make(c, local as u32, t_main, None)
        };
        self.tally.add(&r);
        Some(r)
    }

    fn schedule(&mut self, t: i64, c: usize, local: u32, left: u8) {
        if t < self.end && self.pending.len() < 64 {
            self.pending.push(Pending {
                t,
                country: c as u8,
                local,
                left,
            });
        }
    }

    fn make(&mut self, c: usize, local: u32, t: i64, retry: Option<u8>) -> Rec {
        let serial = self.emitted;
        self.emitted += 1;
        let (id_hi, id_lo) = message_uuid(self.seed, serial);
        let h = mix64(self.seed ^ 0xC0FF_EE00_D15E_A5E5 ^ ((c as u64) << 40) ^ local as u64);
        let country = &COUNTRIES[c];
        let mut pick = (h % 100) as u8;
        let mut ci = 0;
        for (i, cr) in country.carriers.iter().enumerate() {
            if pick < cr.share {
                ci = i;
                break;
            }
            pick -= cr.share;
            ci = i;
        }
        let dead = (h >> 20) % 100 == 7;
        let opted_out = !dead && (h >> 32) % 400 == 3;
        let invalid = !dead && !opted_out && (h >> 44) % 600 == 5;
        let rng = &mut self.rng;
        let lag = 150
            + rng.below(2500) as u32
            + if rng.chance(0.02) {
                rng.below(60_000) as u32
            } else {
                0
            };
        let mut r = Rec {
            id_hi,
            id_lo,
            t,
            lag,
            country: c as u8,
            carrier: ci as u8,
            local,
            net: Net::Carrier,
            resp: R_ACCEPTED_CARRIER,
            price: 0,
            dwell: 0,
            ack: 0,
            quirks: 0,
        };
        if self.spend >= self.limit {
            r.resp = R_QUOTA;
            r.net = Net::Absent;
            r.dwell = 80 + rng.below(140) as u32;
        } else {
            let airtel_in = c == C_IN && country.carriers[ci].name == "Airtel";
            let telcel_mx = c == C_MX && ci == 0;
            let forced = self.forced.iter().find(|f| f.0 == serial).map(|f| f.1);
            let x = rng.unit();
            let (resp, net) = if let Some(f) = forced {
                (
                    f,
                    if f == R_UNLISTED {
                        Net::Carrier
                    } else {
                        Net::Zero
                    },
                )
            } else if dead {
                (R_UNREACHABLE, Net::Zero)
            } else if invalid {
                (R_INVALID, Net::Zero)
            } else if opted_out {
                (R_OPTED_OUT, Net::Zero)
            } else if airtel_in && t >= self.block_from && rng.chance(0.40) {
                (
                    R_CARRIER_BLOCKED,
                    if rng.chance(0.9) {
                        Net::Carrier
                    } else {
                        Net::Zero
                    },
                )
            } else if telcel_mx && t >= self.outage.0 && t < self.outage.1 && rng.chance(0.5) {
                (R_CARRIER_UNREACHABLE, Net::Carrier)
            } else if x < 0.001 {
                (R_CARRIER_BLOCKED, Net::Zero)
            } else if x < 0.005 {
                (R_UNKNOWN_ERROR, Net::Zero)
            } else if x < 0.0065 {
                (R_CARRIER_UNREACHABLE, Net::Zero)
            } else {
                let y = rng.unit();
                if y < 0.06 {
                    (
                        R_DELIVERED,
                        if rng.chance(0.5) {
                            Net::Absent
                        } else {
                            Net::Carrier
                        },
                    )
                } else if y < 0.10 {
                    (R_ACCEPTED_PHONE, Net::Carrier)
                } else if y < 0.12 {
                    (R_ACCEPTED_CARRIER, Net::MccOnly)
                } else {
                    (R_ACCEPTED_CARRIER, Net::Carrier)
                }
            };
            r.resp = resp;
            r.net = net;
            r.price = country.carriers[ci].price;
            self.spend += r.price as u64;
            let success = is_success(resp);
            let mut dwell = 80.0 + rng.exp1() * 240.0;
            if rng.chance(0.03) || (!success && rng.chance(0.3)) {
                dwell = 900.0 + rng.unit() * 2100.0;
            }
            r.dwell = dwell.min(3000.0) as u32;
            let with_ack = match resp {
                R_ACCEPTED_PHONE | R_DELIVERED => true,
                R_ACCEPTED_CARRIER => rng.chance(0.25),
                R_UNREACHABLE => false,
                _ => rng.chance(0.1),
            };
            if with_ack {
                r.ack = r.dwell + 150 + (rng.exp1() * 900.0).min(20_000.0) as u32;
                if rng.chance(0.002) {
                    r.ack = 3_600_000 + rng.below(11_000_000) as u32;
                }
            }
            if matches!(r.net, Net::Carrier | Net::MccOnly) && rng.chance(0.003) {
                r.quirks |= Q_MCC_STR;
            }
            if rng.chance(0.002) {
                r.quirks |= Q_PRICE_STR;
            }
        }
        // users retry texts that did not arrive
        match retry {
            None if r.resp == R_UNREACHABLE && dead => {
                let k = 1 + self.rng.below(3) as u8;
                let dt = 40_000 + self.rng.below(200_000) as i64;
                self.schedule(t + dt, c, local, k - 1);
            }
            None if !r.success()
                && r.resp != R_OPTED_OUT
                && r.resp != R_INVALID
                && self.rng.chance(0.35) =>
            {
                let dt = 30_000 + self.rng.below(150_000) as i64;
                self.schedule(t + dt, c, local, 0);
            }
            Some(left) if left > 0 && !r.success() => {
                let dt = 40_000 + self.rng.below(200_000) as i64;
                self.schedule(t + dt, c, local, left - 1);
            }
            _ => {}
        }
        r
    }
}

// ------------------------------------------------------------------------------------------------
// Shape writers shared by the samples and the fixtures

fn gz_writer<W: Write>(w: W) -> flate2::write::GzEncoder<W> {
    GzBuilder::new().mtime(0).write(w, Compression::new(6))
}

fn gzip_member(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut gz = gz_writer(Vec::with_capacity(data.len() / 3 + 64));
    gz.write_all(data)?;
    gz.finish()
}

fn write_file(path: &Path, data: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, data)
}

fn pretty<T: Serialize>(b: &mut Vec<u8>, v: &T) -> io::Result<()> {
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut *b, fmt);
    v.serialize(&mut ser).map_err(io::Error::other)?;
    b.push(b'\n');
    Ok(())
}

fn log_group(success: bool) -> String {
    let base = format!("sns/{REGION}/{ACCOUNT}/DirectPublishToPhoneNumber");
    if success {
        base
    } else {
        base + "/Failure"
    }
}

/// A 56-digit CloudWatch event id, deterministic per record.
fn event_id(r: &Rec) -> String {
    let mut s = String::with_capacity(56);
    let mut x = r.id_hi ^ r.id_lo.rotate_left(7);
    s.push('3');
    while s.len() < 56 {
        x = mix64(x);
        s.push_str(&format!("{:018}", x % 1_000_000_000_000_000_000));
    }
    s.truncate(56);
    s
}

fn ingestion_time(r: &Rec) -> i64 {
    r.event_time() + 40 + (r.id_lo % 450) as i64
}

#[derive(Serialize)]
struct FleEvent {
    #[serde(rename = "logStreamName", skip_serializing_if = "Option::is_none")]
    log_stream_name: Option<String>,
    timestamp: i64,
    message: String,
    #[serde(rename = "ingestionTime")]
    ingestion_time: i64,
    #[serde(rename = "eventId", skip_serializing_if = "Option::is_none")]
    event_id: Option<String>,
}

fn fle_event(r: &Rec, stream: &str) -> FleEvent {
    FleEvent {
        log_stream_name: Some(stream.to_string()),
        timestamp: r.event_time(),
        message: record_string(r),
        ingestion_time: ingestion_time(r),
        event_id: Some(event_id(r)),
    }
}

#[derive(Serialize)]
struct SearchedStream {
    #[serde(rename = "logStreamName")]
    log_stream_name: String,
    #[serde(rename = "searchedCompletely")]
    searched_completely: bool,
}

#[derive(Serialize)]
struct SearchStatistics {
    #[serde(rename = "bytesScanned")]
    bytes_scanned: u64,
    #[serde(rename = "logEventsScanned")]
    log_events_scanned: u64,
}

#[derive(Serialize)]
struct FleDoc {
    events: Vec<FleEvent>,
    #[serde(rename = "searchedLogStreams")]
    searched_log_streams: Vec<SearchedStream>,
    #[serde(rename = "searchStatistics", skip_serializing_if = "Option::is_none")]
    search_statistics: Option<SearchStatistics>,
    #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

fn next_token(rng: &mut Rng) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::from("eyJuZXh0VG9rZW4iOiAi");
    for _ in 0..88 {
        s.push(B64[rng.below(64) as usize] as char);
    }
    s.push_str("In0=");
    s
}

#[derive(Serialize)]
struct GleDoc {
    events: Vec<FleEvent>,
    #[serde(rename = "nextForwardToken")]
    next_forward_token: String,
    #[serde(rename = "nextBackwardToken")]
    next_backward_token: String,
}

#[derive(Serialize)]
struct Field {
    field: &'static str,
    value: String,
}

#[derive(Serialize)]
struct QueryStatistics {
    #[serde(rename = "recordsMatched")]
    records_matched: f64,
    #[serde(rename = "recordsScanned")]
    records_scanned: f64,
    #[serde(rename = "estimatedRecordsSkipped")]
    estimated_records_skipped: f64,
    #[serde(rename = "bytesScanned")]
    bytes_scanned: f64,
    #[serde(rename = "estimatedBytesSkipped")]
    estimated_bytes_skipped: f64,
    #[serde(rename = "logGroupsScanned")]
    log_groups_scanned: f64,
}

#[derive(Serialize)]
struct QueryResults {
    results: Vec<Vec<Field>>,
    statistics: QueryStatistics,
    status: &'static str,
}

fn ptr(rng: &mut Rng) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::from("CmAKJwojMTExMTIyMjIzMzMzOnNucy91cy1lYXN0LTEvMTExMTIyMjIzMzMz");
    for _ in 0..76 {
        s.push(B64[rng.below(64) as usize] as char);
    }
    s
}

/// `aws logs get-query-results` with `fields @timestamp, @message` (rows as given).
fn insights_json(recs: &[&Rec], scanned_extra: u64, rng: &mut Rng) -> io::Result<Vec<u8>> {
    let mut bytes = 0u64;
    let results = recs
        .iter()
        .map(|r| {
            let msg = record_string(r);
            bytes += msg.len() as u64;
            vec![
                Field {
                    field: "@timestamp",
                    value: fmt_ts(r.event_time(), push_insights_ts),
                },
                Field {
                    field: "@message",
                    value: msg,
                },
                Field {
                    field: "@ptr",
                    value: ptr(rng),
                },
            ]
        })
        .collect::<Vec<_>>();
    let n = recs.len() as f64;
    let doc = QueryResults {
        results,
        statistics: QueryStatistics {
            records_matched: n,
            records_scanned: n + scanned_extra as f64,
            estimated_records_skipped: 0.0,
            bytes_scanned: (bytes + scanned_extra * 390) as f64,
            estimated_bytes_skipped: 0.0,
            log_groups_scanned: 2.0,
        },
        status: "Complete",
    };
    let mut b = Vec::new();
    pretty(&mut b, &doc)?;
    Ok(b)
}

fn csv_field(b: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|c| matches!(c, b',' | b'"' | b'\n' | b'\r')) {
        b.push(b'"');
        for c in s.bytes() {
            if c == b'"' {
                b.push(b'"');
            }
            b.push(c);
        }
        b.push(b'"');
    } else {
        b.extend_from_slice(s.as_bytes());
    }
}

/// Console "Export results" CSV of `fields @timestamp, @message`.
fn insights_csv(recs: &[&Rec]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"@timestamp,@message\n");
    for r in recs {
        push_insights_ts(&mut b, r.event_time());
        b.push(b',');
        csv_field(&mut b, &record_string(r));
        b.push(b'\n');
    }
    b
}

const FLAT_HEADER: &str = "@timestamp,notification.messageId,status,delivery.providerResponse,delivery.destination,delivery.phoneCarrier,delivery.priceInUSD,delivery.smsType,delivery.mcc,delivery.mnc";

/// Console CSV of a query returning flattened fields.
fn insights_flat_csv(recs: &[&Rec]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(FLAT_HEADER.as_bytes());
    b.push(b'\n');
    for r in recs {
        push_insights_ts(&mut b, r.event_time());
        b.push(b',');
        push_uuid(&mut b, r.id_hi, r.id_lo);
        b.extend_from_slice(if r.success() {
            b",SUCCESS,"
        } else {
            b",FAILURE,"
        });
        csv_field(&mut b, RESPONSES[r.resp as usize]);
        b.push(b',');
        push_destination(&mut b, r.country as usize, r.local);
        b.push(b',');
        if r.net == Net::Carrier && r.resp != R_QUOTA {
            csv_field(&mut b, r.carrier().name);
        }
        b.push(b',');
        if r.price > 0 {
            push_price(&mut b, r.price as u64);
        }
        b.extend_from_slice(b",Transactional,");
        if r.resp != R_QUOTA {
            let (mcc, mnc) = match r.net {
                Net::Carrier | Net::MccOnly => (Some(r.carrier().mcc), Some(r.carrier().mnc)),
                Net::Zero => (Some(0), Some(0)),
                Net::Absent => (None, None),
            };
            if let Some(v) = mcc {
                push_u64(&mut b, v as u64);
            }
            b.push(b',');
            if let Some(v) = mnc {
                push_u64(&mut b, v as u64);
            }
        } else {
            b.push(b',');
        }
        b.push(b'\n');
    }
    b
}

/// `aws logs tail` lines; `streams[i]` is the log stream of `recs[i]` (`None`: `--format short`).
fn tail_lines(recs: &[&Rec], streams: Option<&[String]>) -> Vec<u8> {
    let mut b = Vec::new();
    for (i, r) in recs.iter().enumerate() {
        match streams {
            None => push_tail_short_ts(&mut b, r.event_time()),
            Some(names) => {
                push_tail_ts(&mut b, r.event_time());
                b.push(b' ');
                b.extend_from_slice(names[i].as_bytes());
            }
        }
        b.push(b' ');
        write_record(&mut b, r);
        b.push(b'\n');
    }
    b
}

#[derive(Serialize)]
struct FhEvent {
    id: String,
    timestamp: i64,
    message: String,
}

#[derive(Serialize)]
struct FhDoc {
    #[serde(rename = "messageType")]
    message_type: &'static str,
    owner: String,
    #[serde(rename = "logGroup")]
    log_group: String,
    #[serde(rename = "logStream")]
    log_stream: String,
    #[serde(rename = "subscriptionFilters")]
    subscription_filters: Vec<String>,
    #[serde(rename = "logEvents")]
    log_events: Vec<FhEvent>,
}

/// One compact Firehose DATA_MESSAGE document (no trailing newline).
fn firehose_data(recs: &[&Rec], stream: &str) -> io::Result<Vec<u8>> {
    let success = recs.first().is_none_or(|r| r.success());
    let doc = FhDoc {
        message_type: "DATA_MESSAGE",
        owner: ACCOUNT.to_string(),
        log_group: log_group(success),
        log_stream: stream.to_string(),
        subscription_filters: vec![if success {
            "smslens-delivery"
        } else {
            "smslens-delivery-failures"
        }
        .to_string()],
        log_events: recs
            .iter()
            .map(|r| FhEvent {
                id: event_id(r),
                timestamp: r.event_time(),
                message: record_string(r),
            })
            .collect(),
    };
    serde_json::to_vec(&doc).map_err(io::Error::other)
}

fn firehose_control(ts: i64) -> io::Result<Vec<u8>> {
    let doc = FhDoc {
        message_type: "CONTROL_MESSAGE",
        owner: "CloudwatchLogs".to_string(),
        log_group: String::new(),
        log_stream: String::new(),
        subscription_filters: vec![],
        log_events: vec![FhEvent {
            id: String::new(),
            timestamp: ts,
            message: "CWL CONTROL MESSAGE: Checking health of destination Firehose.".to_string(),
        }],
    };
    serde_json::to_vec(&doc).map_err(io::Error::other)
}

fn json_lines(recs: &[&Rec]) -> Vec<u8> {
    let mut b = Vec::new();
    for r in recs {
        write_record(&mut b, r);
        b.push(b'\n');
    }
    b
}

mod fixtures;
mod samples;

// ------------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::PathBuf;

    fn cfg(records: usize, seed: u64, limit: f64) -> GenConfig {
        GenConfig {
            records,
            seed,
            month_start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            spend_limit_usd: limit,
        }
    }

    fn generate(c: &GenConfig) -> (Vec<u8>, GenTruth) {
        let mut out = Vec::new();
        let t = write_records(&mut out, c).unwrap();
        (out, t)
    }

    fn parse_ts(s: &str) -> i64 {
        let dt = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap();
        dt.and_utc().timestamp_millis()
    }

    #[test]
    fn deterministic_and_seed_dependent() {
        let c = cfg(3000, 7, 40.0);
        let (a, ta) = generate(&c);
        let (b, tb) = generate(&c);
        assert_eq!(a, b);
        assert_eq!(
            serde_json::to_string(&ta).unwrap(),
            serde_json::to_string(&tb).unwrap()
        );
        let (d, _) = generate(&cfg(3000, 8, 40.0));
        assert_ne!(a, d);
    }

    #[test]
    fn story_invariants() {
        let c = cfg(20_000, 42, GenConfig::suggested_spend_limit_usd(20_000));
        let (out, truth) = generate(&c);
        let text = std::str::from_utf8(&out).unwrap();
        let mut ids = HashSet::new();
        let (mut ok, mut failed, mut spend) = (0u64, 0u64, 0f64);
        let mut by: BTreeMap<String, u64> = BTreeMap::new();
        let mut quota_start: Option<i64> = None;
        let mut last_t = i64::MIN;
        let mut dests_unreachable: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        let (mut airtel_after, mut airtel_blocked) = (0u64, 0u64);
        let month0 = parse_ts("2026-03-01 00:00:00.0");
        let month_end = parse_ts("2026-04-01 00:00:00.0");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 20_000);
        for line in &lines {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = v["notification"]["messageId"].as_str().unwrap().to_string();
            assert_eq!(id.len(), 36);
            assert!(ids.insert(id), "duplicate messageId");
            let ts = v["notification"]["timestamp"].as_str().unwrap();
            let frac = ts.rsplit('.').next().unwrap();
            assert!(
                !frac.is_empty() && frac.len() <= 3 && (frac == "0" || !frac.ends_with('0')),
                "{ts}"
            );
            let t = parse_ts(ts);
            assert!(t >= last_t, "time order");
            assert!(t >= month0 && t < month_end);
            last_t = t;
            let d = v["delivery"].as_object().unwrap();
            let resp = d["providerResponse"].as_str().unwrap().to_string();
            let status = v["status"].as_str().unwrap();
            *by.entry(resp.clone()).or_default() += 1;
            if status == "SUCCESS" {
                ok += 1;
                assert!(quota_start.is_none(), "success after the quota ran out");
            } else {
                failed += 1;
            }
            if resp == "No quota left for account" {
                assert_eq!(status, "FAILURE");
                let keys: Vec<&str> = d.keys().map(|k| k.as_str()).collect();
                let mut keys = keys.clone();
                keys.sort();
                assert_eq!(
                    keys,
                    ["destination", "dwellTimeMs", "providerResponse", "smsType"]
                );
                quota_start.get_or_insert(t);
            } else {
                assert!(
                    quota_start.is_none(),
                    "non-quota record after the quota ran out"
                );
                let p = &d["priceInUSD"];
                spend += p
                    .as_f64()
                    .or_else(|| p.as_str().and_then(|s| s.parse().ok()))
                    .unwrap();
            }
            let dest = d["destination"].as_str().unwrap().to_string();
            assert!(dest.starts_with('+') && dest[1..].bytes().all(|c| c.is_ascii_digit()));
            if resp != "No quota left for account" {
                let e = dests_unreachable.entry(dest.clone()).or_default();
                e.0 += 1;
                if resp == "Phone is currently unreachable/unavailable" {
                    e.1 += 1;
                }
            }
            let carrier = d.get("phoneCarrier").and_then(|c| c.as_str());
            if dest.starts_with("+91")
                && t >= parse_ts("2026-03-10 00:00:00.0")
                && quota_start.is_none()
                && carrier == Some("Airtel")
            {
                airtel_after += 1;
                if resp == "Phone carrier has blocked this message" {
                    airtel_blocked += 1;
                }
            }
        }
        assert_eq!(truth.records, 20_000);
        assert_eq!(truth.unique, 20_000);
        assert_eq!(truth.delivered, ok);
        assert_eq!(truth.failed, failed);
        assert_eq!(truth.by_provider_response, by);
        assert!((truth.spend_usd - spend).abs() < 1e-6);
        // the limit is reached, late in the month, and spend stops there
        let q = quota_start.expect("quota reached");
        assert!(
            q > parse_ts("2026-03-19 00:00:00.0") && q < parse_ts("2026-03-26 00:00:00.0"),
            "{q}"
        );
        assert!(spend >= c.spend_limit_usd && spend < c.spend_limit_usd + 0.1);
        assert_eq!(
            truth.quota_exhausted_at.as_deref().map(|s| &s[..10]),
            Some(&fmt_ts(q, push_iso_ms_z)[..10])
        );
        // every text to a dead number fails the same way, and some dead numbers got several texts
        let dead: Vec<_> = dests_unreachable.values().filter(|(_, u)| *u > 0).collect();
        assert!(!dead.is_empty());
        assert!(dead.iter().all(|(n, u)| n == u));
        assert!(dead.iter().any(|(n, _)| *n >= 3));
        // blocking concentrated on Airtel India (carrier kept on most), about 40 %
        let rate = airtel_blocked as f64 / airtel_after as f64;
        assert!(rate > 0.25 && rate < 0.45, "{rate} of {airtel_after}");
        assert!(by.contains_key("Phone is blacklisted"));
        assert!(by.contains_key("Destination carrier rejected the message (code 4051)"));
    }

    #[test]
    fn formatting_helpers() {
        let mut b = Vec::new();
        push_price(&mut b, 645);
        b.push(b' ');
        push_price(&mut b, 2220);
        b.push(b' ');
        push_price(&mut b, 7880);
        b.push(b' ');
        push_price(&mut b, 123_456);
        assert_eq!(
            std::str::from_utf8(&b).unwrap(),
            "0.00645 0.0222 0.0788 1.23456"
        );
        let t = parse_ts("2026-03-01 19:09:37.300");
        assert_eq!(fmt_ts(t, push_notification_ts), "2026-03-01 19:09:37.3");
        assert_eq!(
            fmt_ts(t + 20, push_notification_ts),
            "2026-03-01 19:09:37.32"
        );
        assert_eq!(
            fmt_ts(t - 300, push_notification_ts),
            "2026-03-01 19:09:37.0"
        );
        assert_eq!(fmt_ts(t + 5, push_iso_ms_z), "2026-03-01T19:09:37.305Z");
        assert_eq!(fmt_ts(t, push_tail_ts), "2026-03-01T19:09:37.300000+00:00");
        assert_eq!(
            civil_from_days(days_since_epoch(
                NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
            )),
            (2024, 2, 29)
        );
        // destination numbers are a bijection inside a country's capacity
        for c in 0..COUNTRIES.len() {
            let mut seen = HashSet::new();
            for local in 0..(capacity(c).min(3000) as u32) {
                let mut d = Vec::new();
                push_destination(&mut d, c, local);
                assert!(seen.insert(d));
            }
        }
    }

    #[test]
    fn export_tree_and_samples_are_deterministic() {
        let base = std::env::temp_dir().join(format!("smslens-gen-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let c = cfg(500, 3, 5.0);
        let t = write_export_tree(&base.join("tree"), 120, &c).unwrap();
        assert_eq!(t.records, 500);
        let root = base.join("tree").join("exportedlogs");
        assert_eq!(
            fs::read(root.join("aws-logs-write-test")).unwrap(),
            WRITE_TEST_BODY
        );
        let tasks: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .collect();
        assert_eq!(tasks.len(), 1);
        let mut lines = 0;
        let mut files = 0;
        for s in fs::read_dir(tasks[0].path()).unwrap() {
            let f = s.unwrap().path().join("000000.gz");
            let mut text = String::new();
            io::Read::read_to_string(
                &mut flate2::read::MultiGzDecoder::new(File::open(f).unwrap()),
                &mut text,
            )
            .unwrap();
            for l in text.lines() {
                let (ts, rec) = l.split_once(' ').unwrap();
                assert!(ts.ends_with('Z') && ts.len() == 24);
                serde_json::from_str::<serde_json::Value>(rec).unwrap();
                lines += 1;
            }
            files += 1;
        }
        assert_eq!((files, lines), (120, 500));

        let t1 = write_samples(&base.join("s1")).unwrap();
        let t2 = write_samples(&base.join("s2")).unwrap();
        assert_eq!(
            serde_json::to_string(&t1).unwrap(),
            serde_json::to_string(&t2).unwrap()
        );
        assert_eq!(t1.records, t1.unique + 100);
        let mut stack = vec![PathBuf::new()];
        let mut n = 0;
        while let Some(rel) = stack.pop() {
            for e in fs::read_dir(base.join("s1").join(&rel)).unwrap() {
                let e = e.unwrap();
                let r = rel.join(e.file_name());
                if e.path().is_dir() {
                    stack.push(r);
                } else {
                    assert_eq!(
                        fs::read(e.path()).unwrap(),
                        fs::read(base.join("s2").join(&r)).unwrap(),
                        "{r:?}"
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 100);
        let _ = fs::remove_dir_all(&base);
    }
}

//! Country (ISO 3166-1 alpha-2) of an SMS delivery record, from its E.164 destination or its MCC.
//!
//! Why not a table of calling codes: they are shared. +1 is US, CA and about twenty Caribbean
//! and Pacific countries (told apart by area code), +7 RU and KZ, +44 GB, GG, IM and JE, +61 AU,
//! CC and CX, +262, +590, +599 ... The region comes from libphonenumber's metadata by
//! libphonenumber's own rule, applied here to the digits as given: `phonenumber::parse` (0.3.10)
//! also strips a "national prefix" from international numbers, which turns +7 800 ... and
//! +7 812 ... into KZ or no region (whisperfish/rust-phonenumber#76). The metadata smslens needs
//! (calling codes, and the patterns of the shared ones) is generated source, `metadata.rs`, kept
//! equal to the `phonenumber` crate's by a test; the crate itself is only a dev-dependency.
//!
//! Why a cache: that rule runs regexes, and this is called for millions of records from several
//! worker threads. A calling code with one region needs no regex. For a shared one the region
//! depends only on the first few national digits and the number's length (+1 310-xxxx is a
//! Canadian 7-digit service number, +1 310 xxx xxxx a US number), so each thread caches it under
//! that key: the regexes run about once per key per thread, and a hit allocates nothing.
//!
//! A masked or unsettled number (`+1XXX5550100`) takes the MCC's country when it shares the
//! calling code, else the calling code's main country (1 → US, 7 → RU, 44 → GB). Without a
//! usable destination the MCC decides (ITU-T E.212), else the answer is "unknown".

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use regex::Regex;

#[rustfmt::skip] // generated: see the file's header
mod metadata;

/// What [`country_of`] returns when neither the destination nor the MCC names a country.
const UNKNOWN: &str = "unknown";

/// ISO 3166-1 alpha-2 code ("US", "CA", "JM", "IN", ...) for a delivery record:
/// from the E.164 destination when it gives one, else from the MCC (ITU E.212), else "unknown".
pub fn country_of(destination: Option<&str>, mcc: Option<u32>) -> &'static str {
    destination
        .and_then(|d| country_of_destination(d, mcc))
        .or_else(|| mcc.and_then(country_of_mcc))
        .unwrap_or(UNKNOWN)
}

/// Country of an E.164 number (leading '+' optional), or None when the number names none: not a
/// phone number, an unassigned or non-geographic calling code (+800, +881, ...). `mcc` only
/// picks among the countries of a shared calling code when the digits cannot.
fn country_of_destination(destination: &str, mcc: Option<u32>) -> Option<&'static str> {
    let number = Digits::scan(destination)?;
    let table = table();
    let (cc, cc_len) = calling_code(table, number.known())?;
    match &table[usize::from(cc)] {
        CallingCode::Single(region) => Some(region),
        CallingCode::Shared(shared) => Some(shared_region(shared, cc, cc_len, &number, mcc)),
        CallingCode::Unassigned | CallingCode::NonGeographic => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The destination's digits
// ---------------------------------------------------------------------------------------------

/// E.164 numbers have at most 15 digits; anything longer is not a phone number.
const MAX_DIGITS: usize = 15;

/// Placeholder stored for a masked digit (`X`, `x` or `*` in the destination).
const MASKED: u8 = b'X';

/// The digits of a destination, masked ones included, on the stack.
struct Digits {
    /// ASCII digits, or [`MASKED`].
    buf: [u8; MAX_DIGITS],
    len: usize,
    /// How many leading digits are known (before the first masked one).
    known: usize,
}

impl Digits {
    /// Reads `+16175550118`, `16175550118`, `+1XXX5550100`, `+1 617-555-0118`; None for anything
    /// else (letters, empty, more than 15 digits, non-ASCII).
    fn scan(destination: &str) -> Option<Digits> {
        let text = destination.trim_ascii();
        let text = text.strip_prefix('+').unwrap_or(text);
        let mut digits = Digits {
            buf: [0; MAX_DIGITS],
            len: 0,
            known: 0,
        };
        let mut masked = false;
        for &byte in text.as_bytes() {
            let digit = match byte {
                b'0'..=b'9' => byte,
                b'X' | b'x' | b'*' => {
                    masked = true;
                    MASKED
                }
                b' ' | b'-' | b'.' | b'(' | b')' => continue,
                _ => return None,
            };
            *digits.buf.get_mut(digits.len)? = digit;
            digits.len += 1;
            if !masked {
                digits.known = digits.len;
            }
        }
        (digits.len > 0).then_some(digits)
    }

    /// The leading digits before the first masked one.
    fn known(&self) -> &[u8] {
        &self.buf[..self.known]
    }

    /// The national number (after a calling code of `cc_len` digits) with masked digits filled
    /// in, written to `out`. Only the leading digits decide the region (the cache relies on
    /// that), so any filling will do; '5' keeps NANP exchanges ([2-9]xx) valid.
    fn national_filled<'a>(&self, cc_len: usize, out: &'a mut [u8; MAX_DIGITS]) -> &'a str {
        let national = self.buf.get(cc_len..self.len).unwrap_or_default();
        let out = &mut out[..national.len()];
        for (o, &d) in out.iter_mut().zip(national) {
            *o = if d == MASKED { b'5' } else { d };
        }
        // ASCII digits only: cannot fail.
        std::str::from_utf8(out).unwrap_or_default()
    }
}

/// The calling code at the start of `digits` and its length. Calling codes are 1 to 3 digits,
/// none starts with 0, and none is a prefix of another (ITU-T E.164), so the first assigned
/// prefix is the one.
fn calling_code(table: &[CallingCode], digits: &[u8]) -> Option<(u16, usize)> {
    if digits.first() == Some(&b'0') {
        return None;
    }
    let mut code = 0u16;
    for (i, &digit) in digits.iter().take(3).enumerate() {
        code = code * 10 + u16::from(digit - b'0');
        if !matches!(
            table.get(usize::from(code)),
            None | Some(CallingCode::Unassigned)
        ) {
            return Some((code, i + 1));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Calling codes, from libphonenumber's metadata
// ---------------------------------------------------------------------------------------------

/// One region of a shared calling code, as `metadata.rs` lists it.
pub(crate) struct Region {
    pub id: &'static str,
    /// Pattern of the national numbers' leading digits that pick this region, if the metadata has one.
    pub leading_digits: Option<&'static str>,
    /// For a region without `leading_digits`: its general pattern, then one per number type; a number is
    /// the region's when it matches the general pattern and some type's.
    pub descriptors: &'static [Pattern],
}

/// A national-number pattern and the lengths it allows (empty: any).
pub(crate) struct Pattern {
    pub regex: &'static str,
    pub lengths: &'static [u16],
}

enum CallingCode {
    Unassigned,
    /// +800, +808, +870, +881, +882, +883, +888, +979: no country.
    NonGeographic,
    /// Used by one region only: no pattern to run.
    Single(&'static str),
    Shared(Shared),
}

struct Shared {
    /// Every region using the code, libphonenumber's main country for it first (1 → US,
    /// 7 → RU, 44 → GB), then by id; patterns compiled on first use.
    regions: Vec<(&'static Region, OnceLock<Compiled>)>,
    /// How many leading national digits decide the region: the cache key's length.
    key_digits: usize,
    /// How many of them must be known (not masked) for the key to mean anything.
    known_digits: usize,
}

impl Shared {
    fn main(&self) -> &'static str {
        self.regions[0].0.id
    }
}

/// A region's patterns, compiled. A pattern that does not compile (the metadata test rules that out)
/// matches nothing.
struct Compiled {
    leading_digits: Option<Option<Regex>>,
    descriptors: Vec<(Option<Regex>, &'static [u16])>,
}

impl Compiled {
    fn of(region: &Region) -> Compiled {
        // As phonenumber builds them: verbose mode, whitespace in the metadata is not part of a pattern.
        // Without Unicode: the numbers are ASCII digits, and Unicode's `\d` (every script's digits) makes
        // automata several times bigger and slower to build.
        let compile = |pattern: &str| {
            regex::RegexBuilder::new(pattern)
                .ignore_whitespace(true)
                .unicode(false)
                .build()
                .ok()
        };
        Compiled {
            leading_digits: region.leading_digits.map(compile),
            descriptors: region
                .descriptors
                .iter()
                .map(|p| (compile(p.regex), p.lengths))
                .collect(),
        }
    }
}

/// Indexed by calling code (0..1000), built once from the generated metadata tables: no pattern is
/// compiled until a number of a shared calling code needs it.
fn table() -> &'static [CallingCode] {
    static TABLE: OnceLock<Vec<CallingCode>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<CallingCode> = (0..1000).map(|_| CallingCode::Unassigned).collect();
        let mut set = |cc: u16, code: CallingCode| {
            if let Some(slot) = table.get_mut(usize::from(cc)) {
                *slot = code;
            }
        };
        for &(cc, region) in metadata::SINGLE {
            set(cc, CallingCode::Single(region));
        }
        for &cc in metadata::NON_GEOGRAPHIC {
            set(cc, CallingCode::NonGeographic);
        }
        for &(cc, regions) in metadata::SHARED {
            let (key_digits, known_digits) = key_digits(usize::from(cc));
            set(
                cc,
                CallingCode::Shared(Shared {
                    regions: regions.iter().map(|r| (r, OnceLock::new())).collect(),
                    key_digits,
                    known_digits,
                }),
            );
        }
        table
    })
}

/// How many leading national digits settle the region of a shared calling code (the cache
/// key), and how many of those must be known. From the metadata's leading-digit and number
/// patterns (phonenumber 0.3.10, metadata 9.0.33):
/// - NANP regions are whole area codes, except that DO's leading digits include 8001 (800-1xx,
///   not a valid NANP exchange): the key is the area code and one more digit, and a masked 4th
///   digit is filled in like any masked digit.
/// - RU/KZ, NO/SJ, FI/AX, CW/BQ and SH/TA split on their first one or two digits.
/// - Elsewhere the finest split takes 6 digits (+61 CC 851002...; +61 CX 89164, +44 JE 77003,
///   +590 BL 59027 and +262 YT 26960 take 5). A longer key only costs a few more pattern runs,
///   so calling codes not listed get 6 too.
///
/// The `keys_are_fine_enough` and `cache_agrees_with_patterns` tests check these against the
/// metadata.
fn key_digits(cc: usize) -> (usize, usize) {
    match cc {
        1 => (4, 3),
        7 | 47 | 358 => (2, 2),
        290 | 599 => (1, 1),
        _ => (6, 6),
    }
}

/// Region of a number whose calling code is shared.
fn shared_region(
    shared: &Shared,
    cc: u16,
    cc_len: usize,
    number: &Digits,
    mcc: Option<u32>,
) -> &'static str {
    let national = &number.buf[cc_len..number.len];
    let known = &number.buf[cc_len..number.known];
    if known.len() >= shared.known_digits {
        if let Some(prefix) = national.get(..shared.key_digits) {
            // Only on a cache miss.
            let resolve = || {
                let mut buf = [0; MAX_DIGITS];
                let national = number.national_filled(cc_len, &mut buf);
                region_of_national(shared, national).or_else(|| {
                    // The number itself is invalid (a test number, a typo, a new range): try
                    // one made of the digits that matter and filler.
                    let mut buf = [b'5'; MAX_DIGITS];
                    buf[..shared.known_digits].copy_from_slice(&known[..shared.known_digits]);
                    let synthetic = std::str::from_utf8(&buf[..national.len()]).ok()?;
                    region_of_national(shared, synthetic)
                })
            };
            if let Some(region) = cached_region(cc, prefix, national.len(), resolve) {
                return region;
            }
        }
    }
    allocated_region(cc, known)
        .or_else(|| {
            let country = country_of_mcc(mcc?)?;
            shared
                .regions
                .iter()
                .map(|(region, _)| region.id)
                .find(|&region| region == country)
        })
        .unwrap_or_else(|| shared.main())
}

/// ITU allocations inside a shared calling code that the metadata may have no pattern for:
/// +76 and +77 are Kazakhstan's.
fn allocated_region(cc: u16, national: &[u8]) -> Option<&'static str> {
    match (cc, national.first()) {
        (7, Some(b'6' | b'7')) => Some("KZ"),
        _ => None,
    }
}

/// libphonenumber's region for a national significant number of a shared calling code (its
/// `getRegionCodeForNumber`, as `phonenumber`'s `country().id()` does after parsing): the first
/// region whose leading-digits pattern matches at the start, or which has no such pattern and
/// whose number patterns accept the number. None when no region claims it.
fn region_of_national(shared: &Shared, national: &str) -> Option<&'static str> {
    let (region, _) = shared.regions.iter().find(|(region, compiled)| {
        let compiled = compiled.get_or_init(|| Compiled::of(region));
        match &compiled.leading_digits {
            Some(pattern) => matches_at_start(pattern.as_ref(), national),
            None => is_valid_in(compiled, national),
        }
    })?;
    Some(region.id)
}

/// phonenumber's test: the leftmost match starts at the first digit (it need not reach the end).
fn matches_at_start(pattern: Option<&Regex>, national: &str) -> bool {
    pattern
        .and_then(|p| p.find(national))
        .is_some_and(|m| m.start() == 0)
}

/// Whether `national` is a valid number of the region (`phonenumber`'s number type is not
/// Unknown): its general pattern and one of its number types' accept it.
fn is_valid_in(compiled: &Compiled, national: &str) -> bool {
    let accepts = |(pattern, lengths): &(Option<Regex>, &[u16])| {
        (lengths.is_empty() || lengths.contains(&(national.len() as u16)))
            && matches_at_start(pattern.as_ref(), national)
    };
    match compiled.descriptors.as_slice() {
        [general, types @ ..] => accepts(general) && types.iter().any(accepts),
        [] => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Per-thread cache of shared-code prefixes
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Entry {
    region: Option<&'static str>,
    /// Lookups of a prefix no number has settled yet; such a prefix is tried again on the 2nd,
    /// 4th, 8th, ... lookup, so unsettled prefixes cost little and a bad first number (invalid,
    /// too short) cannot stick.
    unsettled: u32,
}

/// Entries kept per thread before starting afresh: a bound on memory that real data (a few
/// thousand area codes and prefixes) does not reach.
const CACHE_CAPACITY: usize = 1 << 16;

type Cache = HashMap<u64, Entry, BuildHasherDefault<PrefixHasher>>;

thread_local! {
    static CACHE: RefCell<Cache> =
        const { RefCell::new(HashMap::with_hasher(BuildHasherDefault::new())) };
}

/// Settled prefixes, shared by all threads (the thread-local caches sit in front of it).
fn shared(
) -> &'static std::sync::RwLock<HashMap<u64, &'static str, BuildHasherDefault<PrefixHasher>>> {
    static SHARED: OnceLock<
        std::sync::RwLock<HashMap<u64, &'static str, BuildHasherDefault<PrefixHasher>>>,
    > = OnceLock::new();
    SHARED.get_or_init(Default::default)
}

fn shared_get(key: u64) -> Option<&'static str> {
    shared().read().ok()?.get(&key).copied()
}

fn shared_put(key: u64, region: &'static str) {
    if let Ok(mut m) = shared().write() {
        if m.len() < CACHE_CAPACITY {
            m.insert(key, region);
        }
    }
}

/// Region settled by `prefix` (leading national digits) of calling code `cc` for national numbers
/// of `len` digits, asking `resolve` on a miss. None while no such number has given a region.
fn cached_region(
    cc: u16,
    prefix: &[u8],
    len: usize,
    resolve: impl Fn() -> Option<&'static str>,
) -> Option<&'static str> {
    let key = prefix_key(cc, prefix, len);
    let lookup = |cache: &RefCell<Cache>| {
        let Ok(mut cache) = cache.try_borrow_mut() else {
            return resolve();
        };
        if let Some(entry) = cache.get_mut(&key) {
            if entry.region.is_some() {
                return entry.region;
            }
            entry.unsettled = entry.unsettled.saturating_add(1);
            if !entry.unsettled.is_power_of_two() {
                return None;
            }
            entry.region = resolve();
            return entry.region;
        }
        // Another thread may have settled this prefix already: resolving costs regex work in
        // phonenumber (whose small regex cache thrashes on the +1 patterns).
        let region = shared_get(key).or_else(|| {
            let r = resolve();
            if let Some(r) = r {
                shared_put(key, r);
            }
            r
        });
        if cache.len() >= CACHE_CAPACITY {
            cache.clear();
        }
        cache.insert(
            key,
            Entry {
                region,
                unsettled: 1,
            },
        );
        region
    };
    CACHE.try_with(lookup).unwrap_or_else(|_| resolve())
}

/// `cc` and the prefix's digits as one number (at most 6 digits after a 3-digit code: well
/// inside 48 bits), with the prefix length and the national number's length on top. A masked
/// digit counts as the '5' it is filled in with.
fn prefix_key(cc: u16, prefix: &[u8], len: usize) -> u64 {
    let value = prefix.iter().fold(u64::from(cc), |key, &d| {
        let digit = if d == MASKED {
            5
        } else {
            d.wrapping_sub(b'0') % 10
        };
        key * 10 + u64::from(digit)
    });
    (prefix.len() as u64 & 0xff) << 56 | (len as u64 & 0xff) << 48 | value
}

/// Hasher for the u64 prefix keys: one folded multiply (std's SipHash is several times slower).
#[derive(Default)]
struct PrefixHasher(u64);

impl Hasher for PrefixHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let product = u128::from(self.0 ^ n) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

// ---------------------------------------------------------------------------------------------
// MCC → country
// ---------------------------------------------------------------------------------------------

/// Country of an MCC alone; None for 0 or unassigned codes.
///
/// Source: ITU-T E.212 list of MCCs (Annex to ITU Operational Bulletin, "Mobile Network Codes
/// (MNC) for the international identification plan for public networks and subscriptions"),
/// geographic codes only. Where one MCC serves several territories the main one is given:
/// 340 (French Antilles) → GP, 362 (former Netherlands Antilles) → CW, 647 (Réunion, Mayotte)
/// → RE. 289 (Abkhazia) has no ISO code and is left out; 221 is Kosovo ("XK", as libphonenumber).
pub fn country_of_mcc(mcc: u32) -> Option<&'static str> {
    Some(match mcc {
        // 2xx: Europe
        202 => "GR",
        204 => "NL",
        206 => "BE",
        208 => "FR",
        212 => "MC",
        213 => "AD",
        214 => "ES",
        216 => "HU",
        218 => "BA",
        219 => "HR",
        220 => "RS",
        221 => "XK",
        222 => "IT",
        225 => "VA",
        226 => "RO",
        228 => "CH",
        230 => "CZ",
        231 => "SK",
        232 => "AT",
        234 | 235 => "GB",
        238 => "DK",
        240 => "SE",
        242 => "NO",
        244 => "FI",
        246 => "LT",
        247 => "LV",
        248 => "EE",
        250 => "RU",
        255 => "UA",
        257 => "BY",
        259 => "MD",
        260 => "PL",
        262 => "DE",
        266 => "GI",
        268 => "PT",
        270 => "LU",
        272 => "IE",
        274 => "IS",
        276 => "AL",
        278 => "MT",
        280 => "CY",
        282 => "GE",
        283 => "AM",
        284 => "BG",
        286 => "TR",
        288 => "FO",
        290 => "GL",
        292 => "SM",
        293 => "SI",
        294 => "MK",
        295 => "LI",
        297 => "ME",

        // 3xx: North America and the Caribbean
        302 => "CA",
        308 => "PM",
        310..=316 => "US",
        330 => "PR",
        332 => "VI",
        334 => "MX",
        338 => "JM",
        340 => "GP",
        342 => "BB",
        344 => "AG",
        346 => "KY",
        348 => "VG",
        350 => "BM",
        352 => "GD",
        354 => "MS",
        356 => "KN",
        358 => "LC",
        360 => "VC",
        362 => "CW",
        363 => "AW",
        364 => "BS",
        365 => "AI",
        366 => "DM",
        368 => "CU",
        370 => "DO",
        372 => "HT",
        374 => "TT",
        376 => "TC",

        // 4xx: Asia and the Middle East
        400 => "AZ",
        401 => "KZ",
        402 => "BT",
        404..=406 => "IN",
        410 => "PK",
        412 => "AF",
        413 => "LK",
        414 => "MM",
        415 => "LB",
        416 => "JO",
        417 => "SY",
        418 => "IQ",
        419 => "KW",
        420 => "SA",
        421 => "YE",
        422 => "OM",
        424 | 430 | 431 => "AE",
        425 => "IL",
        426 => "BH",
        427 => "QA",
        428 => "MN",
        429 => "NP",
        432 => "IR",
        434 => "UZ",
        436 => "TJ",
        437 => "KG",
        438 => "TM",
        440 | 441 => "JP",
        450 => "KR",
        452 => "VN",
        454 => "HK",
        455 => "MO",
        456 => "KH",
        457 => "LA",
        460 | 461 => "CN",
        466 => "TW",
        467 => "KP",
        470 => "BD",
        472 => "MV",

        // 5xx: Oceania and South-East Asia
        502 => "MY",
        505 => "AU",
        510 => "ID",
        514 => "TL",
        515 => "PH",
        520 => "TH",
        525 => "SG",
        528 => "BN",
        530 => "NZ",
        536 => "NR",
        537 => "PG",
        539 => "TO",
        540 => "SB",
        541 => "VU",
        542 => "FJ",
        543 => "WF",
        544 => "AS",
        545 => "KI",
        546 => "NC",
        547 => "PF",
        548 => "CK",
        549 => "WS",
        550 => "FM",
        551 => "MH",
        552 => "PW",
        553 => "TV",
        554 => "TK",
        555 => "NU",

        // 6xx: Africa
        602 => "EG",
        603 => "DZ",
        604 => "MA",
        605 => "TN",
        606 => "LY",
        607 => "GM",
        608 => "SN",
        609 => "MR",
        610 => "ML",
        611 => "GN",
        612 => "CI",
        613 => "BF",
        614 => "NE",
        615 => "TG",
        616 => "BJ",
        617 => "MU",
        618 => "LR",
        619 => "SL",
        620 => "GH",
        621 => "NG",
        622 => "TD",
        623 => "CF",
        624 => "CM",
        625 => "CV",
        626 => "ST",
        627 => "GQ",
        628 => "GA",
        629 => "CG",
        630 => "CD",
        631 => "AO",
        632 => "GW",
        633 => "SC",
        634 => "SD",
        635 => "RW",
        636 => "ET",
        637 => "SO",
        638 => "DJ",
        639 => "KE",
        640 => "TZ",
        641 => "UG",
        642 => "BI",
        643 => "MZ",
        645 => "ZM",
        646 => "MG",
        647 => "RE",
        648 => "ZW",
        649 => "NA",
        650 => "MW",
        651 => "LS",
        652 => "BW",
        653 => "SZ",
        654 => "KM",
        655 => "ZA",
        657 => "ER",
        658 => "SH",
        659 => "SS",

        // 7xx: Central and South America
        702 => "BZ",
        704 => "GT",
        706 => "SV",
        708 => "HN",
        710 => "NI",
        712 => "CR",
        714 => "PA",
        716 => "PE",
        722 => "AR",
        724 => "BR",
        730 => "CL",
        732 => "CO",
        734 => "VE",
        736 => "BO",
        738 => "GY",
        740 => "EC",
        742 => "GF",
        744 => "PY",
        746 => "SR",
        748 => "UY",
        750 => "FK",

        // 9xx: 995 is the British Indian Ocean Territory (Diego Garcia); the rest of 9xx is
        // international networks, with no country.
        995 => "IO",

        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(destination: &str) -> &'static str {
        country_of(Some(destination), None)
    }

    #[test]
    fn nanp_area_codes() {
        assert_eq!(of("+16175550118"), "US");
        assert_eq!(of("+14165550123"), "CA");
        assert_eq!(of("+16045550123"), "CA");
        assert_eq!(of("+16135550123"), "CA");
        assert_eq!(of("+18765550123"), "JM");
        assert_eq!(of("+17875550123"), "PR");
        assert_eq!(of("+19395550123"), "PR");
        assert_eq!(of("+12425550123"), "BS");
        assert_eq!(of("+14415550123"), "BM");
        assert_eq!(of("+18685550123"), "TT");
        // The length counts: +1 310-xxxx is a Canadian service number.
        assert_eq!(of("+13105550"), "CA");
        assert_eq!(of("+13105550123"), "US");
        // Twice: the second answer comes from the cache.
        assert_eq!(of("+14165550199"), "CA");
        assert_eq!(of("+16175550100"), "US");
    }

    #[test]
    fn single_region_calling_codes() {
        assert_eq!(of("+919900000000"), "IN");
        assert_eq!(of("+6580000000"), "SG");
        assert_eq!(of("+4915112345678"), "DE");
        assert_eq!(of("+5511987654321"), "BR");
    }

    #[test]
    fn shared_calling_codes() {
        assert_eq!(of("+447700900123"), "GB");
        assert_eq!(of("+447700312345"), "JE");
        assert_eq!(of("+441481256789"), "GG");
        assert_eq!(of("+447624123456"), "IM");
        assert_eq!(of("+77012345678"), "KZ");
        assert_eq!(of("+79161234567"), "RU");
        // phonenumber::parse 0.3.10 reads these as KZ or no region (rust-phonenumber#76).
        assert_eq!(of("+78121234567"), "RU");
        assert_eq!(of("+78005553535"), "RU");
        // +76 is Kazakhstan's by ITU allocation, whatever the metadata says.
        assert_eq!(of("+76012345678"), "KZ");
        assert_eq!(of("+390669812345"), "VA");
        assert_eq!(of("+4741234567"), "NO");
        assert_eq!(of("+61412345678"), "AU");
        assert_eq!(of("+262692123456"), "RE");
        assert_eq!(of("+262639012345"), "YT");
    }

    /// Numbers whose keys differ only in the last key digit or in length, in both orders on a
    /// fresh thread (fresh cache): the first must not settle the other's answer.
    #[test]
    fn keys_are_fine_enough() {
        let groups: &[&[(&str, &str)]] = &[
            &[("+13105550", "CA"), ("+13105550123", "US")],
            &[("+18001234567", "DO"), ("+18005550123", "US")],
            &[("+447700312345", "JE"), ("+447700412345", "GB")],
            &[
                ("+61891620123", "CC"),
                ("+61891640123", "CX"),
                ("+61891650123", "AU"),
            ],
            &[
                ("+590590271234", "BL"),
                ("+590590301234", "MF"),
                ("+590590331234", "GP"),
            ],
            &[("+262269601234", "YT"), ("+262263112345", "RE")],
            &[("+4779123456", "SJ"), ("+4771234567", "NO")],
            &[("+358181234567", "AX"), ("+358101234567", "FI")],
        ];
        for group in groups {
            for reverse in [false, true] {
                std::thread::spawn(move || {
                    let mut numbers = group.to_vec();
                    if reverse {
                        numbers.reverse();
                    }
                    for (number, want) in numbers {
                        assert_eq!(of(number), want, "{number} in {group:?}");
                    }
                })
                .join()
                .unwrap();
            }
        }
    }

    #[test]
    fn masked_numbers() {
        assert_eq!(country_of(Some("+1XXX5550100"), Some(302)), "CA");
        assert_eq!(country_of(Some("+1XXX5550100"), None), "US");
        assert_eq!(country_of(Some("+1XXX5550100"), Some(0)), "US");
        // An MCC of another calling code does not override the number.
        assert_eq!(country_of(Some("+1XXX5550100"), Some(404)), "US");
        assert_eq!(country_of(Some("+44XXXX900123"), Some(234)), "GB");
        assert_eq!(country_of(Some("+7XXX1234567"), Some(401)), "KZ");
        assert_eq!(country_of(Some("+91XXXXX00000"), None), "IN");
        // Area code known, the rest masked.
        assert_eq!(country_of(Some("+1416XXX0123"), None), "CA");
        assert_eq!(country_of(Some("+1876xxx0123"), Some(310)), "JM");
        // Calling code masked: the MCC decides.
        assert_eq!(country_of(Some("+XXXXXXXXXXX"), Some(302)), "CA");
    }

    #[test]
    fn no_plus() {
        assert_eq!(of("16175550118"), "US");
        assert_eq!(of("14165550123"), "CA");
        assert_eq!(of("919900000000"), "IN");
        assert_eq!(of(" +1 (617) 555-0118 "), "US");
    }

    #[test]
    fn mcc_fallback() {
        assert_eq!(country_of(None, Some(404)), "IN");
        assert_eq!(country_of(None, Some(0)), "unknown");
        assert_eq!(country_of(None, None), "unknown");
        assert_eq!(country_of(Some("hello"), None), "unknown");
        assert_eq!(country_of(Some("hello"), Some(338)), "JM");
        // Non-geographic (+800) and unassigned (+999) calling codes name no country.
        assert_eq!(country_of(Some("+80012345678"), None), "unknown");
        assert_eq!(country_of(Some("+80012345678"), Some(234)), "GB");
        assert_eq!(country_of(Some("+9991234567"), Some(525)), "SG");
    }

    #[test]
    fn mcc_table() {
        assert_eq!(country_of_mcc(311), Some("US"));
        assert_eq!(country_of_mcc(310), Some("US"));
        assert_eq!(country_of_mcc(316), Some("US"));
        assert_eq!(country_of_mcc(234), Some("GB"));
        assert_eq!(country_of_mcc(235), Some("GB"));
        assert_eq!(country_of_mcc(302), Some("CA"));
        assert_eq!(country_of_mcc(405), Some("IN"));
        assert_eq!(country_of_mcc(262), Some("DE"));
        assert_eq!(country_of_mcc(510), Some("ID"));
        assert_eq!(country_of_mcc(525), Some("SG"));
        assert_eq!(country_of_mcc(724), Some("BR"));
        assert_eq!(country_of_mcc(334), Some("MX"));
        assert_eq!(country_of_mcc(621), Some("NG"));
        assert_eq!(country_of_mcc(441), Some("JP"));
        assert_eq!(country_of_mcc(250), Some("RU"));
        assert_eq!(country_of_mcc(401), Some("KZ"));
        assert_eq!(country_of_mcc(655), Some("ZA"));
        assert_eq!(country_of_mcc(338), Some("JM"));
        assert_eq!(country_of_mcc(330), Some("PR"));
        assert_eq!(country_of_mcc(0), None);
        assert_eq!(country_of_mcc(1), None);
        assert_eq!(country_of_mcc(901), None);
        assert_eq!(country_of_mcc(u32::MAX), None);
    }

    /// Every country the MCC table names is one libphonenumber knows, so codes agree.
    #[test]
    fn mcc_countries_are_libphonenumber_regions() {
        for mcc in 0..1000 {
            if let Some(country) = country_of_mcc(mcc) {
                assert!(DATABASE.by_id(country).is_some(), "MCC {mcc} → {country}");
            }
        }
    }

    /// The cache answers what libphonenumber's rule gives for the number itself: the key lengths
    /// of `key_digits` are enough. Numbers are made from the metadata's example numbers of every
    /// region of every shared calling code, mixing their prefixes, lengths and random tails.
    #[test]
    fn cache_agrees_with_patterns() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut settled, mut checked) = (0, 0);
        for (cc, code) in table().iter().enumerate() {
            let CallingCode::Shared(shared) = code else {
                continue;
            };
            let examples: Vec<&str> = shared
                .regions
                .iter()
                .filter_map(|(region, _)| DATABASE.by_id(region.id))
                .flat_map(|meta| {
                    let d = meta.descriptors();
                    [Some(d.general())].into_iter().chain(typed(d))
                })
                .flatten()
                .filter_map(|descriptor| descriptor.example())
                .collect();
            for round in 0..(examples.len() * 8) {
                // Each example as it is, then the start of one example with random digits up
                // to the length of another.
                let national: String = match examples.get(round) {
                    Some(example) => example.to_string(),
                    None => {
                        let head = examples[random() as usize % examples.len()];
                        let len = examples[random() as usize % examples.len()].len();
                        let keep = random() as usize % (head.len().min(len) + 1);
                        let tail = (keep..len).map(|_| char::from(b'0' + (random() % 10) as u8));
                        head[..keep].chars().chain(tail).collect()
                    }
                };
                checked += 1;
                let region = region_of_national(shared, &national);
                assert_eq!(
                    region.map(str::to_owned),
                    reference_region(cc as u16, &national),
                    "+{cc} {national}: smslens's patterns and phonenumber's disagree"
                );
                if let Some(want) = region {
                    settled += 1;
                    assert_eq!(
                        country_of(Some(&format!("+{cc}{national}")), None),
                        want,
                        "+{cc} {national}"
                    );
                }
            }
        }
        assert!(
            settled > checked / 2,
            "{settled} of {checked} numbers settled by the patterns"
        );
    }

    #[test]
    fn never_panics() {
        let long = "9".repeat(100_000);
        let odd = [
            "",
            "+",
            "++1",
            " ",
            "+0",
            "0",
            "00447700900123",
            "+1",
            "+16",
            "+161",
            "+1617",
            "X",
            "+X1",
            "+16175550118;ext=1",
            "tel:+16175550118",
            "+١٦١٧٥٥٥٠١١٨",
            "+1617555011８",
            "é",
            "+44💩",
            "+1234567890123456",
            "+123456789012345",
            &long,
            "\u{0}",
            "-",
            "()",
            "+*",
            "+7",
        ];
        for text in odd {
            for mcc in [None, Some(0), Some(302), Some(u32::MAX)] {
                let country = country_of(Some(text), mcc);
                assert!(
                    country == UNKNOWN || country.len() == 2,
                    "{text:?} → {country}"
                );
            }
        }
        // Pseudo-random strings over a phone-ish alphabet.
        let alphabet = b"0123456789+X -()a*";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 18) as usize;
            let text: String = (0..len)
                .map(|i| char::from(alphabet[((state >> (i * 3)) as usize + i) % alphabet.len()]))
                .collect();
            let country = country_of(Some(&text), Some((state % 1000) as u32));
            assert!(
                country == UNKNOWN || country.len() == 2,
                "{text:?} → {country}"
            );
        }
    }

    #[test]
    fn threads_agree() {
        let numbers = [
            "+14165550123",
            "+16175550118",
            "+18765550123",
            "+447700900123",
            "+77012345678",
        ];
        let expected: Vec<_> = numbers.iter().map(|n| of(n)).collect();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..100 {
                        let got: Vec<_> = numbers.iter().map(|n| of(n)).collect();
                        assert_eq!(got, expected);
                    }
                });
            }
        });
    }

    // -----------------------------------------------------------------------------------------
    // The generated metadata, checked against the `phonenumber` crate
    // -----------------------------------------------------------------------------------------

    use phonenumber::metadata::DATABASE;
    use phonenumber::Metadata;

    /// `metadata.rs` as the `phonenumber` crate's database gives it today.
    fn generate_metadata() -> String {
        use std::collections::BTreeMap;
        use std::fmt::Write;
        let mut by_code: BTreeMap<u16, Vec<&Metadata>> = BTreeMap::new();
        for meta in DATABASE.iter() {
            by_code.entry(meta.country_code()).or_default().push(meta);
        }
        let (mut single, mut non_geographic, mut shared) =
            (String::new(), String::new(), String::new());
        for (cc, mut regions) in by_code {
            regions.sort_unstable_by_key(|meta| (!meta.is_main_country_for_code(), meta.id()));
            match regions.as_slice() {
                list if list.iter().all(|meta| meta.id() == "001") => {
                    writeln!(non_geographic, "    {cc},").unwrap();
                }
                [meta] => writeln!(single, "    ({cc}, {:?}),", meta.id()).unwrap(),
                _ => {
                    writeln!(shared, "    (\n        {cc},\n        &[").unwrap();
                    for meta in regions {
                        let leading = meta.leading_digits().map(|p| p.as_str());
                        writeln!(
                            shared,
                            "            Region {{\n                id: {:?},",
                            meta.id()
                        )
                        .unwrap();
                        writeln!(shared, "                leading_digits: {leading:?},").unwrap();
                        if leading.is_some() {
                            writeln!(shared, "                descriptors: &[],").unwrap();
                        } else {
                            let d = meta.descriptors();
                            writeln!(shared, "                descriptors: &[").unwrap();
                            for descriptor in
                                [Some(d.general())].into_iter().chain(typed(d)).flatten()
                            {
                                writeln!(
                                    shared,
                                    "                    Pattern {{\n                        regex: {:?},\n                        lengths: &{:?},\n                    }},",
                                    descriptor.national_number().as_str(),
                                    descriptor.possible_length()
                                )
                                .unwrap();
                            }
                            writeln!(shared, "                ],").unwrap();
                        }
                        writeln!(shared, "            }},").unwrap();
                    }
                    writeln!(shared, "        ],\n    ),").unwrap();
                }
            }
        }
        format!(
            "{}\nuse super::{{Pattern, Region}};\n\n\
             /// Calling codes of one region.\npub(super) static SINGLE: &[(u16, &str)] = &[\n{single}];\n\n\
             /// Calling codes of no region (+800 freephone, +881 satellite, ...).\n\
             pub(super) static NON_GEOGRAPHIC: &[u16] = &[\n{non_geographic}];\n\n\
             /// Calling codes shared by several regions: libphonenumber's main region first, then by id.\n\
             pub(super) static SHARED: &[(u16, &[Region])] = &[\n{shared}];\n",
            METADATA_HEADER
        )
    }

    const METADATA_HEADER: &str = "\
//! libphonenumber's calling codes and the patterns that tell apart the regions sharing one, as
//! smslens needs them. GENERATED from the `phonenumber` crate (0.3.10, metadata 9.0.33): do not
//! edit. The test `country::tests::metadata_is_generated_from_phonenumber` fails when this file and
//! the crate disagree; `SMSLENS_REGENERATE=1 cargo test metadata_is_generated` rewrites it.
//!
//! Why not use the crate at run time: loading its database compiles the patterns of every region
//! of the world (about 90 ms, while every worker waits for it), and smslens needs only those of the
//! shared calling codes a run meets. Regions with a leading-digits pattern need nothing else.
";

    /// The number types whose patterns make a number valid (phonenumber's `number_type`).
    fn typed(
        d: &phonenumber::metadata::Descriptors,
    ) -> [Option<&phonenumber::metadata::Descriptor>; 10] {
        [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
    }

    /// A pattern that failed to compile would silently match nothing.
    #[test]
    fn every_shared_region_pattern_compiles() {
        for (cc, regions) in metadata::SHARED {
            for region in *regions {
                let compiled = Compiled::of(region);
                assert_eq!(
                    compiled.leading_digits.as_ref().map(Option::is_some),
                    region.leading_digits.map(|_| true),
                    "+{cc} {}: leading digits",
                    region.id
                );
                for ((regex, _), pattern) in compiled.descriptors.iter().zip(region.descriptors) {
                    assert!(regex.is_some(), "+{cc} {}: {}", region.id, pattern.regex);
                }
            }
        }
    }

    #[test]
    fn metadata_is_generated_from_phonenumber() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/country/metadata.rs");
        let want = generate_metadata();
        if std::env::var_os("SMSLENS_REGENERATE").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "{path} is out of date with the phonenumber crate: run SMSLENS_REGENERATE=1 cargo test metadata_is_generated"
        );
    }

    /// The region by the `phonenumber` crate's own compiled patterns (what smslens did before it
    /// carried the metadata): the reference for `region_of_national`.
    fn reference_region(cc: u16, national: &str) -> Option<String> {
        let mut regions = DATABASE.by_code(&cc)?;
        regions.sort_unstable_by_key(|meta| (!meta.is_main_country_for_code(), meta.id()));
        let region = regions
            .into_iter()
            .find(|meta| match meta.leading_digits() {
                Some(pattern) => pattern.find(national).is_some_and(|m| m.start() == 0),
                None => {
                    let d = meta.descriptors();
                    d.general().is_match(national)
                        && typed(d).into_iter().flatten().any(|t| t.is_match(national))
                }
            })?;
        Some(region.id().to_owned())
    }
}

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

use regex::{Regex, RegexSet};

mod mcc;
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

/// How many leading digits of an E.164 number (leading '+' optional) are its calling code.
pub fn calling_code_len(number: &str) -> Option<usize> {
    let digits = Digits::scan(number)?;
    calling_code(table(), digits.known()).map(|(_, len)| len)
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
    /// The number types' patterns (the descriptors after the general one) as one set, so that an
    /// invalid number costs one scan, not one per type. Random numbers of a shared code (an SMS
    /// pumping run may send them) are mostly invalid: each new prefix ran every type's pattern of
    /// every region of the code, for the number and again for its synthetic stand-in. None if one of
    /// them does not compile: then they run one by one.
    types: Option<RegexSet>,
}

impl Compiled {
    fn of(region: &Region) -> Compiled {
        // As phonenumber builds them: verbose mode, whitespace in the metadata is not part of a pattern.
        // Without Unicode: the numbers are ASCII digits, and Unicode's `\d` (every script's digits) makes
        // automata several times bigger and slower to build.
        // Anchored at the start: phonenumber asks whether the leftmost match starts at the first digit,
        // which is whether a match starts there. An anchored `is_match` answers that with one forward
        // scan that stops early; an unanchored `find` also scans back for the start, and its automaton
        // (with a `.*?` in front) is far bigger: on a million distinct +44 numbers, building its states
        // was a fifth of the run. (A newline before the `)`: in verbose mode a `#` would comment it out.)
        let anchored = |pattern: &str| format!("^(?:{pattern}\n)");
        let compile = |pattern: &str| {
            regex::RegexBuilder::new(&anchored(pattern))
                .ignore_whitespace(true)
                .unicode(false)
                .build()
                .ok()
        };
        let types = regex::RegexSetBuilder::new(
            region.descriptors.iter().skip(1).map(|p| anchored(p.regex)),
        )
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .ok();
        Compiled {
            types,
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

/// phonenumber's test: the leftmost match starts at the first digit (it need not reach the end). The
/// patterns are compiled anchored at the start (`Compiled::of`).
fn matches_at_start(pattern: Option<&Regex>, national: &str) -> bool {
    pattern.is_some_and(|p| p.is_match(national))
}

/// Whether `national` is a valid number of the region (`phonenumber`'s number type is not
/// Unknown): its general pattern and one of its number types' accept it.
fn is_valid_in(compiled: &Compiled, national: &str) -> bool {
    let accepts = |(pattern, lengths): &(Option<Regex>, &[u16])| {
        (lengths.is_empty() || lengths.contains(&(national.len() as u16)))
            && matches_at_start(pattern.as_ref(), national)
    };
    match compiled.descriptors.as_slice() {
        [general, types @ ..] => {
            accepts(general)
                && match &compiled.types {
                    Some(set) => set.matches(national).iter().any(|i| {
                        types.get(i).is_some_and(|(_, lengths)| {
                            lengths.is_empty() || lengths.contains(&(national.len() as u16))
                        })
                    }),
                    None => types.iter().any(accepts),
                }
        }
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

/// Country of an MCC alone; None for 0 or unassigned codes (table: `mcc.rs`).
pub fn country_of_mcc(mcc: u32) -> Option<&'static str> {
    let mcc = u16::try_from(mcc).ok()?;
    mcc::MCC_COUNTRY
        .binary_search_by_key(&mcc, |&(code, _)| code)
        .ok()
        .map(|i| mcc::MCC_COUNTRY[i].1)
}

#[cfg(test)]
mod tests;

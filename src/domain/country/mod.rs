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
//! Why an automaton: that rule runs regexes, and this is called for millions of records from
//! several worker threads. A calling code with one region needs no regex. For a shared one, the
//! rule for each national-number length is compiled once into a digit automaton (`automaton.rs`):
//! a number then costs a table step per digit, however many distinct numbers there are (random
//! numbers, as an SMS pumping run sends, made a per-prefix cache miss on nearly every record).
//!
//! A masked or unsettled number (`+1XXX5550100`) takes the MCC's country when it shares the
//! calling code, else the calling code's main country (1 → US, 7 → RU, 44 → GB). Without a
//! usable destination the MCC decides (ITU-T E.212), else the answer is "unknown".

use std::sync::OnceLock;

use regex::Regex;

use automaton::Automaton;

mod automaton;
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
    #[inline(always)]
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
    /// Boxed: its automata make it far bigger than the other variants, in a table of 1000.
    Shared(Box<Shared>),
}

struct Shared {
    /// Every region using the code, libphonenumber's main country for it first (1 → US,
    /// 7 → RU, 44 → GB), then by id; patterns compiled on first use.
    regions: Vec<(&'static Region, OnceLock<Compiled>)>,
    /// By national number length: the rule as a digit automaton, built on first use (None if it
    /// could not be: then the regexes run).
    automata: [OnceLock<Option<Automaton>>; MAX_DIGITS + 1],
    /// How many leading national digits must be known (not masked) for the digits to decide, and
    /// what a stand-in for an invalid number keeps.
    known_digits: usize,
}

impl Shared {
    fn main(&self) -> &'static str {
        self.regions[0].0.id
    }

    /// libphonenumber's region for a national number (ASCII digits) of this code: by its automaton,
    /// which `region_of_national` is the reference for.
    fn region_of(&self, national: &str) -> Option<&'static str> {
        let automaton = self.automata.get(national.len())?.get_or_init(|| {
            let regions: Vec<&'static Region> = self.regions.iter().map(|(r, _)| *r).collect();
            Automaton::build(&regions, national.len())
        });
        match automaton {
            Some(automaton) => automaton.region(national.as_bytes()),
            None => region_of_national(self, national),
        }
    }
}

/// A region's patterns, compiled. A pattern that does not compile (the metadata test rules that out)
/// matches nothing.
struct Compiled {
    leading_digits: Option<Option<Regex>>,
    descriptors: Vec<(Option<Regex>, &'static [u16])>,
    /// By national number length: the number types (the descriptors after the general one) that allow
    /// that length, as one anchored alternation, built on first use: a number is of some type when
    /// this one pattern matches. The automaton compiles the same alternation.
    types_by_len: [OnceLock<Alternation>; MAX_DIGITS + 1],
}

enum Alternation {
    /// No type allows the length.
    Empty,
    One(Regex),
    /// The alternation did not compile: run the types one by one.
    Each,
}

/// phonenumber compiles patterns in verbose mode: whitespace in the metadata is not part of a pattern.
/// Without Unicode: the numbers are ASCII digits, and Unicode's `\d` (every script's digits) makes
/// automata several times bigger and slower to build.
fn compile(pattern: &str) -> Option<Regex> {
    regex::RegexBuilder::new(pattern)
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .ok()
}

/// Anchored at the start: phonenumber asks whether the leftmost match starts at the first digit,
/// which is whether a match starts there, one forward scan that can stop early (an unanchored
/// search's automaton, with a `.*?` in front, is far bigger). (A newline before each `)`: in
/// verbose mode a `#` would comment it out.)
fn anchored<'a>(patterns: impl IntoIterator<Item = &'a str>) -> String {
    let alternatives: Vec<String> = patterns.into_iter().map(|p| format!("(?:{p}\n)")).collect();
    format!("^(?:{}\n)", alternatives.join("|"))
}

fn allows(lengths: &[u16], len: usize) -> bool {
    lengths.is_empty() || lengths.contains(&(len as u16))
}

impl Region {
    /// The patterns of the number types (the descriptors after the general one) that allow national
    /// numbers of `len` digits: one of them must match for such a number to be valid here.
    fn types_of_length(&self, len: usize) -> Vec<&'static str> {
        (self.descriptors.iter().skip(1))
            .filter(|p| allows(p.lengths, len))
            .map(|p| p.regex)
            .collect()
    }
}

impl Compiled {
    fn of(region: &Region) -> Compiled {
        let one = |pattern: &str| compile(&anchored([pattern]));
        Compiled {
            leading_digits: region.leading_digits.map(one),
            descriptors: region
                .descriptors
                .iter()
                .map(|p| (one(p.regex), p.lengths))
                .collect(),
            types_by_len: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// Whether some number type of `region` accepts `national`.
    fn has_type(&self, region: &Region, national: &str) -> bool {
        let len = national.len();
        let Some(slot) = self.types_by_len.get(len) else {
            return false;
        };
        let alternation = slot.get_or_init(|| {
            let types = region.types_of_length(len);
            if types.is_empty() {
                return Alternation::Empty;
            }
            compile(&anchored(types)).map_or(Alternation::Each, Alternation::One)
        });
        match alternation {
            Alternation::Empty => false,
            Alternation::One(pattern) => pattern.is_match(national),
            Alternation::Each => self.descriptors.iter().skip(1).any(|(pattern, lengths)| {
                allows(lengths, len) && matches_at_start(pattern.as_ref(), national)
            }),
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
            set(
                cc,
                CallingCode::Shared(Box::new(Shared {
                    regions: regions.iter().map(|r| (r, OnceLock::new())).collect(),
                    automata: std::array::from_fn(|_| OnceLock::new()),
                    known_digits: known_digits(usize::from(cc)),
                })),
            );
        }
        table
    })
}

/// How many leading national digits settle the region of a shared calling code: a masked number
/// must show that many, and an invalid one is tried again as those digits and filler. From the
/// metadata's leading-digit and number patterns (phonenumber 0.3.10, metadata 9.0.33):
/// - NANP regions are whole area codes.
/// - RU/KZ, NO/SJ, FI/AX, CW/BQ and SH/TA split on their first one or two digits.
/// - Elsewhere the finest split takes 6 digits (+61 CC 851002...; +61 CX 89164, +44 JE 77003,
///   +590 BL 59027 and +262 YT 26960 take 5), so calling codes not listed get 6 too.
///
/// The `keys_are_fine_enough` and `country_of_agrees_with_patterns` tests check these against the
/// metadata.
fn known_digits(cc: usize) -> usize {
    match cc {
        1 => 3,
        7 | 47 | 358 => 2,
        290 | 599 => 1,
        _ => 6,
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
    let known = &number.buf[cc_len..number.known];
    if let Some(decisive) = known.get(..shared.known_digits) {
        let mut buf = [0; MAX_DIGITS];
        let national = number.national_filled(cc_len, &mut buf);
        let region = shared.region_of(national).or_else(|| {
            // The number itself is invalid (a test number, a typo, a new range): try one made of
            // the digits that matter and filler.
            let mut buf = [b'5'; MAX_DIGITS];
            buf[..decisive.len()].copy_from_slice(decisive);
            let synthetic = std::str::from_utf8(buf.get(..national.len())?).ok()?;
            shared.region_of(synthetic)
        });
        if let Some(region) = region {
            return region;
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
            None => is_valid_in(region, compiled, national),
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
fn is_valid_in(region: &Region, compiled: &Compiled, national: &str) -> bool {
    compiled
        .descriptors
        .first()
        .is_some_and(|(general, lengths)| {
            allows(lengths, national.len()) && matches_at_start(general.as_ref(), national)
        })
        && compiled.has_type(region, national)
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

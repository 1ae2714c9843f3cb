//! Country rules, held to libphonenumber (the `phonenumber` dev-dependency) and to real numbers.

use super::*;
use crate::testing::xorshift;

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

/// Numbers that differ only in the last of their decisive digits or in length, in both orders on
/// a fresh thread: the first must not settle the other's answer.
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
    assert!(
        mcc::MCC_COUNTRY.windows(2).all(|w| w[0].0 < w[1].0),
        "the table is sorted by code, each code once"
    );
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

/// The metadata's example numbers of every region of a shared calling code (national, as digits).
fn examples(shared: &Shared) -> Vec<&'static str> {
    shared
        .regions
        .iter()
        .filter_map(|(region, _)| DATABASE.by_id(region.id))
        .flat_map(|meta| {
            let d = meta.descriptors();
            [Some(d.general())].into_iter().chain(typed(d))
        })
        .flatten()
        .filter_map(|descriptor| descriptor.example())
        .collect()
}

/// `country_of` answers what libphonenumber's rule gives for the number itself, and the regexes
/// answer what the `phonenumber` crate does. Numbers are made from the metadata's example numbers
/// of every region of every shared calling code, mixing their prefixes, lengths and random tails.
#[test]
fn country_of_agrees_with_patterns() {
    let mut random = xorshift(0x9E37_79B9_7F4A_7C15);
    let (mut settled, mut checked) = (0, 0);
    for (cc, code) in table().iter().enumerate() {
        let CallingCode::Shared(shared) = code else {
            continue;
        };
        let examples = examples(shared);
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
                        for descriptor in [Some(d.general())].into_iter().chain(typed(d)).flatten()
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
//! edit. The test `domain::country::tests::metadata_is_generated_from_phonenumber` fails when this file and
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
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/domain/country/metadata.rs"
    );
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

/// The automata give what the regexes give, on every length the metadata's examples have (and one
/// digit either side), for example heads with random tails; and each is built (not left to the
/// regexes) and small.
#[test]
fn automata_agree_with_patterns() {
    let mut random = xorshift(0x2545_F491_4F6C_DD1D);
    for code in table() {
        let CallingCode::Shared(shared) = code else {
            continue;
        };
        let examples = examples(shared);
        let mut lengths: Vec<usize> = examples
            .iter()
            .flat_map(|e| [e.len() - 1, e.len(), e.len() + 1])
            .filter(|&len| (1..=MAX_DIGITS).contains(&len))
            .collect();
        lengths.sort_unstable();
        lengths.dedup();
        let regions: Vec<&'static Region> = shared.regions.iter().map(|(r, _)| *r).collect();
        for len in lengths {
            let automaton = Automaton::build(&regions, len);
            let automaton =
                automaton.unwrap_or_else(|| panic!("{} at {len} digits", shared.main()));
            assert!(
                automaton.len() < 10_000,
                "{} at {len}: {} states",
                shared.main(),
                automaton.len()
            );
            for round in 0..200 {
                let head = &examples[round % examples.len()];
                let keep = (random() as usize % (head.len() + 1)).min(len);
                let tail = (keep..len).map(|_| char::from(b'0' + (random() % 10) as u8));
                let national: String = head[..keep].chars().chain(tail).collect();
                assert_eq!(
                    automaton.region(national.as_bytes()),
                    region_of_national(shared, &national),
                    "{} {national}",
                    shared.main()
                );
            }
        }
    }
}

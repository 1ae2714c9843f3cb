//! The population: the countries texts go to, their carriers and prices, how their numbers are spelled,
//! and the fixed traits of each recipient (carrier, dead, opted out, invalid). A recipient is a country and
//! a `local` index; its number is a bijection of the index within the country's capacity.

use crate::rng::mix64;
use crate::spell::{push_padded, push_u64};

pub(crate) struct Carrier {
    pub(crate) name: &'static str,
    pub(crate) mcc: u16,
    pub(crate) mnc: u16,
    /// percent of the country's recipients
    pub(crate) share: u8,
    /// priceInUSD in units of 0.00001 USD
    pub(crate) price: u32,
}

pub(crate) enum Numbering {
    /// `+1 <area> 555 01xx` (the fictional 555-0100..0199 lines of each area code)
    Nanp(&'static [u16]),
    /// `+<cc> <prefix><digits>`, national number `national_len` digits long
    Mobile {
        cc: &'static str,
        prefixes: &'static [&'static str],
        national_len: u32,
    },
}

pub(crate) struct Country {
    pub(crate) iso: &'static str,
    /// per mille of texts
    pub(crate) weight: u32,
    pub(crate) numbering: Numbering,
    pub(crate) carriers: &'static [Carrier],
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

pub(crate) const C_US: usize = 0;
pub(crate) const C_IN: usize = 2;
pub(crate) const C_MX: usize = 7;
/// The app's usual countries come first; after them, destinations it has almost no users in (weight 0:
/// the standard story never texts them), where SMS pumping scenarios send (high-cost destinations of the
/// lists in anomalies.md).
pub(crate) const USUAL: usize = 9;

pub(crate) static COUNTRIES: [Country; 19] = [
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
    Country {
        iso: "BD",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "880",
            prefixes: &["17", "13", "18", "19", "16", "15"],
            national_len: 10,
        },
        carriers: &[
            car("Grameenphone", 470, 1, 45, 4150),
            car("Robi", 470, 2, 30, 4150),
            car("Banglalink", 470, 3, 25, 4150),
        ],
    },
    Country {
        iso: "NG",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "234",
            prefixes: &[
                "803", "806", "813", "703", "706", "805", "807", "802", "808",
            ],
            national_len: 10,
        },
        carriers: &[
            car("MTN", 621, 30, 50, 6800),
            car("Airtel", 621, 20, 25, 6800),
            car("Glo", 621, 50, 25, 6800),
        ],
    },
    Country {
        iso: "PK",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "92",
            prefixes: &["300", "301", "321", "333", "345", "311"],
            national_len: 10,
        },
        carriers: &[
            car("Jazz", 410, 1, 40, 5300),
            car("Telenor", 410, 6, 30, 5300),
            car("Zong", 410, 4, 30, 5300),
        ],
    },
    Country {
        iso: "LK",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "94",
            prefixes: &["77", "76", "71", "70", "72"],
            national_len: 9,
        },
        carriers: &[
            car("Dialog", 413, 2, 50, 4900),
            car("Mobitel", 413, 1, 35, 4900),
            car("Hutch", 413, 8, 15, 4900),
        ],
    },
    Country {
        iso: "AZ",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "994",
            prefixes: &["50", "51", "55", "70", "77"],
            national_len: 9,
        },
        carriers: &[
            car("Azercell", 400, 1, 50, 8900),
            car("Bakcell", 400, 2, 35, 8900),
            car("Nar", 400, 4, 15, 8900),
        ],
    },
    Country {
        iso: "TJ",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "992",
            prefixes: &["90", "91", "92", "93", "98"],
            national_len: 9,
        },
        carriers: &[
            car("Tcell", 436, 1, 40, 9500),
            car("MegaFon", 436, 3, 35, 9500),
            car("Babilon-M", 436, 4, 25, 9500),
        ],
    },
    Country {
        iso: "UZ",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "998",
            prefixes: &["90", "91", "93", "94", "97"],
            national_len: 9,
        },
        carriers: &[
            car("Beeline", 434, 4, 35, 7700),
            car("Ucell", 434, 5, 35, 7700),
            car("Mobiuz", 434, 7, 30, 7700),
        ],
    },
    Country {
        iso: "KG",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "996",
            prefixes: &["55", "70", "77", "50"],
            national_len: 9,
        },
        carriers: &[
            car("Beeline", 437, 1, 40, 8200),
            car("MegaCom", 437, 5, 35, 8200),
            car("O!", 437, 9, 25, 8200),
        ],
    },
    Country {
        iso: "OM",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "968",
            prefixes: &["91", "92", "93", "95", "99"],
            national_len: 8,
        },
        carriers: &[
            car("Omantel", 422, 2, 60, 6000),
            car("Ooredoo", 422, 3, 40, 6000),
        ],
    },
    Country {
        iso: "TN",
        weight: 0,
        numbering: Numbering::Mobile {
            cc: "216",
            prefixes: &["20", "22", "50", "52", "98"],
            national_len: 8,
        },
        carriers: &[
            car("Ooredoo", 605, 3, 45, 6400),
            car("Orange", 605, 1, 30, 6400),
            car("Tunisie Telecom", 605, 2, 25, 6400),
        ],
    },
];

pub(crate) fn capacity(c: usize) -> u64 {
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

/// The destination of a text: its made-up number, else its recipient's.
pub(crate) fn push_rec_destination(b: &mut Vec<u8>, r: &crate::model::Rec) {
    if r.nsn != 0 {
        push_number(b, r.country as usize, r.nsn);
    } else {
        push_destination(b, r.country as usize, r.local);
    }
}

/// E.164 number of recipient `local` of country `c` (a bijection within `capacity(c)`).
pub(crate) fn push_destination(b: &mut Vec<u8>, c: usize, local: u32) {
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

/// What a recipient is, fixed for the month: a hash of the seed and the recipient, so every text to the
/// same number agrees.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Traits {
    /// index into the country's carriers
    pub(crate) carrier: usize,
    /// every text fails with `Phone is currently unreachable/unavailable` (about 1 %)
    pub(crate) dead: bool,
    pub(crate) opted_out: bool,
    pub(crate) invalid: bool,
}

impl Traits {
    pub(crate) fn of(seed: u64, c: usize, local: u32) -> Traits {
        let h = trait_hash(seed, c, local);
        let dead = (h >> 20) % 100 == 7;
        let opted_out = !dead && (h >> 32) % 400 == 3;
        let invalid = !dead && !opted_out && (h >> 44) % 600 == 5;
        Traits {
            carrier: carrier_of(c, h),
            dead,
            opted_out,
            invalid,
        }
    }

    /// A recipient of a scenario month, whose background shares (per 10,000 recipients) vary with the
    /// seed.
    pub(crate) fn with_rates(seed: u64, c: usize, local: u32, rates: &TraitRates) -> Traits {
        let h = trait_hash(seed, c, local);
        let dead = (h >> 20) % 10_000 < rates.dead;
        let opted_out = !dead && (h >> 32) % 10_000 < rates.opted_out;
        let invalid = !dead && !opted_out && (h >> 44) % 10_000 < rates.invalid;
        Traits {
            carrier: carrier_of(c, h),
            dead,
            opted_out,
            invalid,
        }
    }

    /// A number an attacker pumps: a real, reachable number of country `c`.
    pub(crate) fn of_number(c: usize, nsn: u64) -> Traits {
        Traits {
            carrier: carrier_of(c, mix64(nsn ^ 0x9E37_79B9 ^ ((c as u64) << 48))),
            dead: false,
            opted_out: false,
            invalid: false,
        }
    }
}

/// Background shares of a scenario month's recipients, per 10,000.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TraitRates {
    pub(crate) dead: u64,
    pub(crate) opted_out: u64,
    pub(crate) invalid: u64,
}

fn trait_hash(seed: u64, c: usize, local: u32) -> u64 {
    mix64(seed ^ 0xC0FF_EE00_D15E_A5E5 ^ ((c as u64) << 40) ^ local as u64)
}

/// The carrier (index) a hash picks, by the carriers' shares.
fn carrier_of(c: usize, h: u64) -> usize {
    let mut pick = (h % 100) as u8;
    let mut carrier = 0;
    for (i, cr) in COUNTRIES[c].carriers.iter().enumerate() {
        if pick < cr.share {
            carrier = i;
            break;
        }
        pick -= cr.share;
        carrier = i;
    }
    carrier
}

/// `+<cc><nsn>` for a number given by its national significant number (zero-padded to the country's
/// length): the numbers pumping scenarios make up.
pub(crate) fn push_number(b: &mut Vec<u8>, c: usize, nsn: u64) {
    match COUNTRIES[c].numbering {
        Numbering::Mobile {
            cc, national_len, ..
        } => {
            b.push(b'+');
            b.extend_from_slice(cc.as_bytes());
            push_padded(b, nsn, national_len as usize);
        }
        Numbering::Nanp(_) => {
            b.extend_from_slice(b"+1");
            push_padded(b, nsn, 10);
        }
    }
}

/// The calling code and national length of a mobile-numbered country.
pub(crate) fn mobile_plan(c: usize) -> Option<(&'static str, &'static [&'static str], u32)> {
    match COUNTRIES[c].numbering {
        Numbering::Mobile {
            cc,
            prefixes,
            national_len,
        } => Some((cc, prefixes, national_len)),
        Numbering::Nanp(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn destination_numbers_are_a_bijection_inside_a_countrys_capacity() {
        for c in 0..COUNTRIES.len() {
            let mut seen = HashSet::new();
            for local in 0..(capacity(c).min(3000) as u32) {
                let mut d = Vec::new();
                push_destination(&mut d, c, local);
                assert!(seen.insert(d));
            }
        }
    }
}

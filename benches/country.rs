//! Cost of `country_of` per destination, by kind of number: few distinct prefixes (the cache's best case)
//! against random numbers of shared calling codes (+44, +61, +7, +1: every number a new cache key, as in a
//! sign-up surge or an SMS-pumping run). One thread, best of 5, std timing only.
//!
//! cargo bench --bench country
//! cargo bench --bench country -- +44        (only the kinds whose name contains "+44")

use std::hint::black_box;
use std::time::{Duration, Instant};

use smslens::domain::country::country_of;

const NUMBERS: usize = 200_000;
const ROUNDS: usize = 5;

/// A splitmix64 stream: reproducible numbers without a dependency.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `digits` random digits, the first not 0.
    fn national(&mut self, digits: u32) -> String {
        let low = 10u64.pow(digits - 1);
        (low + self.next() % (9 * low)).to_string()
    }
}

fn numbers(kind: &str, seed: u64) -> Vec<String> {
    let mut stream = Stream(seed);
    (0..NUMBERS)
        .map(|i| match kind {
            "repeated +44 7700 900xxx" => format!("+447700900{:03}", i % 1000),
            "random +44 (10 digits)" => format!("+44{}", stream.national(10)),
            "random +61 (9 digits)" => format!("+61{}", stream.national(9)),
            "random +7 (10 digits)" => format!("+7{}", stream.national(10)),
            "random +1 (NANP)" => format!("+1{}", stream.national(10)),
            "random +33 (single region)" => format!("+33{}", stream.national(9)),
            _ => unreachable!("every kind is listed in main"),
        })
        .collect()
}

fn main() {
    let kinds = [
        "repeated +44 7700 900xxx",
        "random +44 (10 digits)",
        "random +61 (9 digits)",
        "random +7 (10 digits)",
        "random +1 (NANP)",
        "random +33 (single region)",
    ];
    let only = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    for (seed, kind) in kinds.iter().enumerate() {
        if only
            .as_ref()
            .is_some_and(|only| !kind.contains(only.as_str()))
        {
            continue;
        }
        let mut best = Duration::MAX;
        for round in 0..ROUNDS {
            // New numbers each round: only what is built once (the automata) may carry over.
            let input = numbers(kind, (seed * ROUNDS + round) as u64 + 1);
            let start = Instant::now();
            for number in &input {
                black_box(country_of(Some(black_box(number)), None));
            }
            best = best.min(start.elapsed());
        }
        let per = best.as_nanos() as f64 / NUMBERS as f64;
        println!("{kind:<28} {per:>8.0} ns per number (best of {ROUNDS}, {NUMBERS} numbers)");
    }
}

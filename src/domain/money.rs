//! Money: SNS prices have five decimals; sums are rounded to that so that they print without float noise.

/// Rounded to 1/100,000 USD.
pub fn round_usd(v: f64) -> f64 {
    (v * 100_000.0).round() / 100_000.0
}

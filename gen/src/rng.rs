//! The generator's random numbers: splitmix64 and the ids derived from it. Hand-written and fixed, so a seed
//! gives the same bytes whatever the versions of the dependencies.

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(mix64(seed ^ 0x005E_ED0F_5A15_1E55))
    }
    #[inline]
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }
    /// uniform in [0, 1)
    #[inline]
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
    /// uniform in [0, n)
    #[inline]
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }
    #[inline]
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// exponential with mean 1
    #[inline]
    pub(crate) fn exp1(&mut self) -> f64 {
        -(1.0 - self.unit()).ln()
    }
}

pub(crate) const MASK48: u64 = (1 << 48) - 1;

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

/// SNS-style (version 5 layout) message id, unique per serial for a given seed: the node field is a
/// bijection of the serial.
pub(crate) fn message_uuid(seed: u64, serial: u64) -> (u64, u64) {
    let a = mix64(serial ^ seed.rotate_left(23) ^ 0x0123_4567_89AB_CDEF);
    let node = perm48(serial.wrapping_add(mix64(seed)));
    let hi = (a & !0xF000) | 0x5000;
    let clock = (mix64(a) & 0x3FFF) | 0x8000;
    (hi, (clock << 48) | node)
}

/// A random version 4 UUID (task ids, log stream names, object names).
pub(crate) fn uuid4(rng: &mut Rng) -> (u64, u64) {
    let hi = (rng.next() & !0xF000) | 0x4000;
    let lo = (rng.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    (hi, lo)
}

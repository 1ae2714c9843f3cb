//! String dictionaries: low-cardinality record fields (providerResponse, carrier, country, ...) are stored in
//! the frame as `UInt32` codes, like Arrow dictionary arrays, so building a batch frame costs no string copies.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: short keys, trusted in-process data, no need for SipHash's DoS resistance.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        self.0 = h;
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuild>;

/// FxHash and MurmurHash3's 64-bit finaliser, for keys whose low bits may all be alike. A product's low
/// bits depend only on the input's low bits, and hashbrown picks the bucket from the low bits: under
/// plain FxHash, packed keys that differ only in their top fields (the cube's) all probe from one bucket.
/// Elsewhere the keys are hashes or phone numbers, whose low bits vary, and the mix would only cost time.
#[derive(Default, Clone, Copy)]
pub struct MixedFxHasher(FxHasher);

impl Hasher for MixedFxHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
    fn write_u64(&mut self, v: u64) {
        self.0.write_u64(v);
    }
    fn finish(&self) -> u64 {
        let mut h = self.0.finish();
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub type MixedFxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<MixedFxHasher>>;

#[derive(Debug, Default, Clone)]
pub struct Dict {
    names: Vec<String>,
    /// Hash of a name → its code; names whose hash is taken already go to `collisions`.
    index: FxHashMap<u64, u32>,
    collisions: FxHashMap<String, u32>,
    /// The last code returned: records often repeat the previous record's value.
    last: u32,
}

fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.write_u64(s.len() as u64);
    h.finish()
}

impl Dict {
    #[inline]
    pub fn code(&mut self, s: &str) -> u32 {
        if self.names.get(self.last as usize).is_some_and(|n| n == s) {
            return self.last;
        }
        let h = hash_str(s);
        let code = match self.index.get(&h) {
            Some(&c) if self.names[c as usize] == s => c,
            Some(_) => match self.collisions.get(s) {
                Some(&c) => c,
                None => {
                    let c = self.push(s);
                    self.collisions.insert(s.to_owned(), c);
                    c
                }
            },
            None => {
                let c = self.push(s);
                self.index.insert(h, c);
                c
            }
        };
        self.last = code;
        code
    }

    /// The code of `s`, if the dictionary has it (nothing is added).
    pub fn find(&self, s: &str) -> Option<u32> {
        match self.index.get(&hash_str(s)) {
            Some(&c) if self.names[c as usize] == s => Some(c),
            Some(_) => self.collisions.get(s).copied(),
            None => None,
        }
    }

    fn push(&mut self, s: &str) -> u32 {
        self.names.push(s.to_owned());
        (self.names.len() - 1) as u32
    }

    pub fn name(&self, code: u32) -> &str {
        self.names
            .get(code as usize)
            .map_or("unknown", String::as_str)
    }

    /// Every name, at its code.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Codes of `other`'s names in `self`, adding the missing ones: `remap[other_code] = self_code`.
    pub fn absorb(&mut self, other: &Dict) -> Vec<u32> {
        other.names.iter().map(|n| self.code(n)).collect()
    }
}

/// `code` through a remap [`Dict::absorb`] returned; a code past its end stays as it is.
pub fn remapped(remap: &[u32], code: u32) -> u32 {
    remap.get(code as usize).copied().unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys that differ only in their high bits (a packed key's top fields) still spread over a table's
    /// buckets, which hashbrown picks by the hash's low bits.
    #[test]
    fn mixed_keys_differing_in_high_bits_get_different_low_bits() {
        let low_bits = |key: u64| {
            let mut h = MixedFxHasher::default();
            h.write_u64(key);
            h.finish() & 0x3ff
        };
        for shift in [32, 40, 48, 54] {
            let distinct: std::collections::HashSet<u64> =
                (0..1024u64).map(|i| low_bits(i << shift)).collect();
            assert!(
                distinct.len() > 512,
                "shift {shift}: {} buckets",
                distinct.len()
            );
        }
    }

    #[test]
    fn codes_are_stable_and_dense() {
        let mut d = Dict::default();
        let a = d.code("a");
        let b = d.code("b");
        assert_eq!((a, b, d.code("a"), d.code("b")), (0, 1, 0, 1));
        assert_eq!(d.name(1), "b");
        assert_eq!(
            (d.find("a"), d.find("b"), d.find("c")),
            (Some(0), Some(1), None)
        );
        let mut e = Dict::default();
        e.code("b");
        assert_eq!(e.absorb(&d), vec![1, 0]);
    }
}

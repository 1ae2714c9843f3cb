//! The quote index of a line, the first step of the fast path: one pass over the line, 64 bytes at a time
//! (AVX2 when the processor has it, else SSE2), finds every `"` and rules out backslashes and control
//! characters; after that every quote delimits a string. The same pass tells whether the line is ASCII.

use std::mem::MaybeUninit;

/// Quotes a line may hold (a full record has 44); a line with more takes the full parser.
const MAX_QUOTES: usize = 96;

/// Slots past `MAX_QUOTES`: a 64-byte block writes 8 positions without looking at how many it has.
const SLACK: usize = 8;

/// Where the quotes of a line are, and whether it has any byte >= 0x80. Built in place (uninitialised
/// slots, no copy): it sits on the hot path of every line.
pub struct QuoteIndex {
    at: [MaybeUninit<u32>; MAX_QUOTES + SLACK],
    len: usize,
    pub ascii: bool,
}

impl QuoteIndex {
    #[allow(clippy::new_without_default)] // built in place on the hot path, never defaulted
    pub fn new() -> QuoteIndex {
        QuoteIndex {
            at: [const { MaybeUninit::uninit() }; MAX_QUOTES + SLACK],
            len: 0,
            ascii: true,
        }
    }

    /// The quotes found so far, in order.
    pub fn quotes(&self) -> &[u32] {
        // SAFETY: the first `len` slots were written (`push`, `push_block`) before `len` grew past them.
        unsafe { std::slice::from_raw_parts(self.at.as_ptr().cast::<u32>(), self.len) }
    }

    /// Indexes `b`. `None` if the line has a backslash or a control character, more quotes than fit, or
    /// is too long to index (4 GiB).
    #[inline(always)]
    pub fn fill(&mut self, b: &[u8]) -> Option<()> {
        u32::try_from(b.len()).ok()?;
        #[cfg(target_arch = "x86_64")]
        return self.index_x86(b);
        #[cfg(not(target_arch = "x86_64"))]
        {
            for (k, &c) in b.iter().enumerate() {
                match c {
                    b'"' => self.push(k as u32)?,
                    b'\\' | 0..=0x1f => return None,
                    0x80.. => self.ascii = false,
                    _ => {}
                }
            }
            Some(())
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn push(&mut self, at: u32) -> Option<()> {
        if self.len >= MAX_QUOTES {
            return None;
        }
        self.at[self.len].write(at);
        self.len += 1;
        Some(())
    }

    /// The quotes of a 64-byte block at `base`, as a bit mask. Eight slots are written whatever the count
    /// (a line of JSON has a few quotes per block), so the loop has no branch that depends on the data.
    #[inline(always)]
    fn push_block(&mut self, base: u32, mut mask: u64) -> Option<()> {
        if self.len > MAX_QUOTES {
            return None;
        }
        let count = mask.count_ones() as usize;
        for slot in &mut self.at[self.len..self.len + SLACK] {
            slot.write(base.wrapping_add(mask.trailing_zeros()));
            mask &= mask.wrapping_sub(1);
        }
        let mut k = self.len + SLACK;
        while mask != 0 {
            self.at
                .get_mut(k)?
                .write(base.wrapping_add(mask.trailing_zeros()));
            mask &= mask - 1;
            k += 1;
        }
        self.len += count;
        Some(())
    }

    /// The whole line, 64 bytes at a time (the tail re-reads the end of the line); `masks` gives a block's
    /// (quotes, backslashes or control bytes, high bytes) bit masks.
    #[inline(always)]
    fn index_blocks(
        &mut self,
        b: &[u8],
        masks: impl Fn(&[u8; 64]) -> (u64, u64, u64),
    ) -> Option<()> {
        let mut high = 0u64;
        let mut i = 0;
        while i + 64 <= b.len() {
            let (quotes, bad, hi) = masks(b[i..i + 64].try_into().ok()?);
            if bad != 0 {
                return None;
            }
            high |= hi;
            self.push_block(i as u32, quotes)?;
            i += 64;
        }
        if i < b.len() {
            // The tail: the line's last 64 bytes, minus those already indexed; a line shorter than a
            // block is padded with spaces.
            let (quotes, bad, hi) = if b.len() >= 64 {
                let skip = i - (b.len() - 64);
                let (q, bad, hi) = masks(b[b.len() - 64..].try_into().ok()?);
                (q >> skip, bad >> skip, hi >> skip)
            } else {
                let mut padded = [b' '; 64];
                padded[..b.len()].copy_from_slice(b);
                masks(&padded)
            };
            if bad != 0 {
                return None;
            }
            high |= hi;
            self.push_block(i as u32, quotes)?;
        }
        self.ascii = high == 0;
        Some(())
    }

    /// 32 bytes at a time where the processor has AVX2 (checked at run time), else 16 with SSE2, which
    /// every x86_64 has.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn index_x86(&mut self, b: &[u8]) -> Option<()> {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2 (just checked).
            unsafe { self.index_avx2(b) }
        } else {
            self.index_blocks(b, masks_sse2)
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn index_avx2(&mut self, b: &[u8]) -> Option<()> {
        self.index_blocks(b, |block| masks_avx2(block))
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks_sse2(block: &[u8; 64]) -> (u64, u64, u64) {
    use std::arch::x86_64::*;
    let (mut quotes, mut bad, mut high) = (0u64, 0u64, 0u64);
    // SAFETY: SSE2 is always available on x86_64; each load reads 16 bytes inside `block`.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let max_control = _mm_set1_epi8(0x1f);
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
            // min(v, 0x1f) == v exactly when v <= 0x1f (unsigned).
            let b = _mm_or_si128(
                _mm_cmpeq_epi8(v, backslash),
                _mm_cmpeq_epi8(_mm_min_epu8(v, max_control), v),
            );
            let mask = |m: __m128i| u64::from(_mm_movemask_epi8(m) as u16) << (16 * k);
            bad |= mask(b);
            high |= mask(v);
            quotes |= mask(_mm_cmpeq_epi8(v, quote));
        }
    }
    (quotes, bad, high)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn masks_avx2(block: &[u8; 64]) -> (u64, u64, u64) {
    use std::arch::x86_64::*;
    let (mut quotes, mut bad, mut high) = (0u64, 0u64, 0u64);
    // SAFETY: each load reads 32 bytes inside `block`; AVX2 is enabled for this function.
    unsafe {
        let quote = _mm256_set1_epi8(b'"' as i8);
        let backslash = _mm256_set1_epi8(b'\\' as i8);
        let max_control = _mm256_set1_epi8(0x1f);
        for k in 0..2 {
            let v = _mm256_loadu_si256(block.as_ptr().add(32 * k).cast());
            let b = _mm256_or_si256(
                _mm256_cmpeq_epi8(v, backslash),
                _mm256_cmpeq_epi8(_mm256_min_epu8(v, max_control), v),
            );
            let mask = |m: __m256i| u64::from(_mm256_movemask_epi8(m) as u32) << (32 * k);
            bad |= mask(b);
            high |= mask(v);
            quotes |= mask(_mm256_cmpeq_epi8(v, quote));
        }
    }
    (quotes, bad, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 16-byte pass and the byte-by-byte tail must find the same quotes wherever they fall.
    #[test]
    fn quote_index_finds_every_quote_at_every_offset() {
        for len in 0..140 {
            for at in 0..len {
                let mut line = vec![b'a'; len];
                line[at] = b'"';
                if at + 3 < len {
                    line[at + 3] = b'"';
                }
                let want: Vec<u32> = (0..len as u32)
                    .filter(|&k| line[k as usize] == b'"')
                    .collect();
                let index = |line: &[u8]| {
                    let mut ix = QuoteIndex::new();
                    ix.fill(line).map(|()| (ix.quotes().to_vec(), ix.ascii))
                };
                let (quotes, ascii) = index(&line).expect("no bad bytes");
                assert_eq!(quotes, want, "len {len} quote at {at}");
                assert!(ascii);
                for bad in [b'\\', b'\n', 0x01, 0x1f] {
                    let mut b = line.clone();
                    b[at] = bad;
                    assert!(index(&b).is_none(), "len {len} byte {bad:#x} at {at}");
                }
                let mut b = line.clone();
                b[at] = 0xe9;
                assert!(!index(&b).expect("high bytes are fine").1);
            }
        }
    }

    /// Both instruction sets classify every byte value alike, wherever it sits in a block.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn sse2_and_avx2_masks_agree() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        for byte in 0..=255u8 {
            for at in [0, 15, 16, 31, 32, 47, 48, 63] {
                let mut block = [b'a'; 64];
                block[at] = byte;
                // SAFETY: the processor has AVX2 (checked above).
                let avx2 = unsafe { masks_avx2(&block) };
                assert_eq!(masks_sse2(&block), avx2, "byte {byte:#x} at {at}");
            }
        }
    }

    #[test]
    fn a_block_dense_with_quotes_is_indexed_whole() {
        // 32 quotes in the first 64 bytes, more than the 8 written unconditionally.
        let line = format!("{}{}", "\"\"".repeat(16), "\"a\"".repeat(20));
        let mut ix = QuoteIndex::new();
        ix.fill(line.as_bytes()).expect("no bad bytes");
        let want: Vec<u32> = (0..line.len() as u32)
            .filter(|&k| line.as_bytes()[k as usize] == b'"')
            .collect();
        assert_eq!(ix.quotes(), want);
    }
}

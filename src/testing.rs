//! Helpers of the unit tests.

/// A xorshift64 stream: reproducible random numbers without a dependency (`state` must not be 0).
pub fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

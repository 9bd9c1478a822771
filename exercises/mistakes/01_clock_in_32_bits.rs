//! Takes the larger counter in 32 bits (`as u32`), as if counters stayed small: past 2^32 the clock falls back to a small number and new writes lose.
//! Caught: lose to the write this node has already seen (counter 18446744073709551565)

pub fn observe(clock: u64, seen: u64) -> u64 {
    u64::from((clock as u32).max(seen as u32))
}

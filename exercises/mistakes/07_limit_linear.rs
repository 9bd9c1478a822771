//! Repeats each piece mult × N times: it grows linearly with the cluster, so a storm in a big cluster never drains.
//! Caught: grows faster than log N
//! Caught: too many repeats

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    // One repeat per member, times the multiplier: surely everyone hears it.
    mult * members as u32
}

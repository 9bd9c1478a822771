//! Computes ⌈log10(N + 1)⌉ in f32: N + 1 = 10,000,001 rounds to 10^7 and its logarithm to exactly 7, so a cluster of ten million gets the repeats of one of 9,999,999.
//! Caught: retransmit_limit(1, 10000000) = 7
//! Caught: differs near N = 10000000

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f32).log10().ceil().max(1.0);
    mult * scale as u32
}

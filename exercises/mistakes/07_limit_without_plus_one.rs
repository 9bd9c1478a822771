//! Uses ⌈log10 N⌉ instead of ⌈log10(N + 1)⌉: one repeat per mult short at every exact power of ten (N = 10, 100, 1000).
//! Caught: retransmit_limit(2, 10) = 2
//! Caught: Too few and news dies
//! Caught: short at exact powers of ten

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = (members as f64).log10().ceil().max(1.0);
    mult * scale as u32
}

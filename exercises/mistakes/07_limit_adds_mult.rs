//! Adds the multiplier to the logarithm instead of multiplying: mult + ⌈log10(N + 1)⌉, which hardly grows with the cluster.
//! Caught: retransmit_limit(2, 1) = 3
//! Caught: mult × ⌈log10(N + 1)⌉

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f64).log10().ceil().max(1.0);
    mult + scale as u32
}

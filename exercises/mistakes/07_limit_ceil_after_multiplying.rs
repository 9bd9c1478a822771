//! Rounds up after multiplying, ⌈mult × log10(N + 1)⌉: the rounding buys less than one repeat instead of a whole mult, and small clusters get half the repeats.
//! Caught: retransmit_limit(2, 1) = 1
//! Caught: Too few and news dies

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f64).log10();
    (mult as f64 * scale).ceil().max(1.0) as u32
}

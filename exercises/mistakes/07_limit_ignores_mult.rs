//! Hard-codes memberlist's default multiplier 4 and ignores `mult`: an operator who turns the multiplier down gets no change.
//! Caught: ignores the multiplier
//! Caught: retransmit_limit(2, 1) = 4

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f64).log10().ceil().max(1.0);
    4 * scale as u32
}

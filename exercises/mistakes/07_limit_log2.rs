//! Takes the logarithm in base 2 instead of 10: about 3.3 times the repeats memberlist sends, extra traffic in every storm.
//! Caught: too many repeats
//! Caught: another base than 10

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f64).log2().ceil().max(1.0);
    mult * scale as u32
}

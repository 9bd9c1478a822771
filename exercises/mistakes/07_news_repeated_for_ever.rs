//! Never drops a piece of membership news: every message carries every piece for ever, and a burst of restarts becomes a storm.
//! Caught: gossips itself to death
//! Caught: repeated for ever

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    // "Repeat it until everyone has it": there is no way to know when that is.
    u32::MAX
}

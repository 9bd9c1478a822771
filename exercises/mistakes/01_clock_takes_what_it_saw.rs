//! `observe` returns the counter it saw, even when the node's own clock was ahead: the clock goes backwards.
//! Caught: the clock went backwards

pub fn observe(clock: u64, seen: u64) -> u64 {
    seen
}

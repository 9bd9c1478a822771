//! `observe` is `max(clock, seen) + 1`, the textbook receive rule: but here the tick belongs to the write, so each message heard moves the clock again.
//! Caught: a protocol value must never wrap
//! Caught: ran past what it saw
//! Caught: hearing the same write again

pub fn observe(clock: u64, seen: u64) -> u64 {
    clock.max(seen) + 1
}

//! `observe` adds the counter it saw to its clock: the clock runs ahead with every message heard, and hearing the same write twice moves it again.
//! Caught: a protocol value must never wrap
//! Caught: ran past what it saw
//! Caught: hearing the same write again

pub fn observe(clock: u64, seen: u64) -> u64 {
    clock + seen
}

//! `observe` takes the smaller of the two counters (`min` for `max`): after seeing a newer write the node's next write still loses to it.
//! Caught: lose to the write this node has already seen

pub fn observe(clock: u64, seen: u64) -> u64 {
    clock.min(seen)
}

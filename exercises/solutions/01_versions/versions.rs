//! Exercise 01 — versions and merge: a solution.

use gossip_node::core::version::Version;

/// Lamport order: counter first, the writer's id breaks ties. Comparing the
/// pairs does both, and a write is not newer than itself.
pub fn newer(incoming: Version, current: Version) -> bool {
    (incoming.counter, incoming.origin) > (current.counter, current.origin)
}

/// Move up to what was seen; never back.
pub fn observe(clock: u64, seen: u64) -> u64 {
    clock.max(seen)
}

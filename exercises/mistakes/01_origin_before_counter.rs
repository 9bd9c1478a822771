//! Compares `(origin, counter)` instead of `(counter, origin)`: an older write from a higher id beats a newer write made after seeing it.
//! Caught: a write with a higher counter lost
//! Caught: was written after node 3's

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    // The pair decides; the writer first, then its counter.
    (incoming.origin, incoming.counter) > (current.origin, current.counter)
}

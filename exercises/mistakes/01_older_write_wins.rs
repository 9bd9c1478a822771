//! Swaps the two arguments (`current` against `incoming`): every node keeps the older write and drops the newer one.
//! Caught: a write with a higher counter lost
//! Caught: the higher counter must win

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    // Is what we hold newer than what came in? Then keep it... or was it the other way round?
    (current.counter, current.origin) > (incoming.counter, incoming.origin)
}

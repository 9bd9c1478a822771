//! Compares the counters as `u32`: once counters pass 2^32 the order wraps, and a write stamped 2^32 loses to one stamped 5, so the older write wins everywhere.
//! Caught: a write with a higher counter lost

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    (incoming.counter as u32, incoming.origin) > (current.counter as u32, current.origin)
}

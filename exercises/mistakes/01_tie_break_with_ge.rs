//! Breaks the tie with `>=` on the origin: the same write (same counter, same origin) beats itself.
//! Caught: would count as news every time it arrives

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    incoming.counter > current.counter
        || (incoming.counter == current.counter && incoming.origin >= current.origin)
}

//! Uses `>=` on the counter: a write counts as newer than itself, so every echo of a rumor is news again.
//! Caught: would count as news every time it arrives

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    incoming.counter >= current.counter
}

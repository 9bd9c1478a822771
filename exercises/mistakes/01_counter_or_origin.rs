//! Writes "higher counter or higher origin" with `||`, so the origin wins even when its counter is lower: two writes both beat each other.
//! Caught: beats
//! Caught: chase each other for ever

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    incoming.counter > current.counter || incoming.origin > current.origin
}

//! Breaks a tie on the origin id as text: "10" sorts before "9", so in a cluster of ten nodes or more the lower id wins some ties.
//! Caught: on a tie the higher origin id wins

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    (incoming.counter, incoming.origin.to_string()) > (current.counter, current.origin.to_string())
}

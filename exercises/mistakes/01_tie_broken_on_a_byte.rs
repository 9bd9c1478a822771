//! Breaks a tie on the origin id kept in a byte (`as u8`): node 256 counts as 0, so between concurrent writes of nodes 256 and 3 the lower id wins.
//! Caught: on a tie the higher origin id wins

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    incoming.counter > current.counter
        || (incoming.counter == current.counter
            && incoming.origin.0 as u8 > current.origin.0 as u8)
}

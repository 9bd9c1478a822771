//! Breaks a counter tie in favour of the lower origin id, while pull and anti-entropy order versions with the higher id on top.
//! Caught: on a tie the higher origin id wins

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    if incoming.counter != current.counter {
        return incoming.counter > current.counter;
    }
    // Same moment: the smaller node id was there first.
    incoming.origin < current.origin
}

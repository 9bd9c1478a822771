//! Compares the counters only: two writes made at the same moment (same counter) both lose to each other, so nodes keep different values for ever.
//! Caught: break the tie with the origin id
//! Caught: still disagree on `color`

use gossip_node::core::version::Version;

pub fn newer(incoming: Version, current: Version) -> bool {
    incoming.counter > current.counter
}

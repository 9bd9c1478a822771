//! Sends the whole pair and keeps nothing: the mass only hops from node to node, and the sender is left without an estimate.
//! Caught: keeps no weight
//! Caught: nothing mixes

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) {
    let nothing = PushSum {
        sum: 0.0,
        weight: 0.0,
    };
    (nothing, mine)
}

//! Replaces this node's pair with the share it received: the node's own mass is thrown away at every merge.
//! Caught: replaces this node's pair with the share

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_merge(mine: PushSum, received: PushSum) -> PushSum {
    received
}

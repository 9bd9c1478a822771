//! Treats the received sum as an estimate and weighs it by the share's weight: sum + sum × weight, mass that was never sent.
//! Caught: the sums were not added

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_merge(mine: PushSum, received: PushSum) -> PushSum {
    PushSum {
        sum: mine.sum + received.sum * received.weight,
        weight: mine.weight + received.weight,
    }
}

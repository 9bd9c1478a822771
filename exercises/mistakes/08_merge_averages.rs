//! Merges by averaging the two pairs instead of adding them: half of both pairs' mass vanishes at every merge.
//! Caught: averages the two pairs instead of adding them

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_merge(mine: PushSum, received: PushSum) -> PushSum {
    PushSum {
        sum: (mine.sum + received.sum) / 2.0,
        weight: (mine.weight + received.weight) / 2.0,
    }
}

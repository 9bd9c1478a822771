//! Exercise 08 — aggregation by push-sum: a solution.

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) {
    let half = PushSum {
        sum: mine.sum / 2.0,
        weight: mine.weight / 2.0,
    };
    (half, half)
}

pub fn push_sum_merge(mine: PushSum, received: PushSum) -> PushSum {
    PushSum {
        sum: mine.sum + received.sum,
        weight: mine.weight + received.weight,
    }
}

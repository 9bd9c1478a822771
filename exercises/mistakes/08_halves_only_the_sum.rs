//! Halves the sum but not the weight: every split creates weight out of nothing, and the estimates sink far below the average.
//! Caught: mass was created or lost
//! Caught: within 0.05 of 25.5

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) {
    let half = PushSum {
        sum: mine.sum / 2.0,
        weight: mine.weight,
    };
    (half, half)
}

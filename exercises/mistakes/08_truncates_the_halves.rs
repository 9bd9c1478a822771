//! Halves the sum with integer division (truncating both halves): an odd sum loses a unit at every split, and the cluster's mass leaks away.
//! Caught: mass was created or lost

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) {
    let half = PushSum {
        sum: (mine.sum as i64 / 2) as f64,
        weight: mine.weight / 2.0,
    };
    (half, half)
}

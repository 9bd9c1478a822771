//! Keeps the whole pair and sends an empty share: no mass ever moves, and every node goes on estimating its own value.
//! Caught: sends no weight
//! Caught: nothing mixes

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) {
    let share = PushSum {
        sum: 0.0,
        weight: 0.0,
    };
    (mine, share)
}

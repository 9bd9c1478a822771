//! Keeps three quarters of the sum but only half of the weight: the totals are conserved, but each part carries a different estimate than the pair.
//! Caught: same share of the sum as of the weight
//! Caught: estimates

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) {
    let keep = PushSum {
        sum: mine.sum * 0.75,
        weight: mine.weight * 0.5,
    };
    let send = PushSum {
        sum: mine.sum - keep.sum,
        weight: mine.weight - keep.weight,
    };
    (keep, send)
}

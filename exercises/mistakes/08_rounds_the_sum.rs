//! Keeps half of the sum rounded to a whole number and sends the rest: nothing is lost, but the share of an odd sum carries the wrong estimate.
//! Caught: same share of the sum as of the weight

use gossip_node::core::aggregate::PushSum;

pub fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) {
    let keep = PushSum {
        sum: (mine.sum / 2.0).round(),
        weight: mine.weight / 2.0,
    };
    let send = PushSum {
        sum: mine.sum - keep.sum,
        weight: mine.weight / 2.0,
    };
    (keep, send)
}

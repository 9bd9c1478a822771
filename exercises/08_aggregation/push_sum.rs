//! Exercise 08 — aggregation by push-sum. (Read `README.md` in this folder.)
//!
//! Every node holds a pair (sum, weight), starting at (its value, 1). Each
//! round it keeps part of the pair and sends the rest to a random peer, which
//! adds it to its own. `make check EX=08`; once it passes, the checker
//! tells you where the reference stands, to compare.

use gossip_node::core::aggregate::PushSum;

/// This round's split of our pair: (what we keep, what we send).
pub fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) {
    // TODO: keep half of the sum and half of the weight, send the other
    // half. Whatever you choose, keep + send must equal `mine` exactly:
    // the cluster's totals must never change.
    todo!("push_sum_split: what to keep, what to send")
}

/// A share arrived from a peer: our new pair.
pub fn push_sum_merge(mine: PushSum, received: PushSum) -> PushSum {
    // TODO: add them up, field by field.
    todo!("push_sum_merge: take in a share")
}

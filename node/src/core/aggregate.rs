//! Aggregation by push-sum (Kempe, Dobra and Gehrke, 2003): every node learns
//! the average of all the nodes' values, with no coordinator.
//!
//! Each node holds a pair (sum, weight), starting at (its value, 1). Every
//! gossip round it keeps half of both and sends the other half to one random
//! peer, which adds what it receives to its own pair:
//!
//! ```text
//!   A (6, 1) ── (3, 0.5) ──▶ B (2, 1)        A keeps (3, 0.5): estimate 6
//!                            B now (5, 1.5): estimate 3.33 → the average, 4
//! ```
//!
//! Nothing is created or destroyed: the totals of sum and weight stay what
//! they were (**mass conservation**), so sum / weight at every node
//! converges to total sum / total weight, the average, exponentially fast —
//! an epidemic again, O(log N) rounds to any precision. Give one node the
//! value 1 and the others 0, and 1 / average is the cluster's **size**. A lost
//! message loses mass, and the estimates drift: push-sum wants reliable
//! delivery, or a correction.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.7 and §5.7 (mass conservation).

use serde::{Deserialize, Serialize};

/// One node's share of the cluster's total: a sum and its weight.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushSum {
    pub sum: f64,
    pub weight: f64,
}

impl PushSum {
    /// A node contributing `value` starts with (value, 1).
    pub fn new(value: f64) -> PushSum {
        PushSum {
            sum: value,
            weight: 1.0,
        }
    }

    /// This node's estimate of the average, once it holds some weight.
    pub fn estimate(&self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.sum / self.weight)
    }
}

/// Push-sum's round: from this node's pair, the part to keep and the part to
/// send to a random peer. The two add up to the pair: nothing is created or
/// lost. (Exercise 08.)
pub fn split(mine: PushSum) -> (PushSum, PushSum) {
    let half = PushSum {
        sum: mine.sum / 2.0,
        weight: mine.weight / 2.0,
    };
    (half, half)
}

/// A share arrived: this node's new pair. (Exercise 08.)
pub fn merge(mine: PushSum, received: PushSum) -> PushSum {
    PushSum {
        sum: mine.sum + received.sum,
        weight: mine.weight + received.weight,
    }
}

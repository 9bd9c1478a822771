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

use super::message::Message;
use super::{Node, Output};
use rand::Rng;
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

impl Node {
    /// A gossip round's push-sum step: keep part of the pair, send the rest
    /// to one random peer (what to keep is [`Pieces::push_sum_split`]
    /// (super::pieces::Pieces::push_sum_split)).
    pub(super) fn push_sum_round<R: Rng + ?Sized>(&mut self, rng: &mut R, out: &mut Vec<Output>) {
        let Some(mine) = self.push_sum else {
            return;
        };
        let Some(peer) = self
            .members
            .random_peers(1, rng)
            .pop()
            .map(|m| m.addr.clone())
        else {
            return;
        };
        let (keep, send) = self.config.pieces.push_sum_split(mine);
        self.push_sum = Some(keep);
        let message = Message::PushSum {
            sum: send.sum,
            weight: send.weight,
        };
        self.send(rng, &peer, message, out);
    }

    /// A share arrived: add it to ours.
    pub(super) fn on_push_sum(&mut self, received: PushSum) {
        let mine = self.push_sum.unwrap_or(PushSum {
            sum: 0.0,
            weight: 0.0,
        });
        self.push_sum = Some(self.config.pieces.push_sum_merge(mine, received));
    }
}

//! Push-sum's round and message: keep part of the pair, send the rest to
//! one random peer (the pair and its rules are in
//! [`aggregate`](crate::core::aggregate)).
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.7 (the message) and §5.7 (mass conservation).

use super::{Node, Output};
use crate::core::aggregate::PushSum;
use crate::core::message::Message;
use crate::core::peer_selection::random_peers;
use rand::RngCore;

impl Node {
    /// A gossip round's push-sum step: keep part of the pair, send the rest
    /// to one random peer (what to keep is the pieces' `push_sum_split`).
    pub(super) fn push_sum_round(&mut self, rng: &mut dyn RngCore, out: &mut Vec<Output>) {
        let Some(mine) = self.push_sum else {
            return;
        };
        let peers = random_peers(&self.members, 1, rng)
            .into_iter()
            .cloned()
            .collect();
        let Some(peer) = self.with_unproven(peers, 1, rng).pop() else {
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

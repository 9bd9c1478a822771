//! Draws each of the `fanout` peers independently, so the same peer can be picked twice in one round.
//! Caught: the same peer was chosen twice in one round

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::RngCore;

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    let count = members.peers().count();
    (0..fanout.min(count))
        .filter_map(|_| members.peers().map(|m| m.id).choose(rng))
        .collect()
}

//! Hand-written reservoir sampling that draws the slot from `0..i` instead of `0..=i`: later members in the list are picked more often than earlier ones.
//! Caught: each peer should be picked about

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::{Rng, RngCore};

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    let mut chosen: Vec<NodeId> = Vec::with_capacity(fanout);
    for (i, member) in members.peers().enumerate() {
        if chosen.len() < fanout {
            chosen.push(member.id);
        } else {
            let slot = rng.random_range(0..i);
            if slot < fanout {
                chosen[slot] = member.id;
            }
        }
    }
    chosen
}

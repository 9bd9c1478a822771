//! Takes the first `fanout` peers in id order every round: the same few nodes hear everything first, the rest only second-hand.
//! Caught: each peer should be picked about

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::RngCore;

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    members.peers().map(|m| m.id).take(fanout).collect()
}

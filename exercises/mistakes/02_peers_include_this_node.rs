//! Takes the first `fanout` members of the whole list: this node itself is among them, and the choice is never random.
//! Caught: node 1 chose itself
//! Caught: each peer should be picked about

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::RngCore;

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    members.all().map(|m| m.id).take(fanout).collect()
}

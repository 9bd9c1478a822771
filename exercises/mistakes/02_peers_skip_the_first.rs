//! Skips the first peer in the list, thinking it is the node itself (`peers()` has already left it out): member 2 never hears a thing.
//! Caught: Left out: member 2, which is alive

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::RngCore;

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    members
        .peers()
        .skip(1)
        .map(|m| m.id)
        .choose_multiple(rng, fanout)
}

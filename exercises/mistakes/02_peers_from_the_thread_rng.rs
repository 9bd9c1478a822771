//! Draws peers from `rand::rng()`, a generator of its own, instead of the `rng` the node gives: every run differs and no simulation can be replayed.
//! Caught: two runs from the same seed chose different peers
//! Caught: not from a generator of your own

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::RngCore;

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    members
        .peers()
        .map(|m| m.id)
        .choose_multiple(&mut rand::rng(), fanout)
}

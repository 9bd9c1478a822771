//! Shuffles by swapping each place with any place (not one at or after it), then takes the first `fanout`: some orders come up more often than others.
//! Caught: each peer should be picked about

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::{Rng, RngCore};

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    let mut peers: Vec<NodeId> = members.peers().map(|m| m.id).collect();
    for i in 0..peers.len() {
        let j = rng.random_range(0..peers.len());
        peers.swap(i, j);
    }
    peers.truncate(fanout);
    peers
}

//! Picks a random starting peer and takes the next `fanout` in id order: each peer is equally likely, but neighbours are always chosen together.
//! Caught: every pair of peers should be chosen together about
//! Caught: correlated

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::{Rng, RngCore};

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    let peers: Vec<NodeId> = members.peers().map(|m| m.id).collect();
    if peers.is_empty() {
        return Vec::new();
    }
    let start = rng.random_range(0..peers.len());
    (0..fanout.min(peers.len()))
        .map(|i| peers[(start + i) % peers.len()])
        .collect()
}

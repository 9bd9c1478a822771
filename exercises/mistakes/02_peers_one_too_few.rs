//! Off by one: chooses `fanout - 1` peers, so every round reaches one peer fewer than configured (and fanout 1 reaches nobody).
//! Caught: with 7 members taking part and fanout 1, 0 were chosen

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::RngCore;

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    members
        .peers()
        .map(|m| m.id)
        .choose_multiple(rng, fanout.saturating_sub(1))
}

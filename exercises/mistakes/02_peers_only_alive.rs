//! Leaves suspect members out of the candidates: a suspect still takes part, and never hearing gossip it cannot learn it must refute.
//! Caught: member 8, which is suspect
//! Caught: a suspect still takes part

use gossip_node::core::membership::{MemberStatus, Membership};
use gossip_node::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::RngCore;

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    members
        .peers()
        .filter(|m| m.status == MemberStatus::Alive)
        .map(|m| m.id)
        .choose_multiple(rng, fanout)
}

//! Leaves out only this node and keeps dead members and members that left among the candidates.
//! Caught: which is dead

use gossip_node::core::membership::Membership;
use gossip_node::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::RngCore;

pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    let me = members.me().id;
    members
        .all()
        .filter(|m| m.id != me)
        .map(|m| m.id)
        .choose_multiple(rng, fanout)
}

//! Exercise 02 — peer selection and push rumors with damping: a solution.

use gossip_node::core::membership::Membership;
use gossip_node::core::rumor::{Spreading, StopRule};
use gossip_node::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::{Rng, RngCore};

/// Reservoir sampling over the candidates: uniform, no repeats.
pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    members.peers().map(|m| m.id).choose_multiple(rng, fanout)
}

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::PeerKnew) if rng.random_ratio(1, k) => 0,
        _ => left,
    }
}

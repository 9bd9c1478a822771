//! Tosses the coin before looking at the event, on every call: the draw after a send has no randomness to come from, and the node stops there.
//! Caught: after a send (SentTo(2)) damp drew
//! Caught: Toss the coin inside the PeerKnew arm

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::{Rng, RngCore};

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    let heads = rng.random_ratio(1, k);
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::PeerKnew) if heads => 0,
        _ => left,
    }
}

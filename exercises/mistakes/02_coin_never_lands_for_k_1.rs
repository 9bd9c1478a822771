//! Tosses the coin as `random_range(0..k) == 1`: the chance is 1 in k for k of 2 or more, but with k = 1 the coin never lands and the rumor stays hot for ever.
//! Caught: coin, k = 1: a peer that already knew left the rumor at 1
//! Caught: keeps the rumor hot for ever

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::{Rng, RngCore};

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::PeerKnew) if rng.random_range(0..k) == 1 => 0,
        _ => left,
    }
}

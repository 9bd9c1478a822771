//! The coin stops the rumor 1 time in k when a peer already knew, and otherwise counts `left` down: nodes stop after k "already knew" answers whatever the coin says, and the residue doubles.
//! Caught: left the rumor at 2 (from 3)
//! Caught: mixes the counter rule into the coin

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::{Rng, RngCore};

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::PeerKnew) if rng.random_ratio(1, k) => 0,
        (StopRule::Coin, Spreading::PeerKnew) => left.saturating_sub(1),
        _ => left,
    }
}

//! The coin rule counts "already knew" answers down from k instead of tossing a coin: a node always stops after exactly k of them.
//! Caught: mixes the counter rule into the coin

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::RngCore;

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::PeerKnew) => left.saturating_sub(1),
        _ => left,
    }
}

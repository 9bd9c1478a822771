//! The rounds rule counts down on every event (sends and "already knew" too), not only at the end of a round: rumors go cold too early.
//! Caught: Only the end of a round counts for this rule

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::{Rng, RngCore};

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, _) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::PeerKnew) if rng.random_ratio(1, k) => 0,
        _ => left,
    }
}

//! Turns the coin around: keeps spreading with chance 1/k and stops otherwise, so with k = 3 a node stops two times in three.
//! Caught: about 2,000 (1 in 3) was expected

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::{Rng, RngCore};

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::PeerKnew) if !rng.random_ratio(1, k) => 0,
        _ => left,
    }
}

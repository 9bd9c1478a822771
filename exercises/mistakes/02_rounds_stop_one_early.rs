//! Off by one in the rounds rule: stops when one round is left instead of none, so a rumor is hot for k - 1 rounds.
//! Caught: should leave [3, 3, 2, 1, 0]

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::{Rng, RngCore};

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) if left <= 2 => 0,
        (StopRule::Rounds, Spreading::RoundOver) => left - 1,
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::PeerKnew) if rng.random_ratio(1, k) => 0,
        _ => left,
    }
}

//! Flips the coin after every send (a blind coin) instead of when a peer already knew: the rumor dies while it is still news.
//! Caught: coin: SentTo(3) changed `left`

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::{Rng, RngCore};

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
        (StopRule::Coin, Spreading::SentTo(_)) if rng.random_ratio(1, k) => 0,
        _ => left,
    }
}

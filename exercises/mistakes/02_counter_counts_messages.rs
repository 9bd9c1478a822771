//! The counter rule takes one off per send event, however many peers it went to: with fanout 2 a node sends twice as often as k says.
//! Caught: SentTo(2) is 2 sends

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::{Rng, RngCore};

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match (rule, what) {
        (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
        (StopRule::Counter, Spreading::SentTo(_)) => left.saturating_sub(1),
        (StopRule::Coin, Spreading::PeerKnew) if rng.random_ratio(1, k) => 0,
        _ => left,
    }
}

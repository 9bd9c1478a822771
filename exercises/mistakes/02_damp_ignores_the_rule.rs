//! Counts rounds whatever the configured rule: with `counter` or `coin` a rumor still stops after k rounds, never after k sends or on feedback.
//! Caught: counter, k = 5
//! Caught: coin: RoundOver changed `left`

use gossip_node::core::rumor::{Spreading, StopRule};
use rand::RngCore;

pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    match what {
        Spreading::RoundOver => left.saturating_sub(1),
        _ => left,
    }
}

//! Takes a point off an answered probe with plain subtraction: at score 0 the u32 wraps (an overflow, in a debug build a panic).
//! Caught: overflow

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    let next = match event {
        HealthEvent::ProbeAcked => score - 1,
        HealthEvent::ProbeFailed { nacks_expected: 0, .. } => score + 1,
        HealthEvent::ProbeFailed { nacks_expected, nacks } => score + (nacks_expected - nacks) as u32,
        HealthEvent::Refuted => score + 1,
    };
    next.min(MAX_SCORE)
}

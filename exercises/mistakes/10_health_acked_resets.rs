//! An answered probe resets the score to 0: one lucky ack in a bad patch and the node is back to accusing at full speed.
//! Caught: one point off, no more

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    match event {
        HealthEvent::ProbeAcked => 0,
        HealthEvent::ProbeFailed { nacks_expected: 0, .. } => (score + 1).min(MAX_SCORE),
        HealthEvent::ProbeFailed { nacks_expected, nacks } => (score + (nacks_expected - nacks) as u32).min(MAX_SCORE),
        HealthEvent::Refuted => (score + 1).min(MAX_SCORE),
    }
}

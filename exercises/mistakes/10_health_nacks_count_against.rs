//! Counts the nacks as failures: the helpers that did answer (proof that the prober is heard) make it doubt itself more.
//! Caught: did not even send a nack

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    let worse = match event {
        HealthEvent::ProbeAcked => return score.saturating_sub(1),
        HealthEvent::ProbeFailed { nacks_expected: 0, .. } => 1,
        HealthEvent::ProbeFailed { nacks, .. } => nacks as u32,
        HealthEvent::Refuted => 1,
    };
    (score + worse).min(MAX_SCORE)
}

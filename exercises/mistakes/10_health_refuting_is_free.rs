//! Refuting costs nothing: a node others cannot hear in time (it keeps having to refute) never learns to doubt itself.
//! Caught: that counts against our health

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    let worse = match event {
        HealthEvent::ProbeAcked => return score.saturating_sub(1),
        HealthEvent::ProbeFailed { nacks_expected: 0, .. } => 1,
        HealthEvent::ProbeFailed { nacks_expected, nacks } => (nacks_expected - nacks) as u32,
        HealthEvent::Refuted => 0,
    };
    (score + worse).min(MAX_SCORE)
}

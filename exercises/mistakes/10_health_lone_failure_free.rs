//! Counts only missing nacks: a failed probe with no helper asked costs nothing, so a node with no one to ask never doubts itself.
//! Caught: with no helper asked costs one point

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    let worse = match event {
        HealthEvent::ProbeAcked => return score.saturating_sub(1),
        HealthEvent::ProbeFailed { nacks_expected, nacks } => (nacks_expected - nacks) as u32,
        HealthEvent::Refuted => 1,
    };
    (score + worse).min(MAX_SCORE)
}

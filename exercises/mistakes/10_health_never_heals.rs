//! An answered probe changes nothing: a node degraded once stays slow for ever, long after it recovered.
//! Caught: must take a point off

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    let worse = match event {
        HealthEvent::ProbeAcked => 0,
        HealthEvent::ProbeFailed { nacks_expected: 0, .. } => 1,
        HealthEvent::ProbeFailed { nacks_expected, nacks } => (nacks_expected - nacks) as u32,
        HealthEvent::Refuted => 1,
    };
    (score + worse).min(MAX_SCORE)
}

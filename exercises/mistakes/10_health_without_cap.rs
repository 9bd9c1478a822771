//! Never caps the score: a long bad patch drives it to 20, and the node then waits 21 times its timeouts.
//! Caught: never goes above 7

use gossip_node::core::lifeguard::HealthEvent;

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    match event {
        HealthEvent::ProbeAcked => score.saturating_sub(1),
        HealthEvent::ProbeFailed { nacks_expected: 0, .. } => score + 1,
        HealthEvent::ProbeFailed { nacks_expected, nacks } => score + (nacks_expected - nacks) as u32,
        HealthEvent::Refuted => score + 1,
    }
}

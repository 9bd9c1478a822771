//! A failed probe costs one point whatever the helpers said: three silent helpers (strong evidence that the prober is the sick one) count as one.
//! Caught: Only the helpers that sent nothing at all count against us

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    match event {
        HealthEvent::ProbeAcked => score.saturating_sub(1),
        HealthEvent::ProbeFailed { .. } | HealthEvent::Refuted => (score + 1).min(MAX_SCORE),
    }
}

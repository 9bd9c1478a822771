//! A failed probe costs one point even when every helper nacked: the network worked and the target is down, yet the prober blames itself.
//! Caught: Only the helpers that sent nothing at all count against us

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    let worse = match event {
        HealthEvent::ProbeAcked => return score.saturating_sub(1),
        HealthEvent::ProbeFailed { nacks_expected, nacks } => ((nacks_expected - nacks) as u32).max(1),
        HealthEvent::Refuted => 1,
    };
    (score + worse).min(MAX_SCORE)
}

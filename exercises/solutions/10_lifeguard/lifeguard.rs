//! Exercise 10 — Lifeguard: a solution (memberlist's awareness and
//! suspicion rules).

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};
use std::time::Duration;

pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    let worse = match event {
        HealthEvent::ProbeAcked => return score.saturating_sub(1).min(MAX_SCORE),
        HealthEvent::ProbeFailed {
            nacks_expected: 0, ..
        } => 1,
        HealthEvent::ProbeFailed {
            nacks_expected,
            nacks,
        } => nacks_expected.saturating_sub(nacks) as u32,
        HealthEvent::Refuted => 1,
    };
    score.saturating_add(worse).min(MAX_SCORE)
}

pub fn health_scaled(base: Duration, score: u32) -> Duration {
    base.saturating_mul(score.min(MAX_SCORE) + 1)
}

pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    if k == 0 || max <= min {
        return min;
    }
    let done = (confirmations as f64 + 1.0).ln() / (k as f64 + 1.0).ln();
    let cut = (max - min).as_secs_f64() * done.min(1.0);
    max.saturating_sub(Duration::from_secs_f64(cut)).max(min)
}

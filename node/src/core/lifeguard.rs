//! Lifeguard: SWIM that doubts itself first (Dadgar, Phillips and Currey,
//! "Lifeguard: Local Health Awareness for More Accurate Failure Detection",
//! 2018; HashiCorp's memberlist runs it under Consul and Serf).
//!
//! Plain SWIM assumes the prober is healthy. When it is not (its process
//! stalls, its CPU is starved, its messages queue), it misses acks that were
//! sent in time and accuses healthy members. Lifeguard's first idea is that
//! a node can notice this about itself:
//!
//! ```text
//!  my probe failed (no ack at all)            +1   something is wrong: them, or me
//!  a helper I asked never even sent a nack    +1   per missing nack: likely me
//!  someone says I am suspect, and I refute    +1   others cannot hear me in time
//!  my probe succeeded                         -1   I can hear and be heard
//! ```
//!
//! The **local health score** lives in 0..=[`MAX_SCORE`]. Every probe
//! timeout and protocol period is multiplied by score + 1: a node that
//! doubts itself waits longer before it accuses anyone, and probes less
//! often, which also relieves whatever is overloading it.
//!
//! (The other Lifeguard pieces: a suspicion that shortens as independent
//! accusers confirm it, nacks from the members asked to ping indirectly,
//! and the buddy system, which tells a suspect it is suspected in the ping
//! itself, so that it can refute at once.)

use std::time::Duration;

/// The highest health score: timeouts at most 8 times their base
/// (memberlist's `AwarenessMaxMultiplier` of 8 allows scores 0 to 7).
pub const MAX_SCORE: u32 = 7;

/// What happened that tells a node something about its own health.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthEvent {
    /// A probe got its ack (directly or through a helper).
    ProbeAcked,
    /// A probe got no ack at all. `nacks_expected` helpers were asked to
    /// ping indirectly and `nacks` of them said they could not reach it.
    ProbeFailed { nacks_expected: usize, nacks: usize },
    /// We had to refute news that we are suspect or dead.
    Refuted,
}

/// The health score after `event` (0 is healthy, [`MAX_SCORE`] the worst).
///
/// A failed probe costs one point when no helper was asked; when helpers
/// were, one point per helper that did not even send a nack (a helper that
/// nacks shows the network works and the target is the problem).
pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    let delta: i64 = match event {
        HealthEvent::ProbeAcked => -1,
        HealthEvent::ProbeFailed {
            nacks_expected: 0, ..
        } => 1,
        HealthEvent::ProbeFailed {
            nacks_expected,
            nacks,
        } => nacks_expected.saturating_sub(nacks) as i64,
        HealthEvent::Refuted => 1,
    };
    (score as i64 + delta).clamp(0, MAX_SCORE as i64) as u32
}

/// `base` stretched by the health score: `base × (score + 1)`.
pub fn scaled(base: Duration, score: u32) -> Duration {
    base.saturating_mul(score.min(MAX_SCORE) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_rises_with_trouble_falls_with_success_and_stays_in_bounds() {
        let failed_alone = HealthEvent::ProbeFailed {
            nacks_expected: 0,
            nacks: 0,
        };
        assert_eq!(health_after(0, failed_alone), 1);
        assert_eq!(health_after(0, HealthEvent::Refuted), 1);
        assert_eq!(health_after(3, HealthEvent::ProbeAcked), 2);
        assert_eq!(health_after(0, HealthEvent::ProbeAcked), 0, "never below 0");
        assert_eq!(
            health_after(MAX_SCORE, failed_alone),
            MAX_SCORE,
            "never above the cap"
        );
        // Three helpers asked: each missing nack counts; all three nacking
        // means the target is down, not us.
        let none = HealthEvent::ProbeFailed {
            nacks_expected: 3,
            nacks: 0,
        };
        assert_eq!(health_after(0, none), 3);
        let all = HealthEvent::ProbeFailed {
            nacks_expected: 3,
            nacks: 3,
        };
        assert_eq!(health_after(2, all), 2);
        let some = HealthEvent::ProbeFailed {
            nacks_expected: 3,
            nacks: 2,
        };
        assert_eq!(health_after(2, some), 3);
    }

    #[test]
    fn timeouts_stretch_with_the_score() {
        let half = Duration::from_millis(500);
        assert_eq!(scaled(half, 0), half);
        assert_eq!(scaled(half, 3), Duration::from_secs(2));
        assert_eq!(scaled(half, 100), Duration::from_secs(4), "capped at 8x");
    }
}

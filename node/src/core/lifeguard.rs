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
//! Its second idea is that one accuser is weak evidence and several are
//! strong. A suspicion starts long, [`SUSPICION_MAX_MULT`] times the plain
//! suspicion timeout, and shortens as other members, probing on their own,
//! fail too and say so (**confirmations**), down to the plain timeout after
//! `k` of them ([`confirmed_timeout`]):
//!
//! ```text
//!  timeout(c) = max(min, max − (max − min) · ln(c + 1) / ln(k + 1))
//!
//!  min 4 s, max 24 s, k 2:   c = 0: 24 s   c = 1: 11.4 s   c = 2: 4 s
//! ```
//!
//! A real crash is probed by everyone, so confirmations come fast and the
//! verdict is as quick as before; a lone, degraded accuser (the node that
//! stalled, not the node it suspects) waits six times longer, time enough
//! for the suspect to hear of it and refute.
//!
//! (The other Lifeguard pieces: nacks from the members asked to ping
//! indirectly, and the buddy system, which tells a suspect it is suspected
//! in the ping itself, so that it can refute at once.)

use super::version::NodeId;
use std::collections::BTreeMap;
use std::time::Duration;

/// A lone accuser's suspicion lasts this many times the plain suspicion
/// timeout (memberlist's `SuspicionMaxTimeoutMult`).
pub const SUSPICION_MAX_MULT: u32 = 6;

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

/// How many independent confirmations bring a suspicion down to its
/// minimum: `suspicion_mult − 2` (memberlist's K), or none at all when
/// fewer members than that could confirm (`others`: active members other
/// than this node, the suspect among them).
pub fn confirmations_wanted(suspicion_mult: u32, others: usize) -> u32 {
    let k = suspicion_mult.saturating_sub(2);
    let could_confirm = others.saturating_sub(1);
    if could_confirm < k as usize {
        0
    } else {
        k
    }
}

/// The suspicion timeout after `confirmations` independent accusers beyond
/// the first: from `max` with none down to `min` with `k`, along the
/// logarithm, never below `min` (memberlist's `remainingSuspicionTime`).
/// With `k` = 0 no confirmation is awaited: `min`.
pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    if k == 0 || max <= min {
        return min;
    }
    let done = (confirmations.min(k) as f64 + 1.0).ln() / (k as f64 + 1.0).ln();
    let span = (max - min).as_secs_f64();
    max.saturating_sub(Duration::from_secs_f64(span * done))
        .max(min)
}

/// One suspicion this node holds about a member: since when, how long it
/// may last, and who accused it.
#[derive(Clone, Debug, PartialEq)]
pub struct Suspicion {
    /// The suspected incarnation: a refutation raises it and ends this.
    pub incarnation: u64,
    pub started: Duration,
    /// The plain timeout and a lone accuser's, fixed when it started.
    pub min: Duration,
    pub max: Duration,
    /// Confirmations that bring it down to `min`.
    pub k: u32,
    /// The first accuser, then each confirming one (at most `k` of those).
    accusers: Vec<NodeId>,
}

impl Suspicion {
    /// A suspicion of `incarnation` from `now`, lasting from `max` down to
    /// `min` as `k` confirmations arrive (its accuser is set by
    /// [`Suspicions::start`]).
    pub fn new(incarnation: u64, now: Duration, min: Duration, max: Duration, k: u32) -> Suspicion {
        Suspicion {
            incarnation,
            started: now,
            min,
            max,
            k,
            accusers: Vec::new(),
        }
    }

    /// Independent accusers beyond the first.
    pub fn confirmations(&self) -> u32 {
        self.accusers.len().saturating_sub(1) as u32
    }

    pub fn accusers(&self) -> &[NodeId] {
        &self.accusers
    }
}

/// The suspicions a node holds, one per suspected member.
#[derive(Clone, Debug, Default)]
pub struct Suspicions(BTreeMap<NodeId, Suspicion>);

impl Suspicions {
    /// `accuser` suspects `id`: a new suspicion, replacing any older one
    /// about `id`.
    pub fn start(&mut self, id: NodeId, accuser: NodeId, mut suspicion: Suspicion) {
        suspicion.accusers = vec![accuser];
        self.0.insert(id, suspicion);
    }

    /// `accuser` says it suspects `id` at `incarnation` too. True when that
    /// is a confirmation: a suspicion of that incarnation is running,
    /// `accuser` has not accused it yet, and fewer than `k` have confirmed.
    pub fn confirm(&mut self, id: NodeId, incarnation: u64, accuser: NodeId) -> bool {
        let Some(s) = self.0.get_mut(&id) else {
            return false;
        };
        let counts = s.incarnation == incarnation
            && s.confirmations() < s.k
            && !s.accusers.contains(&accuser);
        if counts {
            s.accusers.push(accuser);
        }
        counts
    }

    pub fn get(&self, id: NodeId) -> Option<&Suspicion> {
        self.0.get(&id)
    }

    /// The suspicion of `id` is over: refuted, or a verdict reached.
    pub fn end(&mut self, id: NodeId) {
        self.0.remove(&id);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
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
    fn confirmations_bring_the_suspicion_down_from_max_to_min() {
        let (min, max) = (Duration::from_secs(4), Duration::from_secs(24));
        assert_eq!(confirmed_timeout(min, max, 2, 0), max, "a lone accuser");
        let one = confirmed_timeout(min, max, 2, 1).as_secs_f64();
        assert!((one - 11.381).abs() < 0.01, "{one}");
        assert_eq!(confirmed_timeout(min, max, 2, 2), min);
        assert_eq!(confirmed_timeout(min, max, 2, 9), min, "never below min");
        assert_eq!(confirmed_timeout(min, max, 0, 0), min, "none awaited");
        // memberlist: K = SuspicionMult - 2, and 0 when too few could confirm.
        assert_eq!(confirmations_wanted(4, 7), 2);
        assert_eq!(
            confirmations_wanted(4, 3),
            2,
            "two others besides the suspect"
        );
        assert_eq!(confirmations_wanted(4, 2), 0, "only one other could");
        assert_eq!(confirmations_wanted(1, 100), 0);
    }

    #[test]
    fn a_confirmation_counts_once_per_accuser_up_to_k() {
        let mut held = Suspicions::default();
        let (min, max) = (Duration::from_secs(4), Duration::from_secs(24));
        let (suspect, a, b, c) = (NodeId(9), NodeId(1), NodeId(2), NodeId(3));
        held.start(suspect, a, Suspicion::new(5, Duration::ZERO, min, max, 2));
        assert!(!held.confirm(suspect, 5, a), "the first accuser again");
        assert!(!held.confirm(suspect, 4, b), "another incarnation");
        assert!(held.confirm(suspect, 5, b));
        assert!(!held.confirm(suspect, 5, b), "b again");
        assert!(held.confirm(suspect, 5, c));
        assert!(!held.confirm(suspect, 5, NodeId(4)), "k reached");
        assert_eq!(held.get(suspect).unwrap().accusers(), [a, b, c]);
        held.end(suspect);
        assert!(!held.confirm(suspect, 5, NodeId(4)), "over");
        assert!(held.is_empty());
    }

    #[test]
    fn timeouts_stretch_with_the_score() {
        let half = Duration::from_millis(500);
        assert_eq!(scaled(half, 0), half);
        assert_eq!(scaled(half, 3), Duration::from_secs(2));
        assert_eq!(scaled(half, 100), Duration::from_secs(4), "capped at 8x");
    }
}

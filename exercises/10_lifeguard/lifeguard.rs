//! Exercise 10 — Lifeguard: a failure detector that doubts itself first.
//! (Read `README.md` in this folder first.)
//!
//! SWIM's probing, nacks, suspicion and accusations are done for you
//! (`node/src/core/node/swim.rs` and `suspicion.rs`); these three decisions
//! are what make a degraded node stop accusing healthy ones.
//! `make check EX=10`; once it passes, the checker tells you where the
//! reference stands, to compare.

use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};
use std::time::Duration;

/// This node's local health score after `event`: 0 is healthy,
/// `MAX_SCORE` (7) the worst.
pub fn health_after(score: u32, event: HealthEvent) -> u32 {
    // TODO: the README's table, one arm per event:
    //   ProbeAcked                          one point better;
    //   ProbeFailed with no helper asked    one point worse;
    //   ProbeFailed with helpers asked      one point worse per helper
    //                                       that did not even nack;
    //   Refuted                             one point worse.
    // Always within 0..=MAX_SCORE, and never an overflow on the way.
    todo!("health_after: what does this event say about my own health?")
}

/// A timeout (a probe's, or the protocol period) stretched by the health
/// score: the less healthy, the longer this node waits before it judges.
pub fn health_scaled(base: Duration, score: u32) -> Duration {
    // TODO: base × (score + 1), so a healthy node keeps its timings and
    // the worst score waits 8 times as long (`Duration` multiplies by a
    // u32; a score beyond MAX_SCORE counts as MAX_SCORE).
    todo!("health_scaled: how much longer does a doubtful node wait?")
}

/// How long a suspicion lasts after `confirmations` independent accusers
/// beyond the first: `max` for a lone accuser, down to `min` after `k`.
pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    // TODO: memberlist's formula, on the logarithm of the count:
    //   max − (max − min) × ln(confirmations + 1) / ln(k + 1),
    // never below min; with k = 0 there is nothing to wait for: min.
    // (`Duration::as_secs_f64` and `from_secs_f64` do the float part.)
    todo!("confirmed_timeout: how long may a confirmed suspect refute?")
}

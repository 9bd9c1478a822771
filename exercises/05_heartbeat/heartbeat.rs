//! Exercise 05 — heartbeat membership and timeouts. (Read `README.md` in
//! this folder first.)
//!
//! Run with `--detector heartbeat`, every node raises its own heartbeat once
//! per gossip round and gossips its whole table of heartbeats. You write the
//! three decisions that turn those tables into "alive" and "dead": which
//! heartbeat counts, when a silent member is dead, and how long to wait.
//! `make check EX=05`; once it passes, the checker tells you where the
//! reference stands, to compare.

use gossip_node::core::heartbeat::{Beat, Heartbeat};
use std::time::Duration;

/// A peer's table says a member's heartbeat is `heard`. We hold `known` for
/// that member (`None`: nothing yet). Return the record to keep from now on,
/// or `None` to keep what we have.
///
/// A `Heartbeat` is `(generation, count)` and compares in that order with
/// `<` and `>`: a restarted node's new generation beats its old life.
/// `now` is the time on *this* node's clock.
pub fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
    // TODO: keep the heard heartbeat, stamped `seen_at: now`, only when it is
    // higher than the one we know (or we know none). An equal heartbeat is an
    // echo: the last beat of a crashed node keeps circulating in everyone's
    // tables. What happens to a crashed node if echoes count?
    todo!("heard_beat: which heartbeat counts?")
}

/// Our record of a member says its heartbeat last went up at `beat.seen_at`.
/// Is it dead, `timeout` after that?
pub fn heartbeat_failed(beat: &Beat, now: Duration, timeout: Duration) -> bool {
    // TODO: dead once more than `timeout` has passed since it last went up.
    // (`Duration::saturating_sub` never panics if `now` is behind.)
    todo!("heartbeat_failed: silent for too long?")
}

/// How long may a member's heartbeat stay still before it is dead, in a
/// cluster of `members` nodes gossiping every `interval`?
pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    // TODO: a heartbeat reaches everyone in O(log N) rounds of gossip, and
    // loss stretches the slowest path. A fixed number of rounds is either too
    // short for a big cluster (healthy nodes declared dead) or too long for a
    // small one (crashes noticed late). Grow it with log2 N: the check
    // measures both ends. (`Duration::mul_f64`, `f64::log2`.)
    todo!("heartbeat_timeout: how long to wait?")
}

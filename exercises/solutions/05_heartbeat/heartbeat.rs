//! Exercise 05 — a solution. Heartbeat membership and timeouts.

use gossip_node::core::heartbeat::{Beat, Heartbeat};
use std::time::Duration;

/// Only a higher heartbeat counts, stamped with our own clock.
pub fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
    match known {
        Some(known) if heard <= known.heartbeat => None, // an echo, or older
        _ => Some(Beat {
            heartbeat: heard,
            seen_at: now,
        }),
    }
}

/// Dead once its heartbeat has been still for longer than the timeout.
pub fn heartbeat_failed(beat: &Beat, now: Duration, timeout: Duration) -> bool {
    now.saturating_sub(beat.seen_at) > timeout
}

/// 4 rounds, plus 2 per doubling of the cluster: 8 rounds at 4 nodes,
/// 16 at 64, 24 at 1,000.
pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    let doublings = (members.max(2) as f64).log2().ceil();
    interval.mul_f64(4.0 + 2.0 * doublings)
}

//! `heartbeat_failed` computes the silence as `now - beat.seen_at`, which panics when the heartbeat was stamped after `now` (a message handled late).
//! Caught: stopped (overflow when subtracting durations) on a heartbeat that went up after `now`
//! Caught: saturating_sub

use gossip_node::core::heartbeat::Beat;
use std::time::Duration;

pub fn heartbeat_failed(beat: &Beat, now: Duration, timeout: Duration) -> bool {
    now - beat.seen_at > timeout
}

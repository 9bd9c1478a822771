//! `heartbeat_failed` has the comparison the wrong way round: a member is dead while its heartbeat is fresh and alive once it has gone silent.
//! Caught: heartbeat_failed says true after 0 s of silence
//! Caught: longer than the timeout

use gossip_node::core::heartbeat::Beat;
use std::time::Duration;

pub fn heartbeat_failed(beat: &Beat, now: Duration, timeout: Duration) -> bool {
    now.saturating_sub(beat.seen_at) < timeout
}

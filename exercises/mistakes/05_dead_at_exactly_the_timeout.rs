//! `heartbeat_failed` says dead once the silence reaches the timeout (`>=` for `>`): a member silent for exactly the timeout is declared dead one tick early.
//! Caught: heartbeat_failed says true after 8 s of silence with an 8 s timeout
//! Caught: longer than the timeout

use gossip_node::core::heartbeat::Beat;
use std::time::Duration;

pub fn heartbeat_failed(beat: &Beat, now: Duration, timeout: Duration) -> bool {
    now.saturating_sub(beat.seen_at) >= timeout
}

//! `heard_beat` compares the counts only, not the generation first: a restarted node counts from 1 again, and its new life is ignored until it passes the old count.
//! Caught: ignored a new life (a restart)
//! Caught: compare the generation first

use gossip_node::core::heartbeat::{Beat, Heartbeat};
use std::time::Duration;

pub fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
    if known.is_some_and(|k| heard.count <= k.heartbeat.count) {
        return None;
    }
    Some(Beat {
        heartbeat: heard,
        seen_at: now,
    })
}

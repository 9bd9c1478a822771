//! `heard_beat` takes any heartbeat different from the one it holds, older ones too: a late table carrying an old heartbeat moves the record backwards and refreshes its time.
//! Caught: took an older heartbeat
//! Caught: a heartbeat that is not higher

use gossip_node::core::heartbeat::{Beat, Heartbeat};
use std::time::Duration;

pub fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
    if known.is_some_and(|k| heard == k.heartbeat) {
        return None;
    }
    Some(Beat {
        heartbeat: heard,
        seen_at: now,
    })
}
